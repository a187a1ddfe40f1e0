"""One paper, several records: finding a stored paper by DOI and folding duplicates into it.

The same DOI from two feeds, or a journal version of an arXiv paper whose DOI the arXiv record
carries, is one paper with several sources. An arXiv id is always the id that survives; two
different arXiv ids are never merged (an erratum may share its DOI with the original).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from radar.paper import Paper, parse_arxiv_id
from radar.store.records import chunks


def is_arxiv_id(paper_id: str) -> bool:
    return parse_arxiv_id(paper_id) is not None


def surviving_id(stored_id: str, incoming_id: str) -> str:
    """The id of a merged record: the arXiv id if only the incoming record has one."""
    if incoming_id != stored_id and is_arxiv_id(incoming_id) and not is_arxiv_id(stored_id):
        return incoming_id
    return stored_id


def incoming_wins(conn: sqlite3.Connection, pk: int, stored: Paper, incoming: Paper) -> bool | None:
    """False when an unversioned record from a source new to this paper (a second feed) arrives:
    it fills gaps but does not replace a fuller record's title and abstract. None: by version.

    A feed re-announcing its own entry (say, a corrected title) still leads.
    """
    if stored.version is not None or incoming.version is not None:
        return None
    seen = {
        source
        for (source,) in conn.execute("SELECT source FROM paper_sources WHERE paper_pk = ?", (pk,))
    }
    return bool({s.source for s in incoming.sources} & seen)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def doi_key(doi: str) -> str:
    """A DOI folded as SQLite's lower() folds it (ASCII only), so Python and SQL agree."""
    return doi.translate(_ASCII_LOWER)


def gains_doi(row: dict[str, Any] | None, doi: str | None) -> bool:
    """Whether a record gets a DOI it did not have: only then can it duplicate another record."""
    stored = (row or {}).get("doi")
    return bool(doi) and (not stored or doi_key(stored) != doi_key(doi or ""))


class DoiIndex:
    """Stored records by DOI (case-insensitive), loaded in bulk and kept current during a batch.

    Rows are dicts of the store's paper columns plus `pk`, as `Store.upsert_papers` uses them.
    """

    def __init__(self, conn: sqlite3.Connection, columns: str) -> None:
        self.conn = conn
        self.columns = columns
        self.groups: dict[str, list[dict[str, Any]]] = {}
        self.key_of: dict[int, str] = {}

    def load(self, dois: Iterable[str]) -> None:
        """Read the records of every DOI not loaded yet (one query per 500 DOIs)."""
        keys = [k for k in dict.fromkeys(doi_key(d) for d in dois) if k not in self.groups]
        for chunk in chunks(keys):
            for key in chunk:
                self.groups[key] = []
            cursor = self.conn.execute(
                f"SELECT {self.columns} FROM papers WHERE doi IS NOT NULL AND lower(doi) IN "
                f"({','.join('?' * len(chunk))}) ORDER BY pk",
                chunk,
            )
            for found in cursor:
                row = dict(found)
                key = doi_key(row["doi"])
                # A row this batch already moved to this DOI is still listed under its old one.
                self.drop(row["pk"])
                self.groups.setdefault(key, []).append(row)
                self.key_of[row["pk"]] = key

    def rows(self, doi: str) -> list[dict[str, Any]]:
        key = doi_key(doi)
        if key not in self.groups:
            self.load([doi])
        return self.groups[key]

    def group(self, doi: str) -> list[dict[str, Any]]:
        """This DOI's records, arXiv records first, then oldest first."""
        rows = self.rows(doi)
        if len(rows) <= 1:
            return list(rows)
        return sorted(rows, key=lambda row: (not is_arxiv_id(row["id"]), row["pk"]))

    def match(self, paper: Paper) -> dict[str, Any] | None:
        """The stored record an incoming paper with a new id is the same paper as, if any."""
        if not paper.doi or not self.rows(paper.doi):
            return None
        rows = self.group(paper.doi)
        if paper.is_arxiv:
            rows = [row for row in rows if not is_arxiv_id(row["id"])]
        return rows[0] if rows else None

    def put(self, row: dict[str, Any]) -> None:
        """Record a written row (its DOI may be new or changed)."""
        doi = row.get("doi")
        rows = self.rows(doi) if doi else None
        self.drop(row["pk"])
        if doi and rows is not None:
            key = doi_key(doi)
            self.groups[key].append(row)
            self.key_of[row["pk"]] = key

    def drop(self, pk: int) -> None:
        key = self.key_of.pop(pk, None)
        if key is not None:
            self.groups[key] = [row for row in self.groups[key] if row["pk"] != pk]

    def duplicates(self, pk: int, doi: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """(the record that should hold this DOI's paper, the non-arXiv records to fold into it),
        or None when the record `pk` is the only one."""
        if len(self.rows(doi)) <= 1:
            return None
        rows = self.group(doi)
        current = next((row for row in rows if row["pk"] == pk), None)
        if current is None:
            return None
        target = current if is_arxiv_id(current["id"]) else rows[0]
        return target, [r for r in rows if r["pk"] != target["pk"] and not is_arxiv_id(r["id"])]


def move_records(conn: sqlite3.Connection, source_pk: int, target_pk: int) -> None:
    """Give `target_pk` every sighting and version of `source_pk` (then delete the source)."""
    conn.execute(
        "UPDATE OR IGNORE paper_sources SET paper_pk = ? WHERE paper_pk = ?", (target_pk, source_pk)
    )
    conn.execute(
        "UPDATE OR IGNORE paper_versions SET paper_pk = ? WHERE paper_pk = ?",
        (target_pk, source_pk),
    )
    conn.execute("DELETE FROM papers WHERE pk = ?", (source_pk,))


def move_user_state(conn: sqlite3.Connection, old_id: str, new_id: str) -> None:
    """The user's marks follow a paper whose id changed; marks on both ids are combined."""
    conn.execute(
        """
        INSERT INTO user_state (paper_id, starred, read, note, updated_at)
        SELECT ?, starred, read, note, updated_at FROM user_state WHERE paper_id = ?
        ON CONFLICT (paper_id) DO UPDATE SET
            starred = max(starred, excluded.starred),
            read = max(read, excluded.read),
            note = coalesce(note, excluded.note),
            updated_at = max(updated_at, excluded.updated_at)
        """,
        (new_id, old_id),
    )
    conn.execute("DELETE FROM user_state WHERE paper_id = ?", (old_id,))
