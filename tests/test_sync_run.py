"""radar.sync.run: follows -> fake arXiv over loopback -> real SQLite cache; failures stay local."""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.config.settings import Settings, load_settings
from radar.errors import RadarError, SyncLockedError, UsageError
from radar.paper import Paper
from radar.sources.arxiv_api import category_query
from radar.sources.http import HttpClient
from radar.store import Store
from radar.sync.follows import select_follows
from radar.sync.run import LOCK_NAME, SyncSummary, run_sync, sync_lock
from tests.fake_arxiv import RSS_FILE, FakeArxiv, empty_api_page, recorded

DEL_MAESTRO = "arxiv-api/legacy2016_author_au_del_maestro_10of31.xml"
TESTING = "arxiv-api/api2026_query_testing_start{}_max10{}.json"
AUTHOR_Q = 'au:"Adrian Del Maestro"'
DAY = date(2025, 4, 28)  # the recorded RSS day


class NoSleep:
    """Sleeps recorded, never waited; with a clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def configure(
    home: Path,
    fake: FakeArxiv,
    *,
    authors: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    aliases: str = "",
    **arxiv: object,
) -> Settings:
    text = fake.config(**arxiv) + (
        f"[follow]\nauthors = {json.dumps(list(authors))}\n"
        f"categories = {json.dumps(list(categories))}\n"
    )
    if aliases:
        text += f"[follow.aliases]\n{aliases}\n"
    (home / "radar.toml").write_text(text)
    return load_settings()


def sync(
    settings: Settings,
    *,
    today: date = DAY,
    since: date | None = None,
    sleep: NoSleep | None = None,
    delay: float = 0.0,
    **select: str,
) -> SyncSummary:
    http = HttpClient(
        delay_seconds=delay,
        timeout_seconds=settings.arxiv.timeout_seconds,
        max_retries=settings.arxiv.max_retries,
        sleep=sleep or NoSleep(),
    )
    follows = select_follows(settings, **select)
    return run_sync(settings, follows, since=since, http=http, today=today)


def cache(settings: Settings) -> Store:
    return Store.open(settings.db_path)


def result(summary: SyncSummary, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in summary.results if r.follow.key == key)


def serve_author_pages(fake: FakeArxiv) -> None:
    fake.add_api(AUTHOR_Q, 0, recorded(DEL_MAESTRO))  # 10 of 31
    fake.add_api(AUTHOR_Q, 10, recorded(TESTING.format(10, "")))  # pages of other people
    fake.add_api(AUTHOR_Q, 20, recorded(TESTING.format(20, "_has_v9")))


def follow_del_maestro(
    home: Path, fake: FakeArxiv, *, author_max_papers: int | None = 30
) -> Settings:
    """Follow the recorded author: 31 papers served in pages of 10, 6 signed exactly so."""
    serve_author_pages(fake)
    author = ("Adrian Del Maestro",)
    if author_max_papers is None:  # the configured default
        return configure(home, fake, authors=author, page_size=10)
    return configure(home, fake, authors=author, page_size=10, author_max_papers=author_max_papers)


def exact_author_ids() -> set[str]:
    """Entries of the recorded page naming exactly "Adrian Del Maestro" (not "A. Del Maestro")."""
    text = recorded(DEL_MAESTRO).decode()
    ids = set()
    for entry in text.split("<entry>")[1:]:
        if "<name>Adrian Del Maestro</name>" in entry:
            ids.add(re.search(r"<id>http://arxiv.org/abs/(.+?)v\d+</id>", entry).group(1))  # type: ignore[union-attr]
    return ids


# --- authors --------------------------------------------------------------------------------


def test_author_first_sync_paginates_and_keeps_only_exact_names(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    settings = follow_del_maestro(radar_home, fake_arxiv)
    summary = sync(settings)
    starts = [r.start for r in fake_arxiv.requests("/api")]
    assert starts == [0, 10, 20]
    assert {r.query["search_query"] for r in fake_arxiv.requests("/api")} == {AUTHOR_Q}
    assert {r.query["sortBy"] for r in fake_arxiv.requests("/api")} == {"submittedDate"}
    with cache(settings) as store:
        stored = {row[0] for row in store.conn.execute("SELECT id FROM papers")}
        paper = store.get_paper("cond-mat/0412498")
        state = store.sync_state("author:Adrian Del Maestro")
    assert stored == exact_author_ids() and len(stored) == 6
    assert paper is not None
    assert [s.source for s in paper.sources] == ["arxiv-api:author:Adrian Del Maestro"]
    # the newest submission seen on any page (2602.15552), matching or not
    assert state.high_water == "2026-02-17" and state.cursor is None and state.last_success
    assert state.last_attempt and state.last_error is None  # what `radar status` shows
    follow = result(summary, "author:Adrian Del Maestro")
    assert (follow.new, follow.updated, follow.requests, follow.errors) == (6, 0, 3, [])
    # the papers left out (and only those) are counted under their other spelling
    assert [n for n in follow.notes if "signed" in n] == [
        "4 papers signed 'A. Del Maestro' were not counted as Adrian Del Maestro's; "
        "if they are theirs: radar follow alias 'Adrian Del Maestro' 'A. Del Maestro'"
    ]
    assert summary.exit_code == 0


def test_aliases_count_as_the_follow(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_api(AUTHOR_Q, 0, recorded(DEL_MAESTRO))
    settings = configure(
        radar_home,
        fake_arxiv,
        authors=("Adrian Del Maestro",),
        page_size=10,
        aliases='"Adrian Del Maestro" = ["A. Del Maestro"]',
    )
    sync(settings)
    with cache(settings) as store:
        assert store.count_papers() == 10


def test_author_second_sync_stops_at_the_high_water_mark(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    settings = follow_del_maestro(radar_home, fake_arxiv)
    sync(settings)
    fake_arxiv.log.clear()
    summary = sync(settings)
    assert [r.start for r in fake_arxiv.requests()] == [0]
    assert (summary.new, summary.updated) == (0, 0)


def test_since_forces_a_new_walk(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    settings = follow_del_maestro(radar_home, fake_arxiv)
    sync(settings)
    fake_arxiv.log.clear()
    sync(settings, since=date(2000, 1, 1))
    assert [r.start for r in fake_arxiv.requests()] == [0, 10, 20, 30]  # until results run out


def test_since_restarts_an_unfinished_history_walk_from_the_newest_paper(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.fail_next("truncate", where="start=10")
    settings = follow_del_maestro(radar_home, fake_arxiv)
    assert sync(settings).exit_code == 1  # the history walk stopped at 10
    fake_arxiv.log.clear()
    assert sync(settings, since=date(2000, 1, 1)).exit_code == 0
    assert [r.start for r in fake_arxiv.requests()] == [0, 10, 20, 30]


def test_an_interrupted_since_walk_resumes_where_it_stopped(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.fail_next("truncate", where="start=10")
    settings = follow_del_maestro(radar_home, fake_arxiv, author_max_papers=None)
    key = "author:Adrian Del Maestro"
    assert sync(settings, since=date(2000, 1, 1)).exit_code == 1
    with cache(settings) as store:
        assert store.sync_state(key).last_error
    fake_arxiv.log.clear()
    assert sync(settings, since=date(2000, 1, 1)).exit_code == 0
    assert [r.start for r in fake_arxiv.requests()] == [10, 20, 30]
    with cache(settings) as store:
        state = store.sync_state(key)
    assert state.cursor is None and state.last_error is None  # the failure is over


def test_a_since_walk_goes_on_past_papers_submitted_on_the_since_day(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # the first page's oldest paper is from 2004-12-19: more of that day may follow
    settings = follow_del_maestro(radar_home, fake_arxiv, author_max_papers=None)
    assert sync(settings, since=date(2004, 12, 19)).exit_code == 0
    assert [r.start for r in fake_arxiv.requests()] == [0, 10, 20, 30]


def test_a_dry_run_plans_the_history_walk_from_the_start_then_from_where_it_stopped(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.fail_next("truncate", where="start=10")
    settings = follow_del_maestro(radar_home, fake_arxiv)

    def planned() -> tuple[str, str]:
        (plan,) = run_sync(settings, select_follows(settings), dry_run=True, today=DAY).planned
        return plan.why, re.search(r"start=(\d+)", plan.url).group(1)  # type: ignore[union-attr]

    assert planned() == ("the author's history (first sync)", "0")
    assert sync(settings).exit_code == 1
    assert planned() == ("resume the history walk", "10")
    assert sync(settings).exit_code == 0
    assert planned() == ("papers since 2026-02-17", "0")


# --- categories -----------------------------------------------------------------------------


def test_category_day_stores_types_versions_authors_and_clean_abstracts(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    summary = sync(settings)
    # first sync: the day's RSS, then an API backfill of the category (nothing there)
    assert [r.path for r in fake_arxiv.requests()] == ["/rss/quant-ph", "/api/query"]
    assert fake_arxiv.requests()[1].query["search_query"] == (
        "cat:quant-ph AND submittedDate:[202503290000 TO 202504292359]"
    )
    assert result(summary, "category:quant-ph").new == 81
    with cache(settings) as store:
        kinds = dict(
            store.conn.execute(
                "SELECT announce_type, count(*) FROM paper_sources GROUP BY announce_type"
            )
        )
        assert kinds == {"new": 40, "replace": 22, "cross": 10, "replace-cross": 9}
        assert (
            store.conn.execute(
                "SELECT count(*) FROM papers WHERE abstract LIKE '%Announce Type%'"
            ).fetchone()[0]
            == 0
        )
        paper = store.get_paper("2312.01259")
        assert paper is not None and paper.version == 3 and paper.versions == (3,)
        cross = store.get_paper("2504.16299")
        assert cross is not None and len(cross.authors) == 5 and cross.announced == DAY
        assert cross.sources[0].announce_type == "cross"
        assert (
            store.conn.execute(
                "SELECT count(*) FROM paper_authors WHERE norm = 'jason pollack'"
            ).fetchone()[0]
            == 1
        )
        assert store.sync_state("category:quant-ph").high_water == "2025-04-28"


def test_empty_feed_is_not_an_error(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    from tests.test_sources_arxiv_rss import EMPTY

    fake_arxiv.add_rss("cs.AI", EMPTY)
    settings = configure(radar_home, fake_arxiv, categories=("cs.AI",))
    summary = sync(settings, today=date(2025, 4, 27))
    assert summary.exit_code == 0 and summary.new == 0
    with cache(settings) as store:
        assert store.sync_state("category:cs.AI").last_error is None


def test_replacement_raises_the_version_and_keeps_user_state(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    with cache(settings) as store:
        store.upsert_papers([Paper(id="2312.01259", version=1, title="An older title")])
        store.set_user_state("2312.01259", starred=True, note="read v1")
    summary = sync(settings)
    assert result(summary, "category:quant-ph").updated == 1
    with cache(settings) as store:
        paper = store.get_paper("2312.01259")
    assert paper is not None
    assert paper.version == 3 and paper.versions == (1, 3)
    assert paper.title != "An older title"
    assert paper.starred and paper.note == "read v1"


def test_cross_list_from_author_and_two_categories_is_one_row(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # Variation built here: a recorded API page whose first entry is re-labelled as the RSS
    # cross-list 2504.16299 by its real author, so the author follow and the feed meet.
    page = recorded(TESTING.format(0, "")).decode()
    page = page.replace("2202.12139v1", "2504.16299v1", 1).replace(
        "<name>Mohit Kumar Ahuja</name>", "<name>Jason Pollack</name>", 1
    )
    fake_arxiv.add_api('au:"Jason Pollack"', 0, page.encode())
    fake_arxiv.add_rss("quant-ph+cs.IT", recorded(RSS_FILE))
    settings = configure(
        radar_home, fake_arxiv, authors=("Jason Pollack",), categories=("quant-ph", "cs.IT")
    )
    summary = sync(settings)
    assert summary.exit_code == 0
    assert [r.path for r in fake_arxiv.requests("/rss")] == ["/rss/quant-ph+cs.IT"]
    with cache(settings) as store:
        assert (
            store.conn.execute("SELECT count(*) FROM papers WHERE id = '2504.16299'").fetchone()[0]
            == 1
        )
        paper = store.get_paper("2504.16299")
    assert paper is not None
    sources = {s.source: s.announce_type for s in paper.sources}
    assert sources == {
        "arxiv-api:author:Jason Pollack": None,
        "arxiv-rss:quant-ph": "cross",
        "arxiv-rss:cs.IT": "new",
    }
    # the author's API page is read after the day's RSS (categories sync first) and this
    # variation's categories are the recorded API entry's
    assert paper.categories == ("cs.SE", "cs.LG")
    # counted once as new across the two category follows (they sync first); the author's
    # page then updates the one paper it shares with them
    assert result(summary, "category:quant-ph").new + result(summary, "category:cs.IT").new == 81
    assert result(summary, "author:Jason Pollack").updated == 1


def test_rss_only_while_the_gap_is_short_then_backfill(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    sync(settings)
    fake_arxiv.log.clear()
    sync(settings, today=date(2025, 4, 29))
    assert [r.path for r in fake_arxiv.requests()] == ["/rss/quant-ph"]
    fake_arxiv.log.clear()
    sync(settings, today=date(2025, 5, 6))  # a week away: the RSS window was missed
    assert [r.path for r in fake_arxiv.requests()] == ["/rss/quant-ph", "/api/query"]


def test_backfill_stops_at_backfill_days(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    query = category_query("cs.SE", date(2026, 3, 13), date(2026, 4, 13))
    for start, name in ((0, TESTING.format(0, "")), (10, TESTING.format(10, ""))):
        fake_arxiv.add_api(query, start, recorded(name))
    fake_arxiv.add_rss("cs.SE", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("cs.SE",), backfill_page_size=10)
    sync(settings, today=date(2026, 4, 12))
    # the first page already reaches papers older than 30 days: no second page
    assert [r.start for r in fake_arxiv.requests("/api")] == [0]


# --- failures -------------------------------------------------------------------------------


def test_503_then_success(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_api(AUTHOR_Q, 0, recorded(DEL_MAESTRO))
    fake_arxiv.fail_next("503")
    settings = configure(
        radar_home, fake_arxiv, authors=("Adrian Del Maestro",), page_size=10, author_max_papers=10
    )
    sleep = NoSleep()
    summary = sync(settings, sleep=sleep)
    assert summary.exit_code == 0 and summary.new == 6
    assert result(summary, "author:Adrian Del Maestro").requests == 2
    assert len(sleep.sleeps) == 1


def test_429_with_retry_after_waits_that_long(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_api(AUTHOR_Q, 0, recorded(DEL_MAESTRO))
    fake_arxiv.fail_next("429", retry_after="42")
    settings = configure(radar_home, fake_arxiv, authors=("Adrian Del Maestro",), page_size=10)
    sleep = NoSleep()
    assert sync(settings, sleep=sleep).exit_code == 0
    assert sleep.sleeps == [42.0]


def test_hung_server_fails_that_follow_only(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.fail_next("hang", where="search_query=au")
    settings = configure(
        radar_home,
        fake_arxiv,
        authors=("Adrian Del Maestro",),
        categories=("quant-ph",),
        timeout_seconds=0.2,
        max_retries=0,
        # another host name for the same server: the hung API host is skipped for the rest
        # of the run (circuit breaker), the RSS host is not
        rss_url=fake_arxiv.rss_url.replace("127.0.0.1", "localhost"),
    )
    summary = sync(settings)
    author = result(summary, "author:Adrian Del Maestro")
    assert author.failed and "no answer within 0.2s" in author.errors[0]
    assert result(summary, "category:quant-ph").new == 81
    assert summary.exit_code == 1
    with cache(settings) as store:
        assert "no answer" in (store.sync_state("author:Adrian Del Maestro").last_error or "")


def test_truncated_page_writes_nothing_of_it_and_the_next_sync_resumes(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    serve_author_pages(fake_arxiv)
    fake_arxiv.add_api(
        AUTHOR_Q, 10, recorded(DEL_MAESTRO).replace(b"Subir Sachdev", b"Adrian Del Maestro")
    )
    fake_arxiv.add_api(AUTHOR_Q, 0, recorded(DEL_MAESTRO)[:5000])  # cut short
    settings = configure(
        radar_home, fake_arxiv, authors=("Adrian Del Maestro",), page_size=10, author_max_papers=30
    )
    summary = sync(settings)
    assert summary.exit_code == 1
    assert "not complete XML" in result(summary, "author:Adrian Del Maestro").errors[0]
    with cache(settings) as store:
        assert store.count_papers() == 0
        state = store.sync_state("author:Adrian Del Maestro")
    assert state.high_water is None and state.last_success is None
    assert state.last_attempt and "not complete XML" in (state.last_error or "")  # `radar status`


def test_truncated_later_page_keeps_earlier_pages_and_resumes(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.fail_next("truncate", where="start=10")
    settings = follow_del_maestro(radar_home, fake_arxiv)
    assert sync(settings).exit_code == 1
    with cache(settings) as store:
        assert store.count_papers() == 6
        state = store.sync_state("author:Adrian Del Maestro")
        assert state.high_water is None and json.loads(state.cursor or "{}")["start"] == 10
    fake_arxiv.log.clear()
    assert sync(settings).exit_code == 0
    assert [r.start for r in fake_arxiv.requests()] == [10, 20]
    with cache(settings) as store:
        state = store.sync_state("author:Adrian Del Maestro")
        assert state.cursor is None and state.high_water == "2026-02-17"


def test_an_empty_page_short_of_the_total_fails_once_then_ends_the_walk_with_a_note(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # arXiv can count more results than it serves (deep offsets past its ~30,000 cap answer
    # an empty page): retried once, then the walk ends there instead of failing every sync
    serve_author_pages(fake_arxiv)
    nothing_here = empty_api_page().replace(b"totalResults>0<", b"totalResults>214881<")
    fake_arxiv.add_api(AUTHOR_Q, 30, nothing_here)
    settings = configure(
        radar_home, fake_arxiv, authors=("Adrian Del Maestro",), page_size=10, author_max_papers=60
    )
    key = "author:Adrian Del Maestro"
    first = result(sync(settings), key)
    assert first.failed and first.errors[0].endswith(
        ": an empty page at 30 of 214881 results "
        "(the next sync tries again, then stops the walk there)"
    )
    with cache(settings) as store:
        assert store.count_papers() == 6  # the pages before are kept
        assert json.loads(store.sync_state(key).cursor or "{}")["start"] == 30
    fake_arxiv.log.clear()
    second = result(sync(settings), key)
    assert not second.failed and [r.start for r in fake_arxiv.requests()] == [30]
    assert second.notes == [
        "arXiv served no results past 30 of 214,881 twice: the older ones were not fetched "
        "(arXiv's API serves at most some 30,000 results a query; a later "
        "`radar sync --since DATE` asks for a shorter span)"
    ]
    with cache(settings) as store:
        state = store.sync_state(key)
        assert state.cursor is None and state.high_water == "2026-02-17"
    fake_arxiv.log.clear()
    assert not result(sync(settings), key).failed  # and later syncs go on from the high water
    assert [r.start for r in fake_arxiv.requests()] == [0]


@pytest.mark.parametrize(
    "saved",
    ["{not json", '{"query": "au:x", "start": "ten"}', "[10]", '{"start": 10}', '"start"'],
)
def test_a_corrupt_resume_cursor_restarts_the_walk_instead_of_failing(
    radar_home: Path, fake_arxiv: FakeArxiv, saved: str
) -> None:
    settings = follow_del_maestro(radar_home, fake_arxiv)
    with cache(settings) as store:
        key = "author:Adrian Del Maestro"
        store.save_sync_state(replace(store.sync_state(key), cursor=saved))
    summary = sync(settings)
    assert summary.exit_code == 0, result(summary, "author:Adrian Del Maestro").errors
    assert [r.start for r in fake_arxiv.requests()] == [0, 10, 20]  # from the start
    with cache(settings) as store:
        state = store.sync_state("author:Adrian Del Maestro")
        assert state.cursor is None and state.high_water == "2026-02-17"


def test_truncated_feed_writes_nothing(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.fail_next("truncate", where="/rss/")
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    summary = sync(settings)
    assert summary.exit_code == 1 and summary.new == 0
    with cache(settings) as store:
        assert store.count_papers() == 0


def test_http_400_error_feed_is_reported(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.fail_next("400", where="search_query=au")
    settings = configure(
        radar_home, fake_arxiv, authors=("Adrian Del Maestro",), categories=("quant-ph",)
    )
    summary = sync(settings)
    author = result(summary, "author:Adrian Del Maestro")
    assert author.errors == ["arXiv API error: incorrect id format for abc"]
    assert author.requests == 1  # a 400 is not retried
    assert not result(summary, "category:quant-ph").failed


def test_spacing_across_api_and_rss_is_never_below_delay(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    serve_author_pages(fake_arxiv)
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(
        radar_home,
        fake_arxiv,
        authors=("Adrian Del Maestro",),
        categories=("quant-ph",),
        page_size=10,
        author_max_papers=30,
    )
    sleep = NoSleep()
    http = HttpClient(delay_seconds=3, timeout_seconds=5, sleep=sleep, clock=sleep.clock)
    run_sync(settings, select_follows(settings), http=http, today=DAY)
    # today's announcements first, then the category's backfill, then the author's pages
    assert [r.path for r in fake_arxiv.requests()] == ["/rss/quant-ph"] + ["/api/query"] * 4
    assert fake_arxiv.requests()[1].query["search_query"].startswith("cat:quant-ph AND ")
    assert sleep.sleeps == [3.0] * 4  # one full delay before each request after the first


# --- lock, selection, dry run ---------------------------------------------------------------


def test_a_stale_lock_from_a_dead_process_is_taken_over(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    lock = settings.state_dir / LOCK_NAME
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("999999999\n")
    # While the sync runs (seen from the server's thread), the lock is really held again, by
    # this process: a second sync started then would be refused, naming the live holder.
    refusals: list[str] = []
    respond = fake_arxiv.respond

    def respond_and_try_the_lock(handler: object) -> None:
        try:
            with sync_lock(lock):
                pass
        except SyncLockedError as exc:
            refusals.append(exc.message)
        respond(handler)  # type: ignore[arg-type]

    fake_arxiv.respond = respond_and_try_the_lock  # type: ignore[method-assign]
    assert sync(settings).exit_code == 0
    assert refusals
    assert set(refusals) == {f"another radar sync is running (pid {os.getpid()}, lock file {lock})"}


def test_select_one_follow_or_refuse_unknown(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    settings = configure(radar_home, fake_arxiv, authors=("Yantao Li",), categories=("cs.AI",))
    assert [f.key for f in select_follows(settings, author="li, yantao")] == ["author:Yantao Li"]
    assert [f.key for f in select_follows(settings, category="CS.ai")] == ["category:cs.AI"]
    with pytest.raises(UsageError, match="not following author"):
        select_follows(settings, author="Someone Else")


def test_selecting_follows_names_what_is_missing_and_how_to_add_it(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # `radar sync --author/--category`: what each refusal says, and what is picked together
    (radar_home / "radar.toml").write_text(fake_arxiv.config())
    with pytest.raises(RadarError) as nothing:
        select_follows(load_settings())
    assert nothing.value.message == "nothing is followed, so there is nothing to sync"
    assert nothing.value.hint == 'radar follow author "Yantao Li", or radar follow category cs.AI'

    settings = configure(radar_home, fake_arxiv, authors=("Yantao Li",), categories=("cs.AI",))
    with (radar_home / "radar.toml").open("a") as toml:
        toml.write('[follow.identities]\n"Adrian Del Maestro" = "delmaestro_a_1"\n')
    settings = load_settings()
    assert [f.key for f in select_follows(settings)] == [
        "author:Yantao Li", "identity:Adrian Del Maestro", "category:cs.AI",
    ]  # fmt: skip
    assert [f.key for f in select_follows(settings, author="Adrian Del Maestro")] == [
        "identity:Adrian Del Maestro"
    ]
    both = select_follows(settings, author="Yantao Li", category="cs.AI")
    assert [f.key for f in both] == ["author:Yantao Li", "category:cs.AI"]
    for wrong, message, hint in [
        ({"author": "Bo Li"}, "not following author 'Bo Li'",
         'radar follow author "Bo Li" first (see `radar follows`)'),
        ({"category": "cs.CV"}, "not following category 'cs.CV'",
         "radar follow category cs.CV first (see `radar follows`)"),
        ({"category": "cs.AII"}, "'cs.AII' is not an arXiv category", "did you mean 'cs.AI'?"),
    ]:  # fmt: skip
        with pytest.raises(UsageError) as refused:
            select_follows(settings, **wrong)
        assert (refused.value.message, refused.value.hint) == (message, hint)
    with pytest.raises(UsageError) as no_feeds:
        select_follows(settings, feed="Nature")
    assert no_feeds.value.message == "not following a feed named 'Nature'"
    assert no_feeds.value.hint == (
        "followed feeds: none; add one with radar follow feed URL --name NAME"
    )
    with (radar_home / "radar.toml").open("a") as toml:
        toml.write('\n[[feeds]]\nname = "Nature"\nurl = "http://127.0.0.1:9/nature.rss"\n')
    settings = load_settings()
    # --feed with --author and --category: all three are synced, not only the feed
    chosen = select_follows(settings, author="Yantao Li", category="cs.AI", feed="nature")
    assert [f.key for f in chosen] == ["author:Yantao Li", "category:cs.AI", "feed:Nature"]


def test_dry_run_makes_no_request_and_writes_nothing(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    settings = configure(
        radar_home, fake_arxiv, authors=("Yantao Li",), categories=("cs.AI", "cs.CV")
    )
    summary = run_sync(settings, select_follows(settings), dry_run=True, today=DAY)
    assert fake_arxiv.requests() == [] and not settings.db_path.exists()
    urls = [p.url for p in summary.planned]
    assert urls[0] == fake_arxiv.rss_url + "cs.AI+cs.CV"  # today's announcements come first
    assert any("au%3A%22Yantao+Li%22" in u for u in urls)
    assert sum("cat%3Acs.AI" in u for u in urls) == 1


def test_the_summary_says_what_each_follow_did_in_the_readmes_shape(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # `radar sync --json` and the summary line, as README.md shows them
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.add_api(AUTHOR_Q, 0, recorded(DEL_MAESTRO)[:5000])  # the author's page cut short
    settings = configure(
        radar_home, fake_arxiv, authors=("Adrian Del Maestro",), categories=("quant-ph",),
        page_size=10, author_max_papers=30,
    )  # fmt: skip
    summary = sync(settings)
    data = json.loads(json.dumps(summary.to_dict()))
    assert data == {
        "ok": False, "dry_run": False, "new": 81, "updated": 0, "failed": 1, "requests": 3,
        "seconds": round(summary.seconds, 3), "follows": data["follows"], "hosts_down": [],
    }  # fmt: skip
    author, category = data["follows"]
    error = author.pop("errors")
    assert len(error) == 1 and error[0].startswith("the response is not complete XML")
    assert author == {
        "follow": "author:Adrian Del Maestro", "kind": "author", "name": "Adrian Del Maestro",
        "new": 0, "updated": 0, "requests": 1, "warnings": [], "notes": [], "ok": False,
    }  # fmt: skip
    assert category == {
        "follow": "category:quant-ph", "kind": "category", "name": "quant-ph", "new": 81,
        "updated": 0, "requests": 2, "errors": [], "warnings": [], "notes": [], "ok": True,
    }  # fmt: skip
    assert summary.line() == (
        f"synced 2 follows: 81 new, 0 updated, 1 failed in {summary.seconds:.1f}s"
    )
    one = run_sync(settings, select_follows(settings, category="quant-ph"), dry_run=True)
    assert one.line().startswith("synced 1 follow: 0 new, 0 updated, 0 failed in ")
    planned = one.to_dict()["planned"]
    assert planned and set(planned[0]) == {"url", "follows", "why"}
    assert planned[0]["follows"] == ["category:quant-ph"] and planned[0]["url"].startswith("http")
    assert "planned" not in summary.to_dict()


@pytest.mark.parametrize(
    ("arxiv", "failure", "said"),
    [
        ({"max_retry_wait_seconds": 10}, ("429", "3600"), "more than max_retry_wait_seconds (10s)"),
        ({"timeout_seconds": 0.2, "max_retries": 0}, ("hang", None), "no answer within 0.2s"),
        ({"max_response_mb": 0.1}, (None, None), "larger than max_response_mb"),  # a 0.15 MB day
    ],
)
def test_a_sync_without_a_client_of_its_own_uses_the_arxiv_settings(
    radar_home: Path,
    fake_arxiv: FakeArxiv,
    arxiv: dict[str, object],
    failure: tuple[str | None, str | None],
    said: str,
) -> None:
    # what `radar sync` does: the HTTP client is built from [arxiv] (no waiting here: each
    # failure is one that is not retried)
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    mode, retry_after = failure
    if mode:
        fake_arxiv.fail_next(mode, retry_after=retry_after)
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",), **arxiv)
    summary = run_sync(settings, select_follows(settings), today=DAY)
    fake_arxiv.release.set()
    assert summary.exit_code == 1
    assert said in result(summary, "category:quant-ph").errors[0]


def test_a_dry_run_plans_the_backfill_from_since(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    settings = configure(radar_home, fake_arxiv, categories=("cs.AI",))
    follows = select_follows(settings)
    default = run_sync(settings, follows, dry_run=True, today=DAY).planned
    chosen = run_sync(settings, follows, dry_run=True, since=date(2025, 4, 1), today=DAY).planned
    assert any("submittedDate%3A%5B202503290000" in p.url for p in default)  # 30 days back
    assert any("submittedDate%3A%5B202504010000" in p.url for p in chosen)
    assert fake_arxiv.requests() == []


def test_the_summary_times_the_run_on_the_clock_it_is_given(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    for dry_run in (True, False):
        ticks = iter([100.0, 112.4])
        http = HttpClient(delay_seconds=0, sleep=NoSleep())
        summary = run_sync(
            settings, select_follows(settings), dry_run=dry_run, http=http, today=DAY,
            clock=functools.partial(next, ticks, 112.4),
        )  # fmt: skip
        assert summary.seconds == pytest.approx(12.4)
        assert summary.line().endswith(" in 12.4s") and summary.to_dict()["seconds"] == 12.4


# --- what `radar sync` itself builds and reports (sync/run.py's mutation survivors) ---------


def test_a_sync_without_a_client_announces_retries_records_its_run_and_names_who_answered(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    from radar.sources.http import host_of
    from radar.store.runs import last_finished_run

    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.fail_next("503", retry_after="0")  # retried after the first backoff, and said so
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",), max_retries=2)
    heard: list[str] = []
    slept = NoSleep()
    summary = run_sync(
        settings, select_follows(settings), today=DAY, sleep=slept, announce=heard.append
    )
    assert summary.exit_code == 0 and summary.new > 0
    assert len(heard) == 1 and "HTTP 503 (attempt 1 of 3); retrying in " in heard[0], heard
    assert len(slept.sleeps) == 1 and 1 <= slept.sleeps[0] <= 2  # the first backoff, jittered
    assert summary.hosts_answered == {host_of(fake_arxiv.rss_url)}  # for the hint on failure
    with cache(settings) as store:
        run = last_finished_run(store)
    assert run is not None and (run.status, run.new) == ("ok", summary.new)

    fake_arxiv.fail_next("400")  # not retried: the follow fails, and so does the run
    assert run_sync(settings, select_follows(settings), today=DAY).exit_code == 1
    with cache(settings) as store:
        run = last_finished_run(store)
    assert run is not None and (run.status, run.new) == ("failed", 0)


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_sync_tells_its_caller_when_it_upgrades_an_older_cache(
    radar_home: Path, fake_arxiv: FakeArxiv, dry_run: bool
) -> None:
    import shutil

    from radar.store.migrations import migrations

    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = configure(radar_home, fake_arxiv, categories=("quant-ph",))
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    older = Path(__file__).parent / "data" / "caches" / f"cache-{migrations.names[-2][:4]}.db"
    shutil.copyfile(older, settings.db_path)
    heard: list[tuple[Path, list[str]]] = []
    http = HttpClient(delay_seconds=0, sleep=NoSleep())
    run_sync(
        settings, select_follows(settings), dry_run=dry_run, http=http, today=DAY,
        on_upgrade=lambda path, pending: heard.append((path, list(pending))),
    )  # fmt: skip
    assert heard == [(settings.db_path, [migrations.names[-1]])]
