"""A sync against failing upstreams: arXiv's error feed, hosts that stop answering (one line
per host), oversized fields and feeds that would take minutes of CPU to parse."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.errors import FeedError
from radar.paper import FIELD_LIMITS, MAX_AUTHORS, Paper
from radar.sources.feeds import parse_feed
from radar.sources.http import HttpClient
from radar.store import Store
from tests.conftest import invoke
from tests.fake_arxiv import RSS_FILE, FakeArxiv, recorded
from tests.test_sync_run import DAY, configure, result, sync

# What rss.arxiv.org answers for a query it cannot serve (shape as arXiv sends it: an RSS 2.0
# channel titled "Feed error for query", the reason in its description, no items).
ERROR_FEED = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" version="2.0">
  <channel>
    <title>Feed error for query: quant-ph</title>
    <link>http://rss.arxiv.org/rss/quant-ph</link>
    <description>Invalid archive or category: quant-ph</description>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
  </channel>
</rss>
"""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_error_feed_fails_the_follow_and_keeps_its_high_water_mark(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    assert not sync(settings).failed
    fake_arxiv.add_rss("quant-ph", ERROR_FEED)
    summary = sync(settings, today=DAY.replace(day=29))
    failed = result(summary, "category:quant-ph")
    assert failed.failed and summary.exit_code == 1
    assert "Feed error for query: quant-ph" in failed.errors[0]
    assert "Invalid archive or category: quant-ph" in failed.errors[0]
    with Store.open(settings.db_path) as store:
        state = store.sync_state("category:quant-ph")
        assert state.high_water == "2025-04-28"
        assert "Feed error" in (state.last_error or "")


def test_network_down_gives_one_error_line_per_host_and_one_hint(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    (radar_home / "radar.toml").write_text(
        fake_arxiv.config(api_url=f"{dead}/api/query", rss_url=f"{dead}/rss/", max_retries=0)
        + '[follow]\nauthors = ["Ann Author", "Bo Author", "Cy Author"]\n'
        + 'categories = ["cs.AI", "cs.CV", "quant-ph", "math.AG", "cs.LG", "hep-th", "cs.RO"]\n'
    )
    outcome = invoke("sync")
    assert outcome.exit_code == 1  # type: ignore[attr-defined]
    lines = outcome.stderr.strip().splitlines()  # type: ignore[attr-defined]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, lines
    # the day's announcements (one request for the 7 categories) failed first; the rest of
    # the run skipped the host: the 3 authors (the categories' backfills are not repeated)
    assert errors[0].startswith("error: category:cs.AI, category:cs.CV, category:quant-ph, ")
    assert "connection failed" in errors[0] and "so 3 more skipped: author:" in errors[0]
    assert lines[-1] == "hint: arXiv could not be reached: check your network"
    assert sum(line.startswith("hint:") for line in lines) == 1
    assert not any(line.startswith("note:") for line in lines)  # silent under cron


def test_sync_json_names_the_hosts_given_up_and_whether_they_ever_answered(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    dead = no_network_config(radar_home, fake_arxiv, max_retries=0)
    down = json.loads(invoke("sync", "--json").stdout)["hosts_down"]  # type: ignore[attr-defined]
    assert [(h["host"], h["answered"]) for h in down] == [(dead, False)]
    assert down[0]["problem"].startswith("connection failed")
    fake_arxiv.add_rss("cs.AI+cs.CV", recorded(RSS_FILE))
    (radar_home / "radar.toml").write_text(
        fake_arxiv.config() + '[follow]\ncategories = ["cs.AI", "cs.CV"]\n'
    )
    fine = json.loads(invoke("sync", "--json").stdout)  # type: ignore[attr-defined]
    assert fine["hosts_down"] == []


def no_network_config(home: Path, fake: FakeArxiv, feeds: str = "", **arxiv: object) -> str:
    """Every arXiv request goes to a closed port (what a machine without network sees)."""
    dead = f"127.0.0.1:{closed_port()}"
    (home / "radar.toml").write_text(
        fake.config(api_url=f"http://{dead}/api/query", rss_url=f"http://{dead}/rss/", **arxiv)
        + f'[follow]\ncategories = ["cs.AI", "cs.CV"]\n{feeds}'
    )
    return dead


def test_no_network_says_what_is_happening_with_verbose_in_plain_lines(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    dead = no_network_config(radar_home, fake_arxiv, max_retries=0)
    outcome = invoke("sync", "--verbose")
    assert outcome.exit_code == 1  # type: ignore[attr-defined]
    lines = outcome.stderr.strip().splitlines()  # type: ignore[attr-defined]
    notes = [line for line in lines if line.startswith("note: ")]
    assert notes[0].startswith(f"note: {dead}: connection failed: ")
    assert notes[0].endswith(f"(gave up after 1 attempt); skipping {dead} for the rest of this run")
    assert "category:cs.AI: today's announcements" in lines  # what it was doing
    assert "\x1b" not in outcome.stderr  # type: ignore[attr-defined]
    assert lines[-1] == "hint: arXiv could not be reached: check your network"


def test_no_network_on_a_terminal_prints_the_notes_above_the_progress_rows(
    radar_home: Path, fake_arxiv: FakeArxiv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    dead = no_network_config(radar_home, fake_arxiv, max_retries=0)
    outcome = invoke("sync")
    assert outcome.exit_code == 1  # type: ignore[attr-defined]
    stderr = outcome.stderr  # type: ignore[attr-defined]
    assert f"note: {dead}: connection failed" in stderr
    assert f"skipping {dead} for the rest of this run" in stderr
    assert stderr.rstrip().endswith("hint: arXiv could not be reached: check your network")


def test_retries_are_announced_with_host_attempt_and_wait(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    from radar.sync.follows import select_follows
    from radar.sync.run import run_sync
    from tests.test_sync_run import NoSleep

    dead = no_network_config(radar_home, fake_arxiv, max_retries=2)
    settings = load_settings()
    sleep, heard = NoSleep(), []
    http = HttpClient(delay_seconds=0, max_retries=2, sleep=sleep, jitter=lambda: 1.0)
    summary = run_sync(
        settings, select_follows(settings), http=http, today=DAY, announce=heard.append
    )
    assert heard[:2] == [
        f"{dead}: connection failed: Connection refused (attempt 1 of 3); retrying in 2s",
        f"{dead}: connection failed: Connection refused (attempt 2 of 3); retrying in 4s",
    ]
    assert heard[2].endswith(f"skipping {dead} for the rest of this run")
    assert len(heard) == 3 and sleep.sleeps == [2.0, 4.0]  # cs.CV is skipped without waiting
    assert summary.exit_code == 1 and summary.hosts_unreachable == {dead}


def test_the_hint_names_what_could_not_be_reached_and_what_did_not_answer(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    from radar.commands.sync import hosts_hint
    from radar.sync.run import SyncSummary

    fake_arxiv.add_rss("cs.AI+cs.CV", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("cs.AI",))
    arxiv = fake_arxiv.base.removeprefix("http://")

    def hint(down: set[str], answered: set[str], unreachable: set[str]) -> str:
        summary = SyncSummary(results=[], hosts_down=dict.fromkeys(down, "x"))
        summary.hosts_answered, summary.hosts_unreachable = answered, unreachable
        return hosts_hint(summary, settings)

    assert hint({arxiv}, set(), {arxiv}) == "arXiv could not be reached: check your network"
    both = hint({arxiv, "feeds.nature.com"}, set(), {arxiv, "feeds.nature.com"})
    assert both == "arXiv and feeds.nature.com could not be reached: check your network"
    assert hint({arxiv}, {arxiv}, set()) == (
        "arXiv is not answering: check arXiv's status (https://status.arxiv.org); "
        "the next sync tries again"
    )
    assert hint({"feeds.nature.com"}, {arxiv}, {"feeds.nature.com"}) == (
        "feeds.nature.com could not be reached: check your network or the site's status; "
        "the next sync tries again"
    )


def test_sync_json_still_names_every_skipped_follow(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    import json

    dead = f"http://127.0.0.1:{closed_port()}"
    (radar_home / "radar.toml").write_text(
        fake_arxiv.config(api_url=f"{dead}/api/query", rss_url=f"{dead}/rss/", max_retries=0)
        + '[follow]\nauthors = ["Ann Author", "Bo Author"]\ncategories = []\n'
    )
    data = json.loads(invoke("sync", "--json").stdout)  # type: ignore[attr-defined]
    errors = [f["errors"] for f in data["follows"]]
    assert "connection failed" in errors[0][0]
    assert errors[1] == [f"skipped: {dead.removeprefix('http://')} is not answering"]


def test_oversized_fields_are_cut_to_the_documented_limits(radar_home: Path) -> None:
    huge = Paper(
        id="2601.00001",
        title="T" * 5000,
        abstract="A" * 1_000_000,
        authors=(*tuple(f"Author {i}" for i in range(20000)), "N" * 10000),
        journal_ref="J" * 100_000,
        version=1,
    )
    with Store.open(radar_home / "radar.db") as store:
        store.upsert_papers([huge])
        stored = store.get_paper("2601.00001")
        assert stored is not None
        assert len(stored.title) == FIELD_LIMITS["title"]
        assert len(stored.abstract) == FIELD_LIMITS["abstract"]
        assert len(stored.authors) == MAX_AUTHORS
        assert len(stored.journal_ref or "") == FIELD_LIMITS["text"]
        again = store.upsert_papers([huge])  # the same record again is not "updated"
        assert (again.new, again.updated) == (0, 0)
        normal = replace(huge, id="2601.00002", title="Short", abstract="Short.", authors=("A B",))
        store.upsert_papers([normal])
        assert store.get_paper("2601.00002") == replace(
            store.get_paper("2601.00002"),  # type: ignore[arg-type]
            title="Short",
            abstract="Short.",
        )


def test_a_feed_that_takes_too_long_to_parse_fails_alone() -> None:
    nested = b"&lt;div&gt;" * 20_000 + b"x" + b"&lt;/div&gt;" * 20_000
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item>"
        b"<title>x</title><link>https://example.org/1</link><description>"
        + nested
        + b"</description></item></channel></rss>"
    )
    with pytest.raises(FeedError, match=r"took more than 0\.05s of CPU to parse"):
        parse_feed(body, name="Deep", url="https://example.org/feed", cpu_seconds=0.05)
    # the same feed parses when given the time: the budget, not the content, stopped it
    assert len(parse_feed(body, name="Deep", cpu_seconds=0).papers) == 1
