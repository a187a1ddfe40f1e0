"""Syncing arXiv follows: authors through the API, categories through RSS plus API backfill.

This module plans which walks each follow needs (see `radar.sync.walk`) and stores the day's RSS.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial

from radar.paper import Sighting, normalize_name
from radar.store import SyncState, now_iso
from radar.sync.run import Follow, FollowKind, PlannedRequest, SyncContext, register_kind
from radar.sync.steps import add_counts, fetch, guarded
from radar.sync.walk import Cursor, Walk, date_or_none, first_url, iso_or_none, walk

# RSS shows one announcement day; a longer gap (Friday -> Monday is 3 days) needs the API.
RSS_WINDOW_DAYS = 3
# Papers are announced a few days after submission: a gap backfill reaches back this much more.
BACKFILL_MARGIN_DAYS = 5


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
            PlannedRequest(url=first_url(ctx, plan, state), follows=(follow.key,), why=why)
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
        return query, date_or_none(saved.get("until"))
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
        high = max(filter(None, (state.high_water, iso_or_none(day))), default=None)
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
                PlannedRequest(url=first_url(ctx, plan, state), follows=(follow.key,), why=why)
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
                add_counts(ctx.result(follow), counts.new, counts.updated)
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


def _state(ctx: SyncContext, follow: Follow) -> SyncState:
    return ctx.store.sync_state(follow.key) if ctx.store is not None else SyncState(follow.key)
