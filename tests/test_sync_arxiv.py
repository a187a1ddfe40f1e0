"""radar.sync.arxiv: a category's first sync. The day's RSS first (so `list --today` works at
once), then the API backfill newest first in large pages, with its progress, resumed after a
connection dropped mid-backfill without refetching finished pages."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.config.settings import Settings
from radar.paper import Sighting
from radar.sources.arxiv_api import category_query, parse_page
from radar.sources.http import HttpClient
from radar.store import Store
from radar.sync.follows import select_follows
from radar.sync.run import FollowResult, run_sync
from radar.sync.walk import Pace
from tests.conftest import invoke
from tests.fake_arxiv import RSS_FILE, FakeArxiv, recorded
from tests.test_sync_run import TESTING, NoSleep, configure

TODAY = date(2021, 4, 12)
# Variation built here: three recorded pages of 10 (2012-2026 submissions) as the whole result
# set of a backfill (totalResults 30), so that the walk ends after the third.
PAGES = [(start, TESTING.format(start, "_has_v9" if start == 20 else "")) for start in (0, 10, 20)]
ATOM = "{http://www.w3.org/2005/Atom}"
SINCE = date(2011, 4, 15)  # backfill_days = 3650 before TODAY


def serve_backfill(fake: FakeArxiv, category: str = "quant-ph") -> str:
    query = category_query(category, SINCE, date(2021, 4, 13))
    for start, name in PAGES:
        body = recorded(name).decode().replace(">214881<", ">30<")
        fake.add_api(query, start, body.encode())
    fake.add_rss(category, recorded(RSS_FILE))
    return query


def first_sync_config(home: Path, fake: FakeArxiv, **arxiv: object) -> Settings:
    values: dict[str, object] = {"backfill_page_size": 10, "backfill_days": 3650, **arxiv}
    return configure(home, fake, categories=("quant-ph",), **values)


class Steps:
    """An observer that keeps every progress line the display would show."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def started(self, result: FollowResult) -> None:
        pass

    def advanced(self, result: FollowResult) -> None:
        if result.progress and (not self.lines or self.lines[-1] != result.progress):
            self.lines.append(result.progress)

    def finished(self, result: FollowResult) -> None:
        pass


def test_the_first_request_is_the_days_rss_and_the_backfill_uses_large_pages(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    query = serve_backfill(fake_arxiv)
    settings = first_sync_config(radar_home, fake_arxiv)
    sleep, steps = NoSleep(), Steps()
    http = HttpClient(delay_seconds=3, sleep=sleep, clock=sleep.clock)
    follows = select_follows(settings)
    summary = run_sync(settings, follows, http=http, today=TODAY, observer=steps)
    assert summary.exit_code == 0
    requests = fake_arxiv.requests()
    assert [r.path for r in requests] == ["/rss/quant-ph"] + ["/api/query"] * 3
    assert {r.query["search_query"] for r in requests[1:]} == {query}
    assert [(r.start, r.query["max_results"]) for r in requests[1:]] == [
        (0, "10"),
        (10, "10"),
        (20, "10"),
    ]
    assert steps.lines == [
        "today's announcements",
        "backfill since 2011-04-15: first page",
        # totalResults 30 in pages of 10; 3 s a page (the spacing): 2 pages left, 6 s
        "backfill since 2011-04-15: page 1 of 3, about 6s left (10 of 30 papers)",
        "backfill since 2011-04-15: page 2 of 3, about 3s left (20 of 30 papers)",
        "backfill since 2011-04-15: page 3 of 3 (30 of 30 papers)",
    ]
    with Store.open(settings.db_path) as store:
        state = store.sync_state("category:quant-ph")
        assert state.cursor is None and state.last_error is None
        assert state.high_water == "2026-02-17"  # the newest submission the backfill saw


def test_a_backfill_page_size_from_radar_toml_and_authors_keep_theirs(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    settings = configure(
        radar_home, fake_arxiv, authors=("Ann Author",), categories=("cs.AI",), page_size=50
    )
    assert settings.arxiv.backfill_page_size == 2000  # the default: arXiv's largest page
    outcome = invoke("sync", "--dry-run")
    lines = outcome.stdout.splitlines()  # type: ignore[attr-defined]
    assert "max_results=2000  # category:cs.AI" in lines[1]
    assert "max_results=50  # author:Ann Author" in lines[2]


def test_the_days_papers_are_cached_even_when_the_backfill_fails(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    serve_backfill(fake_arxiv)
    fake_arxiv.fail_next("503", where="/api/")
    settings = first_sync_config(radar_home, fake_arxiv, max_retries=0)
    outcome = invoke("sync")
    assert outcome.exit_code == 1  # type: ignore[attr-defined]
    assert "HTTP 503" in outcome.stderr  # type: ignore[attr-defined]
    listed = invoke("list", "--today", "--limit", "0")
    assert len(listed.stdout.splitlines()) == 81  # type: ignore[attr-defined]
    with Store.open(settings.db_path) as store:
        state = store.sync_state("category:quant-ph")
        # not synced: the next sync backfills again (the day's papers alone are no high-water)
        assert state.high_water is None and state.last_success is None
        assert "HTTP 503" in (state.last_error or "")


def test_a_connection_dropped_mid_backfill_resumes_without_refetching_finished_pages(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    serve_backfill(fake_arxiv)
    # arXiv hangs up halfway through the second page's body, every time it is asked
    fake_arxiv.fail_next("cut", "cut", "cut", where="start=10")
    settings = first_sync_config(radar_home, fake_arxiv, max_retries=2)

    def sync() -> int:
        sleep = NoSleep()
        http = HttpClient(delay_seconds=3, max_retries=2, sleep=sleep, clock=sleep.clock)
        follows = select_follows(settings)
        return int(run_sync(settings, follows, http=http, today=TODAY).exit_code)

    assert sync() == 1
    assert [r.start for r in fake_arxiv.requests("/api")] == [0, 10, 10, 10]
    with Store.open(settings.db_path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = store.sync_state("category:quant-ph")
        assert json.loads(state.cursor or "{}")["start"] == 10
        assert state.high_water is None
        papers = store.conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    assert papers == 81 + 10  # the day's RSS and the first page, nothing of the cut one

    fake_arxiv.log.clear()
    assert sync() == 0
    assert [r.path for r in fake_arxiv.requests()] == ["/rss/quant-ph"] + ["/api/query"] * 2
    assert [r.start for r in fake_arxiv.requests("/api")] == [10, 20]
    with Store.open(settings.db_path) as store:
        state = store.sync_state("category:quant-ph")
        assert state.cursor is None and state.high_water == "2026-02-17"
        assert store.conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 81 + 30


def test_papers_stored_by_this_run_do_not_stop_another_categorys_backfill(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # Two followed categories whose month is the same 30 cross-listed papers: the second
    # backfill meets only papers this very sync stored, and must still walk all its pages.
    serve_backfill(fake_arxiv, "quant-ph")
    serve_backfill(fake_arxiv, "cs.SE")
    fake_arxiv.add_rss("quant-ph+cs.SE", recorded(RSS_FILE))
    settings = configure(
        radar_home,
        fake_arxiv,
        categories=("quant-ph", "cs.SE"),
        backfill_page_size=10,
        backfill_days=3650,
    )
    sleep = NoSleep()
    http = HttpClient(delay_seconds=0, sleep=sleep, clock=sleep.clock)
    summary = run_sync(settings, select_follows(settings), http=http, today=TODAY)
    assert summary.exit_code == 0
    walked = [(r.query["search_query"].split()[0], r.start) for r in fake_arxiv.requests("/api")]
    assert walked == [("cat:quant-ph", s) for s in (0, 10, 20)] + [
        ("cat:cs.SE", s) for s in (0, 10, 20)
    ]


def test_an_authors_first_sync_shows_its_history_walk_up_to_author_max_papers(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    from tests.test_sync_run import serve_author_pages

    serve_author_pages(fake_arxiv)  # 31 results for the name, then pages of other people
    settings = configure(
        radar_home, fake_arxiv, authors=("Adrian Del Maestro",), page_size=10, author_max_papers=30
    )
    sleep, steps = NoSleep(), Steps()
    http = HttpClient(delay_seconds=3, sleep=sleep, clock=sleep.clock)
    run_sync(settings, select_follows(settings), http=http, today=TODAY, observer=steps)
    assert steps.lines == [
        "history: first page",
        # the first page is the run's first request (no spacing before it): 3 s a page
        "history: page 1 of 3, about 6s left (10 of 30 papers)",
        "history: page 2 of 3, about 3s left (20 of 30 papers)",
        "history: page 3 of 3 (30 of 30 papers)",
    ]


def test_a_resumed_backfill_stops_at_a_page_the_cache_already_has(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # a backfill saved unfinished, whose next page a later run already stored (by another
    # route): it ends there instead of walking on through what the cache holds
    query = serve_backfill(fake_arxiv)
    settings = first_sync_config(radar_home, fake_arxiv)
    sleep = NoSleep()
    http = HttpClient(delay_seconds=0, sleep=sleep, clock=sleep.clock)
    assert run_sync(settings, select_follows(settings), http=http, today=TODAY).exit_code == 0
    with Store.open(settings.db_path) as store:
        state = store.sync_state("category:quant-ph")
        saved = json.dumps({"query": query, "start": 0, "until": None})
        store.save_sync_state(replace(state, cursor=saved))
    fake_arxiv.log.clear()
    assert run_sync(settings, select_follows(settings), http=http, today=TODAY).exit_code == 0
    assert [r.start for r in fake_arxiv.requests("/api")] == [0]


@pytest.mark.parametrize(
    ("seconds_left", "said"),
    [
        (0.4, "1s"),
        (89, "89s"),
        (90, "2 min"),
        (540, "9 min"),
        (3600, "1 h 00 min"),
        (6000, "1 h 40 min"),
        (7200, "2 h 00 min"),
    ],
)
def test_the_time_left_reads_in_seconds_minutes_or_hours(seconds_left: float, said: str) -> None:
    pace = Pace("backfill", 100, spacing=seconds_left, clock=lambda: 0.0)
    assert pace.line(100, 200) == f"backfill: page 1 of 2, about {said} left (100 of 200 papers)"


def test_the_time_left_follows_the_walks_own_pace_when_slower_than_the_spacing() -> None:
    now = [0.0]
    pace = Pace("history", 100, spacing=3.0, clock=lambda: now[0])
    now[0] = 60.0  # the first page took a minute
    assert pace.line(100, 1000) == "history: page 1 of 10, about 9 min left (100 of 1,000 papers)"
    now[0] = 80.0  # 40 s a page over two pages
    assert pace.line(200, 1000) == "history: page 2 of 10, about 5 min left (200 of 1,000 papers)"


def test_a_later_author_sync_shows_no_history_progress(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # a later sync stops at the last one's newest paper: arXiv's total for the name is not its
    # size, so no "page 1 of N" line
    from tests.test_sync_run import serve_author_pages

    serve_author_pages(fake_arxiv)
    settings = configure(
        radar_home, fake_arxiv, authors=("Adrian Del Maestro",), page_size=10, author_max_papers=30
    )
    sleep = NoSleep()
    http = HttpClient(delay_seconds=3, sleep=sleep, clock=sleep.clock)
    run_sync(settings, select_follows(settings), http=http, today=TODAY)
    steps = Steps()
    run_sync(settings, select_follows(settings), http=http, today=TODAY, observer=steps)
    assert steps.lines == []


@pytest.mark.parametrize(
    ("software_papers", "pin", "note"),
    [
        (6, "2407.18756", "11 papers signed 'Yantao Li' look like someone else"),
        (1, "1303.6954", "1 paper signed 'Yantao Li' looks like someone else"),
    ],
)
def test_a_pinned_authors_sync_says_how_many_papers_it_set_aside(
    radar_home: Path, fake_arxiv: FakeArxiv, software_papers: int, pin: str, note: str
) -> None:
    # one name, two people (tests/test_people_namesakes.py): pinned to one of them, the
    # other's papers are kept but set aside, and the sync says how many
    from tests.author_feed import api_entries, api_page, renamed
    from tests.test_people_namesakes import NAME, PAGES, QUERY, SOFTWARE_IDS, one_name

    entries = [renamed(e, one_name) for e in api_entries(*PAGES)]
    mine = [e for e in entries if any(n.text == NAME for n in e.iter(f"{ATOM}name"))]
    software = [e for e in mine if any(i in (e.findtext(f"{ATOM}id") or "") for i in SOFTWARE_IDS)]
    served = [e for e in mine if e not in software] + software[:software_papers]
    fake_arxiv.add_api(QUERY, 0, api_page(served, PAGES[0]))
    (radar_home / "radar.toml").write_text(
        fake_arxiv.config()
        + f'[follow]\nauthors = ["{NAME}"]\n[follow.pins]\n"{NAME}" = ["{pin}"]\n'
    )
    from radar.config.settings import load_settings

    settings = load_settings()
    summary = run_sync(settings, select_follows(settings), today=TODAY)
    (follow,) = summary.results
    assert follow.notes == [f"{note}; see radar author '{NAME}'"]


def test_a_resumed_backfill_shows_its_progress_and_plans_its_resume(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    serve_backfill(fake_arxiv)
    fake_arxiv.fail_next("truncate", where="start=10")
    settings = first_sync_config(radar_home, fake_arxiv)
    sleep = NoSleep()
    http = HttpClient(delay_seconds=3, sleep=sleep, clock=sleep.clock)

    def planned() -> list[str]:
        summary = run_sync(settings, select_follows(settings), dry_run=True, today=TODAY)
        return [p.why for p in summary.planned]

    assert planned() == ["today's announcements", "backfill since 2011-04-15, newest first"]
    assert run_sync(settings, select_follows(settings), http=http, today=TODAY).exit_code == 1
    assert planned() == ["today's announcements", "resume the backfill"]
    steps = Steps()
    summary = run_sync(settings, select_follows(settings), http=http, today=TODAY, observer=steps)
    assert summary.exit_code == 0
    assert steps.lines[-2:] == [
        "backfill since 2011-04-15: page 2 of 3, about 3s left (20 of 30 papers)",
        "backfill since 2011-04-15: page 3 of 3 (30 of 30 papers)",
    ]
    with Store.open(settings.db_path) as store:
        state = store.sync_state("category:quant-ph")
        assert state.last_success and state.last_error is None and state.cursor is None
        last_page = parse_page(recorded(PAGES[2][1]), Sighting("x", "x")).papers
        paper = store.get_paper(last_page[-1].id)
    assert paper is not None
    assert [(s.source, s.label) for s in paper.sources] == [
        ("arxiv-api:category:quant-ph", "arXiv (quant-ph)")
    ]


def test_since_walks_the_backfill_again_through_cached_papers(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # `--since` is how a user refreshes a span: papers already cached do not stop it
    serve_backfill(fake_arxiv)
    settings = first_sync_config(radar_home, fake_arxiv)
    assert run_sync(settings, select_follows(settings), today=TODAY).exit_code == 0
    fake_arxiv.log.clear()
    assert run_sync(settings, select_follows(settings), since=SINCE, today=TODAY).exit_code == 0
    assert [r.start for r in fake_arxiv.requests("/api")] == [0, 10, 20]


@pytest.mark.parametrize(
    ("days_since", "backfill_from"), [(3, None), (4, "202504060000"), (30, "202504060000")]
)
def test_a_gap_longer_than_rss_covers_is_backfilled_from_a_few_days_before_the_last_sync(
    radar_home: Path, fake_arxiv: FakeArxiv, days_since: int, backfill_from: str | None
) -> None:
    from datetime import timedelta

    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    settings = first_sync_config(radar_home, fake_arxiv, backfill_days=60)
    last = date(2025, 4, 11)
    with Store.open(settings.db_path) as store:
        state = store.sync_state("category:quant-ph")
        failed = replace(state, high_water=last.isoformat(), last_error="HTTP 503")
        store.save_sync_state(failed)
    run_sync(settings, select_follows(settings), today=last + timedelta(days=days_since))
    asked = [r.query["search_query"] for r in fake_arxiv.requests("/api")]
    if backfill_from is None:
        assert asked == []
        with Store.open(settings.db_path) as store:  # the day's RSS alone is a success
            state = store.sync_state("category:quant-ph")
        assert state.last_attempt and state.last_success and state.last_error is None
        assert state.high_water == "2025-04-28"  # the feed's day
    else:
        assert [q.split("[")[1].split(" ")[0] for q in asked] == [backfill_from]
