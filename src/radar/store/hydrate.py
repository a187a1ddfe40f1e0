"""Reading papers back: rows of the `papers` table completed with sources, versions and marks.

Three look-ups per page of papers (not per paper), whichever query selected them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from radar.paper import Paper, Sighting
from radar.store.records import row_to_paper, to_date


def hydrate(conn: sqlite3.Connection, cursor: sqlite3.Cursor) -> list[Paper]:
    """Papers from rows of `PAPER_COLUMNS`, with sources, versions and user state."""
    rows = [dict(r) for r in cursor]
    if not rows:
        return []
    pks = [r["pk"] for r in rows]
    marks = ",".join("?" * len(pks))
    sources: dict[int, list[Sighting]] = {}
    for pk, source, label, kind, announced in conn.execute(
        "SELECT paper_pk, source, label, announce_type, announced FROM paper_sources "
        f"WHERE paper_pk IN ({marks}) ORDER BY first_seen, source",
        pks,
    ):
        sources.setdefault(pk, []).append(Sighting(source, label, kind, to_date(announced)))
    versions: dict[int, list[int]] = {}
    for pk, version in conn.execute(
        f"SELECT paper_pk, version FROM paper_versions WHERE paper_pk IN ({marks}) "
        "ORDER BY version",
        pks,
    ):
        versions.setdefault(pk, []).append(version)
    ids = [r["id"] for r in rows]
    states = {
        pid: (bool(starred), bool(read), note)
        for pid, starred, read, note in conn.execute(
            "SELECT paper_id, starred, read, note FROM user_state "
            f"WHERE paper_id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    papers = []
    for row in rows:
        starred, read, note = states.get(row["id"], (False, False, None))
        papers.append(
            replace(
                row_to_paper(row),
                sources=tuple(sources.get(row["pk"], ())),
                versions=tuple(versions.get(row["pk"], ())),
                starred=starred,
                read=read,
                note=note,
            )
        )
    return papers
