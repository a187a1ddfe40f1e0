"""radar.rank.engine: when radar trains, what it rescores, what a ranked read scores on the way."""

from __future__ import annotations

import json
import re
import sqlite3
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
    # 5,003 papers older than 30 days, and three around the 30-day edge (the newest is day 0).
    store_papers([paper(n, 200) for n in range(5003)] + [paper(9000 + d, d) for d in (0, 29, 30)])
    assert invoke("follow", "keyword", "qubits").exit_code == 0
    ranked = invoke("rank", "--format", "json")
    assert json.loads(ranked.stdout)["scored"] == 2  # days 0 and 29
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


def test_the_first_ranked_read_trains_and_says_so_and_a_stale_model_is_named(
    radar_home: Path,
) -> None:
    store_papers([paper(n, n % 40, "Qubits" if n % 3 else "Graphs") for n in range(60)])
    assert invoke("follow", "keyword", "qubits").exit_code == 0
    first = invoke("list", "--sort", "relevance", "-n", "0")
    assert first.exit_code == 0
    found = TRAINED.fullmatch(first.stderr)
    assert found and found[1] == (
        "0 positives: too few for a text model, keywords and authors rank"
    ), first.stderr
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
