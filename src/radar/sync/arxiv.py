"""Syncing arXiv follows: authors through the API, categories through RSS plus API backfill.

Each API page is committed with its follow's progress, so a killed sync resumes where it stopped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from radar.errors import RadarError
from radar.paper import Paper, Sighting, normalize_name
from radar.store import SyncState, now_iso
from radar.sync.run import (
    Follow,
    FollowKind,
    FollowResult,
    PlannedRequest,
    SyncContext,
    register_kind,
)

if TYPE_CHECKING:
    from radar.sources.arxiv_api import ApiPage
    from radar.sources.http import Response

log = logging.getLogger(__name__)

# RSS shows one announcement day; a longer gap (Friday -> Monday is 3 days) needs the API.
RSS_WINDOW_DAYS = 3
# Papers are announced a few days after submission: a gap backfill reaches back this much more.
BACKFILL_MARGIN_DAYS = 5


@dataclass(frozen=True)
class Walk:
    """A paginated API query, newest submissions first, and when to stop it."""

    query: str
    sighting: Sighting
    keep: Callable[[Paper], bool]
    until: date | None = None  # stop after the page reaching papers submitted before this
    max_entries: int | None = None
    stop_when_cached: bool = False
    on_skipped: Callable[[list[Paper]], None] | None = None  # sees the papers `keep` refused
    page_size: int = 200
    # ids this run has stored (the day's RSS, earlier pages and categories): not "cached
    # before"; shared by the walks of one run, which add each page they store
    fresh: set[str] = field(default_factory=set)
    label: str | None = None  # shown with the progress of a long walk ("backfill since ...")


def register() -> None:
    register_kind("author", FollowKind(sync=sync_authors, plan=plan_authors))
    register_kind("category", FollowKind(sync=sync_categories, plan=plan_categories, order=0))


# --- authors --------------------------------------------------------------------------------


def author_walk(ctx: SyncContext, follow: Follow, state: SyncState) -> Walk:
    from radar.sources.arxiv_api import author_query

    names = {normalize_name(n) for n in (follow.name, *follow.aliases)}
    until = ctx.since or (date.fromisoformat(state.high_water) if state.high_water else None)
    return Walk(
        query=author_query(follow.name),
        sighting=Sighting(f"arxiv-api:author:{follow.name}", f"arXiv ({follow.name})"),
        # The API's author search is loose ("Yantao Lin" for "Yantao Li"): keep exact names.
        keep=lambda paper: any(normalize_name(a) in names for a in paper.authors),
        until=until,
        max_entries=None if until else ctx.settings.arxiv.author_max_papers,
        page_size=ctx.settings.arxiv.page_size,
        # the first sync's walk knows its size (results, up to author_max_papers): a progress
        # line; a later one stops at a date nobody can count in advance
        label=None if until else "history",
    )


def sync_authors(ctx: SyncContext, follows: Sequence[Follow]) -> None:
    from radar.sync.signatures import Signatures

    for follow in follows:
        state = ctx.store.sync_state(follow.key)
        signatures = Signatures(follow.name, follow.aliases)
        plan = replace(author_walk(ctx, follow, state), on_skipped=signatures.add)
        if guarded(ctx, follow, partial(walk, ctx, follow, plan)):
            note_set_aside(ctx, follow)
        ctx.result(follow).notes.extend(signatures.notes())


def note_set_aside(ctx: SyncContext, follow: Follow) -> None:
    """A pinned name: say how many papers signed so look like a namesake's (kept, not listed)."""
    from radar.people import author_rule
    from radar.store.people import set_aside

    rule = author_rule(ctx.settings.follow, follow.name)
    count = set_aside(ctx.store, rule) if rule.pins else 0
    if count:
        noun = "paper" if count == 1 else "papers"
        verb = "looks" if count == 1 else "look"
        ctx.result(follow).notes.append(
            f"{count} {noun} signed {follow.name!r} {verb} like someone else; "
            f"see radar author {follow.name!r}"
        )


def plan_authors(ctx: SyncContext, follows: Sequence[Follow]) -> list[PlannedRequest]:
    planned = []
    for follow in follows:
        state = _state(ctx, follow)
        plan = author_walk(ctx, follow, state)
        why = (
            "resume the history walk"
            if Cursor.resume(state, plan)
            else (
                f"papers since {plan.until}" if plan.until else "the author's history (first sync)"
            )
        )
        planned.append(
            PlannedRequest(url=_first_url(ctx, plan, state), follows=(follow.key,), why=why)
        )
    return planned


# --- categories -----------------------------------------------------------------------------


def backfill_walk(ctx: SyncContext, follow: Follow, state: SyncState) -> Walk | None:
    """The API backfill a category needs now, or None when RSS alone covers the gap.

    The query names the days it covers (`submittedDate:[since TO today]`), so arXiv's
    totalResults is the backfill's size; an unfinished one resumes with its own query.
    """
    from radar.sources.arxiv_api import category_query
    from radar.sources.arxiv_rss import category_label

    sighting = Sighting(f"arxiv-api:category:{follow.name}", category_label(follow.name))
    base = Walk(
        category_query(follow.name),
        sighting,
        keep=lambda paper: True,
        page_size=ctx.settings.arxiv.backfill_page_size,
    )
    if ctx.since is not None:
        return _dated(ctx, follow, base, ctx.since, stop_when_cached=False)
    saved = _saved_walk(state, follow)
    if saved is not None:
        query, until = saved
        # a backfill saved by radar before date-ranged queries has no meaningful total
        label = f"backfill since {until}" if "submittedDate" in query else None
        return replace(base, query=query, until=until, stop_when_cached=True, label=label)
    until = _backfill_start(ctx, state)
    return None if until is None else _dated(ctx, follow, base, until, stop_when_cached=True)


def _backfill_start(ctx: SyncContext, state: SyncState) -> date | None:
    """How far back a category's backfill reaches now; None when RSS alone covers the gap."""
    window_start = ctx.today - timedelta(days=ctx.settings.arxiv.backfill_days)
    if state.high_water is None:
        return window_start
    last = date.fromisoformat(state.high_water)
    if (ctx.today - last).days <= RSS_WINDOW_DAYS:
        return None
    return max(window_start, last - timedelta(days=BACKFILL_MARGIN_DAYS))


def _dated(
    ctx: SyncContext, follow: Follow, base: Walk, until: date, *, stop_when_cached: bool
) -> Walk:
    from radar.sources.arxiv_api import category_query

    return replace(
        base,
        query=category_query(follow.name, until, ctx.today + timedelta(days=1)),
        until=until,
        stop_when_cached=stop_when_cached,
        label=f"backfill since {until}",
    )


def _saved_walk(state: SyncState, follow: Follow) -> tuple[str, date | None] | None:
    """The query and stop day of this category's unfinished backfill, if one was saved."""
    try:
        saved = json.loads(state.cursor or "null")
        query = saved["query"]
        if not isinstance(query, str) or query.split(" ", 1)[0] != f"cat:{follow.name}":
            return None
        return query, _day(saved.get("until"))
    except (ValueError, KeyError, TypeError):
        return None


def sync_categories(ctx: SyncContext, follows: Sequence[Follow]) -> None:
    """The day's announcements first (one RSS request for every category), so `radar list
    --today` has them seconds into a first sync; then each category's API backfill, if it
    needs one, newest first. A follow's high-water mark moves once both are done."""
    announced = _sync_rss(ctx, follows)
    fresh = set(announced.ids)
    for follow in follows:
        plan = backfill_walk(ctx, follow, ctx.store.sync_state(follow.key))
        backfilled = plan is None or guarded(
            ctx, follow, partial(walk, ctx, follow, replace(plan, fresh=fresh))
        )
        if backfilled and announced.ok:
            _mark_synced(ctx, follow, announced.day)


def _mark_synced(ctx: SyncContext, follow: Follow, day: date | None) -> None:
    with ctx.store.transaction():
        state = ctx.store.sync_state(follow.key)
        high = max(filter(None, (state.high_water, _iso(day))), default=None)
        ctx.store.save_sync_state(
            replace(state, high_water=high, last_success=now_iso(), last_error=None)
        )


def plan_categories(ctx: SyncContext, follows: Sequence[Follow]) -> list[PlannedRequest]:
    from radar.sources.arxiv_rss import feed_url

    url = feed_url(ctx.settings.arxiv.rss_url, [f.name for f in follows])
    planned = [
        PlannedRequest(url=url, follows=tuple(f.key for f in follows), why="today's announcements")
    ]
    for follow in follows:
        state = _state(ctx, follow)
        plan = backfill_walk(ctx, follow, state)
        if plan is not None:
            why = (
                "resume the backfill"
                if Cursor.resume(state, plan)
                else f"backfill since {plan.until}, newest first"
            )
            planned.append(
                PlannedRequest(url=_first_url(ctx, plan, state), follows=(follow.key,), why=why)
            )
    return planned


@dataclass
class Announced:
    """What this run's RSS request gave: the feed's day and every id it listed."""

    day: date | None = None
    ids: frozenset[str] = frozenset()
    ok: bool = False


def _sync_rss(ctx: SyncContext, follows: Sequence[Follow]) -> Announced:
    """Store the day's announcements in one transaction. High-water marks wait for the
    backfills (see sync_categories)."""
    from radar.sources.arxiv_rss import feed_url, parse_feed, rss_source

    categories = [f.name for f in follows]
    url = feed_url(ctx.settings.arxiv.rss_url, categories)
    announced = Announced()

    def fetch_and_store() -> None:
        _progress(ctx, follows, "today's announcements")
        feed = parse_feed(fetch(ctx, follows, url).body, categories)
        with ctx.store.transaction():
            for follow in follows:
                source = rss_source(follow.name)
                mine = [p for p in feed.papers if any(s.source == source for s in p.sources)]
                counts = ctx.store.upsert_papers(mine)
                _count(ctx.result(follow), counts.new, counts.updated)
                state = ctx.store.sync_state(follow.key)
                ctx.store.save_sync_state(replace(state, last_attempt=now_iso()))
        announced.day, announced.ids = feed.day, frozenset(p.id for p in feed.papers)

    announced.ok = guarded(ctx, follows, fetch_and_store)
    _progress(ctx, follows, None)
    return announced


def _progress(ctx: SyncContext, follows: Sequence[Follow], step: str | None) -> None:
    for follow in follows:
        ctx.result(follow).progress = step
        ctx.observer.advanced(ctx.result(follow))


# --- shared steps ---------------------------------------------------------------------------


def guarded(ctx: SyncContext, follows: Follow | Sequence[Follow], step: Callable[[], None]) -> bool:
    """Run one follow's step; a RadarError fails these follows only, recorded in sync_state."""
    group = [follows] if isinstance(follows, Follow) else list(follows)
    try:
        step()
    except RadarError as exc:
        log.info("sync of %s failed: %s", ", ".join(f.key for f in group), exc.message)
        for follow in group:
            ctx.result(follow).errors.append(exc.message)
            state = ctx.store.sync_state(follow.key)
            ctx.store.save_sync_state(
                replace(state, last_attempt=now_iso(), last_error=exc.message)
            )
        return False
    return True


def fetch(ctx: SyncContext, follows: Sequence[Follow], url: str) -> Response:
    """GET through the run's polite client; counts the request for every follow relying on it."""
    from radar.sources import UpstreamError
    from radar.sources.arxiv_api import error_message

    before = ctx.http.requests
    try:
        response = ctx.http.get(url)
    finally:
        for follow in follows:
            ctx.result(follow).requests += ctx.http.requests - before
    if response.status != 200:
        message = error_message(response.body)
        raise UpstreamError(message or f"{url}: HTTP {response.status}")
    return response


@dataclass(frozen=True)
class Cursor:
    """How far a walk has got: the next result index, its stop date, the newest date seen."""

    start: int = 0
    until: date | None = None
    newest: date | None = None
    empty_at: int | None = None  # where the last sync got an empty page short of the total

    def dumps(self, query: str) -> str:
        return json.dumps(
            {
                "query": query,
                "start": self.start,
                "until": _iso(self.until),
                "newest": _iso(self.newest),
                "empty_at": self.empty_at,
            }
        )

    @classmethod
    def resume(cls, state: SyncState, plan: Walk) -> Cursor | None:
        """The saved progress of an unfinished walk of this query, unless --since restarts it."""
        try:
            saved = json.loads(state.cursor or "null")
            if not isinstance(saved, dict) or saved.get("query") != plan.query:
                return None
            empty_at = saved.get("empty_at")
            cursor = cls(
                int(saved["start"]),
                _day(saved.get("until")),
                _day(saved.get("newest")),
                int(empty_at) if empty_at is not None else None,
            )
        except (ValueError, KeyError, TypeError):
            return None
        if plan.until is not None and cursor.until != plan.until:
            return None
        return cursor


def walk(ctx: SyncContext, follow: Follow, plan: Walk) -> None:
    """Page through an API query; each page commits with the follow's progress."""
    state = ctx.store.sync_state(follow.key)
    cursor = Cursor.resume(state, plan) or Cursor(until=plan.until)
    result = ctx.result(follow)
    pace = Pace(plan.label or "", plan.page_size, ctx.http.delay_seconds, ctx.http.clock)
    if plan.label:
        result.progress = f"{plan.label}: first page"
        ctx.observer.advanced(result)
    try:
        while True:
            page = _fetch_page(ctx, follow, plan, cursor)
            if page.entries == 0 and cursor.start < page.total:
                _note_cut(result, cursor.start, page.total)
            cursor, done = _store_page(ctx, follow, plan, cursor, page)
            if plan.label:
                total = min(page.total, plan.max_entries or page.total)
                result.progress = pace.line(cursor.start, total)
            ctx.observer.advanced(result)
            if done:
                return
    finally:
        result.progress = None
        ctx.observer.advanced(result)


def _store_page(
    ctx: SyncContext, follow: Follow, plan: Walk, cursor: Cursor, page: ApiPage
) -> tuple[Cursor, bool]:
    """One page and the follow's progress, in one transaction; the cursor after it."""
    cached = set()
    if plan.stop_when_cached:
        cached = ctx.store.existing_ids([p.id for p in page.papers]) - plan.fresh
    cursor, done = _advance(plan, cursor, page, cached)
    result = ctx.result(follow)
    with ctx.store.transaction():
        counts = ctx.store.upsert_papers([p for p in page.papers if plan.keep(p)])
        if plan.on_skipped is not None:
            plan.on_skipped([p for p in page.papers if not plan.keep(p)])
        state = ctx.store.sync_state(follow.key)
        if done:
            high = max(filter(None, (state.high_water, _iso(cursor.newest))), default=None)
            state = replace(state, high_water=high, cursor=None)
            if not result.errors:  # a failed RSS step of this run keeps its error
                state = replace(state, last_success=now_iso(), last_error=None)
        else:
            state = replace(state, cursor=cursor.dumps(plan.query))
        ctx.store.save_sync_state(replace(state, last_attempt=now_iso()))
    _count(result, counts.new, counts.updated)
    plan.fresh.update(p.id for p in page.papers)
    return cursor, done


@dataclass
class Pace:
    """A long walk's progress line: pages done of the pages arXiv's total makes, and the time
    left at this walk's pace so far (never faster than the client's spacing of requests)."""

    label: str
    page_size: int
    spacing: float
    clock: Callable[[], float]
    began: float = 0.0
    pages: int = 0

    def __post_init__(self) -> None:
        self.began = self.clock()

    def line(self, start: int, total: int) -> str:
        self.pages += 1
        per_page = max(self.spacing, (self.clock() - self.began) / self.pages)
        done = -(-start // self.page_size)
        left = -(-max(0, total - start) // self.page_size)
        eta = f", about {_duration(left * per_page)} left" if left else ""
        # what matters first: a narrow progress row cuts the end
        return (
            f"{self.label}: page {done} of {done + left}{eta} "
            f"({min(start, total):,} of {total:,} papers)"
        )


def _duration(seconds: float) -> str:
    """`40s`, `3 min`, `1 h 05 min`."""
    if seconds < 90:
        return f"{max(1, round(seconds))}s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def _fetch_page(ctx: SyncContext, follow: Follow, plan: Walk, cursor: Cursor) -> ApiPage:
    """One page of the walk. An empty page short of arXiv's total fails this sync (arXiv
    sometimes answers one; retrying later beats skipping results) unless the last sync got an
    empty page at the same place: then arXiv will not serve more, and the walk ends there."""
    from radar.sources import MalformedResponse
    from radar.sources.arxiv_api import parse_page

    url = _url(ctx, plan.query, cursor.start, plan.page_size)
    page = parse_page(fetch(ctx, [follow], url).body, plan.sighting)
    if page.entries == 0 and cursor.start < page.total and cursor.empty_at != cursor.start:
        _save_cursor(ctx, follow, plan, replace(cursor, empty_at=cursor.start))
        raise MalformedResponse(
            f"{url}: an empty page at {cursor.start} of {page.total} results "
            "(the next sync tries again, then stops the walk there)"
        )
    return page


def _note_cut(result: FollowResult, start: int, total: int) -> None:
    """Say that a walk ends before arXiv's last result, and what to do about it."""
    result.notes.append(
        f"arXiv served no results past {start:,} of {total:,} twice: the older ones were not "
        "fetched (arXiv's API serves at most some 30,000 results a query; a later "
        "`radar sync --since DATE` asks for a shorter span)"
    )


def _save_cursor(ctx: SyncContext, follow: Follow, plan: Walk, cursor: Cursor) -> None:
    with ctx.store.transaction():
        state = ctx.store.sync_state(follow.key)
        ctx.store.save_sync_state(replace(state, cursor=cursor.dumps(plan.query)))


def _advance(plan: Walk, cursor: Cursor, page: ApiPage, cached: set[str]) -> tuple[Cursor, bool]:
    """The cursor after `page`, and whether the walk is complete with it."""
    published = [p.published for p in page.papers if p.published]
    newest = max(filter(None, (cursor.newest, *published)), default=None)
    after = replace(cursor, start=cursor.start + page.entries, newest=newest)
    done = (
        page.entries == 0
        or after.start >= page.total
        or (plan.max_entries is not None and after.start >= plan.max_entries)
        or (cursor.until is not None and any(d < cursor.until for d in published))
        or (plan.stop_when_cached and bool(page.papers) and len(cached) == len(page.papers))
    )
    return after, done


def _count(result: FollowResult, new: int, updated: int) -> None:
    result.new += new
    result.updated += updated


def _state(ctx: SyncContext, follow: Follow) -> SyncState:
    return ctx.store.sync_state(follow.key) if ctx.store is not None else SyncState(follow.key)


def _first_url(ctx: SyncContext, plan: Walk, state: SyncState) -> str:
    cursor = Cursor.resume(state, plan)
    return _url(ctx, plan.query, cursor.start if cursor else 0, plan.page_size)


def _url(ctx: SyncContext, query: str, start: int, page_size: int) -> str:
    from radar.sources.arxiv_api import query_url

    return query_url(ctx.settings.arxiv.api_url, query, start=start, page_size=page_size)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
