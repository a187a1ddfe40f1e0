"""The paginated arXiv API walk: a query paged newest first, each page committed with the
follow's progress (its `Cursor`), so a killed sync resumes where it stopped; `Pace` is its ETA.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from radar.paper import Paper, Sighting
from radar.store import SyncState, now_iso
from radar.sync.run import Follow, FollowResult, SyncContext
from radar.sync.steps import add_counts, fetch

if TYPE_CHECKING:
    from radar.sources.arxiv_api import ApiPage


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
                "until": iso_or_none(self.until),
                "newest": iso_or_none(self.newest),
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
                date_or_none(saved.get("until")),
                date_or_none(saved.get("newest")),
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
            high = max(filter(None, (state.high_water, iso_or_none(cursor.newest))), default=None)
            state = replace(state, high_water=high, cursor=None)
            if not result.errors:  # a failed RSS step of this run keeps its error
                state = replace(state, last_success=now_iso(), last_error=None)
        else:
            state = replace(state, cursor=cursor.dumps(plan.query))
        ctx.store.save_sync_state(replace(state, last_attempt=now_iso()))
    add_counts(result, counts.new, counts.updated)
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


def first_url(ctx: SyncContext, plan: Walk, state: SyncState) -> str:
    cursor = Cursor.resume(state, plan)
    return _url(ctx, plan.query, cursor.start if cursor else 0, plan.page_size)


def _url(ctx: SyncContext, query: str, start: int, page_size: int) -> str:
    from radar.sources.arxiv_api import query_url

    return query_url(ctx.settings.arxiv.api_url, query, start=start, page_size=page_size)


def iso_or_none(value: date | None) -> str | None:
    return value.isoformat() if value else None


def date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
