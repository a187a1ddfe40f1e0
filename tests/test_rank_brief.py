"""`radar brief --top N`: the N most relevant papers in depth, the rest by title; cost falls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from radar.brief import llm
from tests.conftest import invoke
from tests.fake_llm import FakeLLM
from tests.rank_samples import about, fill_corpus, star
from tests.test_cli_brief import write_config

DAY = "2025-04-28"


@pytest.fixture
def day(radar_home: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(llm, "BACKOFF_BASE", 0.0)
    write_config(radar_home, fake_llm)
    papers = fill_corpus()
    entangled = [p.id for p in papers if "entangle" in p.title.lower()]
    star(*entangled[:4])
    return about(papers, "entangle")


def estimated_tokens(dry_run_output: str) -> int:
    match = re.search(r"tokens:\s+~([\d,]+) in", dry_run_output)
    assert match, dry_run_output
    return int(match.group(1).replace(",", ""))


def test_top_briefs_the_most_relevant_in_depth_and_lists_the_rest(
    day: list[str], fake_llm: FakeLLM
) -> None:
    result = invoke("brief", "--date", DAY, "--top", "10")
    assert result.exit_code == 0, result.stderr
    prompt = fake_llm.calls[0].prompt
    sent = set(re.findall(r"\d{4}\.\d{5}", prompt))
    assert len(sent) == 10
    assert len(sent & set(day)) >= 6  # most of the ten are about entanglement, like the stars
    markdown = result.stdout
    assert "## Appendix: all 10 papers" in markdown
    # 31 of the day's 81 are replacements, listed apart ("Updated today"): 40 below the cut
    assert "## Also selected: 40 less relevant papers, by title" in markdown
    rest = markdown.split("## Also selected", 1)[1]
    assert not sent & set(re.findall(r"\d{4}\.\d{5}", rest))  # each paper once


def test_dry_run_shows_the_cost_falling_with_n(day: list[str], fake_llm: FakeLLM) -> None:
    everything = invoke("brief", "--date", DAY, "--dry-run")
    top = invoke("brief", "--date", DAY, "--top", "10", "--dry-run")
    assert top.exit_code == 0, top.stderr
    assert "top:      the 10 most relevant of 81 papers in depth; 40 more by title" in top.stdout
    assert estimated_tokens(top.stdout) < estimated_tokens(everything.stdout) / 4
    assert fake_llm.calls == []


def test_top_without_interests_says_how_to_start(radar_home: Path, fake_llm: FakeLLM) -> None:
    write_config(radar_home, fake_llm)
    config = radar_home / "radar.toml"
    config.write_text(config.read_text().replace('["Yantao Li"]', "[]"))  # nothing followed
    fill_corpus()
    result = invoke("brief", "--date", DAY, "--top", "5")
    assert result.exit_code == 1
    assert "radar star" in result.stderr and fake_llm.calls == []
