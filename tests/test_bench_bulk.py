"""Bulk loading writes exactly what `Store.upsert_papers` writes: schema, rows, full-text index."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from benchmarks.bulk import bulk_insert_papers

from radar.errors import StoreError
from radar.paper import Paper, Sighting
from radar.store import Store

SEEN_AT = "2026-11-20T12:00:00+00:00"
NAMES = (
    "Yantao Li",
    "Li, Yantao",
    "José Ñúñez",
    "Anna-Lena Müller",
    "J. R. R. Tolkien",
    "Wei Zhang",
)
WORDS = ("quantum", "graph", "diffusion", "lattice", "café", "transformer", "$\\alpha$-stable")


def sample(count: int, *, start: int = 0) -> list[Paper]:
    """Papers covering every shape a row can take: missing fields, odd names, repeated keys."""
    papers = []
    for n in range(start, start + count):
        day = date(2026, 1, 1) + timedelta(days=n % 40)
        arxiv = n % 7 != 3
        papers.append(
            Paper(
                id=f"2601.{n:05d}" if arxiv else f"doi:10.1000/feed.{n}",
                version=(n % 4) + 1 if arxiv else None,
                title=f"{WORDS[n % len(WORDS)].capitalize()} study number {n}",
                abstract="" if n % 9 == 0 else f"We apply {WORDS[(n * 3) % len(WORDS)]} methods.",
                authors=tuple(NAMES[(n + i) % len(NAMES)] for i in range(n % 5)),
                # n % 6 == 0 repeats a category: upserts ignore the repeat, bulk must too.
                categories=()
                if not arxiv
                else ("cs.AI", "cs.LG", "cs.AI")
                if n % 6 == 0
                else ("math.CO", "cs.DM")[: 1 + n % 2],
                published=None if n % 11 == 0 else day - timedelta(days=2),
                announced=day if n % 2 else None,
                comment="12 pages" if n % 3 == 0 else None,
                doi=f"10.1000/feed.{n}" if not arxiv else None,
                journal="Nature" if not arxiv else None,
                url=f"https://example.org/{n}",
                # n % 5 == 0 sees the same source twice: the second sighting updates the first.
                sources=(
                    Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", day),
                    Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI) again", None, day + timedelta(1)),
                )
                if n % 5 == 0
                else (Sighting(f"arxiv-api:author:{NAMES[n % len(NAMES)]}", "arXiv API"),),
            )
        )
    return papers


def snapshot(path: Path) -> dict[str, Any]:
    """Everything observable in a cache: schema, every row, and what full-text search returns."""
    with Store.open(path) as store:
        conn = store.conn
        schema = sorted(
            conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
            key=lambda row: (row[0], row[1]),
        )
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'papers_fts%' AND name != '_sqlite_migrations'"
            )
        ]
        rows = {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall() for t in tables}
        rows["papers_fts_docsize"] = conn.execute("SELECT * FROM papers_fts_docsize").fetchall()
        conn.execute("INSERT INTO papers_fts (papers_fts, rank) VALUES ('integrity-check', 1)")
        terms = [*WORDS, "yantao", "nunez", "muller", "study", "tolkien", "methods"]
        hits = {
            term: conn.execute(
                "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rowid",
                (f'"{term}"',),
            ).fetchall()
            for term in terms
        }
        migrations = store.applied_migrations()
    return {"schema": schema, "rows": rows, "hits": hits, "migrations": migrations}


def test_bulk_load_equals_upserts_on_an_empty_cache(tmp_path: Path) -> None:
    papers = sample(120)
    with Store.open(tmp_path / "upsert.db") as store:
        store.upsert_papers(papers, seen_at=SEEN_AT)
    with Store.open(tmp_path / "bulk.db") as store:
        assert bulk_insert_papers(store, papers, seen_at=SEEN_AT, batch_size=7) == 120

    expected, got = snapshot(tmp_path / "upsert.db"), snapshot(tmp_path / "bulk.db")
    assert got["rows"]["papers"]  # the comparison below is not between two empty caches
    assert all(got["hits"].values())
    assert got == expected


def test_bulk_load_into_a_populated_cache_equals_upserts(tmp_path: Path) -> None:
    first, second = sample(50), sample(70, start=50)
    with Store.open(tmp_path / "upsert.db") as store:
        store.upsert_papers(first, seen_at=SEEN_AT)
        store.upsert_papers(second, seen_at=SEEN_AT)
    with Store.open(tmp_path / "bulk.db") as store:
        store.upsert_papers(first, seen_at=SEEN_AT)
        bulk_insert_papers(store, second, seen_at=SEEN_AT)

    assert snapshot(tmp_path / "bulk.db") == snapshot(tmp_path / "upsert.db")


def test_full_text_triggers_work_again_after_a_bulk_load(tmp_path: Path) -> None:
    with Store.open(tmp_path / "bulk.db") as store:
        bulk_insert_papers(store, sample(10), seen_at=SEEN_AT)
        paper = store.require_paper("2601.00001")
        store.upsert_papers([Paper(id=paper.id, version=9, title="Zebrafish brains")])
        store.upsert_papers([Paper(id="2601.99999", title="Okapi herds")])
        found = {
            row[0]
            for row in store.conn.execute(
                "SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid "
                "WHERE papers_fts MATCH 'zebrafish OR okapi'"
            )
        }
    assert found == {"2601.00001", "2601.99999"}


def same_doi(paper: Paper) -> Paper:
    """Another record (a new id) of `paper`'s DOI: upserts would fold the two into one."""
    assert paper.doi
    return Paper(id="doi:10.1000/other", title="The journal version", doi=paper.doi.upper())


@pytest.mark.parametrize(
    "repeat",
    [
        "an id in the batch",
        "an id in the cache",
        "a DOI in the batch",
        "a DOI in the cache",
    ],
)
def test_a_repeated_id_or_doi_stops_the_load_and_writes_nothing(
    tmp_path: Path, repeat: str
) -> None:
    path = tmp_path / "bulk.db"
    with Store.open(path) as store:
        store.upsert_papers(sample(4), seen_at=SEEN_AT)  # sample(4)[3] has a DOI
    before = snapshot(path)
    papers = (
        sample(10, start=4)
        + {
            "an id in the batch": sample(1, start=5),
            "an id in the cache": sample(1),
            "a DOI in the batch": [same_doi(sample(11)[10])],  # sample(10, start=4) holds #10
            "a DOI in the cache": [same_doi(sample(4)[3])],
        }[repeat]
    )

    with Store.open(path) as store, pytest.raises(StoreError, match="nothing was written"):
        bulk_insert_papers(store, papers, seen_at=SEEN_AT, batch_size=4)

    assert snapshot(path) == before  # rows, and the indexes and triggers set aside are back


def test_papers_are_consumed_in_batches_with_progress(tmp_path: Path) -> None:
    done: list[int] = []
    with Store.open(tmp_path / "bulk.db") as store:
        loaded = bulk_insert_papers(
            store, iter(sample(10)), seen_at=SEEN_AT, batch_size=4, progress=done.append
        )
        assert store.count_papers() == loaded == 10
    assert done == [4, 8, 10]
