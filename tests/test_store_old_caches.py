"""A cache written by an older radar opens in this one: every pending migration is applied and
nothing the user kept is lost (papers, stars, notes, read marks, briefs, sync cursors).

The caches are built by tests/data/caches/make_old_caches.py, one per schema step.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.filters import Filters
from radar.store import Store, fulltext, queries
from radar.store.briefs import list_briefs
from radar.store.migrations import migrations
from tests.conftest import invoke

CACHES = sorted((Path(__file__).parent / "data" / "caches").glob("cache-m*.db"))


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


KEPT = {
    "papers": "SELECT id, version, title, abstract, authors, categories, day, doi FROM papers "
    "ORDER BY id",
    "user_state": "SELECT paper_id, starred, read, note FROM user_state ORDER BY paper_id",
    "briefs": "SELECT key, created_at, title, model, paper_ids, markdown FROM briefs ORDER BY key",
    "sources": "SELECT paper_pk, source FROM paper_sources ORDER BY 1, 2",
    "sync": "SELECT follow, high_water FROM sync_state ORDER BY follow",
}


def test_there_is_an_old_cache_for_each_released_step() -> None:
    steps = [path.stem.removeprefix("cache-") for path in CACHES]
    assert steps[:3] == ["m001", "m002", "m003"]  # the steps released before issue 14
    released = [name.split("_", 1)[0] for name in migrations.names]
    assert steps == released[: len(steps)]


@pytest.mark.parametrize("old", CACHES, ids=[path.stem for path in CACHES])
def test_an_old_cache_is_upgraded_with_everything_kept(old: Path, tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    shutil.copyfile(old, path)
    before = {name: _rows(path, sql) for name, sql in KEPT.items()}
    assert len(before["papers"]) == 4 and len(before["briefs"]) == 2

    with Store.open(path) as store:
        assert store.applied_migrations() == list(migrations.names)
        # What the user sees through the upgraded schema: every filter and search still works.
        assert len(queries.select_papers(store, Filters())) == 4
        starred = queries.select_papers(store, Filters(starred=True))
        assert {p.id for p in starred} == {"2504.18264", "2504.18121"}
        assert [p.id for p in fulltext.search(store, "luttinger", Filters())] == [
            "cond-mat/0412498"
        ]
        by_author = queries.select_papers(store, Filters(authors=("Y. T. Li",)))
        assert [p.id for p in by_author] == ["2504.18121"]
        assert [b.title for b in list_briefs(store)] == [
            "Digest: 2025-04-28 · 1 paper",
            "Research brief: 2025-04-28 · 2 papers",
        ]

    after = {name: _rows(path, sql) for name, sql in KEPT.items()}
    assert after == before
    with Store.open(path) as again:  # a second open is a no-op
        assert again.applied_migrations() == list(migrations.names)
    assert {name: _rows(path, sql) for name, sql in KEPT.items()} == before


def test_the_oldest_cache_upgrades_through_the_command_line(radar_home: Path) -> None:
    path = load_settings().db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CACHES[0], path)
    result = invoke("show", "2504.18264", "--format", "json")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    # the one-time upgrade says what it is doing (minutes at 1M papers), then never again
    pending = ", ".join(migrations.names[1:])
    assert result.stderr == (  # type: ignore[attr-defined]
        f"note: upgrading the cache at {path} ({pending}); this happens once and can take a "
        "few minutes on a large cache\n"
    )
    record = json.loads(result.stdout)[0]  # type: ignore[attr-defined]
    assert (record["starred"], record["read"], record["note"]) == (
        True,
        True,
        "my note: read §3 again",
    )
    assert record["authors"] == ["M. R. Nirmal", "Yàntao Li", "Anna-Lena Müller"]
    listed = invoke("list", "--starred", "--format", "json")
    assert "upgrading" not in listed.stderr  # type: ignore[attr-defined]
    assert {r["id"] for r in json.loads(listed.stdout)} == {"2504.18264", "2504.18121"}  # type: ignore[attr-defined]


def test_a_sync_that_upgrades_the_cache_says_so(radar_home: Path) -> None:
    path = load_settings().db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CACHES[-2], path)  # one step behind
    result = invoke("sync", "--category", "cs.AI", "--dry-run")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert f"note: upgrading the cache at {path} ({migrations.names[-1]})" in result.stderr  # type: ignore[attr-defined]
    assert _rows(path, "SELECT count(*) FROM _sqlite_migrations")[0][0] == len(migrations.names)
