"""Orchestrates follows -> sources -> store: the run lock, per-follow isolation, the summary.

Each kind of follow (author, category, feed, person) registers a `FollowKind`: its sync and plan.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from radar.errors import ExitStatus, RadarError, UsageError
from radar.sync.lock import sync_lock

if TYPE_CHECKING:
    from radar.config.settings import Settings
    from radar.rank.engine import SyncScorer
    from radar.sources.http import HttpClient
    from radar.store import Store
    from radar.store.core import UpgradeNotice

LOCK_NAME = "sync.lock"


@dataclass(frozen=True)
class Follow:
    """One thing radar follows; `key` names its row in sync_state ("author:Yantao Li")."""

    kind: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(kw_only=True)
class FollowResult:
    """What syncing one follow did. `requests` counts requests this follow relied on."""

    follow: Follow
    new: int = 0
    updated: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # synced, but something was off (a feed)
    notes: list[str] = field(default_factory=list)  # worth knowing (papers set aside by pins)
    progress: str | None = None  # where a long step is, for the display ("page 3 of 11, ...")

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "follow": self.follow.key,
            "kind": self.follow.kind,
            "name": self.follow.name,
            "new": self.new,
            "updated": self.updated,
            "requests": self.requests,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "ok": not self.failed,
        }


@dataclass(frozen=True, kw_only=True)
class PlannedRequest:
    """A request a sync would make first for some follows (for --dry-run)."""

    url: str
    follows: tuple[str, ...]
    why: str


@dataclass(kw_only=True)
class SyncSummary:
    results: list[FollowResult]
    seconds: float = 0.0
    requests: int = 0  # HTTP requests actually sent, retries included
    planned: list[PlannedRequest] = field(default_factory=list)
    dry_run: bool = False
    ranking: str | None = None  # what refreshing the relevance model did, if anything
    hosts_down: dict[str, str] = field(default_factory=dict)  # host -> what went wrong
    hosts_answered: set[str] = field(default_factory=set)  # hosts that gave any HTTP answer
    hosts_unreachable: set[str] = field(default_factory=set)  # down without a single answer

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.results)

    @property
    def failed(self) -> list[FollowResult]:
        return [r for r in self.results if r.failed]

    @property
    def exit_code(self) -> ExitStatus:
        return ExitStatus.ERROR if self.failed else ExitStatus.SUCCESS

    def line(self) -> str:
        """`synced 3 follows: 41 new, 6 updated, 0 failed in 12.4s`."""
        count = len(self.results)
        noun = "follow" if count == 1 else "follows"
        return (
            f"synced {count} {noun}: {self.new} new, {self.updated} updated, "
            f"{len(self.failed)} failed in {self.seconds:.1f}s"
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": not self.failed,
            "dry_run": self.dry_run,
            "new": self.new,
            "updated": self.updated,
            "failed": len(self.failed),
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "follows": [r.to_dict() for r in self.results],
            # hosts given up for the rest of the run; "answered": false is a network problem
            "hosts_down": [
                {"host": host, "problem": problem, "answered": host not in self.hosts_unreachable}
                for host, problem in sorted(self.hosts_down.items())
            ],
        }
        if self.dry_run:
            data["planned"] = [
                {"url": p.url, "follows": list(p.follows), "why": p.why} for p in self.planned
            ]
        return data


class Observer(Protocol):
    """Progress callbacks for a display; the core never prints."""

    def started(self, result: FollowResult) -> None: ...

    def advanced(self, result: FollowResult) -> None: ...

    def finished(self, result: FollowResult) -> None: ...


class _NoObserver:
    def started(self, result: FollowResult) -> None:
        pass

    def advanced(self, result: FollowResult) -> None:
        pass

    def finished(self, result: FollowResult) -> None:
        pass


@dataclass(kw_only=True)
class SyncContext:
    """What a follow kind's sync step gets: settings, store, client, options, results."""

    settings: Settings
    store: Store
    http: HttpClient
    today: date
    since: date | None
    results: dict[str, FollowResult]
    observer: Observer

    def result(self, follow: Follow) -> FollowResult:
        return self.results[follow.key]


@dataclass(frozen=True, kw_only=True)
class FollowKind:
    """How one kind of follow syncs (all its follows together) and plans its requests."""

    sync: Callable[[SyncContext, Sequence[Follow]], None]
    plan: Callable[[SyncContext, Sequence[Follow]], list[PlannedRequest]]
    order: int = 1  # kinds sync in this order (categories first: today's RSS is request one)


KINDS: dict[str, FollowKind] = {}
# Modules whose `register()` adds follow kinds; imported on first use to keep startup light.
KIND_MODULES = ["radar.sync.arxiv", "radar.sync.feeds", "radar.sync.people"]


def register_kind(kind: str, handler: FollowKind) -> None:
    KINDS[kind] = handler


def ensure_kinds() -> None:
    import importlib

    for name in KIND_MODULES:
        importlib.import_module(name).register()


# --- running --------------------------------------------------------------------------------


def run_sync(
    settings: Settings,
    follows: Sequence[Follow],
    *,
    since: date | None = None,
    dry_run: bool = False,
    http: HttpClient | None = None,
    observer: Observer | None = None,
    today: date | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    announce: Callable[[str], None] | None = None,
    on_upgrade: UpgradeNotice | None = None,
) -> SyncSummary:
    """Sync `follows` into the cache under the run lock; one failing follow never stops others.

    `announce` hears what the HTTP client is doing when it is not simply fetching (a retry:
    host, attempt n of m, the wait; a host given up); `on_upgrade`, that an older cache is
    being upgraded (see `Store.open`). Without `http`, the client is built from `[arxiv]` and
    waits with `sleep`. Raises SyncLockedError when another sync holds the lock.
    """
    ensure_kinds()
    began = clock()
    client = http or http_client(settings, sleep=sleep)
    if client.announce is None:
        client.announce = announce
    results = {f.key: FollowResult(follow=f) for f in follows}
    summary = SyncSummary(results=list(results.values()), dry_run=dry_run)
    today = today or datetime.now(UTC).date()
    if dry_run:
        summary.planned = _plan(settings, follows, since, today, client, results, on_upgrade)
        summary.seconds = clock() - began
        return summary
    from radar.store import Store
    from radar.store.runs import recorded_run

    with (
        sync_lock(settings.state_dir / LOCK_NAME),
        Store.open(settings.db_path, on_upgrade=on_upgrade) as store,
        recorded_run(store, lambda: (summary.new, bool(summary.failed))),
    ):
        ctx = SyncContext(
            settings=settings,
            store=store,
            http=client,
            today=today,
            since=since,
            results=results,
            observer=observer or _NoObserver(),
        )
        scorer = _scorer(store, settings)
        for kind, group in _by_kind(follows):
            for follow in group:
                ctx.observer.started(results[follow.key])
            KINDS[kind].sync(ctx, group)
            for follow in group:
                ctx.observer.finished(results[follow.key])
        summary.ranking = _refresh_ranking(scorer)
    summary.requests = client.requests
    summary.hosts_down = dict(client.breaker.down)
    summary.hosts_answered = set(client.breaker.answered_hosts)
    summary.hosts_unreachable = set(client.breaker.unreachable)
    summary.seconds = clock() - began
    return summary


def _scorer(store: Store, settings: Settings) -> SyncScorer:
    """Scores each stored page while the relevance model is current (see radar.rank)."""
    from radar.rank.engine import SyncScorer

    scorer = SyncScorer(store, settings)
    store.after_upsert = scorer.page
    return scorer


def _refresh_ranking(scorer: SyncScorer) -> str | None:
    """Retrain a stale model after the papers are in; a failure never fails the sync."""
    scorer.store.after_upsert = None
    try:
        return scorer.finish()
    except RadarError as exc:
        return f"the relevance model was not refreshed: {exc.message}"


def _plan(
    settings: Settings,
    follows: Sequence[Follow],
    since: date | None,
    today: date,
    client: HttpClient,
    results: dict[str, FollowResult],
    on_upgrade: UpgradeNotice | None,
) -> list[PlannedRequest]:
    from radar.store import Store

    planned: list[PlannedRequest] = []
    with contextlib.ExitStack() as stack:
        store = (
            stack.enter_context(Store.open(settings.db_path, readonly=True, on_upgrade=on_upgrade))
            if settings.db_path.exists()
            else None
        )
        # Plans only read sync state; before the first sync there is no cache (store is None).
        ctx = SyncContext(
            settings=settings,
            store=store,  # type: ignore[arg-type]
            http=client,
            today=today,
            since=since,
            results=results,
            observer=_NoObserver(),
        )
        for kind, group in _by_kind(follows):
            planned += KINDS[kind].plan(ctx, group)
    return planned


def _by_kind(follows: Sequence[Follow]) -> Iterator[tuple[str, list[Follow]]]:
    kinds: dict[str, list[Follow]] = {}
    for follow in follows:
        kinds.setdefault(follow.kind, []).append(follow)
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"radar cannot sync {kind} follows yet")
    for kind in sorted(kinds, key=lambda k: KINDS[k].order):
        yield kind, kinds[kind]


def http_client(
    settings: Settings,
    *,
    announce: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> HttpClient:
    """The HTTP client `[arxiv]` describes (spacing, timeout, retries, size cap), for any
    command that fetches: `announce` hears its retries, it waits with `sleep`."""
    from radar.sources.http import HttpClient

    arxiv = settings.arxiv
    return HttpClient(
        delay_seconds=arxiv.delay_seconds,
        timeout_seconds=arxiv.timeout_seconds,
        max_retries=arxiv.max_retries,
        max_retry_wait_seconds=arxiv.max_retry_wait_seconds,
        max_response_bytes=int(arxiv.max_response_mb * 1_000_000),
        announce=announce,
        sleep=sleep,
    )
