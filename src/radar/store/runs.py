"""Sync runs: when each `radar sync` started and finished and which papers it added.

`radar list --new` lists the papers the last finished run added.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar.store.records import now_iso

if TYPE_CHECKING:
    from radar.store.core import Store

# How a run ended: every follow synced, some failed, or it was stopped (Ctrl-C, an error).
RUN_STATUSES = ("ok", "failed", "interrupted")


@dataclass(frozen=True, kw_only=True)
class SyncRun:
    """One recorded sync. Times are UTC ISO timestamps, like the papers' `first_seen`; the
    papers it added are those with `pk_before < pk <= pk_after`."""

    id: int
    started_at: str
    finished_at: str | None
    status: str | None
    new: int | None
    pk_before: int
    pk_after: int | None


def _max_pk(store: Store) -> int:
    return int(store.conn.execute("SELECT coalesce(max(pk), 0) FROM papers").fetchone()[0])


def start_run(store: Store, *, started_at: str | None = None) -> int:
    """Record that a sync starts now (committed at once); returns the run's id."""
    with store.transaction():
        cursor = store.conn.execute(
            "INSERT INTO sync_runs (started_at, pk_before) VALUES (?, ?)",
            (started_at or now_iso(), _max_pk(store)),
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def finish_run(
    store: Store, run_id: int, *, status: str, new: int, finished_at: str | None = None
) -> None:
    """Record how the run `run_id` ended and how many papers it added."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown sync run status {status!r}")
    with store.transaction():
        store.conn.execute(
            "UPDATE sync_runs SET finished_at = ?, status = ?, new = ?, pk_after = ? WHERE id = ?",
            (finished_at or now_iso(), status, new, _max_pk(store), run_id),
        )


def last_finished_run(store: Store) -> SyncRun | None:
    """The run that finished last (whatever its status), or None before the first one."""
    row = store.conn.execute(
        "SELECT id, started_at, finished_at, status, new, pk_before, pk_after FROM sync_runs "
        "WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return SyncRun(
        id=row[0],
        started_at=row[1],
        finished_at=row[2],
        status=row[3],
        new=row[4],
        pk_before=row[5],
        pk_after=row[6],
    )


@contextmanager
def recorded_run(store: Store, outcome: Callable[[], tuple[int, bool]]) -> Iterator[int]:
    """Record a sync run around the block; `outcome()` says (papers new, any follow failed).

    A run stopped by an exception (Ctrl-C) is recorded as interrupted; its papers did arrive.
    """
    run_id = start_run(store)
    try:
        yield run_id
    except BaseException:
        with suppress(sqlite3.Error):  # never hide why the run stopped
            finish_run(store, run_id, status="interrupted", new=outcome()[0])
        raise
    new, failed = outcome()
    finish_run(store, run_id, status="failed" if failed else "ok", new=new)
