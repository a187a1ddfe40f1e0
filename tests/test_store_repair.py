"""store/repair.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store
from radar.store.repair import refold_author_names, repair_arxiv_text

DAY = date(2026, 6, 19)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        yield opened


def _cached_as_old_radar_did(
    store: Store,
    pid: str,
    *,
    title: str = "A title",
    abstract: str = "An abstract.",
    authors: list[str],
    affiliations: Any = None,
) -> None:
    """A paper as an older radar stored it: TeX undecoded, authors split at every comma."""
    seen = Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", DAY)
    store.upsert_papers([Paper(id=pid, version=1, title="x", announced=DAY, sources=(seen,))])
    (pk,) = store.conn.execute("SELECT pk FROM papers WHERE id = ?", (pid,)).fetchone()
    store.conn.execute(
        "UPDATE papers SET title = ?, abstract = ?, authors = ?, authors_text = ?, "
        "affiliations = ? WHERE pk = ?",
        (title, abstract, json.dumps(authors), ", ".join(authors), affiliations, pk),
    )
    store.conn.executemany(
        "INSERT INTO paper_authors (paper_pk, position, name, norm, day) VALUES (?, ?, ?, ?, ?)",
        [(pk, i, name, name.lower(), "2000-01-01") for i, name in enumerate(authors)],
    )


def _row(store: Store, pid: str) -> tuple[Any, ...]:
    return tuple(
        store.conn.execute(
            "SELECT title, abstract, authors, authors_text, affiliations FROM papers WHERE id = ?",
            (pid,),
        ).fetchone()
    )


def _author_rows(store: Store, pid: str) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT a.position, a.name, a.norm, a.day FROM paper_authors a "
            "JOIN papers p ON p.pk = a.paper_pk WHERE p.id = ? ORDER BY a.position",
            (pid,),
        )
    ]


def test_old_arxiv_papers_get_decoded_text_and_their_authors_joined_again(store: Store) -> None:
    _cached_as_old_radar_did(
        store,
        "2401.00001",
        title="Caf\\'e models",
        abstract='On \\"{u}ber things',
        authors=["A. Kim (Univ. X", "Seoul)", "Bo Li"],
    )
    store.set_user_state("2401.00001", starred=True, note="keep")
    assert repair_arxiv_text(store.conn) == 1
    assert _row(store, "2401.00001") == (
        "Café models",
        "On über things",
        '["A. Kim", "Bo Li"]',
        "A. Kim, Bo Li",
        '[["Univ. X, Seoul"], []]',
    )
    assert _author_rows(store, "2401.00001") == [
        (0, "A. Kim", "a kim", "2026-06-19"),
        (1, "Bo Li", "bo li", "2026-06-19"),
    ]
    paper = store.require_paper("2401.00001")
    assert paper.affiliations == (("Univ. X, Seoul",), ())
    assert (paper.starred, paper.note, paper.version) == (True, "keep", 1)
    assert repair_arxiv_text(store.conn) == 0  # repaired once


def test_names_are_decoded_as_they_are_when_affiliations_were_already_kept(store: Store) -> None:
    _cached_as_old_radar_did(
        store,
        "2401.00002",
        authors=["Stanis\\l{}aw Lem", "Jo (MIT)"],
        affiliations='[[], ["CERN"]]',
    )
    assert repair_arxiv_text(store.conn) == 1
    assert _row(store, "2401.00002") == (
        "A title",
        "An abstract.",
        '["Stanisław Lem", "Jo (MIT)"]',
        "Stanisław Lem, Jo (MIT)",
        '[[], ["CERN"]]',
    )
    assert _author_rows(store, "2401.00002") == [
        (0, "Stanisław Lem", "stanislaw lem", "2026-06-19"),
        (1, "Jo (MIT)", "jo mit", "2026-06-19"),
    ]


def test_a_comma_inside_one_name_keeps_the_names_as_they_are(store: Store) -> None:
    _cached_as_old_radar_did(store, "2401.00003", authors=["Smith, J.", 'G\\"odel (IAS)'])
    assert repair_arxiv_text(store.conn) == 1
    assert _row(store, "2401.00003")[2:] == (
        '["Smith, J.", "Gödel (IAS)"]',
        "Smith, J., Gödel (IAS)",
        None,
    )


def test_an_affiliation_found_is_a_repair_even_with_nothing_to_decode(store: Store) -> None:
    _cached_as_old_radar_did(store, "2401.00005", authors=["Ann (MIT)"])
    assert repair_arxiv_text(store.conn) == 1
    assert _row(store, "2401.00005")[2:] == ('["Ann"]', "Ann", '[["MIT"]]')


def test_papers_with_nothing_to_repair_and_feed_items_are_left_alone(store: Store) -> None:
    _cached_as_old_radar_did(store, "2401.00004", title="$\\alpha$ decay", authors=["Ann Bo"])
    _cached_as_old_radar_did(store, "2401.00006", authors=["Ann Bo"])  # no TeX, no brackets
    store.upsert_papers([Paper(id="doi:10.1/x", title="x", published=DAY)])
    store.conn.execute(
        "UPDATE papers SET title = 'Caf\\''e', authors = '[\"A (B\", \"C)\"]' "
        "WHERE id = 'doi:10.1/x'"
    )
    before = {pid: _row(store, pid) for pid in ("2401.00004", "2401.00006", "doi:10.1/x")}
    assert repair_arxiv_text(store.conn) == 0
    assert {pid: _row(store, pid) for pid in before} == before
    assert _author_rows(store, "2401.00004") == [(0, "Ann Bo", "ann bo", "2000-01-01")]


def test_author_keys_of_names_with_non_ascii_letters_are_refolded(store: Store) -> None:
    _cached_as_old_radar_did(store, "2401.00007", authors=["Stanisław Lem", "Zoë Ash", "Bo Li"])
    store.conn.execute("UPDATE paper_authors SET norm = 'stanisaw lem' WHERE position = 0")
    store.conn.execute("UPDATE paper_authors SET norm = 'zoe ash' WHERE position = 1")
    store.conn.execute("UPDATE paper_authors SET norm = 'stale' WHERE position = 2")
    assert refold_author_names(store.conn) == 1  # Zoë's key was right already
    assert [(name, norm) for _, name, norm, _ in _author_rows(store, "2401.00007")] == [
        ("Stanisław Lem", "stanislaw lem"),
        ("Zoë Ash", "zoe ash"),
        ("Bo Li", "stale"),  # ASCII names were folded right before: never looked at
    ]
    assert refold_author_names(store.conn) == 0


def test_every_old_paper_is_repaired_in_one_pass_whatever_comes_before_it(store: Store) -> None:
    _cached_as_old_radar_did(store, "2401.00008", title="$\\alpha$ decay", authors=["Ann Bo"])
    _cached_as_old_radar_did(store, "2401.00009", title="Caf\\'e", authors=["Ann Bo"])
    _cached_as_old_radar_did(store, "2401.00010", authors=["Ann (MIT)"])
    assert repair_arxiv_text(store.conn) == 2
    assert _row(store, "2401.00009")[0] == "Café"
    assert _row(store, "2401.00010")[2] == '["Ann"]'
