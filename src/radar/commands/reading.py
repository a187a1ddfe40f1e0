"""Commands that read the cache and mark papers: list, show, shuffle, search, open, star, read.

They open the SQLite file, run one query from `radar.store.queries` and render; no network.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from radar.commands.common import invocation, note, out, paged, plural
from radar.commands.filter_options import filter_options
from radar.errors import ExitStatus, NoCacheError, NotFoundError, UsageError
from radar.filters import Filters
from radar.paper import parse_arxiv_id
from radar.render.console import is_terminal
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


class SearchSort(enum.StrEnum):
    match = "match"
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


def _plain_style(ctx: typer.Context, no_color: bool, no_pager: bool = False) -> None:
    if no_color:
        invocation(ctx).no_color = True
    if no_pager:
        invocation(ctx).no_pager = True


def _followed_names(follow: Follows) -> list[str]:
    return follow.author_names


def _show(
    ctx: typer.Context, papers: list[Paper], fmt: PaperFormat | None, follow: Follows
) -> None:
    from radar.render.papers import print_papers

    with paged(ctx) as console:
        print_papers(console, papers, fmt, followed_authors=_followed_names(follow))


def _read_and_print(
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
            _show(ctx, [], fmt, settings.follow)
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
    _show(ctx, papers, fmt, settings.follow)
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
        similar = resembling(wanted, _followed_names(follow))
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


def _format(fmt: PaperFormat | None, long: bool) -> PaperFormat | None:
    if long and fmt not in (None, PaperFormat.cards):
        raise UsageError("--long and --format cannot be combined", hint="--long is --format cards")
    return PaperFormat.cards if long else fmt


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

    _plain_style(ctx, no_color, no_pager)
    fmt = _format(fmt, long)
    if sort is Sort.relevance or min_score is not None:
        select = _ranked(
            ctx, by_date=sort is Sort.date, min_score=min_score, terms=_shows_terms(ctx, fmt)
        )
    else:
        select = lambda s, f, follow: queries.select_papers(s, f, follow=follow)  # noqa: E731
    count = None if min_score is not None else _count_papers
    _read_and_print(ctx, filters, fmt, select, count=count)


def _count_papers(store: Store, filters: Filters, follow: Follows) -> int:
    from radar.store import queries

    return queries.count_papers(store, filters, follow=follow)


def _ranked(
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


def _shows_terms(ctx: typer.Context, fmt: PaperFormat | None) -> bool:
    """Whether a list by relevance shows each paper's strongest terms: in the table (on a
    terminal, where it fits: render.columns) and in JSON; not in piped lines, cards or CSV."""
    if fmt is None:
        return out(ctx).is_terminal
    return fmt in (PaperFormat.table, PaperFormat.json, PaperFormat.jsonl)


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
    from radar.store import queries

    _plain_style(ctx, no_color, no_pager)
    fmt = _format(fmt, long)
    text = " ".join(query)
    if sort is SearchSort.relevance:
        select = _ranked(ctx, query=text, terms=_shows_terms(ctx, fmt))
    else:
        select = lambda s, f, follow: queries.search(s, text, f, follow=follow)  # noqa: E731

    def found(store: Store, filters: Filters, follow: Follows) -> list[Paper]:
        return queries.with_snippets(store, text, select(store, filters, follow))

    _read_and_print(
        ctx,
        filters,
        fmt,
        found,
        count=lambda s, f, follow: queries.count_search(s, text, f, follow=follow),
        query=text,
    )


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
    from radar.store import queries

    _plain_style(ctx, no_color, no_pager)
    fmt = _format(fmt, long)
    count = filters.limit  # -n 0 (None here): every matching paper, shuffled

    def draw(store: Store, f: Filters, follow: Follows) -> list[Paper]:
        return queries.shuffle(store, f, count=count, seed=seed, follow=follow)

    select = _ranked(ctx, draw=count, seed=seed) if weighted else draw
    _read_and_print(ctx, replace(filters, limit=None), fmt, select)


def paper_id(text: str) -> str:
    """The cache key for an id in any accepted spelling (feed keys are taken as they are)."""
    parsed = parse_arxiv_id(text)
    if parsed is not None:
        return parsed[0]
    if not text.strip():
        raise UsageError("empty paper id", hint="e.g. radar show 2602.22495")
    return text.strip()


def _cached_paper(store: Store, text: str) -> Paper:
    """The paper `text` names (any id spelling), or NotFoundError; notes an uncached version."""
    paper = store.get_paper(paper_id(text))
    if paper is None:
        raise NotFoundError(f"paper {text} is not in the cache")
    parsed = parse_arxiv_id(text)
    version = parsed[1] if parsed else None
    if version and version != paper.version and version not in paper.versions:
        note(f"note: v{version} is not cached; showing v{paper.version or '?'}")
    return paper


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

    _plain_style(ctx, no_color, no_pager)
    settings = invocation(ctx).settings()
    with invocation(ctx).open_store(readonly=True) as store:
        papers = [_cached_paper(store, text) for text in ids]
    if fmt not in (None, PaperFormat.table):
        _show(ctx, papers, fmt, settings.follow)
        return
    with paged(ctx) as console:
        print_full_cards(console, papers, followed_authors=_followed_names(settings.follow))


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
        papers = [_cached_paper(store, text) for text in ids]
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


def _mark(
    ctx: typer.Context,
    ids: list[str],
    verb: str,
    *,
    starred: bool | None = None,
    read: bool | None = None,
) -> None:
    with invocation(ctx).open_store() as store:
        papers = [_cached_paper(store, text) for text in ids]  # all known before any is changed
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
app.command("list")(list_papers)
app.command("show")(show)
app.command("shuffle")(shuffle)
app.command("search")(search)
app.command("open")(open_paper)
app.command("star")(star)
app.command("unstar")(unstar)
app.command("read")(read)
