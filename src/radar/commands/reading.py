"""What the reading commands share: their options, selecting and printing papers, ids.

list, search and shuffle print through `read_and_print`; commands taking ids use `cached_paper`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from radar.commands.common import invocation, note, out, paged
from radar.errors import NoCacheError, NotFoundError, UsageError
from radar.filters import Filters
from radar.paper import parse_arxiv_id
from radar.render.export import PaperFormat

if TYPE_CHECKING:
    from radar.config.settings import Follows
    from radar.paper import Paper
    from radar.store import Store

PaperFormatOption = Annotated[
    PaperFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: table on a terminal, tab-separated text when piped.",
        show_default=False,
    ),
]
LongOption = Annotated[
    bool, typer.Option("--long", "-l", help="Cards with authors and abstract (= --format cards).")
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="Plain output, no colour.")]
NoPagerOption = Annotated[
    bool, typer.Option("--no-pager", help="Print long output directly, not through $PAGER.")
]
IdsArgument = Annotated[
    list[str],
    typer.Argument(help="arXiv ids in any spelling: 2602.22495, 2602.22495v3, arXiv:..., URLs."),
]
Select = Callable[["Store", Filters, "Follows"], "list[Paper]"]
Count = Callable[["Store", Filters, "Follows"], int]


class Sort(enum.StrEnum):
    date = "date"
    relevance = "relevance"


SortOption = Annotated[
    Sort,
    typer.Option(
        "--sort", help="date: newest first; relevance: best score first (see radar rank)."
    ),
]
MinScoreOption = Annotated[
    float | None,
    typer.Option(
        "--min-score",
        min=0,
        max=1,
        metavar="X",
        help="Only papers whose relevance score is at least X (0-1; 0.5: like your papers).",
    ),
]


def plain_style(ctx: typer.Context, no_color: bool, no_pager: bool = False) -> None:
    if no_color:
        invocation(ctx).no_color = True
    if no_pager:
        invocation(ctx).no_pager = True


def followed_names(follow: Follows) -> list[str]:
    return follow.author_names


def show_papers(
    ctx: typer.Context, papers: list[Paper], fmt: PaperFormat | None, follow: Follows
) -> None:
    from radar.render.papers import print_papers

    with paged(ctx) as console:
        print_papers(console, papers, fmt, followed_authors=followed_names(follow))


def read_and_print(
    ctx: typer.Context,
    filters: Filters,
    fmt: PaperFormat | None,
    select: Select,
    *,
    count: Count | None = None,
    query: str | None = None,
) -> None:
    """Resolve dates (noting a weekend), select, then print or say there is nothing.

    With `count`, a list cut by its limit ends with "showing 20 of 812; ..." on stderr.
    """
    from radar.store import queries

    settings = invocation(ctx).settings()
    total = None
    try:
        store = invocation(ctx).open_store(readonly=True)
    except NoCacheError as exc:
        note(f"no papers: {exc.message} yet (hint: run `radar sync`)")
        if fmt not in (None, PaperFormat.table, PaperFormat.cards):
            show_papers(ctx, [], fmt, settings.follow)
        return
    with store:
        window = queries.resolve(store, filters)
        papers = select(store, window.filters, settings.follow)
        empty_cache = not papers and store.conn.execute("SELECT 1 FROM papers").fetchone() is None
        if count is not None and filters.limit and len(papers) == filters.limit:
            total = count(store, window.filters, settings.follow)
    if empty_cache:
        note("no papers: the cache is empty (hint: run `radar sync`)")
    elif window.note:
        note(window.note)
    if not papers:
        if not empty_cache:
            note(_nothing_found(filters, query) + _followed_like(filters, settings.follow))
        if fmt in (None, PaperFormat.table, PaperFormat.cards):
            return
    show_papers(ctx, papers, fmt, settings.follow)
    if total is not None and total > len(papers):
        note(totals_line(len(papers), total))


def totals_line(shown: int, total: int) -> str:
    """`showing 20 of 812; more with --limit N (0: all)` (counts stop past COUNT_CAP)."""
    from radar.store.queries import COUNT_CAP

    of = f"more than {COUNT_CAP:,}" if total > COUNT_CAP else f"{total:,}"
    return f"showing {shown:,} of {of}; more with --limit N (0: all)"


def _nothing_found(filters: Filters, query: str | None) -> str:
    if query is None and filters.new and replace(filters, new=False, limit=None).is_empty:
        return "no new papers: the last sync added none"
    if query is None:
        return "no papers match these filters"
    return f"no papers match {query!r}" + ("" if filters.is_empty else " with these filters")


def _followed_like(filters: Filters, follow: Follows) -> str:
    """ "; "Del Maestro" resembles the followed Adrian Del Maestro (hint: ...)" or ""."""
    for wanted in filters.authors:
        similar = resembling(wanted, followed_names(follow))
        if similar:
            names = ", ".join(similar)
            return (
                f"; {wanted!r} resembles the followed {names} "
                f'(hint: radar list --author "{similar[0]}")'
            )
    return ""


def resembling(name: str, candidates: list[str]) -> list[str]:
    """The candidates `name` may mean: its words inside theirs ("Del Maestro" in "Adrian Del
    Maestro"), the same surname, or a close spelling; accents and case never matter."""
    from difflib import SequenceMatcher  # only when nothing matched

    from radar.paper import normalize_name

    words = normalize_name(name).split()
    found = []
    for candidate in dict.fromkeys(candidates):
        theirs = normalize_name(candidate).split()
        if not words or not theirs or words == theirs:
            continue
        inside = any(theirs[i : i + len(words)] == words for i in range(len(theirs)))
        close = SequenceMatcher(None, " ".join(words), " ".join(theirs)).ratio() >= 0.8
        if inside or words[-1] == theirs[-1] or close:
            found.append(candidate)
    return found


def chosen_format(fmt: PaperFormat | None, long: bool) -> PaperFormat | None:
    if long and fmt not in (None, PaperFormat.cards):
        raise UsageError("--long and --format cannot be combined", hint="--long is --format cards")
    return PaperFormat.cards if long else fmt


def ranked(
    ctx: typer.Context,
    *,
    query: str | None = None,
    by_date: bool = False,
    min_score: float | None = None,
    draw: int | None = None,
    seed: int | None = None,
    terms: bool = False,
) -> Select:
    """A selection by the relevance model's stored scores (training it on first use)."""

    def select(store: Store, filters: Filters, follow: Follows) -> list[Paper]:
        from radar.rank.engine import select_ranked

        return select_ranked(
            store,
            invocation(ctx).settings(),
            filters,
            follow,
            note,
            query=query,
            by_date=by_date,
            min_score=min_score,
            draw=draw,
            seed=seed,
            terms=terms,
        )

    return select


def shows_terms(ctx: typer.Context, fmt: PaperFormat | None) -> bool:
    """Whether a list by relevance shows each paper's strongest terms: in the table (on a
    terminal, where it fits: render.columns) and in JSON; not in piped lines, cards or CSV."""
    if fmt is None:
        return out(ctx).is_terminal
    return fmt in (PaperFormat.table, PaperFormat.json, PaperFormat.jsonl)


def paper_id(text: str) -> str:
    """The cache key for an id in any accepted spelling (feed keys are taken as they are)."""
    parsed = parse_arxiv_id(text)
    if parsed is not None:
        return parsed[0]
    if not text.strip():
        raise UsageError("empty paper id", hint="e.g. radar show 2602.22495")
    return text.strip()


def cached_paper(store: Store, text: str) -> Paper:
    """The paper `text` names (any id spelling), or NotFoundError; notes an uncached version."""
    paper = store.get_paper(paper_id(text))
    if paper is None:
        raise NotFoundError(f"paper {text} is not in the cache")
    parsed = parse_arxiv_id(text)
    version = parsed[1] if parsed else None
    if version and version != paper.version and version not in paper.versions:
        note(f"note: v{version} is not cached; showing v{paper.version or '?'}")
    return paper
