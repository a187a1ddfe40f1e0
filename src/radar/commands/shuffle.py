"""`radar shuffle`: random papers among those the filters select, optionally by relevance.

A seed repeats a draw on the same cache; --weighted draws in proportion to relevance scores.
"""

from __future__ import annotations

from dataclasses import replace
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
)
from radar.filters import Filters

if TYPE_CHECKING:
    from radar.config.settings import Follows
    from radar.paper import Paper
    from radar.store import Store


@filter_options(
    limit=5, limit_names=("-n", "--number", "--limit"), limit_help="How many random papers."
)
def shuffle(
    ctx: typer.Context,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Same seed, same papers (for a given cache).")
    ] = None,
    weighted: Annotated[
        bool,
        typer.Option("--weighted", help="Draw in proportion to relevance scores (see radar rank)."),
    ] = False,
    long: LongOption = False,
    fmt: PaperFormatOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
    *,
    filters: Filters,
) -> None:
    """Show random papers (5 unless -n; -n 0: all of them, shuffled).

    Examples:
      radar shuffle --followed --unread
      radar shuffle -n 3 --category cs.AI --seed 42
    """
    from radar.store import sampling

    plain_style(ctx, no_color, no_pager)
    fmt = chosen_format(fmt, long)
    count = filters.limit  # -n 0 (None here): every matching paper, shuffled

    def draw(store: Store, f: Filters, follow: Follows) -> list[Paper]:
        return sampling.shuffle(store, f, count=count, seed=seed, follow=follow)

    select = ranked(ctx, draw=count, seed=seed) if weighted else draw
    read_and_print(ctx, replace(filters, limit=None), fmt, select)


app = typer.Typer()
app.command("shuffle")(shuffle)
