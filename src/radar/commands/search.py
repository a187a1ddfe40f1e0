"""`radar search`: full-text search of titles, abstracts and authors, with snippets.

Best text match first, or best relevance score first; the filters of `radar list` apply.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from radar.commands.filter_options import filter_options
from radar.commands.reading import (
    LongOption,
    NoColorOption,
    NoPagerOption,
    PaperFormatOption,
    chosen_format,
    plain_style,
    ranked,
    read_and_print,
    shows_terms,
)
from radar.filters import Filters

if TYPE_CHECKING:
    from radar.config.settings import Follows
    from radar.paper import Paper
    from radar.store import Store


class SearchSort(enum.StrEnum):
    match = "match"
    relevance = "relevance"


@filter_options(limit=20)
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="Words to find (FTS5 syntax allowed).")],
    long: LongOption = False,
    fmt: PaperFormatOption = None,
    no_color: NoColorOption = False,
    sort: Annotated[
        SearchSort,
        typer.Option("--sort", help="match: best text match first; relevance: best score first."),
    ] = SearchSort.match,
    no_pager: NoPagerOption = False,
    *,
    filters: Filters,
) -> None:
    """Search titles, abstracts and authors, best match first.

    Plain words must all match; "quoted phrases", OR, NOT, NEAR() and prefix* work too.
    Under each result, the matching text with the matches highlighted (the last field
    when piped, "snippet" in JSON).

    Examples:
      radar search "trust region distillation" --category cs.LG
      radar search 'diffusion NOT survey' --today
    """
    from radar.store import fulltext

    plain_style(ctx, no_color, no_pager)
    fmt = chosen_format(fmt, long)
    text = " ".join(query)
    if sort is SearchSort.relevance:
        select = ranked(ctx, query=text, terms=shows_terms(ctx, fmt))
    else:
        select = lambda s, f, follow: fulltext.search(s, text, f, follow=follow)  # noqa: E731

    def found(store: Store, filters: Filters, follow: Follows) -> list[Paper]:
        return fulltext.with_snippets(store, text, select(store, filters, follow))

    read_and_print(
        ctx,
        filters,
        fmt,
        found,
        count=lambda s, f, follow: fulltext.count_search(s, text, f, follow=follow),
        query=text,
    )


app = typer.Typer()
app.command("search")(search)
