"""Rows of papers not cached yet, written with one `executemany` per table.

Shared by `Store.upsert_papers` (a page's new papers) and the bulk loader, so both write the same.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from radar.paper import Paper, normalize_name
from radar.store.identity import DoiIndex, doi_key
from radar.store.records import iso, paper_row

# One sighting of a paper: a new source row, or the existing one refreshed.
SIGHTING_UPSERT = """
    INSERT INTO paper_sources
        (paper_pk, source, label, announce_type, announced, first_seen, last_seen)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (paper_pk, source) DO UPDATE SET
        label = excluded.label,
        announce_type = coalesce(excluded.announce_type, announce_type),
        announced = nullif(max(coalesce(excluded.announced, ''), coalesce(announced, '')), ''),
        last_seen = excluded.last_seen
"""
# An author's name recurs across a sync's pages; folding it costs ~2.5 us (NFKD, regex, casefold).
norm_name = lru_cache(maxsize=1 << 14)(normalize_name)


def new_ids_without_merges(
    batch: list[Paper], existing: dict[str, dict[str, Any]], dois: DoiIndex
) -> set[str]:
    """Ids of papers in `batch` that are simply new: id not cached and not repeated, DOI (if
    any) neither cached nor repeated. Nothing can merge into them, so they go in together."""
    ids = Counter(p.id for p in batch)
    keys = Counter(doi_key(p.doi) for p in batch if p.doi)
    return {
        p.id
        for p in batch
        if ids[p.id] == 1
        and p.id not in existing
        and (not p.doi or (keys[doi_key(p.doi)] == 1 and not dois.rows(p.doi)))
    }


def next_pk(conn: sqlite3.Connection) -> int:
    """The pk SQLite would give the next row of papers (no AUTOINCREMENT: max(pk) + 1)."""
    return int(conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM papers").fetchone()[0])


def insert_new_papers(
    conn: sqlite3.Connection, papers: Sequence[Paper], *, first_pk: int, seen_at: str
) -> list[dict[str, Any]]:
    """Insert papers whose ids and DOIs are not cached, as pks first_pk, first_pk + 1, ...

    Returns each paper's row (`paper_row` plus `pk`). The FTS triggers fire as for any insert.
    """
    rows: list[dict[str, Any]] = []
    values, authors, categories, versions, sightings = [], [], [], [], []
    for pk, paper in enumerate(papers, first_pk):
        row = paper_row(paper)
        values.append((pk, *row.values(), seen_at, seen_at))
        day = row["day"]
        authors += [(pk, i, name, norm_name(name), day) for i, name in enumerate(paper.authors)]
        categories += [(pk, cat, i, day) for i, cat in enumerate(paper.categories)]
        if paper.version is not None:
            versions.append((pk, paper.version, seen_at))
        sightings += [
            (pk, s.source, s.label, s.announce_type, iso(s.announced), seen_at, seen_at)
            for s in paper.sources
        ]
        row["pk"] = pk
        rows.append(row)
    if not rows:
        return rows
    columns = ", ".join(["pk", *list(rows[0])[:-1], "first_seen", "last_seen"])
    marks = ", ".join("?" * len(values[0]))
    conn.executemany(f"INSERT INTO papers ({columns}) VALUES ({marks})", values)
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
        "INSERT OR IGNORE INTO paper_versions (paper_pk, version, first_seen) VALUES (?, ?, ?)",
        versions,
    )
    conn.executemany(SIGHTING_UPSERT, sightings)
    return rows
