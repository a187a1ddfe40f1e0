"""`radar show` and `radar open`: one or more papers named by id, as full cards or in a browser.

Ids in any spelling are looked up in the cache with `cached_paper`; no network.
"""

from __future__ import annotations

from typing import Annotated

import typer

from radar.commands.common import invocation, note, out, paged
from radar.commands.reading import (
    IdsArgument,
    NoColorOption,
    NoPagerOption,
    PaperFormatOption,
    cached_paper,
    followed_names,
    plain_style,
    show_papers,
)
from radar.errors import UsageError
from radar.render.export import PaperFormat


def show(
    ctx: typer.Context,
    ids: IdsArgument,
    fmt: PaperFormatOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Show the full card of one or more papers.

    Ids in any spelling: 2602.22495, 2602.22495v3, arXiv:2602.22495, abs/pdf URLs, DOIs,
    a feed paper's handle from the table (f:3k9x2m7q).

    Examples:
      radar show 2602.22495
      radar show 2602.22495 --format json
    """
    from radar.render.papers import print_full_cards

    plain_style(ctx, no_color, no_pager)
    settings = invocation(ctx).settings()
    with invocation(ctx).open_store(readonly=True) as store:
        papers = [cached_paper(store, text) for text in ids]
    if fmt not in (None, PaperFormat.table):
        show_papers(ctx, papers, fmt, settings.follow)
        return
    with paged(ctx) as console:
        print_full_cards(console, papers, followed_authors=followed_names(settings.follow))


def open_paper(
    ctx: typer.Context,
    ids: IdsArgument,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Open the PDF instead of the abs page.")
    ] = False,
) -> None:
    """Open a paper's abs page (or PDF) in the web browser.

    $BROWSER is honoured; without a browser the URL is printed.

    Examples:
      radar open 2602.22495
      radar open 2602.22495 --pdf
    """
    import webbrowser

    with invocation(ctx).open_store(readonly=True) as store:
        papers = [cached_paper(store, text) for text in ids]
    for paper in papers:
        url = paper.pdf_link if pdf else paper.abs_url
        if not url:
            raise UsageError(f"paper {paper.id} has no {'PDF' if pdf else 'web'} link")
        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if opened:
            note(f"opened {url}")
        else:
            out(ctx).out(url, highlight=False)


app = typer.Typer()
app.command("show")(show)
app.command("open")(open_paper)
