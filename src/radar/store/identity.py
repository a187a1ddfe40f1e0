"""One paper, several records: finding a stored paper by DOI and folding duplicates into it.

The same DOI from two feeds, or a journal version of an arXiv paper whose DOI the arXiv record
carries, is one paper with several sources. An arXiv id is always the id that survives; two
different arXiv ids are never merged (an erratum may share its DOI with the original).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from radar.paper import Paper, parse_arxiv_id

if TYPE_CHECKING:
    from radar.store.core import Store


def is_arxiv_id(paper_id: str) -> bool:
    return parse_arxiv_id(paper_id) is not None


def surviving_id(stored_id: str, incoming_id: str) -> str:
    """The id of a merged record: the arXiv id if only the incoming record has one."""
    if is_arxiv_id(incoming_id) and not is_arxiv_id(stored_id):
        return incoming_id
    return stored_id


def incoming_leads(
    conn: sqlite3.Connection, pk: int, stored: Paper, incoming: Paper
) -> bool | None:
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


def rows_by_doi(store: Store, doi: str, columns: str) -> list[dict[str, Any]]:
    """Stored rows with this DOI (any case), arXiv records first, then oldest first."""
    cursor = store.conn.execute(
        f"SELECT {columns} FROM papers WHERE lower(doi) = ? ORDER BY pk", (doi.casefold(),)
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor]
    return sorted(rows, key=lambda row: not is_arxiv_id(row["id"]))


def match_by_doi(store: Store, paper: Paper, columns: str) -> dict[str, Any] | None:
    """The stored record an incoming paper with a new id is the same paper as, if any."""
    if not paper.doi:
        return None
    rows = rows_by_doi(store, paper.doi, columns)
    if paper.is_arxiv:
        rows = [row for row in rows if not is_arxiv_id(row["id"])]
    return rows[0] if rows else None


def duplicates(
    store: Store, pk: int, doi: str, columns: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the record that should hold this DOI's paper, the other non-arXiv records to fold in)."""
    rows = rows_by_doi(store, doi, columns)
    current = next(row for row in rows if row["pk"] == pk)
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
