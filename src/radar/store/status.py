"""What `radar status` counts: a follow's cached and unread papers, and the cache's size.

Counts go through the (value, day, paper_pk) indexes; user marks by their primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from radar.store.core import Store

# Which lookup table holds a follow kind's papers, and its column.
_LOOKUPS = {
    "author": ("paper_authors", "norm"),
    "category": ("paper_categories", "category"),
    "feed": ("paper_sources", "source"),
}


@dataclass(frozen=True, kw_only=True)
class FollowCounts:
    papers: int
    unread: int


def follow_counts(store: Store, kind: str, values: Sequence[str]) -> FollowCounts | None:
    """Papers cached for a follow and how many are unread; None for a kind not counted here.

    `values` are what the lookup table holds: normalised names (an author and its aliases),
    a category code, or a feed's source key (`feed:Nature`).
    """
    if kind not in _LOOKUPS or not values:
        return None
    table, column = _LOOKUPS[kind]
    marks = ",".join("?" * len(values))
    papers, unread = store.conn.execute(
        f"SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM user_state u "
        f"WHERE u.paper_id = p.id AND u.read = 1)), 0) "
        f"FROM papers p WHERE p.pk IN (SELECT paper_pk FROM {table} WHERE {column} IN ({marks}))",
        list(values),
    ).fetchone()
    return FollowCounts(papers=int(papers), unread=int(unread))


def cache_bytes(path: Path) -> int:
    """The database file with its write-ahead log and shared-memory file."""
    total = 0
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            total += candidate.stat().st_size
    return total
