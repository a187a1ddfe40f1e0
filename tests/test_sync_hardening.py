"""A sync against failing upstreams: arXiv's error feed, hosts that stop answering (one line
per host), oversized fields and feeds that would take minutes of CPU to parse."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest

from radar.errors import FeedError
from radar.paper import FIELD_LIMITS, MAX_AUTHORS, Paper
from radar.sources.feeds import parse_feed
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
    assert "connection failed" in errors[0] and "9 more skipped" in errors[0]
    assert lines[-1].startswith("hint: check your network or arXiv's status")
    assert sum(line.startswith("hint:") for line in lines) == 1


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
