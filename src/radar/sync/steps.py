"""The steps every kind of follow shares: a guarded step that fails its own follows only,
a GET counted for the follows relying on it, and a follow's new and updated counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from radar.errors import RadarError
from radar.store import now_iso
from radar.sync.run import Follow, FollowResult, SyncContext

if TYPE_CHECKING:
    from radar.sources.http import Response

log = logging.getLogger(__name__)


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


def add_counts(result: FollowResult, new: int, updated: int) -> None:
    result.new += new
    result.updated += updated
