"""The filter options every reading command shares, declared once, and `Filters` built from them.

Decorate a command with `@filter_options(...)` and give it a `filters: Filters` parameter.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from radar.commands import complete
from radar.errors import UsageError
from radar.filters import Filters, current_day, parse_date

F = TypeVar("F", bound=Callable[..., Any])

PANEL = "Filters"

AuthorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--author",
        "-a",
        metavar="NAME",
        autocompletion=complete.followed_authors,
        help="Papers by this author (repeatable; case, accents, 'Li, Yantao' order do not matter).",
        rich_help_panel=PANEL,
    ),
]
CategoryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        metavar="CODE",
        autocompletion=complete.categories,
        help="In this arXiv category, primary or cross-listed (repeatable).",
        rich_help_panel=PANEL,
    ),
]
SourceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        metavar="SOURCE",
        autocompletion=complete.sources,
        help="Seen by this source: arxiv, arxiv-rss, arxiv-api, feed, a feed "
        "name or a source key like arxiv-rss:cs.AI (repeatable).",
        rich_help_panel=PANEL,
    ),
]
TodayOption = Annotated[
    bool,
    typer.Option(
        "--today",
        "-t",
        help="Only the latest arXiv announcement day up to today.",
        rich_help_panel=PANEL,
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="DATE",
        help="Only this day (YYYY-MM-DD, today, yesterday).",
        rich_help_panel=PANEL,
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="DATE", help="From this day on (inclusive).", rich_help_panel=PANEL
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="DATE", help="Up to this day (inclusive).", rich_help_panel=PANEL
    ),
]
DaysOption = Annotated[
    int | None,
    typer.Option(
        "--days", metavar="N", help="The last N days, today included.", rich_help_panel=PANEL
    ),
]
AnnounceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--announce",
        metavar="TYPES",
        help="Only these arXiv announce types: new, cross, replace, replace-cross "
        "(comma-separated or repeated).",
        rich_help_panel=PANEL,
    ),
]
NewOption = Annotated[
    bool,
    typer.Option("--new", help="Only papers that arrived in the last sync.", rich_help_panel=PANEL),
]
NewSinceOption = Annotated[
    str | None,
    typer.Option(
        "--new-since",
        metavar="DATE",
        help="Only papers radar first saw on or after this day.",
        rich_help_panel=PANEL,
    ),
]
FollowedOption = Annotated[
    bool,
    typer.Option(
        "--followed",
        help="Only papers matching a follow (authors, aliases, categories, feeds).",
        rich_help_panel=PANEL,
    ),
]
UnreadOption = Annotated[
    bool, typer.Option("--unread", help="Only papers not marked read.", rich_help_panel=PANEL)
]
StarredOption = Annotated[
    bool, typer.Option("--starred", help="Only starred papers.", rich_help_panel=PANEL)
]


def build_filters(
    *,
    author: list[str] | None = None,
    category: list[str] | None = None,
    source: list[str] | None = None,
    today: bool = False,
    date: str | None = None,
    since: str | None = None,
    until: str | None = None,
    days: int | None = None,
    followed: bool = False,
    unread: bool = False,
    starred: bool = False,
    limit: int | None = None,
    announce: list[str] | None = None,
    new: bool = False,
    new_since: str | None = None,
) -> Filters:
    """`Filters` from raw option values; bad dates, codes and conflicts raise UsageError.

    `limit` 0 means no limit. Category codes are canonicalised (`cs.ai` -> `cs.AI`).
    """
    now = current_day() if (date or since or until or new_since) else None
    return Filters(
        authors=tuple(a for a in author or () if a.strip()),
        categories=tuple(_category(c) for c in category or () if c.strip()),
        announce=_announce_types(announce or []),
        sources=tuple(s.strip() for s in source or () if s.strip()),
        today=today,
        date=parse_date(date, "--date", today=now) if date else None,
        since=parse_date(since, "--since", today=now) if since else None,
        until=parse_date(until, "--until", today=now) if until else None,
        days=days,
        followed=followed,
        unread=unread,
        starred=starred,
        limit=limit or None,
        new=new,
        new_since=parse_date(new_since, "--new-since", today=now) if new_since else None,
    )


def _category(code: str) -> str:
    """The canonical spelling of a category code; an unknown one is a usage error."""
    from radar.config.schema import check_category
    from radar.errors import ConfigError

    try:
        return check_category(code)
    except ConfigError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None


def _announce_types(values: list[str]) -> tuple[str, ...]:
    from radar.paper import ANNOUNCE_TYPES

    wanted = [v.strip().casefold() for value in values for v in value.split(",") if v.strip()]
    for kind in wanted:
        if kind not in ANNOUNCE_TYPES:
            from difflib import get_close_matches  # only on the error path

            close = get_close_matches(kind, ANNOUNCE_TYPES, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"one of {', '.join(ANNOUNCE_TYPES)}"
            raise UsageError(f"unknown announce type {kind!r}", hint=hint)
    return tuple(dict.fromkeys(wanted))


_FILTER_PARAMS: dict[str, Any] = {
    "author": AuthorOption,
    "category": CategoryOption,
    "source": SourceOption,
    "today": TodayOption,
    "date": DateOption,
    "since": SinceOption,
    "until": UntilOption,
    "days": DaysOption,
    "announce": AnnounceOption,
    "new": NewOption,
    "new_since": NewSinceOption,
    "followed": FollowedOption,
    "unread": UnreadOption,
    "starred": StarredOption,
}
_DEFAULTS: dict[str, Any] = {
    "author": None,
    "category": None,
    "source": None,
    "today": False,
    "date": None,
    "since": None,
    "until": None,
    "days": None,
    "announce": None,
    "new": False,
    "new_since": None,
    "followed": False,
    "unread": False,
    "starred": False,
}


_LIMIT_HELP = "At most this many papers (0: no limit)."


def limit_option(names: tuple[str, ...] = (), help: str = _LIMIT_HELP) -> Any:
    """The `--limit` option (names default to --limit, -n); its default is set per command."""
    return Annotated[
        int,
        typer.Option(
            *(names or ("--limit", "-n")),
            min=0,
            metavar="N",
            help=help,
            rich_help_panel=PANEL,
        ),
    ]


def filter_options(
    *,
    limit: int | None = 50,
    limit_names: tuple[str, ...] = (),
    limit_help: str = _LIMIT_HELP,
    omit: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Add the shared filter options to a Typer command and pass them as one `filters: Filters`.

    The decorated function declares `filters: Filters` (no default); the Typer-visible
    signature replaces it with --author, --category, --source, --today, --date, --since,
    --until, --days, --announce, --new, --new-since, --followed, --unread, --starred and
    --limit (default `limit`; `None` leaves --limit out). `limit_names` renames the limit
    option, e.g. ("-n", "--number", "--limit"), and `limit_help` rewords its help. `omit`
    leaves filters out (a command's own option of that name, e.g. `radar read --unread`,
    means something else).

        @filter_options(limit=20)
        def brief(ctx: typer.Context, filters: Filters) -> None: ...
    """

    def decorate(func: F) -> F:
        signature = inspect.signature(func, eval_str=True)
        kept = [p for name, p in signature.parameters.items() if name != "filters"]
        added = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=_DEFAULTS[name], annotation=annotation
            )
            for name, annotation in _FILTER_PARAMS.items()
            if name not in omit
        ]
        if limit is not None:
            added.append(
                inspect.Parameter(
                    "limit",
                    inspect.Parameter.KEYWORD_ONLY,
                    default=limit,
                    annotation=limit_option(limit_names, limit_help),
                )
            )

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            names = [n for n in [*_FILTER_PARAMS, "limit"] if n not in omit]
            values = {name: kwargs.pop(name) for name in names if name in kwargs}
            kwargs["filters"] = build_filters(**values)
            return func(*args, **kwargs)

        params = [*kept, *added]
        command.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command  # type: ignore[return-value]

    return decorate
