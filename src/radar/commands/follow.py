"""Commands that manage what radar follows and where it keeps things.

`follow`, `unfollow`, `follows`, `path`, `config`.
"""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from radar.commands import complete
from radar.commands.aliases import follow_alias, unfollow_alias
from radar.commands.common import (
    DataFormat,
    FormatOption,
    announce_default_follows,
    invocation,
    note,
    out,
)
from radar.render.console import print_json, print_records

follow_app = typer.Typer(
    no_args_is_help=True, help="Follow authors, arXiv categories, journal feeds or keywords."
)
unfollow_app = typer.Typer(
    no_args_is_help=True, help="Stop following authors, categories, feeds or keywords."
)

Names = Annotated[list[str], typer.Argument(metavar="NAME", help="One or more full author names.")]
Categories = Annotated[
    list[str],
    typer.Argument(
        metavar="CODE", help="One or more arXiv category codes.", autocompletion=complete.categories
    ),
]
FollowedNames = Annotated[
    list[str],
    typer.Argument(
        metavar="NAME",
        help="One or more followed authors.",
        autocompletion=complete.followed_authors,
    ),
]
FollowedCategories = Annotated[
    list[str],
    typer.Argument(
        metavar="CODE",
        help="One or more followed categories.",
        autocompletion=complete.followed_categories,
    ),
]


def _report(
    ctx: typer.Context,
    verb: str,
    kind: str,
    changed: tuple[str, ...],
    unchanged: tuple[str, ...],
    created: object,
) -> None:
    if created:
        note(f"created {created} from radar.toml.example")
    for value in changed:
        note(f"{verb} {kind} {value!r}")
    for value in unchanged:
        note(f"already following {kind} {value!r}: nothing to do")


def _follow(ctx: typer.Context, kind: str, values: list[str]) -> None:
    from radar.config.follows import add_follows

    change = add_follows(invocation(ctx).settings(), kind, values)  # type: ignore[arg-type]
    _report(ctx, "following", kind, change.changed, change.unchanged, change.created)


def _unfollow(ctx: typer.Context, kind: str, values: list[str]) -> None:
    from radar.config.follows import remove_follows

    change = remove_follows(invocation(ctx).settings(), kind, values)  # type: ignore[arg-type]
    _report(ctx, "unfollowed", kind, change.changed, (), change.created)


@follow_app.command("author")
def follow_author(
    ctx: typer.Context,
    names: Names,
    arxiv_id: Annotated[
        str | None,
        typer.Option(
            "--arxiv-id", help="Follow the person by arXiv author id (arxiv.org/a/ID), e.g. li_y_1."
        ),
    ] = None,
    orcid: Annotated[
        str | None, typer.Option("--orcid", help="Follow the person by ORCID (checked).")
    ] = None,
    papers: Annotated[
        list[str] | None,
        typer.Option(
            "--paper", help="Pin the person who wrote this arXiv paper (repeatable).", metavar="ID"
        ),
    ] = None,
) -> None:
    """Follow authors by full name, or one person by arXiv author id, ORCID or a paper.

    Examples:
      radar follow author "Yantao Li"
      radar follow author "Yantao Li" --arxiv-id li_y_1
    """
    if arxiv_id is None and orcid is None and not papers:
        _follow(ctx, "author", names)
        return
    from radar.commands.people import follow_person

    follow_person(ctx, names, arxiv_id=arxiv_id, orcid=orcid, papers=papers or [])


@follow_app.command("category")
def follow_category(ctx: typer.Context, categories: Categories) -> None:
    """Follow arXiv categories.

    Examples:
      radar follow category cs.AI cs.CV
    """
    _follow(ctx, "category", categories)


Phrases = Annotated[list[str], typer.Argument(help="One or more phrases (quote multi-word ones).")]


@follow_app.command("keyword")
def follow_keyword(
    ctx: typer.Context,
    phrases: Phrases,
    exclude: Annotated[
        bool,
        typer.Option("--exclude", help="Push papers with these phrases down instead of up."),
    ] = False,
) -> None:
    """Teach the relevance ranking a phrase that matters to you (or, --exclude, one that does not).

    Examples:
      radar follow keyword "knowledge distillation"
      radar follow keyword survey --exclude
    """
    from radar.config.follows import add_follows

    change = add_follows(invocation(ctx).settings(), "exclude" if exclude else "keyword", phrases)
    if change.created:
        note(f"created {change.created} from radar.toml.example")
    verb = "excluding" if exclude else "following keyword"
    for phrase in change.changed:
        note(f"{verb} {phrase!r} (`radar rank` or the next `radar sync` applies it)")
    for phrase in change.unchanged:
        note(f"already {verb} {phrase!r}: nothing to do")


class FeedKind(enum.StrEnum):
    rss = "rss"
    atom = "atom"


@follow_app.command("feed")
def follow_feed(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The feed's http(s) address (RSS or Atom).")],
    name: Annotated[
        str | None,
        typer.Option("--name", help="Source label radar shows (default: the URL's host)."),
    ] = None,
    kind: Annotated[
        FeedKind | None, typer.Option("--kind", help="Feed format; detected when omitted.")
    ] = None,
) -> None:
    """Follow a journal or preprint-server feed (RSS or Atom).

    Examples:
      radar follow feed https://www.nature.com/nature.rss --name Nature
    """
    from radar.config.follows import add_feed

    settings = invocation(ctx).settings()
    change = add_feed(settings, url, name, kind.value if kind else None)
    if change.created:
        note(f"created {change.created} from radar.toml.example")
    for value in change.changed:
        note(f"following feed {value!r} <{url.strip()}> (fetched by the next `radar sync`)")
    for value in change.unchanged:
        note(f"already following that URL as feed {value!r}: nothing to do")


@unfollow_app.command("feed")
def unfollow_feed(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="The feed's name (any case) or its URL.",
            autocompletion=complete.feed_names,
        ),
    ],
) -> None:
    """Stop following a feed; papers already cached stay.

    Examples:
      radar unfollow feed Nature
    """
    from radar.config.follows import remove_feed

    change = remove_feed(invocation(ctx).settings(), name)
    _report(ctx, "unfollowed", "feed", change.changed, (), change.created)


@unfollow_app.command("author")
def unfollow_author(ctx: typer.Context, names: FollowedNames) -> None:
    """Stop following authors (their name, arXiv id or ORCID, and pinned papers).

    Examples:
      radar unfollow author "Yantao Li"
    """
    from radar.commands.people import unfollow_people

    rest = unfollow_people(ctx, names)
    if rest:
        _unfollow(ctx, "author", rest)


@unfollow_app.command("keyword")
def unfollow_keyword(ctx: typer.Context, phrases: Phrases) -> None:
    """Forget keywords or excluded phrases.

    Examples:
      radar unfollow keyword "knowledge distillation"
    """
    from radar.config.follows import remove_keywords

    change = remove_keywords(invocation(ctx).settings(), phrases)
    _report(ctx, "unfollowed", "keyword", change.changed, (), change.created)


@unfollow_app.command("category")
def unfollow_category(ctx: typer.Context, categories: FollowedCategories) -> None:
    """Stop following arXiv categories.

    Examples:
      radar unfollow category cs.CV
    """
    _unfollow(ctx, "category", categories)


def follows(ctx: typer.Context, fmt: FormatOption = DataFormat.table) -> None:
    """List what radar follows.

    Examples:
      radar follows
      radar follows --format json
    """
    settings = invocation(ctx).settings()
    announce_default_follows(settings)
    follow = settings.follow
    if fmt is DataFormat.json:
        print_json(
            out(ctx),
            {
                "authors": list(follow.authors),
                "categories": list(follow.categories),
                "aliases": {name: list(names) for name, names in follow.aliases.items()},
                "feeds": [{"name": f.name, "url": f.url, "kind": f.kind} for f in follow.feeds],
                "identities": dict(follow.identities),
                "pins": {name: list(ids) for name, ids in follow.pins.items()},
                "keywords": list(settings.interests.keywords),
                "exclude": list(settings.interests.exclude),
                "config": str(settings.config_path),
                "default": settings.using_default_follows,
            },
        )
        return
    from radar.commands.people import people_rows

    rows = people_rows(follow)
    rows += [("category", code) for code in follow.categories]
    rows += [("feed", f"{feed.name} <{feed.url}>") for feed in follow.feeds]
    rows += [("keyword", phrase) for phrase in settings.interests.keywords]
    rows += [("exclude", phrase) for phrase in settings.interests.exclude]
    if not rows:
        note(
            'nothing is followed (hint: radar follow author "Name" or radar follow category cs.AI)'
        )
        return
    print_records(out(ctx), rows, ["kind", "follow"])


def path(ctx: typer.Context, fmt: FormatOption = DataFormat.table) -> None:
    """Print where the config file and the database live.

    Examples:
      radar path
      radar path --format json
    """
    settings = invocation(ctx).settings()
    config_state = "exists" if settings.config_exists else "missing: built-in defaults in use"
    if fmt is DataFormat.json:
        print_json(
            out(ctx),
            {
                "config": str(settings.config_path),
                "config_exists": settings.config_exists,
                "database": str(settings.db_path),
                "database_exists": settings.db_path.exists(),
            },
        )
        return
    db_state = "exists" if settings.db_path.exists() else "created by the first sync"
    rows = [
        ("config", str(settings.config_path), config_state),
        ("database", str(settings.db_path), db_state),
    ]
    print_records(out(ctx), rows, ["what", "path", "state"])


def config(ctx: typer.Context, fmt: FormatOption = DataFormat.table) -> None:
    """Show the effective settings and where each value came from.

    Examples:
      radar config
      radar config --format json
    """
    from radar.config.settings import effective_values

    settings = invocation(ctx).settings()
    announce_default_follows(settings)
    values = effective_values(settings)
    if fmt is DataFormat.json:
        print_json(out(ctx), {key: {"value": v, "origin": o} for key, (v, o) in values.items()})
        return
    rows = [(key, _show(value), origin) for key, (value, origin) in values.items()]
    print_records(out(ctx), rows, ["setting", "value", "from"])


def _show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return "(not set)" if value is None else str(value)


follow_app.command("alias")(follow_alias)
unfollow_app.command("alias")(unfollow_alias)

app = typer.Typer()
app.add_typer(follow_app, name="follow")
app.add_typer(unfollow_app, name="unfollow")
app.command("follows")(follows)
app.command("path")(path)
app.command("config")(config)
