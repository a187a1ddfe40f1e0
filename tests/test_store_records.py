"""How a paper is stored and read back, and what the cache keeps when a paper is seen again
(store/records.py: `paper_row`, `row_to_paper`, `merge_papers`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store, UpsertCounts
from radar.store.records import chunks, merge_papers, now_iso, row_to_paper

RSS = Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", date(2026, 11, 20))

FULL = Paper(
    id="2611.01234",
    version=2,
    title="Gödel, Escher and qubits",
    abstract="We study Ångström-scale things.",
    authors=("Zoë Çelik", "Ann Lee"),
    affiliations=(("Université Paris-Saclay",), ()),
    categories=("quant-ph", "cs.AI"),
    published=date(2026, 10, 1),
    updated=date(2026, 11, 2),
    announced=date(2026, 11, 20),
    announce_type="replace",
    comment="12 pages",
    journal_ref="Phys. Rev. A 1, 2 (2026)",
    doi="10.1103/x.1",
    url="https://example.org/abs",
    pdf_url="https://example.org/pdf",
    journal="Physical Review A",
    sources=(RSS,),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "radar.db") as opened:
        yield opened


def stored(store: Store, paper_id: str) -> Paper:
    paper = store.get_paper(paper_id)
    assert paper is not None
    return paper


def test_every_field_of_a_paper_reads_back_as_stored(store: Store) -> None:
    store.upsert_papers([FULL])
    back = stored(store, FULL.id)
    assert replace(back, sources=(), versions=()) == replace(FULL, sources=())
    assert back.versions == (2,)
    row = dict(store.conn.execute("SELECT * FROM papers").fetchone())
    assert row["primary_category"] == "quant-ph" and row["day"] == "2026-11-20"
    assert row["authors_text"] == "Zoë Çelik, Ann Lee"
    # names stay readable in the cache (`sqlite3 radar.db`), not \u-escaped
    assert row["authors"] == '["Zoë Çelik", "Ann Lee"]'
    assert row["affiliations"] == '[["Université Paris-Saclay"], []]'


def test_a_bare_paper_reads_back_with_empty_fields_not_none(store: Store) -> None:
    bare = Paper(id="doi:10.1/bare", title="Bare", affiliations=((), ()), authors=("A", "B"))
    store.upsert_papers([bare])
    row = dict(store.conn.execute("SELECT * FROM papers").fetchone())
    assert row["affiliations"] is None and row["day"] is None and row["published"] is None
    assert stored(store, bare.id) == replace(bare, affiliations=())
    row.update(abstract=None, authors=None, categories=None)
    assert row_to_paper(row) == replace(bare, affiliations=(), authors=())


def test_stored_timestamps_read_back_as_their_day() -> None:
    row = {"id": "x", "version": None, "title": "t", "abstract": "", "authors": "[]"}
    row |= dict.fromkeys(("categories", "comment", "journal_ref", "doi", "url", "pdf_url"))
    row |= {"journal": None, "affiliations": None, "announce_type": None, "updated": None}
    row |= {"published": "2026-11-20T23:59:59+00:00", "announced": "2026-11-21"}
    paper = row_to_paper(row)
    assert paper.published == date(2026, 11, 20) and paper.announced == date(2026, 11, 21)


def test_now_iso_is_utc_to_the_second() -> None:
    stamp = datetime.fromisoformat(now_iso())
    assert stamp.tzinfo == UTC and stamp.microsecond == 0
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 3600  # the clock's date, not 1970


def test_chunks_cover_every_item_in_slices_of_500() -> None:
    items = list(range(1201))
    parts = list(chunks(items))
    assert [len(p) for p in parts] == [500, 500, 201]
    assert [x for p in parts for x in p] == items
    assert [list(p) for p in chunks(items[:5], 2)] == [[0, 1], [2, 3], [4]]


def test_upsert_counts_add_up_field_by_field() -> None:
    total = UpsertCounts(1, 2, 3) + UpsertCounts(10, 20, 30)
    assert total == UpsertCounts(new=11, updated=22, unchanged=33)


# --- merging two records of one paper ------------------------------------------------------


def test_the_newer_version_leads_and_gaps_are_filled_from_the_other() -> None:
    old = replace(FULL, version=1, title="Old title", comment="10 pages", journal=None)
    new = replace(
        FULL, version=2, title="New title", abstract="", categories=(), comment=None, doi=None
    )
    merged = merge_papers(old, new)
    assert (merged.version, merged.title, merged.abstract) == (2, "New title", FULL.abstract)
    assert merged.categories == FULL.categories and merged.comment == "10 pages"
    assert merged.doi == FULL.doi and merged.journal == FULL.journal
    # an older version arriving later changes nothing it has
    back = merge_papers(new, old)
    assert (back.version, back.title, back.comment) == (2, "New title", "10 pages")


def test_the_same_version_seen_again_takes_the_incoming_text() -> None:
    merged = merge_papers(FULL, replace(FULL, title="Corrected title"))
    assert merged.title == "Corrected title" and merged.version == 2
    unversioned = replace(FULL, version=None)
    merged = merge_papers(unversioned, replace(unversioned, title="Corrected title"))
    assert merged.title == "Corrected title" and merged.version is None


def test_an_unversioned_record_never_leads_over_a_versioned_one() -> None:
    # a journal feed's record of an arXiv v1 paper fills gaps, its text does not replace v1's
    journal = replace(FULL, version=None, title="Journal title", abstract="Journal abstract.")
    for version in (1, 2):
        merged = merge_papers(replace(FULL, version=version), journal)
        assert (merged.title, merged.abstract, merged.version) == (
            FULL.title,
            FULL.abstract,
            version,
        )


def test_links_come_from_the_leading_record_or_fill_a_gap() -> None:
    bare = replace(FULL, version=1, url=None, pdf_url=None)
    assert (merge_papers(bare, FULL).url, merge_papers(bare, FULL).pdf_url) == (
        FULL.url,
        FULL.pdf_url,
    )
    moved = replace(FULL, version=3, url="https://example.org/v3", pdf_url="https://x.org/v3.pdf")
    merged = merge_papers(FULL, moved)
    assert (merged.url, merged.pdf_url) == ("https://example.org/v3", "https://x.org/v3.pdf")


def test_incoming_wins_overrides_the_versions() -> None:
    old, new = replace(FULL, version=1, title="Old"), replace(FULL, version=3, title="New")
    assert merge_papers(old, new, incoming_wins=False).title == "Old"
    assert merge_papers(new, old, incoming_wins=True).title == "Old"
    assert merge_papers(old, new, incoming_wins=False).version == 3


def test_every_text_field_falls_back_to_the_other_record() -> None:
    empty = Paper(id=FULL.id, title="", version=3)
    merged = merge_papers(FULL, empty)
    for name in ("title", "abstract", "authors", "categories", "comment", "journal_ref"):
        assert getattr(merged, name) == getattr(FULL, name), name
    for name in ("doi", "url", "pdf_url", "journal", "affiliations"):
        assert getattr(merged, name) == getattr(FULL, name), name
    assert merged.version == 3


def test_affiliations_come_with_the_author_list_they_belong_to() -> None:
    plain = replace(FULL, version=3, affiliations=())
    assert merge_papers(FULL, plain).affiliations == FULL.affiliations
    other_authors = replace(FULL, version=3, authors=("Someone Else",), affiliations=())
    assert merge_papers(FULL, other_authors).affiliations == ()
    own = replace(other_authors, affiliations=(("MIT",),))
    assert merge_papers(FULL, own).affiliations == (("MIT",),)


def test_dates_keep_the_stored_publication_and_the_latest_update_and_announcement() -> None:
    stored_paper = replace(FULL, published=date(2026, 10, 1), updated=None)
    incoming = replace(
        FULL, published=date(2026, 9, 1), updated=date(2026, 11, 5), announced=date(2026, 11, 19)
    )
    merged = merge_papers(stored_paper, incoming)
    assert merged.published == date(2026, 10, 1)
    assert merged.updated == date(2026, 11, 5)
    assert merged.announced == date(2026, 11, 20)
    assert merge_papers(replace(FULL, published=None), incoming).published == date(2026, 9, 1)
    later = replace(FULL, updated=date(2026, 11, 1), announced=None)
    assert merge_papers(later, replace(FULL, updated=None)).updated == date(2026, 11, 1)
    assert merge_papers(later, replace(FULL, updated=None)).announced == FULL.announced


def test_merging_keeps_the_stored_id_and_sightings() -> None:
    incoming = replace(FULL, id="other", sources=(Sighting("feed:X", "X"),), version=5)
    merged = merge_papers(FULL, incoming)
    assert merged.id == FULL.id and merged.sources == FULL.sources and merged.version == 5


@pytest.mark.parametrize(
    ("stored_day", "stored_type", "day", "kind", "expected"),
    [
        (20, "replace", 21, "cross", "cross"),  # a later announcement's type
        (20, "cross", 19, "new", "cross"),  # an earlier one changes nothing
        (20, "cross", 20, "new", "new"),  # one day: the first type of the day
        (20, "new", 20, "replace-cross", "new"),
        (None, None, 19, "replace", "replace"),  # the first announcement known
        (20, "replace", 21, None, "replace"),  # a sighting without a type
        (20, "replace", None, "new", "replace"),  # a type without a day
    ],
)
def test_the_announce_type_is_the_latest_announcements(
    stored_day: int | None,
    stored_type: str | None,
    day: int | None,
    kind: str | None,
    expected: str,
) -> None:
    def at(d: int | None, k: str | None) -> Paper:
        return replace(FULL, announced=date(2026, 11, d) if d else None, announce_type=k)

    assert merge_papers(at(stored_day, stored_type), at(day, kind)).announce_type == expected
