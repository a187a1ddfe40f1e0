"""radar.sources.arxiv_rss: the recorded quant-ph day becomes Papers with announce types."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from radar.sources import MalformedResponse
from radar.sources.arxiv_rss import feed_url, parse_feed
from tests.fake_arxiv import RSS_FILE, recorded

EMPTY = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" version="2.0"><channel>
<title>cs.AI updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.AI</link>
<description>cs.AI updates</description>
<pubDate>Sun, 27 Apr 2025 00:00:00 -0400</pubDate>
</channel></rss>"""  # built here: no real empty feed was recorded (see SOURCES.md)


@pytest.fixture(scope="module")
def feed():  # type: ignore[no-untyped-def]
    return parse_feed(recorded(RSS_FILE), ["quant-ph"])


def test_one_url_for_all_categories() -> None:
    assert feed_url("https://rss.arxiv.org/rss/", ["cs.AI", "cs.CV"]) == (
        "https://rss.arxiv.org/rss/cs.AI+cs.CV"
    )


def test_all_four_announce_types_and_the_announcement_day(feed) -> None:  # type: ignore[no-untyped-def]
    assert feed.day == date(2025, 4, 28)
    assert len(feed.papers) == 81
    kinds = Counter(p.sources[0].announce_type for p in feed.papers)
    assert kinds == {"new": 40, "replace": 22, "cross": 10, "replace-cross": 9}
    for paper in feed.papers:
        assert paper.announced == date(2025, 4, 28)  # arXiv's own day, not 04:00 UTC's
        assert [s.source for s in paper.sources] == ["arxiv-rss:quant-ph"]
        assert paper.sources[0].announced == date(2025, 4, 28)


def test_boilerplate_never_reaches_the_abstract(feed) -> None:  # type: ignore[no-untyped-def]
    first = feed.papers[0]
    assert first.abstract.startswith("We introduce a self-adjoint time operator")
    for paper in feed.papers:
        assert "Announce Type" not in paper.abstract
        assert not paper.abstract.startswith(("arXiv:", "Abstract:"))
        assert paper.abstract


def test_versions_come_from_the_guid(feed) -> None:  # type: ignore[no-untyped-def]
    by_id = {p.id: p for p in feed.papers}
    assert by_id["2504.17830"].version == 1
    replaced = [p for p in feed.papers if p.sources[0].announce_type == "replace-cross"]
    assert all(p.version and p.version > 1 for p in replaced)
    assert by_id["2312.01259"].version == 3


def test_authors_are_split_from_one_creator(feed) -> None:  # type: ignore[no-untyped-def]
    by_id = {p.id: p for p in feed.papers}
    assert by_id["2504.16299"].authors == (
        "Arick Grootveld",
        "Haodong Yang",
        "Biao Chen",
        "Venkata Gandikota",
        "Jason Pollack",
    )
    assert max(len(p.authors) for p in feed.papers) == 71


def test_categories_doi_and_journal_reference(feed) -> None:  # type: ignore[no-untyped-def]
    by_id = {p.id: p for p in feed.papers}
    assert by_id["2504.16299"].categories == ("cs.IT", "math.IT", "quant-ph")
    assert sum(1 for p in feed.papers if p.doi) == 10
    assert sum(1 for p in feed.papers if p.journal_ref) == 9


def test_combined_feed_gives_each_category_its_own_view() -> None:
    # Served for quant-ph+cs.IT, each paper carries one sighting per followed category it lists.
    combined = parse_feed(recorded(RSS_FILE), ["quant-ph", "cs.IT"])
    paper = next(p for p in combined.papers if p.id == "2504.16299")
    types = {s.source: s.announce_type for s in paper.sources}
    assert types == {"arxiv-rss:quant-ph": "cross", "arxiv-rss:cs.IT": "new"}
    # for quant-ph alone the derived types agree with the types arXiv reported
    single = {
        p.id: p.sources[0].announce_type
        for p in parse_feed(recorded(RSS_FILE), ["quant-ph"]).papers
    }
    derived = {
        p.id: s.announce_type
        for p in combined.papers
        for s in p.sources
        if s.source == "arxiv-rss:quant-ph"
    }
    assert derived == single


def test_empty_feed_is_normal() -> None:
    empty = parse_feed(EMPTY, ["cs.AI"])
    assert empty.papers == () and empty.day == date(2025, 4, 27)


def test_truncated_feed_yields_nothing() -> None:
    body = recorded(RSS_FILE)
    with pytest.raises(MalformedResponse):
        parse_feed(body[: len(body) // 2], ["quant-ph"])
