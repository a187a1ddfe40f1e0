"""radar.rank.engine: when radar trains, what it rescores, what a ranked read scores on the way."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from radar.config.settings import load_settings
from radar.paper import Paper
from radar.store import Store
from tests.conftest import invoke

LATEST = date(2025, 4, 28)
TRAINED = re.compile(
    r"note: trained the relevance model \((.*)\) in \d+\.\ds; `radar rank` retrains it\n"
)
STALE = (
    "note: your interests changed since the model was trained; `radar rank` (or the next "
    "`radar sync`) brings the scores up to date\n"
)


def paper(n: int, days_ago: int, title: str = "Qubits") -> Paper:
    return Paper(
        id=f"2501.{n:05d}", title=f"{title} {n}", categories=("quant-ph",),
        published=LATEST - timedelta(days=days_ago),
    )  # fmt: skip


def store_papers(papers: list[Paper]) -> None:
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(papers)


def status() -> dict[str, object]:
    result = invoke("rank", "--status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_rank_rescores_the_last_30_days_and_a_read_at_most_5000_more(radar_home: Path) -> None:
    assert status() == {"current": False, "interests": False}  # no model yet
    # 5,000 papers of day -200, 3 of day -100, and three around the 30-day edge (days 0-30).
    old = [paper(n, 200) for n in range(5000)] + [paper(5000 + n, 100) for n in range(3)]
    store_papers(old + [paper(9000 + d, d) for d in (0, 29, 30)])
    assert invoke("follow", "keyword", "qubits").exit_code == 0
    ranked = invoke("rank", "--format", "json")
    assert json.loads(ranked.stdout)["scored"] == 2  # days 0 and 29
    until = (LATEST - timedelta(days=150)).isoformat()
    exactly = invoke("list", "--sort", "relevance", "--until", until, "-n", "0", "-f", "json")
    assert exactly.stderr == "" and len(json.loads(exactly.stdout)) == 5000  # all 5,000 scored
    assert invoke("follow", "keyword", "graphs").exit_code == 0
    assert json.loads(invoke("rank", "--format", "json").stdout)["scored"] == 2
    assert (status()["scored"], status()["stale_scores"]) == (2, 5000)  # of the first model
    result = invoke("list", "--sort", "relevance", "-n", "0", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        "note: more than 5,000 matching papers have no score yet and are left out (hint: narrow "
        "the dates, or `radar rank --all` scores every paper)\n"
    )
    assert len(json.loads(result.stdout)) == 5002  # the two scored by rank, 5,000 on the way
    assert (status()["current"], status()["interests"], status()["scored"]) == (True, True, 5002)
    everything = invoke("rank", "--all", "--format", "json")
    assert json.loads(everything.stdout)["scored"] == 5006  # in batches of 2,000
    listed = invoke("list", "--sort", "relevance", "-n", "0", "-f", "json")
    assert listed.stderr == "" and len(json.loads(listed.stdout)) == 5006
    assert (status()["scored"], status()["stale_scores"]) == (5006, 0)


def test_the_first_ranked_read_trains_and_says_so_and_a_stale_model_is_named(
    radar_home: Path,
) -> None:
    store_papers([paper(n, n % 40, "Qubits" if n % 3 else "Graphs") for n in range(60)])
    assert invoke("follow", "keyword", "qubits").exit_code == 0
    day = LATEST.isoformat()
    first = invoke("list", "--sort", "relevance", "--date", day, "-n", "0")
    assert first.exit_code == 0
    found = TRAINED.fullmatch(first.stderr)
    assert found and found[1] == (
        "0 positives: too few for a text model, keywords and authors rank"
    ), first.stderr
    assert status()["scored"] == 50  # trained on first use, it scored the last 30 days
    assert invoke("list", "--sort", "relevance", "-n", "0").stderr == ""  # stored: no note
    with Store.open(load_settings().db_path) as store:
        for n in (1, 2, 4):
            store.set_user_state(f"2501.{n:05d}", starred=True)
    stale = invoke("list", "--sort", "relevance", "-n", "0")
    assert stale.stderr == STALE
    assert (status()["current"], status()["stale_scores"]) == (False, 0)
    # A model of an older format (or of none) is retrained on the next read.
    with sqlite3.connect(radar_home / "radar.db") as conn:
        conn.execute("UPDATE rank_model SET version = 'v2-' || substr(version, 4)")
    again = invoke("list", "--sort", "relevance", "-n", "0")
    found = TRAINED.fullmatch(again.stderr)
    assert found and found[1] == "3 positives, 57 negatives", again.stderr
    assert status()["current"] is True and status()["scored"] == 60


def test_min_score_alone_keeps_the_date_order_and_followed_reads_keep_to_follows(
    radar_home: Path,
) -> None:
    store_papers([paper(n, n % 40, "Qubits" if n % 3 else "Graphs") for n in range(60)])
    store_papers([replace(paper(100 + n, n), categories=("cs.LG",)) for n in range(5)])
    assert invoke("follow", "keyword", "qubits").exit_code == 0
    with Store.open(load_settings().db_path) as store:
        for n in (1, 2, 4):  # a text model: papers have terms that weigh for them
            store.set_user_state(f"2501.{n:05d}", starred=True)
    ranked = json.loads(invoke("list", "--sort", "relevance", "-n", "0", "-f", "json").stdout)
    assert ranked[0]["terms"]
    rows = json.loads(invoke("list", "--min-score", "0", "-n", "0", "-f", "json").stdout)
    assert len(rows) == 65 and all("terms" not in row for row in rows)  # not by relevance
    assert [r["day"] for r in rows] == sorted((r["day"] for r in rows), reverse=True)
    assert [r["score"] for r in rows] != sorted((r["score"] for r in rows), reverse=True)
    assert invoke("follow", "category", "cs.LG").exit_code == 0
    followed = invoke("list", "--sort", "relevance", "--followed", "-n", "0", "-f", "json")
    assert followed.exit_code == 0, followed.stderr
    assert sorted(r["id"] for r in json.loads(followed.stdout)) == [
        f"2501.{100 + n:05d}" for n in range(5)
    ]


def test_a_star_added_while_a_sync_runs_retrains_after_it(radar_home: Path) -> None:
    from radar.rank.engine import SyncScorer

    store_papers([paper(n, n % 40, "Qubits" if n % 3 else "Graphs") for n in range(60)])
    assert invoke("follow", "keyword", "qubits").exit_code == 0
    assert invoke("rank").exit_code == 0
    settings = load_settings()
    with Store.open(settings.db_path) as store:
        scorer = SyncScorer(store, settings)  # current when the sync starts
        assert scorer.current
        store.set_user_state("2501.00001", starred=True)
        said = scorer.finish()
    assert said is not None and said.startswith("retrained the relevance model (1 positives")
    assert status()["current"] is True
