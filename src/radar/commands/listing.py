"""`radar list`: the cached papers, newest first or by relevance, cut by the filters.

It parses the options, picks the selection (plain or ranked) and hands it to `read_and_print`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from radar.commands.filter_options import filter_options
from radar.commands.reading import (
    LongOption,
    MinScoreOption,
    NoColorOption,
    NoPagerOption,
    PaperFormatOption,
    Sort,
    SortOption,
    chosen_format,
    plain_style,
    ranked,
    read_and_print,
    shows_terms,
)
from radar.filters import Filters

if TYPE_CHECKING:
    from radar.config.settings import Follows
    from radar.store import Store


@filter_options(limit=20)
def list_papers(
    ctx: typer.Context,
    long: LongOption = False,
    fmt: PaperFormatOption = None,
    no_color: NoColorOption = False,
    sort: SortOption = Sort.date,
    min_score: MinScoreOption = None,
    no_pager: NoPagerOption = False,
    *,
    filters: Filters,
) -> None:
    """List cached papers, newest first.

    --sort relevance puts the papers most like yours first (see radar rank).

    Examples:
      radar list --category cs.AI --today
      radar list --new --author "Yantao Li"
      radar list --today --sort relevance --min-score 0.5
    """
    from radar.store import queries

    plain_style(ctx, no_color, no_pager)
    fmt = chosen_format(fmt, long)
    if sort is Sort.relevance or min_score is not None:
        select = ranked(
            ctx, by_date=sort is Sort.date, min_score=min_score, terms=shows_terms(ctx, fmt)
        )
    else:
        select = lambda s, f, follow: queries.select_papers(s, f, follow=follow)  # noqa: E731
    count = None if min_score is not None else _count_papers
    read_and_print(ctx, filters, fmt, select, count=count)


def _count_papers(store: Store, filters: Filters, follow: Follows) -> int:
    from radar.store import queries

    return queries.count_papers(store, filters, follow=follow)


app = typer.Typer()
app.command("list")(list_papers)
