"""Bulk loading of papers that are not cached yet: the same rows as `Store.upsert_papers`, faster.

It builds the benchmark's 1M-paper caches and nothing else, so it lives here, not in the store
(it uses the store's row writers directly; `tests/test_bench_bulk.py` keeps the two equal).
Secondary indexes and the FTS triggers are set aside, rows go in with `executemany`, then the
indexes are rebuilt and FTS5 rebuilt and merged.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from radar.errors import StoreError
from radar.paper import Paper
from radar.store.core import Store
from radar.store.identity import doi_key
from radar.store.inserts import insert_new_papers, next_pk

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
            first_pk = next_pk(conn)
            dois: set[str] = set()
            for batch in _batches(papers, batch_size):
                _check_new_dois(batch, dois)
                insert_new_papers(conn, batch, first_pk=first_pk + loaded, seen_at=seen_at)
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
