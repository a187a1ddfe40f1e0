"""store/runs.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store
from radar.store.runs import SyncRun, finish_run, last_finished_run, recorded_run, start_run

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")  # UTC, to the second


def _papers(*ids: str) -> list[Paper]:
    day = date(2026, 6, 19)
    seen = Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", day)
    return [Paper(id=i, version=1, title=i, announced=day, sources=(seen,)) for i in ids]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        yield opened


def test_a_run_records_when_it_started_and_ended_and_which_papers_it_added(store: Store) -> None:
    store.upsert_papers(_papers("2606.00001", "2606.00002"))
    assert last_finished_run(store) is None
    run_id = start_run(store, started_at="2026-06-19T08:00:00+00:00")
    # committed at once: another connection (radar status) sees the running sync
    with sqlite3.connect(store.path) as other:
        assert other.execute("SELECT id, finished_at FROM sync_runs").fetchall() == [(run_id, None)]
    assert last_finished_run(store) is None  # started, not finished
    store.upsert_papers(_papers("2606.00003"))
    finish_run(store, run_id, status="ok", new=1, finished_at="2026-06-19T08:05:00+00:00")
    assert last_finished_run(store) == SyncRun(
        id=run_id,
        started_at="2026-06-19T08:00:00+00:00",
        finished_at="2026-06-19T08:05:00+00:00",
        status="ok",
        new=1,
        pk_before=2,
        pk_after=3,
    )


def test_the_last_finished_run_is_the_latest_one_that_ended_not_one_still_running(
    store: Store,
) -> None:
    first = start_run(store, started_at="2026-06-18T08:00:00+00:00")
    assert first >= 1
    finish_run(store, first, status="failed", new=0, finished_at="2026-06-18T08:01:00+00:00")
    second = start_run(store, started_at="2026-06-19T08:00:00+00:00")
    finish_run(store, second, status="interrupted", new=0, finished_at="2026-06-19T08:01:00+00:00")
    start_run(store, started_at="2026-06-20T08:00:00+00:00")  # running now
    last = last_finished_run(store)
    assert last is not None
    assert (last.id, last.status, last.pk_before, last.pk_after) == (second, "interrupted", 0, 0)
    assert second == first + 1


def test_times_default_to_now_in_utc(store: Store) -> None:
    run_id = start_run(store)
    finish_run(store, run_id, status="ok", new=0)
    last = last_finished_run(store)
    assert last is not None and last.finished_at is not None
    assert STAMP.match(last.started_at) and STAMP.match(last.finished_at)


def test_an_unknown_run_status_is_refused_and_nothing_is_recorded(store: Store) -> None:
    run_id = start_run(store, started_at="2026-06-19T08:00:00+00:00")
    with pytest.raises(ValueError, match=r"^unknown sync run status 'done'$"):
        finish_run(store, run_id, status="done", new=0)
    assert last_finished_run(store) is None


def test_a_recorded_run_is_ok_or_failed_by_its_outcome(store: Store) -> None:
    with recorded_run(store, lambda: (2, False)) as run_id:
        store.upsert_papers(_papers("2606.00001", "2606.00002"))
    ok = last_finished_run(store)
    assert ok is not None
    assert (ok.id, ok.status, ok.new, ok.pk_before, ok.pk_after) == (run_id, "ok", 2, 0, 2)
    with recorded_run(store, lambda: (0, True)) as failed_id:
        pass
    failed = last_finished_run(store)
    assert failed is not None
    assert (failed.id, failed.status, failed.new, failed.pk_before) == (failed_id, "failed", 0, 2)


def test_a_stopped_run_is_recorded_as_interrupted_with_the_papers_that_arrived(
    store: Store,
) -> None:
    with pytest.raises(KeyboardInterrupt), recorded_run(store, lambda: (1, False)):
        store.upsert_papers(_papers("2606.00001"))
        raise KeyboardInterrupt
    run = last_finished_run(store)
    assert run is not None
    assert (run.status, run.new, run.pk_before, run.pk_after) == ("interrupted", 1, 0, 1)


def test_a_stopped_run_that_cannot_be_recorded_still_says_why_it_stopped(store: Store) -> None:
    with pytest.raises(KeyboardInterrupt), recorded_run(store, lambda: (0, False)):
        store.conn.close()  # the cache cannot take the run's end any more
        raise KeyboardInterrupt
