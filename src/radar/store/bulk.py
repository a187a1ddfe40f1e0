"""Bulk loading of papers that are not cached yet: the same rows as `Store.upsert_papers`, faster.

For building big caches (benchmarks, imports): secondary indexes and the FTS triggers are set
aside, rows go in with `executemany`, then the indexes are rebuilt and FTS5 rebuilt and merged.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from radar.errors import StoreError
from radar.paper import Paper, normalize_name
from radar.store.core import SIGHTING_UPSERT, Store
from radar.store.identity import doi_key
from radar.store.records import iso, paper_row

# Tables a paper's rows go to; their secondary indexes are rebuilt once after the load.
_PAPER_TABLES = ("papers", "paper_authors", "paper_categories", "paper_sources", "paper_versions")
# Only the triggers that keep papers_fts in step are set aside: the final 'rebuild' replaces
# them. Any other trigger keeps firing, so it sees every row as it would in an upsert.
_FTS_TRIGGER_PREFIX = "papers_fts_"


def bulk_insert_papers(
    store: Store,
    papers: Iterable[Paper],
    *,
    seen_at: str | None = None,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert papers whose ids are all new, in one transaction; returns how many.

    The cache ends up exactly as if `store.upsert_papers(papers, seen_at=seen_at)` had run:
    same rows, same schema, same full-text index. Ids or DOIs already cached or repeated in
    `papers` (which upserts would merge) raise `StoreError` and leave the cache unchanged.
    `papers` is consumed lazily, `batch_size` at a time: a generator of millions needs little
    memory.
    """
    seen_at = seen_at or datetime.now(UTC).isoformat(timespec="seconds")
    conn = store.conn
    loaded = 0
    try:
        with store.transaction():
            set_aside = _set_aside_indexes_and_triggers(conn)
            first_pk = conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM papers").fetchone()[0]
            dois: set[str] = set()
            for batch in _batches(papers, batch_size):
                _check_new_dois(batch, dois)
                _insert_batch(conn, batch, first_pk=first_pk + loaded, seen_at=seen_at)
                loaded += len(batch)
                if progress:
                    progress(loaded)
            for statement in set_aside:
                conn.execute(statement)
            if first_pk > 1:
                _check_dois_not_cached(conn, first_pk)
            conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')")
            # 'rebuild' leaves levels of segments at the automerge threshold: the next writes
            # would pay to merge them (3x slower inserts at 1M papers). One merge now instead.
            conn.execute("INSERT INTO papers_fts (papers_fts) VALUES ('optimize')")
    except sqlite3.IntegrityError as exc:
        raise StoreError(
            f"bulk load stopped, nothing was written: {exc}",
            hint="bulk loading takes only papers not in the cache yet; use upsert_papers to merge",
        ) from exc
    return loaded


def _check_new_dois(batch: list[Paper], seen: set[str]) -> None:
    """Upserts fold papers sharing a DOI into one: a bulk load refuses them instead."""
    for paper in batch:
        if paper.doi:
            key = doi_key(paper.doi)
            if key in seen:
                raise sqlite3.IntegrityError(f"DOI {paper.doi} appears twice")
            seen.add(key)


def _check_dois_not_cached(conn: sqlite3.Connection, first_pk: int) -> None:
    row = conn.execute(
        "SELECT doi FROM papers WHERE doi IS NOT NULL AND pk >= ? AND lower(doi) IN "
        "(SELECT lower(doi) FROM papers WHERE doi IS NOT NULL AND pk < ?) LIMIT 1",
        (first_pk, first_pk),
    ).fetchone()
    if row:
        raise sqlite3.IntegrityError(f"DOI {row[0]} is already cached")


def _set_aside_indexes_and_triggers(conn: sqlite3.Connection) -> list[str]:
    """Drop secondary indexes and FTS triggers of the paper tables; returns their CREATE SQL."""
    marks = ",".join("?" * len(_PAPER_TABLES))
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master "
        f"WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({marks}) "
        "ORDER BY rowid",
        _PAPER_TABLES,
    ).fetchall()
    statements = []
    for kind, name, sql in rows:
        if kind == "trigger" and not name.startswith(_FTS_TRIGGER_PREFIX):
            continue
        conn.execute(f'DROP {kind.upper()} "{name}"')
        statements.append(sql)
    return statements


def _batches(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    iterator = iter(papers)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _insert_batch(
    conn: sqlite3.Connection, batch: list[Paper], *, first_pk: int, seen_at: str
) -> None:
    rows, authors, categories, versions, sightings = [], [], [], [], []
    for pk, paper in enumerate(batch, first_pk):
        row = paper_row(paper)
        rows.append((pk, *row.values(), seen_at, seen_at))
        day = row["day"]
        authors += [
            (pk, i, name, normalize_name(name), day) for i, name in enumerate(paper.authors)
        ]
        categories += [(pk, cat, i, day) for i, cat in enumerate(paper.categories)]
        if paper.version is not None:
            versions.append((pk, paper.version, seen_at))
        sightings += [
            (pk, s.source, s.label, s.announce_type, iso(s.announced), seen_at, seen_at)
            for s in paper.sources
        ]
    columns = ", ".join(["pk", *paper_row(batch[0]), "first_seen", "last_seen"])
    marks = ", ".join("?" * len(rows[0]))
    conn.executemany(f"INSERT INTO papers ({columns}) VALUES ({marks})", rows)
    conn.executemany(
        "INSERT INTO paper_authors (paper_pk, position, name, norm, day) VALUES (?, ?, ?, ?, ?)",
        authors,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO paper_categories (paper_pk, category, position, day) "
        "VALUES (?, ?, ?, ?)",
        categories,
    )
    conn.executemany(
        "INSERT INTO paper_versions (paper_pk, version, first_seen) VALUES (?, ?, ?)", versions
    )
    conn.executemany(SIGHTING_UPSERT, sightings)
