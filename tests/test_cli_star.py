"""`radar star/unstar/read`: marks by any id spelling, shown in lists, kept across re-syncs."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from radar.config.settings import load_settings
from radar.store import Store
from tests.conftest import invoke
from tests.reading_samples import fill_cache, sample_papers

RDD = "2510.14968"


@pytest.fixture
def cache() -> None:
    fill_cache()


def record(paper_id: str) -> dict[str, object]:
    return json.loads(invoke("show", paper_id, "-f", "json").stdout)[0]


def test_star_and_unstar(cache: None) -> None:
    result = invoke("star", "arXiv:2510.14968v1", "1201.4869")
    assert result.exit_code == 0
    assert "starred 2510.14968: RDD: Retrieval-Based" in result.stderr
    assert record(RDD)["starred"] and record("1201.4869")["starred"]
    assert invoke("unstar", RDD).exit_code == 0
    assert not record(RDD)["starred"] and record("1201.4869")["starred"]


def test_read_and_unread(cache: None) -> None:
    assert invoke("read", "https://arxiv.org/abs/2510.14968").exit_code == 0
    assert record(RDD)["read"]
    result = invoke("read", RDD, "--unread")
    assert "marked unread" in result.stderr and not record(RDD)["read"]


def test_unknown_id_changes_nothing(cache: None) -> None:
    result = invoke("star", RDD, "2612.99999")
    assert result.exit_code == 1 and "2612.99999 is not in the cache" in result.stderr
    assert not record(RDD)["starred"]  # all ids are checked before any is marked


def test_marks_survive_a_resync_of_the_same_paper(cache: None) -> None:
    invoke("star", RDD)
    invoke("read", RDD)
    newer = [replace(p, version=2, title=p.title + " (v2)") for p in sample_papers()[:1]]
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(newer)
        store.upsert_papers(sample_papers()[:1])  # an older record arriving again
    data = record(RDD)
    assert data["starred"] and data["read"] and data["version"] == 2
    assert invoke("list", "--starred").stdout.startswith(RDD + "\t")
