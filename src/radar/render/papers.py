"""Papers on stdout in any format, choosing Rich (a terminal) or plain text (a pipe).

This module never imports Rich: the table is ANSI text (`render.table`); the Rich cards live in
`render.terminal`, loaded only when a card is drawn on a terminal. Piped output is
tab-separated lines and plain cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from radar.paper import Paper, normalize_name
from radar.render.console import Output, write_raw
from radar.render.export import (
    PaperFormat,
    announce_marker,
    card_details,
    export,
    iso,
    marks,
    one_line,
    where_label,
)

if TYPE_CHECKING:
    from rich.console import Console


def print_papers(
    console: Console | Output,
    papers: Sequence[Paper],
    fmt: PaperFormat | None = None,
    *,
    followed_authors: Iterable[str] = (),
) -> None:
    """Papers in `fmt`; None means a table on a terminal and tab-separated text in a pipe."""
    if fmt is None:
        fmt = PaperFormat.table if console.is_terminal else None
    if fmt is None:
        write_raw(console, "".join(plain_line(p) + "\n" for p in papers))
    elif fmt is PaperFormat.table and isinstance(console, Output):
        from radar.render.table import table_text

        console.draw(table_text(papers, width=console.width, styles=console.styles))
    elif fmt is PaperFormat.table:  # a Rich console: the same text, as Rich's
        from rich.text import Text

        from radar.render.table import table_text

        text = table_text(papers, width=console.width, styles="color")
        console.print(Text.from_ansi(text.rstrip("\n")))  # Rich drops what it must not show
    elif fmt is PaperFormat.cards and not console.is_terminal:
        write_raw(console, "\n".join(plain_short_card(p) for p in papers))
    elif fmt is PaperFormat.cards:
        from radar.render.terminal import paper_card

        followed = {normalize_name(name) for name in followed_authors}
        for index, paper in enumerate(papers):
            if index:
                console.print()
            console.print(paper_card(paper, followed=followed))
    else:
        write_raw(console, export(papers, fmt))


def print_full_cards(
    console: Console | Output, papers: Sequence[Paper], *, followed_authors: Iterable[str] = ()
) -> None:
    """`radar show`: Rich cards on a terminal, the same fields as plain lines in a pipe."""
    if not console.is_terminal:
        write_raw(console, "\n".join(plain_card(p) for p in papers))
        return
    from radar.render.terminal import full_card

    followed = {normalize_name(name) for name in followed_authors}
    for index, paper in enumerate(papers):
        if index:
            console.print()
        console.print(full_card(paper, followed=followed))


def plain_line(paper: Paper) -> str:
    """id, day, where, title, authors, marks (then a score and a search snippet when there
    are): tab-separated, for `cut`, `grep` and `awk`."""
    fields = [
        paper.id,
        iso(paper.day) or "",
        where_label(paper),
        paper.title,
        ", ".join(paper.authors),
        marks(paper),
    ]
    if paper.score is not None:  # read by relevance
        fields.append(f"{paper.score:.4f}")
    if paper.snippet:  # found by search: the matching text, last, without highlighting
        fields.append(paper.snippet_text)
    return "\t".join(one_line(f) for f in fields)


def card_header(paper: Paper) -> str:
    """`arXiv (cs.AI) · 2026-11-20  ★ starred  ✓ read`."""
    header = one_line(where_label(paper))
    if paper.day:
        header += f" · {paper.day.isoformat()}"
    if marker := announce_marker(paper):
        header += f" · {marker}"
    if paper.starred:
        header += "  ★ starred"
    if paper.read:
        header += "  ✓ read"
    return header


def plain_short_card(paper: Paper) -> str:
    """The `--long` card as plain text: header, title, authors, abstract, links."""
    lines = [card_header(paper), one_line(paper.title)]
    if paper.authors:
        lines.append(one_line(", ".join(paper.authors)))
    if paper.abstract:
        lines.append(one_line(paper.abstract))
    links = [f"{label}: {one_line(url)}" for label, url in card_links(paper)]
    lines.append("  ".join(links))
    return "\n".join(lines) + "\n"


def card_links(paper: Paper) -> list[tuple[str, str]]:
    return [(label, url) for label, url in (("abs", paper.abs_url), ("pdf", paper.pdf_link)) if url]


def plain_card(paper: Paper) -> str:
    """The `show` card as plain text: header, title, `label  value` rows, then the abstract."""
    rows = card_details(paper)
    width = max(len(label) for label, _ in rows) + 2
    lines = [card_header(paper), one_line(paper.title)]
    lines += [f"{label.ljust(width)}{one_line(value)}" for label, value in rows]
    if paper.abstract:
        lines += ["", one_line(paper.abstract)]
    return "\n".join(lines) + "\n"
