"""Shell completion of values: arXiv category codes, followed authors, feed names.

Installed with `radar --install-completion` (Typer's); each function runs on every TAB, so it
reads only radar.toml or the shipped category list, never the cache or the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from radar.errors import RadarError


def _settings(ctx: typer.Context) -> Any:
    from radar.config.settings import load_settings

    root = ctx.find_root()
    config = root.params.get("config")
    try:
        return load_settings(config_flag=Path(config) if config else None)
    except (RadarError, OSError):
        return None  # a broken config file: nothing to offer, never a traceback on TAB


def _starting(values: list[str], incomplete: str) -> list[str]:
    folded = incomplete.casefold()
    return [v for v in dict.fromkeys(values) if v.casefold().startswith(folded)]


def categories(incomplete: str) -> list[str]:
    """Every arXiv category code (cs.AI, quant-ph, ...), case-insensitively."""
    from radar.config.schema import arxiv_categories

    return _starting(sorted(arxiv_categories().values()), incomplete)


def followed_categories(ctx: typer.Context, incomplete: str) -> list[str]:
    settings = _settings(ctx)
    return _starting(list(settings.follow.categories) if settings else [], incomplete)


def followed_authors(ctx: typer.Context, incomplete: str) -> list[str]:
    settings = _settings(ctx)
    return _starting(list(settings.follow.authors) if settings else [], incomplete)


def feed_names(ctx: typer.Context, incomplete: str) -> list[str]:
    settings = _settings(ctx)
    return _starting([f.name for f in settings.follow.feeds] if settings else [], incomplete)


def sources(ctx: typer.Context, incomplete: str) -> list[str]:
    """What --source takes: the source kinds, then the followed feeds' names."""
    kinds = ["arxiv", "arxiv-rss", "arxiv-api", "feed"]
    return _starting(kinds + feed_names(ctx, ""), incomplete)
