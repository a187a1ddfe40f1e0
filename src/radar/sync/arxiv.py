"""Syncing arXiv follows: authors through the API, categories through RSS plus API backfill.

Each API page is committed with its follow's progress, so a killed sync resumes where it stopped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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


def register() -> None:
    register_kind("author", FollowKind(sync=sync_authors, plan=plan_authors))
    register_kind("category", FollowKind(sync=sync_categories, plan=plan_categories))


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
    """The API backfill a category needs now, or None when RSS alone covers the gap."""
    from radar.sources.arxiv_api import category_query
    from radar.sources.arxiv_rss import category_label

    sighting = Sighting(f"arxiv-api:category:{follow.name}", category_label(follow.name))
    base = Walk(category_query(follow.name), sighting, keep=lambda paper: True)
    if ctx.since is not None:
        return replace(base, until=ctx.since)
    if state.cursor:
        return replace(base, stop_when_cached=True)  # until comes from the cursor
    window_start = ctx.today - timedelta(days=ctx.settings.arxiv.backfill_days)
    if state.high_water is None:
        return replace(base, until=window_start, stop_when_cached=True)
    last = date.fromisoformat(state.high_water)
    if (ctx.today - last).days <= RSS_WINDOW_DAYS:
        return None
    until = max(window_start, last - timedelta(days=BACKFILL_MARGIN_DAYS))
    return replace(base, until=until, stop_when_cached=True)


def sync_categories(ctx: SyncContext, follows: Sequence[Follow]) -> None:
    """Backfill categories that need it first (so "already cached" means before this run),
    then one RSS request for all of them."""
    backfilled_ok = {}
    for follow in follows:
        state = ctx.store.sync_state(follow.key)
        plan = backfill_walk(ctx, follow, state)
        if plan is None:
            backfilled_ok[follow.key] = True
            continue
        backfilled_ok[follow.key] = guarded(ctx, follow, partial(walk, ctx, follow, plan))
    _sync_rss(ctx, follows, backfilled_ok)


def plan_categories(ctx: SyncContext, follows: Sequence[Follow]) -> list[PlannedRequest]:
    from radar.sources.arxiv_rss import feed_url

    planned = []
    for follow in follows:
        state = _state(ctx, follow)
        plan = backfill_walk(ctx, follow, state)
        if plan is not None:
            why = (
                "resume the backfill"
                if Cursor.resume(state, plan)
                else f"backfill since {plan.until}"
            )
            planned.append(
                PlannedRequest(url=_first_url(ctx, plan, state), follows=(follow.key,), why=why)
            )
    url = feed_url(ctx.settings.arxiv.rss_url, [f.name for f in follows])
    planned.append(
        PlannedRequest(url=url, follows=tuple(f.key for f in follows), why="today's announcements")
    )
    return planned


def _sync_rss(ctx: SyncContext, follows: Sequence[Follow], backfilled_ok: dict[str, bool]) -> None:
    from radar.sources.arxiv_rss import feed_url, parse_feed, rss_source

    categories = [f.name for f in follows]
    url = feed_url(ctx.settings.arxiv.rss_url, categories)

    def fetch_and_store() -> None:
        response = fetch(ctx, follows, url)
        feed = parse_feed(response.body, categories)
        with ctx.store.transaction():
            for follow in follows:
                source = rss_source(follow.name)
                mine = [p for p in feed.papers if any(s.source == source for s in p.sources)]
                counts = ctx.store.upsert_papers(mine)
                _count(ctx.result(follow), counts.new, counts.updated)
                state = ctx.store.sync_state(follow.key)
                high = state.high_water
                if backfilled_ok[follow.key] and feed.day:
                    high = max(filter(None, (high, feed.day.isoformat())))
                if backfilled_ok[follow.key]:
                    state = replace(state, last_success=now_iso(), last_error=None)
                ctx.store.save_sync_state(replace(state, high_water=high, last_attempt=now_iso()))

    guarded(ctx, follows, fetch_and_store)


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

    def dumps(self, query: str) -> str:
        return json.dumps(
            {
                "query": query,
                "start": self.start,
                "until": _iso(self.until),
                "newest": _iso(self.newest),
            }
        )

    @classmethod
    def resume(cls, state: SyncState, plan: Walk) -> Cursor | None:
        """The saved progress of an unfinished walk of this query, unless --since restarts it."""
        try:
            saved = json.loads(state.cursor or "null")
            if not isinstance(saved, dict) or saved.get("query") != plan.query:
                return None
            cursor = cls(int(saved["start"]), _day(saved.get("until")), _day(saved.get("newest")))
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
    while True:
        page = _fetch_page(ctx, follow, plan, cursor.start)
        cached = (
            ctx.store.existing_ids([p.id for p in page.papers]) if plan.stop_when_cached else set()
        )
        cursor, done = _advance(plan, cursor, page, cached)
        with ctx.store.transaction():
            counts = ctx.store.upsert_papers([p for p in page.papers if plan.keep(p)])
            if plan.on_skipped is not None:
                plan.on_skipped([p for p in page.papers if not plan.keep(p)])
            state = ctx.store.sync_state(follow.key)
            if done:
                high = max(filter(None, (state.high_water, _iso(cursor.newest))), default=None)
                state = replace(
                    state, high_water=high, cursor=None, last_success=now_iso(), last_error=None
                )
            else:
                state = replace(state, cursor=cursor.dumps(plan.query))
            ctx.store.save_sync_state(replace(state, last_attempt=now_iso()))
        _count(result, counts.new, counts.updated)
        ctx.observer.advanced(result)
        if done:
            return


def _fetch_page(ctx: SyncContext, follow: Follow, plan: Walk, start: int) -> ApiPage:
    from radar.sources import MalformedResponse
    from radar.sources.arxiv_api import parse_page

    url = _url(ctx, plan.query, start)
    page = parse_page(fetch(ctx, [follow], url).body, plan.sighting)
    if page.entries == 0 and start < page.total:
        # arXiv sometimes answers a page with nothing; retrying later beats skipping results
        raise MalformedResponse(f"{url}: an empty page at {start} of {page.total} results")
    return page


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
    return _url(ctx, plan.query, cursor.start if cursor else 0)


def _url(ctx: SyncContext, query: str, start: int) -> str:
    from radar.sources.arxiv_api import query_url

    arxiv = ctx.settings.arxiv
    return query_url(arxiv.api_url, query, start=start, page_size=arxiv.page_size)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
