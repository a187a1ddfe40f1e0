"""store/latest.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store
from radar.store.latest import latest_by_source, latest_days_condition

MON, TUE, WED, THU, FRI = (date(2026, 6, d) for d in range(15, 20))


def _arxiv(pid: str, day: date | None, source: str = "arxiv-rss:cs.AI") -> Paper:
    return Paper(
        id=pid, version=1, title=pid, announced=day, sources=(Sighting(source, source, "new", day),)
    )


def _item(pid: str, day: date | None, feed: str) -> Paper:
    return Paper(id=pid, title=pid, published=day, sources=(Sighting(feed, feed[5:]),))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        opened.upsert_papers(
            [
                _arxiv("2606.00001", MON),
                _arxiv("2606.00002", TUE),
                _arxiv("2606.00003", TUE),
                _arxiv("2606.00009", None),  # no day: never the latest
                # an arXiv paper a journal's feed lists too: arXiv's day, not the feed's
                _arxiv("2606.00004", THU, "feed:Nature"),
                _item("doi:10.1/n1", MON, "feed:Nature"),
                _item("doi:10.1/n2", WED, "feed:Nature"),
                _item("doi:10.1/s1", TUE, "feed:Science"),
                _item("url:https://x.org/a", FRI, "feed:APS"),
                _item("item:other", FRI, "feedback:Other"),  # not a "feed:" source
            ]
        )
        yield opened


def test_today_is_arxivs_latest_day_and_each_feeds_own_sorted_by_feed(store: Store) -> None:
    got = latest_by_source(store.conn, on_or_before=FRI)
    assert got == (
        ("arxiv", THU),
        ("feed:APS", FRI),
        ("feed:Nature", WED),
        ("feed:Science", TUE),
    )


def test_today_looks_only_at_days_up_to_the_given_day_inclusive(store: Store) -> None:
    assert latest_by_source(store.conn, on_or_before=WED) == (
        ("arxiv", TUE),
        ("feed:Nature", WED),
        ("feed:Science", TUE),
    )
    assert latest_by_source(store.conn, on_or_before=TUE) == (
        ("arxiv", TUE),
        ("feed:Nature", MON),
        ("feed:Science", TUE),
    )
    assert latest_by_source(store.conn, on_or_before=date(2026, 6, 1)) == ()


def test_today_for_arxiv_categories_alone_ignores_the_feeds(store: Store) -> None:
    assert latest_by_source(store.conn, on_or_before=FRI, arxiv_only=True) == (("arxiv", THU),)


def test_a_cache_of_feed_items_only_has_no_arxiv_day(tmp_path: Path) -> None:
    with Store.open(tmp_path / "feeds.db") as store:
        store.upsert_papers([_item("doi:10.1/n1", MON, "feed:Nature")])
        assert latest_by_source(store.conn, on_or_before=FRI) == (("feed:Nature", MON),)


def _matching(store: Store, latest: list[tuple[str, date]]) -> list[str]:
    condition, *params = latest_days_condition(latest)
    rows = store.conn.execute(f"SELECT p.id FROM papers p WHERE {condition} ORDER BY p.id", params)
    return [pid for (pid,) in rows]


def test_each_source_lists_only_its_own_papers_of_its_own_latest_day(store: Store) -> None:
    assert _matching(store, [("arxiv", TUE)]) == ["2606.00002", "2606.00003"]
    # the arXiv paper Nature's feed also lists is arXiv's, not Nature's
    assert _matching(store, [("feed:Nature", THU)]) == []
    assert _matching(store, [("feed:Nature", WED)]) == ["doi:10.1/n2"]
    assert _matching(store, [("feed:Science", WED)]) == []
    per_source = latest_by_source(store.conn, on_or_before=FRI)
    assert _matching(store, list(per_source)) == [
        "2606.00004",
        "doi:10.1/n2",
        "doi:10.1/s1",
        "url:https://x.org/a",
    ]


def test_no_source_with_papers_means_no_paper_is_of_today(store: Store) -> None:
    assert latest_days_condition([]) == ["0"]
    assert _matching(store, []) == []
