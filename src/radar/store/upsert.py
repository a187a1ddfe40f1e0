"""Writing one batch of papers: insert the new, merge the known, fold the records of one DOI.

`Store.upsert_papers` runs a `PaperWriter` inside its transaction; how records are matched
(id, then DOI) and which side wins a merge is `radar.store.identity`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from radar.paper import Paper
from radar.store.identity import (
    DoiIndex,
    gains_doi,
    incoming_wins,
    move_records,
    move_user_state,
    surviving_id,
)
from radar.store.inserts import (
    SIGHTING_UPSERT,
    insert_new_papers,
    new_ids_without_merges,
    next_pk,
    norm_name,
)
from radar.store.records import (
    PAPER_COLUMNS,
    UpsertCounts,
    chunks,
    iso,
    merge_papers,
    paper_row,
    row_to_paper,
)

# Every column paper_row() writes, so that _merge rewrites only what really changed: without
# day and authors_text every re-sighting rewrote the lookup rows and re-indexed the full text.
MERGE_COLUMNS = f"{PAPER_COLUMNS}, day, primary_category, authors_text"
# Fields whose change makes an existing paper count as "updated" in a sync summary.
_CONTENT_FIELDS = ("version", "title", "abstract", "authors", "categories", "doi", "journal_ref")


def rows_by_id(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored rows (MERGE_COLUMNS) of the papers with these ids, by id."""
    rows: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(ids))
    for chunk in chunks(unique):
        marks = ",".join("?" * len(chunk))
        cursor = conn.execute(f"SELECT {MERGE_COLUMNS} FROM papers WHERE id IN ({marks})", chunk)
        rows.update({r["id"]: dict(r) for r in cursor})
    return rows


class PaperWriter:
    """One batch's upsert on a connection inside a transaction.

    `existing` holds the stored rows the batch may touch, by id, and `dois` the rows by DOI;
    both are kept current as papers are written, so a later paper of the batch sees earlier ones.
    """

    def __init__(self, conn: sqlite3.Connection, seen_at: str) -> None:
        self.conn = conn
        self.seen_at = seen_at
        self.existing: dict[str, dict[str, Any]] = {}
        self.dois = DoiIndex(conn, MERGE_COLUMNS)

    def write(self, batch: list[Paper]) -> UpsertCounts:
        """Write `batch` in order; papers that cannot merge with anything go in bulk."""
        self.existing = rows_by_id(self.conn, [p.id for p in batch])
        self.dois.load(p.doi for p in batch if p.doi and p.id not in self.existing)
        plain = new_ids_without_merges(batch, self.existing, self.dois)
        outcomes: Counter[str] = Counter()
        pending: list[Paper] = []
        for paper in batch:
            if paper.id in plain:
                pending.append(paper)
                continue
            # Written before the next paper, so pks come out as if inserted one by one.
            self._insert_plain(pending)
            pending = []
            outcomes[self._upsert_one(paper)] += 1
        self._insert_plain(pending)
        return UpsertCounts(
            len(plain) + outcomes["new"], outcomes["updated"], outcomes["unchanged"]
        )

    def _insert_plain(self, papers: list[Paper]) -> None:
        """Insert the papers `new_ids_without_merges` picked: one statement per table."""
        if not papers:
            return
        first_pk = next_pk(self.conn)
        rows = insert_new_papers(self.conn, papers, first_pk=first_pk, seen_at=self.seen_at)
        for row in rows:
            if row["doi"]:
                self.dois.put(row)
            self.existing[row["id"]] = row

    def _upsert_one(self, paper: Paper) -> str:
        """Insert or merge one paper (folding records of its DOI); returns its outcome."""
        existing, dois = self.existing, self.dois
        row = existing.get(paper.id) or dois.match(paper)
        if row is None:
            pk = self._insert(paper)
            outcome = "new"
            merged = paper
        else:
            pk = row["pk"]
            merged, changed = self._merge(row, paper)
            outcome = "updated" if changed else "unchanged"
            existing.pop(row["id"], None)
        self._record_sightings(pk, paper)
        current = {**paper_row(merged), "pk": pk}
        new_doi = gains_doi(row, merged.doi)
        if new_doi or pk in dois.key_of:
            dois.put(current)
        if new_doi and (found := dois.duplicates(pk, merged.doi or "")):
            current = self._fold(*found)
        existing[current["id"]] = current
        return outcome

    def _fold(self, target: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
        """Fold other records of one DOI into `target`; returns the surviving row."""
        for other in others:
            self.existing.pop(other["id"], None)
            self.dois.drop(other["pk"])
            merged, _ = self._merge(target, row_to_paper(other))
            move_records(self.conn, other["pk"], target["pk"])
            move_user_state(self.conn, other["id"], merged.id)
            target = {**paper_row(merged), "pk": target["pk"]}
            self.dois.put(target)
        return target

    def _insert(self, paper: Paper) -> int:
        row = {**paper_row(paper), "first_seen": self.seen_at, "last_seen": self.seen_at}
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cursor = self.conn.execute(
            f"INSERT INTO papers ({columns}) VALUES ({marks})", list(row.values())
        )
        pk = cursor.lastrowid
        assert pk is not None
        self._write_lookups(pk, paper)
        return pk

    def _merge(self, row: dict[str, Any], paper: Paper) -> tuple[Paper, bool]:
        """Combine what is stored with what arrived; returns (merged paper, content changed)."""
        stored = row_to_paper(row)
        wins = incoming_wins(self.conn, row["pk"], stored, paper)
        merged = merge_papers(stored, paper, incoming_wins=wins)
        if (survivor := surviving_id(stored.id, paper.id)) != stored.id:
            merged = replace(merged, id=survivor)
            move_user_state(self.conn, stored.id, survivor)
        new_row = paper_row(merged)
        changed = any(new_row[f] != row.get(f) for f in _CONTENT_FIELDS)
        differs = {k: v for k, v in new_row.items() if v != row.get(k)}
        differs["last_seen"] = self.seen_at
        assignments = ", ".join(f"{k} = ?" for k in differs)
        self.conn.execute(
            f"UPDATE papers SET {assignments} WHERE pk = ?", [*differs.values(), row["pk"]]
        )
        if {"authors", "categories", "day"} & differs.keys():
            self._write_lookups(row["pk"], merged)
        return merged, changed

    def _write_lookups(self, pk: int, paper: Paper) -> None:
        day = iso(paper.day)
        self.conn.execute("DELETE FROM paper_authors WHERE paper_pk = ?", (pk,))
        self.conn.executemany(
            "INSERT INTO paper_authors (paper_pk, position, name, norm, day) "
            "VALUES (?, ?, ?, ?, ?)",
            [(pk, i, name, norm_name(name), day) for i, name in enumerate(paper.authors)],
        )
        self.conn.execute("DELETE FROM paper_categories WHERE paper_pk = ?", (pk,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO paper_categories (paper_pk, category, position, day) "
            "VALUES (?, ?, ?, ?)",
            [(pk, cat, i, day) for i, cat in enumerate(paper.categories)],
        )

    def _record_sightings(self, pk: int, paper: Paper) -> None:
        if paper.version is not None:
            self.conn.execute(
                "INSERT OR IGNORE INTO paper_versions (paper_pk, version, first_seen) "
                "VALUES (?, ?, ?)",
                (pk, paper.version, self.seen_at),
            )
        seen = self.seen_at
        self.conn.executemany(
            SIGHTING_UPSERT,
            [
                (pk, s.source, s.label, s.announce_type, iso(s.announced), seen, seen)
                for s in paper.sources
            ],
        )
