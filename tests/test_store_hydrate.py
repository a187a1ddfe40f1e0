"""store/hydrate.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store
from radar.store.hydrate import hydrate
from radar.store.records import prefixed_columns

DAY = date(2026, 6, 19)
RSS_LG = Sighting("arxiv-rss:cs.LG", "arXiv (cs.LG)", "cross", DAY)
RSS_AI = Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", DAY)
API = Sighting("arxiv-api:author:Ada Lovelace", "arXiv API (Ada Lovelace)")
FIRST = Paper(id="2606.00001", version=1, title="First", announced=DAY, sources=(RSS_LG,))
SECOND = Paper(id="2606.00002", version=2, title="Second", announced=DAY, sources=(RSS_AI,))
BARE = Paper(id="2606.00003", version=1, title="Bare", announced=DAY)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        opened.upsert_papers([FIRST, SECOND, BARE], seen_at="2026-06-19T08:00:00+00:00")
        # seen later: after cs.LG's sighting though its key sorts first
        opened.upsert_papers(
            [replace(FIRST, version=3, sources=(API, RSS_AI))], seen_at="2026-06-20T08:00:00+00:00"
        )
        opened.upsert_papers([replace(FIRST, version=2, sources=())])
        yield opened


def _read(store: Store, order: str) -> list[Paper]:
    cursor = store.conn.execute(f"SELECT {prefixed_columns()} FROM papers p ORDER BY {order}")
    return hydrate(store.conn, cursor)


def test_papers_come_back_in_the_querys_order_with_their_own_sightings(store: Store) -> None:
    got = _read(store, "p.id DESC")
    assert [p.id for p in got] == ["2606.00003", "2606.00002", "2606.00001"]
    bare, second, first = got
    assert bare.sources == () and bare.versions == (1,)
    assert second.sources == (RSS_AI,) and second.versions == (2,)
    # first seen first, then by source key among those seen together
    assert first.sources == (RSS_LG, API, RSS_AI)
    assert first.versions == (1, 2, 3) and first.version == 3
    assert first.title == "First" and first.announced == DAY


def test_each_paper_comes_back_with_its_own_marks(store: Store) -> None:
    store.set_user_state("2606.00001", starred=True, note="reread §3")
    store.set_user_state("2606.00002", read=True)
    first, second, bare = _read(store, "p.id")
    assert (first.starred, first.read, first.note) == (True, False, "reread §3")
    assert (second.starred, second.read, second.note) == (False, True, None)
    assert (bare.starred, bare.read, bare.note) == (False, False, None)
    assert type(first.starred) is bool and type(second.read) is bool


def test_no_rows_are_no_papers(store: Store) -> None:
    assert _read(store, "p.id LIMIT 0") == []
