"""store/status.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting, normalize_name
from radar.store import Store
from radar.store.status import FollowCounts, cache_bytes, follow_counts

DAY = date(2026, 6, 19)


def _paper(pid: str, authors: tuple[str, ...], categories: tuple[str, ...], source: str) -> Paper:
    return Paper(
        id=pid,
        version=1,
        title=f"Paper {pid}",
        authors=authors,
        categories=categories,
        announced=DAY,
        sources=(Sighting(source, source, "new", DAY),),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        opened.upsert_papers(
            [
                _paper("2606.00001", ("Yantao Li", "Ada Lovelace"), ("cs.AI",), "arxiv-rss:cs.AI"),
                _paper("2606.00002", ("Y. Li",), ("cs.AI", "cs.LG"), "arxiv-rss:cs.AI"),
                _paper("2606.00003", ("Ada Lovelace",), ("cs.LG",), "arxiv-rss:cs.LG"),
                _paper("doi:10.1/x", ("Ada Lovelace",), (), "feed:Nature"),
            ]
        )
        yield opened


def test_status_counts_an_authors_papers_under_every_alias_and_the_unread_ones(
    store: Store,
) -> None:
    norms = [normalize_name("Yantao Li"), normalize_name("Y. Li")]
    assert follow_counts(store, "author", norms) == FollowCounts(papers=2, unread=2)
    store.set_user_state("2606.00002", read=True)
    assert follow_counts(store, "author", norms) == FollowCounts(papers=2, unread=1)
    assert follow_counts(store, "author", norms[:1]) == FollowCounts(papers=1, unread=1)


def test_status_counts_a_category_and_a_feed_and_starred_unread_papers_stay_unread(
    store: Store,
) -> None:
    store.set_user_state("2606.00003", starred=True)  # a mark that is not "read"
    store.set_user_state("2606.00001", read=True)
    store.set_user_state("2606.00001", read=False)  # read, then unread again
    assert follow_counts(store, "category", ["cs.LG"]) == FollowCounts(papers=2, unread=2)
    assert follow_counts(store, "category", ["cs.AI"]) == FollowCounts(papers=2, unread=2)
    assert follow_counts(store, "feed", ["feed:Nature"]) == FollowCounts(papers=1, unread=1)
    store.set_user_state("doi:10.1/x", read=True)
    assert follow_counts(store, "feed", ["feed:Nature"]) == FollowCounts(papers=1, unread=0)


def test_status_counts_zero_for_a_follow_with_nothing_cached(store: Store) -> None:
    assert follow_counts(store, "category", ["math.AG"]) == FollowCounts(papers=0, unread=0)
    assert follow_counts(store, "feed", ["feed:Science"]) == FollowCounts(papers=0, unread=0)


def test_status_counts_nothing_for_a_kind_it_does_not_know_or_no_values(store: Store) -> None:
    assert follow_counts(store, "doi", ["10.1/x"]) is None
    assert follow_counts(store, "author", []) is None
    assert follow_counts(store, "category", ()) is None


def test_the_cache_size_adds_its_write_ahead_log_and_shared_memory_files(tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    assert cache_bytes(path) == 0
    path.write_bytes(b"d" * 1000)
    assert cache_bytes(path) == 1000
    (tmp_path / "radar.db-wal").write_bytes(b"w" * 300)
    assert cache_bytes(path) == 1300
    (tmp_path / "radar.db-shm").write_bytes(b"s" * 32)
    (tmp_path / "radar.db-journal").write_bytes(b"j" * 7)  # not part of a WAL cache
    (tmp_path / "other.db").write_bytes(b"o" * 5)
    assert cache_bytes(path) == 1332
