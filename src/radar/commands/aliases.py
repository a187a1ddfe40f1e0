"""`radar follow alias NAME OTHER` and `radar unfollow alias NAME OTHER`: [follow.aliases].

Registered on the follow and unfollow groups by `radar.commands.follow`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from radar.commands.common import invocation, note

Name = Annotated[str, typer.Argument(help="The followed author's name.")]
Other = Annotated[
    str, typer.Argument(help="Another spelling they sign with, e.g. 'A. Del Maestro'.")
]


def follow_alias(ctx: typer.Context, name: Name, other: Other) -> None:
    """Count papers signed OTHER as NAME's (sync, --author and --followed).

    Example: radar follow alias "Adrian Del Maestro" "A. Del Maestro"
    """
    from radar.config.aliases import add_alias
    from radar.paper import normalize_name

    settings = invocation(ctx).settings()
    change = add_alias(settings, name, other)
    if change.created:
        note(f"created {change.created} from radar.toml.example")
    for value in change.changed:
        note(f"papers signed {value!r} now count as {name!r}'s")
    for value in change.unchanged:
        note(f"{value!r} is already an alias of {name!r}: nothing to do")
    followed = {normalize_name(a) for a in settings.follow.authors}
    if normalize_name(name) not in followed:
        note(f'note: {name!r} is not a followed author (radar follow author "{name}")')


def unfollow_alias(ctx: typer.Context, name: Name, other: Other) -> None:
    """Stop counting papers signed OTHER as NAME's.

    Example: radar unfollow alias "Adrian Del Maestro" "A. Del Maestro"
    """
    from radar.config.aliases import remove_alias

    change = remove_alias(invocation(ctx).settings(), name, other)
    for value in change.changed:
        note(f"papers signed {value!r} no longer count as {name!r}'s")
