"""Papers drawn with Rich on a terminal: the `--long` cards and the `show` card.

Imported only when a terminal is drawn on (`render.papers` chooses); every string from the
network goes through `safe`/`one_line`: never markup, never escapes.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from radar.paper import Paper, normalize_name
from radar.render.console import safe
from radar.render.export import (
    announce_marker,
    card_details,
    one_line,
    safe_link,
    where_label,
)

__all__ = ["full_card", "paper_card"]

FOLLOWED_STYLE = Style(bold=True, color="yellow")


# --- Rich -------------------------------------------------------------------------------


def _authors_text(paper: Paper, followed: set[str]) -> Text:
    text = Text()
    for index, name in enumerate(paper.authors):
        if index:
            text.append(", ")
        hit = normalize_name(name) in followed
        text.append(one_line(name), style=FOLLOWED_STYLE if hit else "")
    return text


def _header(paper: Paper) -> Text:
    header = Text(one_line(where_label(paper)), style="green")
    if paper.day:
        header.append(f" · {paper.day.isoformat()}")
    if marker := announce_marker(paper):
        header.append(f" · {marker}", style="magenta")
    if paper.starred:
        header.append("  ★ starred", style="yellow")
    if paper.read:
        header.append("  ✓ read", style="dim")
    return header


def _title(paper: Paper) -> Text:
    return Text(one_line(paper.title), style=Style(bold=True, link=safe_link(paper.abs_url)))


def _links(paper: Paper) -> Text:
    text = Text(style="dim")
    for label, url in (("abs", paper.abs_url), ("pdf", paper.pdf_link)):
        if url:
            if text:
                text.append("  ")
            text.append(f"{label}: ")
            text.append(safe(url), style=Style(link=safe_link(url), underline=True))
    return text


def paper_card(paper: Paper, *, followed: set[str] | None = None) -> RenderableType:
    """The `--long` card: where · date / bold title / authors / abstract / links."""
    parts: list[RenderableType] = [_header(paper), _title(paper)]
    if paper.authors:
        parts.append(_authors_text(paper, followed or set()))
    if paper.abstract:
        parts.append(Text(one_line(paper.abstract)))
    parts.append(_links(paper))
    return Group(*parts)


def full_card(paper: Paper, *, followed: set[str] | None = None) -> RenderableType:
    """`radar show`: the card with every author, category, reference, version and source."""
    header = _header(paper)
    details = Table.grid(padding=(0, 2))
    details.add_column(style="bold", no_wrap=True)
    details.add_column()
    for label, value in card_details(paper):
        if label == "authors":
            details.add_row(label, _authors_text(paper, followed or set()))
        elif label in ("doi link", "abs", "pdf"):
            details.add_row(label, _url_text(value))
        else:
            details.add_row(label, Text(one_line(value)))
    parts: list[RenderableType] = [header, _title(paper), details]
    if paper.abstract:
        parts += [Text(""), Text(one_line(paper.abstract))]
    return Group(*parts)


def _url_text(url: str) -> Text:
    return Text(safe(url), style=Style(link=safe_link(url), underline=True))
