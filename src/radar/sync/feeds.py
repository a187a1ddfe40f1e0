"""Syncing feed follows: one conditional GET per feed, parsed into papers, merged by identity.

An unchanged feed costs one 304; each host has its own polite spacing; a feed that fails
(a 404, an HTML page, not RSS/Atom, retries used up) fails alone and the others go on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from radar.errors import FeedError
from radar.store import SyncState, now_iso
from radar.sync.run import Follow, FollowKind, PlannedRequest, SyncContext, register_kind
from radar.sync.steps import guarded

if TYPE_CHECKING:
    from radar.config.settings import FeedSettings
    from radar.paper import Paper
    from radar.sources.http import HttpClient, Response

ACCEPT = (
    "application/rss+xml, application/rdf+xml, application/atom+xml, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)


def register() -> None:
    register_kind("feed", FollowKind(sync=sync_feeds, plan=plan_feeds))


@dataclass
class HostClients:
    """One polite client per host, cloned from the run's client (same delay, timeout, retries,
    clock and sleep): requests to one host are spaced, feeds on other hosts do not wait.

    arXiv hosts keep the run's own client, so its spacing covers feeds served by arXiv too.
    """

    base: HttpClient
    clients: dict[str, HttpClient] = field(default_factory=dict)

    def for_url(self, url: str) -> HttpClient:
        host = (urlsplit(url).hostname or "").lower()
        if host == "arxiv.org" or host.endswith(".arxiv.org"):
            return self.base
        if host not in self.clients:
            self.clients[host] = replace(self.base, requests=0, _last_done=None)
        return self.clients[host]

    @property
    def requests(self) -> int:
        return sum(client.requests for client in self.clients.values())


def sync_feeds(ctx: SyncContext, follows: Sequence[Follow]) -> None:
    """Sync each feed on its own: one failing feed records its error and the rest go on."""
    configured = {feed.name: feed for feed in ctx.settings.follow.feeds}
    clients = HostClients(ctx.http)
    try:
        for follow in follows:
            feed = configured[follow.name]
            guarded(ctx, follow, partial(sync_feed, ctx, follow, feed, clients))
    finally:
        # The run's summary counts the requests of the run's client: add the per-host ones.
        ctx.http.requests += clients.requests


def sync_feed(ctx: SyncContext, follow: Follow, feed: FeedSettings, clients: HostClients) -> None:
    """Fetch one feed (conditionally) and store its papers with the feed's new validators."""
    from radar.sources.feeds import parse_feed

    response = _fetch(ctx, follow, feed, clients)
    if response.status == 304:  # unchanged: a 304 may still refresh the validators
        state = ctx.store.sync_state(follow.key)
        etag = response.header("etag") or state.etag
        modified = response.header("last-modified") or state.last_modified
        state = replace(state, etag=etag, last_modified=modified)
        ctx.store.save_sync_state(_succeeded(state, feed))
        return
    parsed = parse_feed(
        response.body,
        name=feed.name,
        url=feed.url,
        content_type=response.header("content-type"),
        kind=feed.kind,
        fetched_on=ctx.today,
    )
    result = ctx.result(follow)
    if parsed.warning:
        result.warnings.append(parsed.warning)
    _store(ctx, follow, feed, parsed.papers, response)
    ctx.observer.advanced(result)


def _store(
    ctx: SyncContext,
    follow: Follow,
    feed: FeedSettings,
    papers: Sequence[Paper],
    response: Response,
) -> None:
    """The feed's papers and its new validators, in one transaction."""
    newest = max((p.published.isoformat() for p in papers if p.published), default=None)
    with ctx.store.transaction():
        counts = ctx.store.upsert_papers(papers)
        state = ctx.store.sync_state(follow.key)
        state = replace(
            state,
            etag=response.header("etag"),
            last_modified=response.header("last-modified"),
            high_water=max(filter(None, (state.high_water, newest)), default=None),
        )
        ctx.store.save_sync_state(_succeeded(state, feed))
    result = ctx.result(follow)
    result.new += counts.new
    result.updated += counts.updated


def _fetch(ctx: SyncContext, follow: Follow, feed: FeedSettings, clients: HostClients) -> Response:
    """GET the feed through its host's client; 200 and 304 are answers, the rest FeedError."""
    client = clients.for_url(feed.url)
    validators = conditional_headers(ctx.store.sync_state(follow.key), feed)
    headers = {"Accept": ACCEPT, **validators}
    before = client.requests
    try:
        response = client.get(feed.url, headers=headers)
    finally:
        ctx.result(follow).requests += client.requests - before
    if response.status not in (200, 304) or (response.status == 304 and not validators):
        hint = (
            "the feed moved or was removed: find its current URL on the publisher's site"
            if response.status in (404, 410)
            else None
        )
        raise FeedError(f"{feed.url}: HTTP {response.status}", hint=hint)
    return response


def conditional_headers(state: SyncState, feed: FeedSettings) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the validators the feed sent last time, unless
    its URL has changed since (the validators belong to the old address)."""
    if _fetched_url(state) != feed.url:
        return {}
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def _fetched_url(state: SyncState) -> str | None:
    try:
        saved = json.loads(state.cursor or "null")
    except ValueError:
        return None
    return saved.get("url") if isinstance(saved, dict) else None


def _succeeded(state: SyncState, feed: FeedSettings) -> SyncState:
    """A successful fetch; `cursor` remembers the URL the validators came from."""
    now = now_iso()
    cursor = json.dumps({"url": feed.url})
    return replace(state, last_attempt=now, last_success=now, last_error=None, cursor=cursor)


def plan_feeds(ctx: SyncContext, follows: Sequence[Follow]) -> list[PlannedRequest]:
    configured = {feed.name: feed for feed in ctx.settings.follow.feeds}
    planned = []
    for follow in follows:
        # A dry run may have no cache yet (see radar.sync.run._plan).
        state = ctx.store.sync_state(follow.key) if ctx.store is not None else SyncState(follow.key)
        headers = conditional_headers(state, configured[follow.name])
        why = (
            f"the feed, unless unchanged ({' and '.join(headers)}: one 304)"
            if headers
            else "the whole feed (first sync)"
        )
        planned.append(
            PlannedRequest(url=configured[follow.name].url, follows=(follow.key,), why=why)
        )
    return planned
