"""`radar page`: the selected papers (and a stored brief) as one self-contained HTML file.

The file is written atomically, never over a file radar did not write (without --force), and
never over radar's own database or config.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from radar.commands.common import invocation, note
from radar.commands.filter_options import filter_options
from radar.commands.reading import MinScoreOption, Sort, SortOption
from radar.errors import ExitStatus, NotFoundError, RadarError, UsageError
from radar.files import same_file
from radar.filters import Filters

if TYPE_CHECKING:
    from radar.config.settings import Settings
    from radar.paper import Paper
    from radar.render.page import BriefView
    from radar.store import Store

PANEL = "Page"
DEFAULT_OUTPUT = Path("radar.html")
LATEST = "latest"
_MARKER_BYTES = 4096

OutputOption = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        dir_okay=False,
        rich_help_panel=PANEL,
        help="Where to write the page ('-' for stdout).",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", rich_help_panel=PANEL, help="Overwrite FILE even if radar did not write it."
    ),
]
BriefOption = Annotated[
    str | None,
    typer.Option(
        "--brief",
        metavar="[ID]",
        rich_help_panel=PANEL,
        help="Put a stored brief on top: the latest one of these papers, or brief ID.",
    ),
]


class _BriefValueOptional(TyperCommand):
    """`--brief` alone means the latest matching brief; `--brief 3` names one (click has no
    optional option values in typer, so a bare `--brief` gets the value `latest` here)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        fixed: list[str] = []
        for position, arg in enumerate(args):
            fixed.append(arg)
            if arg == "--":
                fixed.extend(args[position + 1 :])
                break
            if arg == "--brief":
                following = args[position + 1] if position + 1 < len(args) else None
                if following is None or following.startswith("-"):
                    fixed.append(LATEST)
        return list(super().parse_args(ctx, fixed))


@filter_options(limit=1000)
def page(
    ctx: typer.Context,
    output: OutputOption = DEFAULT_OUTPUT,
    force: ForceOption = False,
    brief: BriefOption = None,
    sort: SortOption = Sort.date,
    min_score: MinScoreOption = None,
    *,
    filters: Filters,
) -> None:
    """Write the selected papers as one HTML page to read in a browser.

    Default radar.html; self-contained (no network needed). In the page: click authors and
    categories to filter, search, shuffle. --brief puts the stored brief on top.

    Examples:
      radar page --today
      radar page --days 7 --brief -o ~/public_html/radar.html
    """
    from radar.render.page import describe, render_page

    settings = invocation(ctx).settings()
    to_stdout = str(output) == "-"
    if not to_stdout:
        check_target(output, settings, force=force)
    ranked = sort is Sort.relevance
    with invocation(ctx).open_store() as store:
        papers, window = _select(ctx, store, filters, ranked=ranked, min_score=min_score)
        view = _brief(store, brief, papers) if brief is not None else None
    html = render_page(
        papers,
        followed=settings.follow.author_names,
        selection=" · ".join(
            [describe(window)]
            + (["best first"] if ranked else [])
            + ([f"score at least {min_score:g}"] if min_score is not None else [])
        ),
        brief=view,
        ranked=ranked,
        generated=datetime.now().astimezone(),
    )
    if not papers:
        note("note: no papers match these filters; the page says so")
    if to_stdout:
        _to_stdout(html)
        return
    _write(output, html)
    size = len(html.encode("utf-8"))
    shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
    note(f"wrote {output}: {len(papers)} paper{'s' if len(papers) != 1 else ''}, {shown}")
    if filters.limit and len(papers) == filters.limit:
        first = "best" if ranked else "newest"
        note(f"note: the {first} {filters.limit} papers only; --limit N for more (0: all)")


def _select(
    ctx: typer.Context,
    store: Store,
    filters: Filters,
    *,
    ranked: bool,
    min_score: float | None,
) -> tuple[list[Paper], Filters]:
    """The papers as `radar list` selects them (by relevance score with --sort relevance)."""
    from radar.store import queries

    follow = invocation(ctx).settings().follow
    window = queries.resolve(store, filters)
    if window.note:
        note(window.note)
    if ranked or min_score is not None:
        from radar.rank.engine import select_ranked

        chosen = select_ranked(
            store,
            invocation(ctx).settings(),
            window.filters,
            follow,
            note,
            by_date=not ranked,
            min_score=min_score,
        )
        return chosen, window.filters
    return queries.select_papers(store, window.filters, follow=follow), window.filters


def _brief(store: Store, choice: str, papers: list[Paper]) -> BriefView:
    """The brief `--brief` names: an id, or the latest stored one for exactly these papers
    (else the latest whose papers are all on the page)."""
    from radar.render.page import brief_view
    from radar.store.briefs import get_brief, list_briefs

    ids = {p.id for p in papers}
    if choice != LATEST:
        if not choice.isdigit():
            raise UsageError(
                f"--brief takes a brief id (a number), not {choice!r}",
                hint="`radar briefs` lists them; --brief alone picks the one for these papers",
            )
        found = get_brief(store, int(choice))
    else:
        stored = list_briefs(store)
        exact = [b for b in stored if set(b.paper_ids) == ids]
        within = [b for b in stored if b.paper_ids and set(b.paper_ids) <= ids]
        if not (exact or within) or not ids:
            raise NotFoundError(
                "no stored brief covers the papers of this page",
                hint="write one with `radar brief` and the same filters, or name one with "
                "--brief ID (`radar briefs` lists them)",
            )
        found = (exact or within)[0]
        if not exact:
            note(f"note: brief #{found.brief_id} covers {len(found.paper_ids)} of these papers")
    return brief_view(
        markdown=found.markdown,
        paper_ids=ids,
        brief_id=found.brief_id,
        title=found.title,
        created_at=found.created_at,
        model=found.model,
    )


def check_target(path: Path, settings: Settings, *, force: bool) -> None:
    """Refuse (exit 2) to write over radar's database or config, or, without --force, over
    any file that is not empty and not a page radar wrote."""
    from radar.render.page import GENERATOR_META

    path = path.expanduser()
    db = settings.db_path.expanduser()
    protected = [db, *(Path(f"{db}{side}") for side in ("-wal", "-shm", "-journal"))]
    protected.append(settings.config_path.expanduser())
    for other in protected:
        if same_file(path, other):
            what = "config" if other == protected[-1] else "database"
            raise UsageError(
                f"refusing to write the page to {path}: it is radar's {what}",
                hint="give -o another file name, e.g. -o radar.html",
                exit_code=ExitStatus.USAGE,
            )
    if force or not os.path.lexists(path):
        return
    if not path.is_file():
        raise UsageError(
            f"refusing to write the page to {path}: it is not a regular file",
            hint="give -o a file name, e.g. -o radar.html",
            exit_code=ExitStatus.USAGE,
        )
    try:
        with path.open("rb") as file:
            head = file.read(_MARKER_BYTES)
    except OSError:
        head = b"?"  # unreadable: do not guess that it is ours
    if head and GENERATOR_META.encode() not in head:
        raise UsageError(
            f"refusing to overwrite {path}: it exists and is not a page radar wrote",
            hint="give -o another file name, or add --force to replace it",
            exit_code=ExitStatus.USAGE,
        )


def _write(path: Path, html: str) -> None:
    from radar.files import write_atomic

    try:
        write_atomic(path.expanduser(), html)
    except OSError as exc:
        raise RadarError(
            f"cannot write {path}: {exc}", hint="check the path and permissions"
        ) from exc


def _to_stdout(html: str) -> None:
    try:
        sys.stdout.write(html)
        sys.stdout.flush()
    except BrokenPipeError:  # `radar page -o - | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


app = typer.Typer()
app.command("page", cls=_BriefValueOptional)(page)
