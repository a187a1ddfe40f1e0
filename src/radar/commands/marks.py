"""`radar star`, `unstar` and `read`: the marks a user puts on papers, by id or by filters.

Every paper is found before any is changed; a large selection asks first on a terminal.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from radar.commands.common import invocation, note, plural
from radar.commands.filter_options import filter_options
from radar.commands.reading import IdsArgument, cached_paper
from radar.errors import ExitStatus, UsageError
from radar.filters import Filters
from radar.render.console import is_terminal


def _mark(
    ctx: typer.Context,
    ids: list[str],
    verb: str,
    *,
    starred: bool | None = None,
    read: bool | None = None,
) -> None:
    with invocation(ctx).open_store() as store:
        papers = [cached_paper(store, text) for text in ids]  # all known before any is changed
        for paper in papers:
            store.set_user_state(paper.id, starred=starred, read=read)
            note(f"{verb} {paper.id}: {paper.title}")


def star(ctx: typer.Context, ids: IdsArgument) -> None:
    """Star papers (see them with radar list --starred).

    Examples:
      radar star 2602.22495
      radar list --starred
    """
    _mark(ctx, ids, "starred", starred=True)


def unstar(ctx: typer.Context, ids: IdsArgument) -> None:
    """Remove the star from papers.

    Examples:
      radar unstar 2602.22495
    """
    _mark(ctx, ids, "unstarred", starred=False)


# Marking more than this many papers at once asks first, on a terminal (scripts never block).
CONFIRM_OVER = 100


@filter_options(limit=0, omit=("unread",))
def read(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID", help="Papers to mark; or none, and filters select them."),
    ] = None,
    unread: Annotated[bool, typer.Option("--unread", help="Mark as unread instead.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=f"No question when over {CONFIRM_OVER} papers.")
    ] = False,
    *,
    filters: Filters,
) -> None:
    """Mark papers as read (or --unread): by id, or every paper the filters select.

    The filters are list's (--today, --category, ...); radar list --unread hides read papers.

    Examples:
      radar read 2602.22495
      radar read --today --category cs.CV
      radar read --unread 2602.22495
    """
    verb = "marked unread" if unread else "marked read"
    if ids:
        if not filters.is_empty:
            raise UsageError("give ids or filters, not both", hint="radar read --today")
        _mark(ctx, ids, verb, read=not unread)
        return
    if filters.is_empty:
        raise UsageError(
            "which papers? give ids or filters",
            hint="radar read 2602.22495, or radar read --today --category cs.AI",
        )
    _mark_selection(ctx, filters, read=not unread, verb=verb, yes=yes)


def _mark_selection(
    ctx: typer.Context, filters: Filters, *, read: bool, verb: str, yes: bool
) -> None:
    from radar.store import queries

    settings = invocation(ctx).settings()
    with invocation(ctx).open_store() as store:
        window = queries.resolve(store, filters)
        if window.note:
            note(window.note)
        papers = queries.select_papers(store, window.filters, follow=settings.follow)
        todo = [p for p in papers if p.read != read]
        if not todo:
            note(f"nothing to do: the {plural(len(papers), 'matching paper')} are already so")
            return
        ask = len(todo) > CONFIRM_OVER and not yes and is_terminal(sys.stdin)
        if ask and not typer.confirm(f"{verb.split()[0]} {len(todo):,} papers {verb.split()[1]}?"):
            raise typer.Exit(ExitStatus.ERROR)
        store.set_read_many([p.id for p in todo], read=read)
    note(f"{verb} {plural(len(todo), 'paper')}")


app = typer.Typer()
app.command("star")(star)
app.command("unstar")(unstar)
app.command("read")(read)
