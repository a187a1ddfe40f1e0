"""Papers new to the cache, written in bulk (store/inserts.py): every row a new paper needs, the
same as one by one, and only papers that nothing can merge into take that path."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store, UpsertCounts
from radar.store.identity import DoiIndex
from radar.store.inserts import insert_new_papers, new_ids_without_merges, next_pk
from radar.store.records import PAPER_COLUMNS

SEEN = "2026-11-20T08:00:00+00:00"
RSS = Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "cross", date(2026, 11, 20))
API = Sighting("arxiv-api:author:Ann Lee", "Ann Lee", None, None)


def paper(n: int, **fields: object) -> Paper:
    values: dict[str, object] = {
        "id": f"2611.{10000 + n}",
        "version": 2,
        "title": f"Title {n}",
        "abstract": f"Abstract number{n}.",
        "authors": (f"Zoë Çelik{n}", "Ann Lee"),
        "categories": ("quant-ph", "cs.AI"),
        "announced": date(2026, 11, 20),
        "sources": (RSS, API),
    }
    return Paper(**{**values, **fields})  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "radar.db") as opened:
        yield opened


def rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in store.conn.execute(sql)]


def fts_ids(store: Store, word: str) -> list[str]:
    sql = "SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ?"
    return [i for (i,) in store.conn.execute(sql, (word,))]


def test_a_new_paper_gets_its_authors_categories_version_and_sightings(store: Store) -> None:
    assert store.upsert_papers([paper(1), paper(2, version=None)], seen_at=SEEN) == UpsertCounts(
        new=2
    )
    assert rows(store, "SELECT pk, id, first_seen, last_seen, day FROM papers ORDER BY pk") == [
        (1, "2611.10001", SEEN, SEEN, "2026-11-20"),
        (2, "2611.10002", SEEN, SEEN, "2026-11-20"),
    ]
    assert rows(store, "SELECT * FROM paper_authors WHERE paper_pk = 1 ORDER BY position") == [
        (1, 0, "Zoë Çelik1", "zoe celik1", "2026-11-20"),
        (1, 1, "Ann Lee", "ann lee", "2026-11-20"),
    ]
    assert rows(
        store, "SELECT paper_pk, category, position, day FROM paper_categories ORDER BY 1, 3"
    ) == [
        (1, "quant-ph", 0, "2026-11-20"),
        (1, "cs.AI", 1, "2026-11-20"),
        (2, "quant-ph", 0, "2026-11-20"),
        (2, "cs.AI", 1, "2026-11-20"),
    ]
    assert rows(store, "SELECT * FROM paper_versions") == [(1, 2, SEEN)]  # no version, no row
    assert rows(
        store,
        "SELECT paper_pk, source, label, announce_type, announced, first_seen, last_seen "
        "FROM paper_sources WHERE paper_pk = 1 ORDER BY source",
    ) == [
        (1, "arxiv-api:author:Ann Lee", "Ann Lee", None, None, SEEN, SEEN),
        (1, "arxiv-rss:cs.AI", "arXiv (cs.AI)", "cross", "2026-11-20", SEEN, SEEN),
    ]
    assert fts_ids(store, "number2") == ["2611.10002"]
    assert fts_ids(store, "celik1") == ["2611.10001"]
    assert store.get_paper("2611.10001") is not None
    got = store.get_paper("2611.10001")
    assert got is not None and got.authors == ("Zoë Çelik1", "Ann Lee") and got.versions == (2,)


def test_new_papers_take_the_next_keys_in_batch_order(store: Store) -> None:
    assert next_pk(store.conn) == 1
    store.upsert_papers([paper(1), paper(2)])
    store.conn.execute("DELETE FROM papers WHERE pk = 1")
    assert next_pk(store.conn) == 3
    # the same paper twice goes one by one; the keys still follow the batch
    store.upsert_papers([paper(5), paper(3), paper(3, title="Again"), paper(4)])
    assert rows(store, "SELECT pk, id, title FROM papers ORDER BY pk") == [
        (2, "2611.10002", "Title 2"),
        (3, "2611.10005", "Title 5"),
        (4, "2611.10003", "Again"),
        (5, "2611.10004", "Title 4"),
    ]


def test_insert_new_papers_returns_each_row_with_its_key(store: Store) -> None:
    assert insert_new_papers(store.conn, [], first_pk=7, seen_at=SEEN) == []
    written = insert_new_papers(store.conn, [paper(1), paper(2)], first_pk=7, seen_at=SEEN)
    assert [(r["pk"], r["id"], r["title"]) for r in written] == [
        (7, "2611.10001", "Title 1"),
        (8, "2611.10002", "Title 2"),
    ]
    listed = {c.strip() for c in PAPER_COLUMNS.split(",")} - {"pk"}
    assert listed <= set(written[0])


def test_only_papers_nothing_can_merge_into_are_simply_new(store: Store) -> None:
    store.upsert_papers([paper(1), paper(2, doi="10.1/Cached")])
    existing = {"2611.10001": {}}
    dois = DoiIndex(store.conn, "pk, id, doi")
    batch = [
        paper(1),  # cached id
        paper(3),  # new, no DOI
        paper(4, doi="10.1/new"),  # new DOI
        paper(5),  # the same id twice in the batch
        paper(5),
        paper(6, doi="10.1/twice"),  # one DOI on two new papers (any case)
        paper(7, doi="10.1/TWICE"),
        paper(8, doi="10.1/CACHED"),  # a cached DOI
    ]
    assert new_ids_without_merges(batch, existing, dois) == {"2611.10003", "2611.10004"}
