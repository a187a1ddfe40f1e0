"""Which follows a `radar sync` run syncs: every one radar.toml names, or those chosen by
--author, --category and --feed (each refused with a hint when it is not followed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from radar.errors import ConfigError, RadarError, UsageError
from radar.paper import normalize_name
from radar.sync.run import KINDS, Follow, ensure_kinds

if TYPE_CHECKING:
    from radar.config.settings import Settings


def select_follows(
    settings: Settings,
    *,
    author: str | None = None,
    category: str | None = None,
    feed: str | None = None,
) -> list[Follow]:
    """The follows this run syncs: all of them, or those named by --author/--category/--feed."""
    ensure_kinds()
    follow = settings.follow
    everything = [
        Follow("author", name, tuple(_aliases(follow.aliases, name))) for name in follow.authors
    ]
    everything += [Follow("identity", name) for name in follow.identities]
    everything += [Follow("category", code) for code in follow.categories]
    everything += [Follow("feed", feed.name) for feed in follow.feeds if "feed" in KINDS]
    if not everything:
        raise RadarError(
            "nothing is followed, so there is nothing to sync",
            hint='radar follow author "Yantao Li", or radar follow category cs.AI',
        )
    if author is None and category is None and feed is None:
        return everything
    chosen = []
    if author is not None:
        chosen += _pick_author(everything, author)
    if category is not None:
        chosen += _pick_category(everything, category)
    if feed is not None:
        chosen += _pick_feed(everything, feed)
    return chosen


def _pick_author(everything: list[Follow], name: str) -> list[Follow]:
    wanted = normalize_name(name)
    picked = [
        f
        for f in everything
        if f.kind in ("author", "identity") and normalize_name(f.name) == wanted
    ]
    if not picked:
        raise UsageError(
            f"not following author {name!r}",
            hint=f'radar follow author "{name}" first (see `radar follows`)',
        )
    return picked


def _pick_category(everything: list[Follow], code: str) -> list[Follow]:
    picked = [
        f for f in everything if f.kind == "category" and f.name.casefold() == code.casefold()
    ]
    if not picked:
        from radar.config.schema import check_category  # only on this error path

        try:
            check_category(code)
        except ConfigError as exc:  # a typo: suggest the real code, not following the typo
            raise UsageError(exc.message, hint=exc.hint) from None
        raise UsageError(
            f"not following category {code!r}",
            hint=f"radar follow category {code} first (see `radar follows`)",
        )
    return picked


def _pick_feed(everything: list[Follow], name: str) -> list[Follow]:
    feeds = [f for f in everything if f.kind == "feed"]
    picked = [f for f in feeds if f.name.casefold() == name.strip().casefold()]
    if not picked:
        followed = ", ".join(repr(f.name) for f in feeds) or "none"
        raise UsageError(
            f"not following a feed named {name!r}",
            hint=f"followed feeds: {followed}; add one with radar follow feed URL --name NAME",
        )
    return picked


def _aliases(aliases: Any, name: str) -> list[str]:
    wanted = normalize_name(name)
    return [
        alias
        for key, values in aliases.items()
        if normalize_name(key) == wanted
        for alias in values
    ]
