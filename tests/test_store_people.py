"""store/people.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.people import AuthorRule, Signed
from radar.store import Store
from radar.store.people import person_keys, set_aside, signed_papers

NORMS = ("yantao li", "y li")  # "Yantao Li" and its alias "Y. Li"


def _paper(pid: str, day: date, authors: tuple[str, ...], categories: tuple[str, ...]) -> Paper:
    return Paper(
        id=pid,
        version=1,
        title=f"Title of {pid}",
        authors=authors,
        categories=categories,
        announced=day,
        sources=(Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", day),),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        opened.upsert_papers(
            [
                # co-authors: one spelled twice (the first spelling is shown), one name with no
                # letters (no look-up key: never a co-author)
                _paper(
                    "2606.00001",
                    date(2026, 6, 19),
                    ("Ada Lovelace", "Yantao Li", "José García", "—", "Jose Garcia"),
                    ("cs.AI", "cs.LG"),
                ),
                _paper("2606.00002", date(2026, 6, 18), ("Y. Li", "Ada Lovelace"), ("cs.CV",)),
                _paper("2606.00003", date(2026, 6, 17), ("Yantao Li", "Bob Other"), ("hep-th",)),
                _paper("2606.00004", date(2026, 6, 16), ("Ada Lovelace",), ("cs.AI",)),
            ]
        )
        yield opened


def _key(store: Store, pid: str) -> int:
    return int(store.conn.execute("SELECT pk FROM papers WHERE id = ?", (pid,)).fetchone()[0])


def test_the_papers_signed_with_a_name_or_its_alias_come_with_their_coauthors(
    store: Store,
) -> None:
    got = sorted(signed_papers(store, NORMS), key=lambda s: s.id)
    assert got == [
        Signed(
            key=_key(store, "2606.00001"),
            id="2606.00001",
            day=date(2026, 6, 19),
            title="Title of 2606.00001",
            categories=("cs.AI", "cs.LG"),
            coauthors={"ada lovelace": "Ada Lovelace", "jose garcia": "José García"},
        ),
        Signed(
            key=_key(store, "2606.00002"),
            id="2606.00002",
            day=date(2026, 6, 18),
            title="Title of 2606.00002",
            categories=("cs.CV",),
            coauthors={"ada lovelace": "Ada Lovelace"},
        ),
        Signed(
            key=_key(store, "2606.00003"),
            id="2606.00003",
            day=date(2026, 6, 17),
            title="Title of 2606.00003",
            categories=("hep-th",),
            coauthors={"bob other": "Bob Other"},
        ),
    ]
    assert [s.id for s in signed_papers(store, ("y li",))] == ["2606.00002"]
    assert signed_papers(store, ()) == []
    assert signed_papers(store, ("nobody here",)) == []


def test_a_name_signed_together_with_its_alias_is_no_coauthor_of_itself(tmp_path: Path) -> None:
    with Store.open(tmp_path / "radar.db") as store:
        store.upsert_papers(
            [_paper("2606.00005", date(2026, 6, 19), ("Yantao Li", "Y. Li", "Eve"), ("cs.AI",))]
        )
        (signed,) = signed_papers(store, NORMS)
        assert signed.coauthors == {"eve": "Eve"}


def test_a_pinned_person_keeps_the_papers_that_join_the_pinned_one(store: Store) -> None:
    rule = AuthorRule(name="Yantao Li", norms=NORMS, pins=("2606.00001",))
    # 2606.00002 shares Ada Lovelace with the pinned paper; 2606.00003 shares nothing
    assert person_keys(store, rule) == [_key(store, "2606.00001"), _key(store, "2606.00002")]
    assert set_aside(store, rule) == 1


def test_a_pin_not_cached_yet_lets_the_name_alone_decide(store: Store) -> None:
    rule = AuthorRule(name="Yantao Li", norms=NORMS, pins=("2401.99999",))
    assert person_keys(store, rule) is None
    assert set_aside(store, rule) == 0
    alone = AuthorRule(name="Yantao Li", norms=(), pins=("2606.00001",))
    assert person_keys(store, alone) is None
