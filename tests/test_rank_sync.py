"""Relevance and `radar sync`: pages are scored as they arrive; a stale model is retrained after."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import invoke
from tests.fake_arxiv import RSS_FILE, FakeArxiv, recorded
from tests.rank_samples import quant_ph_day, star
from tests.reading_samples import fill_cache
from tests.test_cli_sync import write_config

MAESTRO = ("1201.4869", "1312.6177", "1303.6954")


def scores_by_model(home: Path) -> dict[str, int]:
    with sqlite3.connect(home / "radar.db") as conn:
        rows = conn.execute("SELECT model, count(*) FROM paper_scores GROUP BY model")
        return dict(rows.fetchall())


def current_model(home: Path) -> str:
    with sqlite3.connect(home / "radar.db") as conn:
        return str(conn.execute("SELECT version FROM rank_model").fetchone()[0])


def test_sync_scores_new_papers_with_a_current_model(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    write_config(radar_home, fake_arxiv)
    fill_cache()
    star(*MAESTRO)
    assert invoke("rank").exit_code == 0
    model = current_model(radar_home)
    before = scores_by_model(radar_home)[model]
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    assert invoke("sync").exit_code == 0
    assert current_model(radar_home) == model  # nothing changed: no retraining
    assert scores_by_model(radar_home) == {model: before + 81}  # the day's 81 papers scored


def test_a_new_star_is_learned_by_the_next_sync(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    write_config(radar_home, fake_arxiv)
    fill_cache()
    star(*MAESTRO[:2])
    invoke("rank")
    old = current_model(radar_home)
    star(MAESTRO[2])
    assert "state: stale" in invoke("rank", "--status").stdout
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    result = invoke("sync", "--verbose")
    assert result.exit_code == 0
    assert "retrained the relevance model (3 positives" in result.stderr
    assert current_model(radar_home) != old
    assert "state: current" in invoke("rank", "--status").stdout
    assert set(scores_by_model(radar_home)) == {current_model(radar_home)}


def test_sync_of_a_reader_who_never_ranked_trains_nothing(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    write_config(radar_home, fake_arxiv)
    fill_cache()
    star(*MAESTRO)
    assert invoke("sync").exit_code == 0
    assert scores_by_model(radar_home) == {}


def test_sync_stores_the_scores_radar_rank_stores(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    from radar.config.settings import load_settings
    from radar.rank.engine import score_pks, stored_model
    from radar.store import Store

    write_config(radar_home, fake_arxiv)
    fill_cache()
    star(*MAESTRO)
    assert invoke("rank").exit_code == 0
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    assert invoke("sync").exit_code == 0
    synced = scores_of(radar_home)
    day = {p.id for p in quant_ph_day()}
    assert day <= set(synced)  # scored page by page as sync stored them
    with sqlite3.connect(radar_home / "radar.db") as conn:
        conn.execute("DELETE FROM paper_scores")
        pks = [pk for (pk,) in conn.execute("SELECT pk FROM papers ORDER BY pk DESC")]
    with Store.open(load_settings().db_path) as store:
        model = stored_model(store)
        assert model is not None
        score_pks(store, model, pks)  # what `radar rank` rescores with, in its batches
    rescored = scores_of(radar_home)
    assert {i: rescored[i] for i in synced} == synced  # equal, not merely close


def scores_of(home: Path) -> dict[str, float]:
    with sqlite3.connect(home / "radar.db") as conn:
        rows = conn.execute(
            "SELECT p.id, s.score FROM paper_scores s JOIN papers p ON p.pk = s.paper_pk"
        )
        return dict(rows.fetchall())


def test_a_sync_after_every_interest_is_dropped_scores_and_trains_nothing(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    from radar.config.settings import load_settings
    from radar.store import Store

    write_config(radar_home, fake_arxiv)
    fill_cache()
    star(*MAESTRO)
    assert invoke("rank").exit_code == 0
    model, before = current_model(radar_home), scores_by_model(radar_home)
    with Store.open(load_settings().db_path) as store:
        for paper_id in MAESTRO:
            store.set_user_state(paper_id, starred=False)
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    result = invoke("sync", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert "relevance" not in result.stderr
    assert current_model(radar_home) == model and scores_by_model(radar_home) == before


def test_sync_says_what_retraining_learned_and_rescored(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    import re

    write_config(radar_home, fake_arxiv)
    fill_cache()
    star(*MAESTRO[:2])
    invoke("rank")
    star(MAESTRO[2])
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    result = invoke("sync", "--verbose")
    assert result.exit_code == 0, result.stderr
    said = re.search(
        r"retrained the relevance model \(3 positives, (\d+) negatives\) and rescored ([\d,]+) "
        r"papers in \d+\.\ds\n",
        result.stderr,
    )
    assert said, result.stderr
    with sqlite3.connect(radar_home / "radar.db") as conn:
        total = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        recent = conn.execute(
            "SELECT count(*) FROM paper_scores s JOIN rank_model m ON m.version = s.model"
        ).fetchone()[0]
    assert int(said[1]) == total - 3
    assert int(said[2].replace(",", "")) == recent > 0
