"""Identity merging in the store: one DOI is one paper, whichever feeds or arXiv it came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store, UpsertCounts

NATURE = Sighting("feed:Nature", "Nature", announced=date(2026, 6, 20))
SCIENCE = Sighting("feed:Science", "Science", announced=date(2026, 6, 21))
RSS = Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", date(2026, 6, 19))
DOI = "10.1038/s41586-026-0001-x"


def feed_paper(source: Sighting = NATURE, *, doi: str | None = DOI, **fields: object) -> Paper:
    values: dict[str, object] = {
        "id": f"doi:{doi.casefold()}" if doi else "url:nature.com/articles/x",
        "title": "Journal title of the result",
        "abstract": "Journal abstract.",
        "authors": ("Yantao Li", "Ann Lee"),
        "published": date(2026, 6, 20),
        "doi": doi,
        "url": "https://www.nature.com/articles/s41586-026-0001-x",
        "journal": "Nature",
        "journal_ref": "Nature 640(1): 1-9",
        "sources": (source,),
    }
    return Paper(**{**values, **fields})  # type: ignore[arg-type]


def arxiv_paper(paper_id: str = "2602.22495", *, doi: str | None = DOI, **fields: object) -> Paper:
    values: dict[str, object] = {
        "id": paper_id,
        "version": 2,
        "title": "Preprint title of the result",
        "abstract": "arXiv abstract.",
        "authors": ("Yantao Li", "Ann Lee"),
        "categories": ("cs.AI",),
        "published": date(2026, 2, 1),
        "announced": date(2026, 6, 19),
        "doi": doi,
        "sources": (RSS,),
    }
    return Paper(**{**values, **fields})  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "radar.db") as opened:
        yield opened


def sources_of(paper: Paper | None) -> set[str]:
    assert paper is not None
    return {s.source for s in paper.sources}


def fts_hits(store: Store, word: str) -> int:
    sql = "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?"
    return int(store.conn.execute(sql, (word,)).fetchone()[0])


def test_same_doi_from_two_feeds_is_one_paper_with_two_sources(store: Store) -> None:
    assert store.upsert_papers([feed_paper(NATURE, abstract="")]) == UpsertCounts(new=1)
    other = feed_paper(SCIENCE, title="A terser title", abstract="Science's abstract.")
    assert store.upsert_papers([other]) == UpsertCounts(updated=1)  # the abstract was missing
    assert store.count_papers() == 1
    paper = store.get_paper(f"doi:{DOI}")
    assert paper is not None
    assert paper.title == "Journal title of the result"  # a second feed only fills gaps
    assert paper.abstract == "Science's abstract."
    assert sources_of(paper) == {"feed:Nature", "feed:Science"}


def test_a_feed_correcting_its_own_entry_leads(store: Store) -> None:
    store.upsert_papers([feed_paper(NATURE), feed_paper(SCIENCE)])
    corrected = feed_paper(NATURE, title="Journal title, corrected")
    assert store.upsert_papers([corrected]) == UpsertCounts(updated=1)
    paper = store.get_paper(f"doi:{DOI}")
    assert paper is not None and paper.title == "Journal title, corrected"


def test_doi_case_does_not_matter(store: Store) -> None:
    store.upsert_papers([arxiv_paper(doi=DOI.upper())])
    store.upsert_papers([feed_paper()])
    assert store.count_papers() == 1


def test_journal_version_joins_the_arxiv_paper_carrying_its_doi(store: Store) -> None:
    store.upsert_papers([arxiv_paper()])
    assert store.upsert_papers([feed_paper()]) == UpsertCounts(updated=1)
    assert store.count_papers() == 1
    paper = store.get_paper("2602.22495")
    assert paper is not None
    assert paper.title == "Preprint title of the result"  # the versioned arXiv record leads
    assert paper.journal == "Nature" and paper.journal_ref == "Nature 640(1): 1-9"
    assert sources_of(paper) == {"arxiv-rss:cs.AI", "feed:Nature"}
    assert store.get_paper(f"doi:{DOI}") == paper  # the feed id still finds it
    assert store.get_paper(f"https://doi.org/{DOI}") == paper


def test_arxiv_paper_after_its_journal_version_takes_over_the_id_and_user_marks(
    store: Store,
) -> None:
    store.upsert_papers([feed_paper()])
    store.set_user_state(f"doi:{DOI}", starred=True, note="read this")
    store.upsert_papers([arxiv_paper()])
    assert store.count_papers() == 1
    paper = store.get_paper("2602.22495")
    assert paper is not None and paper.id == "2602.22495"
    assert paper.starred and paper.note == "read this"
    assert paper.title == "Preprint title of the result" and paper.journal == "Nature"
    assert sources_of(paper) == {"feed:Nature", "arxiv-rss:cs.AI"}
    assert paper.versions == (2,)
    rows = [tuple(r) for r in store.conn.execute("SELECT paper_id FROM user_state")]
    assert rows == [("2602.22495",)]
    assert fts_hits(store, "preprint") == 1 and fts_hits(store, "journal") == 0


def test_arxiv_paper_that_learns_its_doi_absorbs_the_separate_journal_record(
    store: Store,
) -> None:
    store.upsert_papers([arxiv_paper(doi=None, version=1)])
    store.upsert_papers([feed_paper()])
    store.set_user_state(f"doi:{DOI}", read=True)
    store.set_user_state("2602.22495", starred=True)
    assert store.count_papers() == 2
    counts = store.upsert_papers([arxiv_paper(version=2)])  # v2 carries the DOI
    assert counts == UpsertCounts(updated=1)
    assert store.count_papers() == 1
    paper = store.get_paper("2602.22495")
    assert paper is not None and paper.doi == DOI
    assert paper.starred and paper.read  # marks on both records are combined
    assert sources_of(paper) == {"arxiv-rss:cs.AI", "feed:Nature"}
    assert paper.journal == "Nature"
    orphans = store.conn.execute(
        "SELECT count(*) FROM paper_sources WHERE paper_pk NOT IN (SELECT pk FROM papers)"
    ).fetchone()[0]
    assert orphans == 0
    assert fts_hits(store, "journal") == 0  # the folded record left the search index


def test_same_batch_feed_and_arxiv_records_become_one(store: Store) -> None:
    counts = store.upsert_papers([feed_paper(NATURE), arxiv_paper(), feed_paper(SCIENCE)])
    assert counts.new == 1
    assert store.count_papers() == 1
    assert sources_of(store.get_paper("2602.22495")) == {
        "feed:Nature",
        "arxiv-rss:cs.AI",
        "feed:Science",
    }


def test_two_arxiv_papers_sharing_a_doi_stay_apart(store: Store) -> None:
    store.upsert_papers([arxiv_paper("2602.22495"), arxiv_paper("2603.00001")])
    assert store.count_papers() == 2
    store.upsert_papers([feed_paper()])
    assert store.count_papers() == 2
    assert "feed:Nature" in sources_of(store.get_paper("2602.22495"))  # the older one


def test_papers_without_doi_merge_by_id_only(store: Store) -> None:
    store.upsert_papers([feed_paper(doi=None), arxiv_paper(doi=None)])
    assert store.count_papers() == 2


def test_get_paper_accepts_doi_and_link_spellings(store: Store) -> None:
    store.upsert_papers([feed_paper(), feed_paper(doi=None, url="https://e.org/a")])
    for ref in (DOI, DOI.upper(), f"doi:{DOI}", f"https://doi.org/{DOI}"):
        found = store.get_paper(ref)
        assert found is not None and found.id == f"doi:{DOI}", ref
    found = store.get_paper("https://www.nature.com/articles/x/?utm_source=rss")
    assert found is not None and found.id == "url:nature.com/articles/x"
    assert store.get_paper("10.9999/missing") is None


def test_user_marks_given_by_doi_land_on_the_arxiv_id(store: Store) -> None:
    store.upsert_papers([arxiv_paper(), feed_paper()])
    store.set_user_state(DOI, starred=True)
    rows = [tuple(r) for r in store.conn.execute("SELECT paper_id, starred FROM user_state")]
    assert rows == [("2602.22495", 1)]


def test_non_ascii_doi_matches_case_insensitively_on_ascii_letters(store: Store) -> None:
    store.upsert_papers([arxiv_paper(doi="10.1000/Ärger-ABC")])
    store.upsert_papers([feed_paper(doi="10.1000/Ärger-abc")])
    assert store.count_papers() == 1
    assert store.get_paper("10.1000/Ärger-abc") is not None


def test_doi_lookups_use_the_lower_doi_index(store: Store) -> None:
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT pk FROM papers WHERE doi IS NOT NULL AND lower(doi) = ?", ("x",)
    ).fetchall()
    assert "papers_doi_lower" in str([tuple(step) for step in plan])


def test_a_record_whose_doi_changed_earlier_in_the_batch_is_not_matched_by_its_old_doi(
    store: Store,
) -> None:
    old, new = "10.1000/Abc.4", "10.1000/ABC.28"
    store.upsert_papers([feed_paper(id="feed:nature/29", doi=old)])
    store.upsert_papers([arxiv_paper("2401.00054", doi=new, version=3)])
    # One page: the feed record moves to the arXiv paper's DOI (and folds into it), then a
    # new record arrives with the DOI the feed record had before.
    store.upsert_papers(
        [
            feed_paper(id="feed:nature/29", doi=new),
            feed_paper(id="feed:nature/0", doi=old.upper(), title="Another article"),
        ]
    )
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    merged = store.get_paper("2401.00054")
    assert merged is not None and "feed:Nature" in sources_of(merged)
    other = store.get_paper("feed:nature/0")
    assert other is not None and other.title == "Another article"


def test_two_feed_records_of_one_doi_fold_under_the_older_records_id(store: Store) -> None:
    # the Nature record was first seen without its DOI (keyed by its link), Science's with it
    link_id = "url:nature.com/articles/x"
    store.upsert_papers([feed_paper(NATURE, id=link_id, doi=None)])
    store.upsert_papers([feed_paper(SCIENCE)])
    assert store.count_papers() == 2
    store.upsert_papers([feed_paper(NATURE, id=link_id)])  # now Nature gives the DOI too
    assert [i for (i,) in store.conn.execute("SELECT id FROM papers")] == [link_id]
    assert sources_of(store.get_paper(link_id)) == {"feed:Nature", "feed:Science"}


def test_an_arxiv_paper_seen_twice_in_a_batch_beside_another_of_its_doi(store: Store) -> None:
    # an erratum shares its DOI with the original: they stay two papers, however often seen
    store.upsert_papers([arxiv_paper("2602.22495")])
    again = arxiv_paper("2603.00001", title="Erratum")
    assert store.upsert_papers([again, replace(again, version=3)]) == UpsertCounts(new=1, updated=1)
    erratum = store.get_paper("2603.00001")
    assert erratum is not None and erratum.version == 3 and erratum.versions == (2, 3)
    assert store.count_papers() == 2


def test_a_journal_record_joins_the_older_of_two_arxiv_papers_of_its_doi_in_any_order(
    store: Store,
) -> None:
    store.upsert_papers([arxiv_paper("2602.22495"), arxiv_paper("2603.00001", doi=None)])
    # one batch: the erratum learns the DOI, the original is seen again, then the journal
    store.upsert_papers([arxiv_paper("2603.00001"), arxiv_paper("2602.22495"), feed_paper(NATURE)])
    assert store.count_papers() == 2
    assert "feed:Nature" in sources_of(store.get_paper("2602.22495"))
    assert "feed:Nature" not in sources_of(store.get_paper("2603.00001"))


def test_updates_earlier_in_a_batch_stand_when_a_journal_record_of_the_doi_follows(
    store: Store,
) -> None:
    store.upsert_papers([arxiv_paper(version=2, title="Version two")])
    store.upsert_papers(
        [
            arxiv_paper(version=3, title="Version three"),
            arxiv_paper(version=4, title="Version four", journal_ref="Nature 640, 1 (2026)"),
            feed_paper(NATURE),  # its own journal_ref fills only a gap
        ]
    )
    paper = store.get_paper("2602.22495")
    assert paper is not None and store.count_papers() == 1
    assert (paper.title, paper.version, paper.versions) == ("Version four", 4, (2, 3, 4))
    assert paper.journal_ref == "Nature 640, 1 (2026)" and paper.journal == "Nature"
    assert sources_of(paper) == {"arxiv-rss:cs.AI", "feed:Nature"}
