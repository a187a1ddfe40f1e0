"""`--today` per source: arXiv's latest announcement day for arXiv papers, and each feed's own
latest day for its items. A feed dated later than arXiv no longer hides arXiv's day.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

# arXiv ids (2504.17830, astro-ph/0601001) never hold a colon; doi:, url: and item: keys do.
ARXIV_PAPER = "instr(p.id, ':') = 0"


def latest_by_source(
    conn: sqlite3.Connection, *, on_or_before: date, arxiv_only: bool = False
) -> tuple[tuple[str, date], ...]:
    """("arxiv", day) and ("feed:<name>", day) for every source with papers up to the day."""
    limit = on_or_before.isoformat()
    # Newest first down the (day, id) index, stopping at the first arXiv id.
    row = conn.execute(
        "SELECT day FROM papers p WHERE day <= ? AND day IS NOT NULL AND "
        f"{ARXIV_PAPER} ORDER BY day DESC LIMIT 1",
        (limit,),
    ).fetchone()
    found = [("arxiv", date.fromisoformat(row[0]))] if row else []
    if not arxiv_only:
        rows = conn.execute(
            "SELECT s.source, max(p.day) FROM paper_sources s JOIN papers p ON p.pk = s.paper_pk "
            "WHERE s.source >= 'feed:' AND s.source < 'feed;' AND p.day <= ? "
            f"AND NOT {ARXIV_PAPER} GROUP BY s.source ORDER BY s.source",
            (limit,),
        )
        found += [(source, date.fromisoformat(day)) for source, day in rows if day]
    return tuple(found)


def latest_days_condition(latest: Sequence[tuple[str, date]]) -> list[Any]:
    """The SQL condition "on its own source's latest day", then its parameters."""
    parts: list[str] = []
    params: list[Any] = []
    for source, day in latest:
        if source == "arxiv":
            parts.append(f"({ARXIV_PAPER} AND p.day = ?)")
            params.append(day.isoformat())
        else:
            parts.append(
                f"(NOT {ARXIV_PAPER} AND p.day = ? AND p.pk IN "
                "(SELECT paper_pk FROM paper_sources WHERE source = ?))"
            )
            params += [day.isoformat(), source]
    return [f"({' OR '.join(parts)})" if parts else "0", *params]
