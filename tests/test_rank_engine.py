"""radar.rank.engine: when radar trains, what it rescores, what a ranked read scores on the way."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from radar.config.settings import load_settings
from radar.paper import Paper
from radar.store import Store
from tests.conftest import invoke


def store_papers(papers: list[Paper]) -> None:
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(papers)


def test_status_before_any_model_and_a_read_capped_at_5000_unscored(radar_home: Path) -> None:
    status = json.loads(invoke("rank", "--status", "--format", "json").stdout)
    assert status == {"current": False, "interests": False}
    old = [
        Paper(id=f"2501.{i:05d}", title=f"Qubits {i}", categories=("quant-ph",),
              published=date(2025, 1, 2))
        for i in range(5003)
    ]  # fmt: skip
    new = Paper(id="2504.00001", title="Qubits anew", categories=("quant-ph",),
                published=date(2025, 4, 28))  # fmt: skip
    store_papers([*old, new])
    assert invoke("follow", "keyword", "qubits").exit_code == 0
    ranked = invoke("rank", "--format", "json")
    assert json.loads(ranked.stdout)["scored"] == 1  # the last 30 days only
    result = invoke("list", "--sort", "relevance", "-n", "0", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        "note: more than 5,000 matching papers have no score yet and are left out (hint: narrow "
        "the dates, or `radar rank --all` scores every paper)\n"
    )
    assert len(json.loads(result.stdout)) == 5001
    status = json.loads(invoke("rank", "--status", "--format", "json").stdout)
    assert (status["current"], status["interests"], status["scored"]) == (True, True, 5001)
