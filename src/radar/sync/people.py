"""Syncing identity follows: a person's own arXiv listing, fetched whole, stored in one step.

Every paper on the listing is the person's, however it is signed ("I. Grabec", "Igor Grabec").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from radar.store import now_iso
from radar.sync.run import Follow, FollowKind, PlannedRequest, SyncContext, register_kind
from radar.sync.steps import guarded


def register() -> None:
    register_kind("identity", FollowKind(sync=sync_identities, plan=plan_identities))


def person_id(ctx: SyncContext, follow: Follow) -> str:
    return ctx.settings.follow.identities[follow.name]


def listing_url(ctx: SyncContext, follow: Follow) -> str:
    from radar.sources.arxiv_author import feed_url

    return feed_url(ctx.settings.arxiv.author_feed_url, person_id(ctx, follow))


def sync_identities(ctx: SyncContext, follows: Sequence[Follow]) -> None:
    for follow in follows:
        guarded(ctx, follow, partial(_sync_listing, ctx, follow))


def plan_identities(ctx: SyncContext, follows: Sequence[Follow]) -> list[PlannedRequest]:
    return [
        PlannedRequest(
            url=listing_url(ctx, f), follows=(f.key,), why="the person's own arXiv listing"
        )
        for f in follows
    ]


def _sync_listing(ctx: SyncContext, follow: Follow) -> None:
    from radar.sources.arxiv_author import not_found_error, parse_author_feed, sighting

    url, pid = listing_url(ctx, follow), person_id(ctx, follow)
    result = ctx.result(follow)
    before = ctx.http.requests
    try:
        response = ctx.http.get(url)
    finally:
        result.requests += ctx.http.requests - before
    if response.status != 200:
        raise not_found_error(response.status, response.body, pid, url)
    feed = parse_author_feed(response.body, sighting(pid, follow.name))
    newest = max((p.published for p in feed.papers if p.published), default=None)
    with ctx.store.transaction():
        counts = ctx.store.upsert_papers(feed.papers)
        state = ctx.store.sync_state(follow.key)
        seen = (state.high_water, newest.isoformat() if newest else None)
        high = max(filter(None, seen), default=None)
        ctx.store.save_sync_state(
            replace(
                state,
                high_water=high,
                last_attempt=now_iso(),
                last_success=now_iso(),
                last_error=None,
            )
        )
    result.new += counts.new
    result.updated += counts.updated
    ctx.observer.advanced(result)
