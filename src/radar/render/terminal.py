"""Papers drawn with Rich on a terminal: the table, the cards and the `show` card.

Imported only when a terminal is drawn on (`render.papers` chooses); every string from the
network goes through `safe`/`one_line`: never markup, never escapes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.style import Style
from rich.table import Table
from rich.text import Text

from radar.paper import Paper, normalize_name
from radar.render import columns
from radar.render.columns import Row
from radar.render.console import safe
from radar.render.export import (
    announce_marker,
    card_details,
    iso,
    one_line,
    safe_link,
    where_label,
)

__all__ = ["full_card", "paper_card", "paper_table"]

FOLLOWED_STYLE = Style(bold=True, color="yellow")
SNIPPET_STYLE = Style(dim=True)
MATCH_STYLE = Style(bold=True, dim=False, color="yellow")
LEAD_CONTEXT = 24  # characters kept before a match that would be cut off the line


# --- Rich -------------------------------------------------------------------------------


def table_rows(papers: Sequence[Paper]) -> list[Row]:
    """The cells of the compact list; a feed paper shows its short handle, not its long key."""
    from radar.identity import short_handle

    return [
        Row(
            id=safe(short_handle(p.id)),
            date=iso(p.day) or "",
            where=one_line(p.primary_category if p.is_arxiv else where_label(p)),
            title=one_line(p.title),
            authors=tuple(one_line(a) for a in p.authors),
            marks=("★" if p.starred else "") + ("✓" if p.read else ""),
            score=f"{p.score:.2f}" if p.score is not None else "",
            marker=f" [{marker}]" if (marker := announce_marker(p)) else "",
        )
        for p in papers
    ]


class PaperTable:
    """The compact list, one line per paper, laid out for the width it is drawn at
    (see `radar.render.columns`)."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = list(papers)
        self.rows = table_rows(self.papers)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        layout = columns.plan(self.rows, options.max_width)
        header = Row("id", "date", columns.WHERE_HEADER, "title", ("authors",), "", "score")
        yield _table_line(header, layout, header=True)
        for paper, row in zip(self.papers, self.rows, strict=True):
            yield _table_line(row, layout, paper=paper)
            if paper.snippet:
                yield _snippet_line(paper, layout, options.max_width)


def paper_table(papers: Sequence[Paper]) -> PaperTable:
    return PaperTable(papers)


def _table_line(
    row: Row, layout: columns.Layout, *, paper: Paper | None = None, header: bool = False
) -> Text:
    read = paper is not None and paper.read
    link = safe_link(paper.abs_url) if paper else None
    cells = {
        "id": (row.id, Style(color="cyan", link=link) if not header else None),
        "date": (row.date, None),
        "where": (row.where, Style(color="green") if not header else None),
        "title": (row.title, Style(dim=True) if read else None),  # + the announce marker
        "authors": (
            row.authors[0] if header else columns.authors_text(row.authors, layout.authors),
            None,
        ),
        "marks": (row.marks, Style(color="yellow") if not header else None),
        "score": (row.score.rjust(layout.score), None),
    }
    line = Text(style="bold" if header else "", no_wrap=True, overflow="ellipsis", end="\n")
    for index, name in enumerate(layout.columns):
        if index:
            line.append(" " * layout.gap)
        text, style = cells[name]
        width = getattr(layout, name)
        if name == "title" and row.marker:  # "[replaced v4]" stays visible when a title is cut
            shown = columns.fit(text, width - columns.cells(row.marker)) + row.marker
            line.append(shown[: len(shown) - len(row.marker)], style=style)
            line.append(row.marker, style="magenta")
        else:
            shown = columns.fit(text, width)
            line.append(shown, style=style)
        if index < len(layout.columns) - 1:
            line.append(" " * (width - columns.cells(shown)))
    return line


def snippet_text(paper: Paper, width: int | None = None) -> Text:
    """A search result's matching text, the matches highlighted; built part by part, so
    network text is never read as markup. With `width`, text before the first match is cut
    (to "…" and a few words) when the match would not show within that width."""
    parts = [(safe(part), is_match) for part, is_match in paper.snippet]
    if width is not None and len(parts) > 1 and not parts[0][1] and parts[1][1]:
        lead, match = parts[0][0], parts[1][0]
        if columns.cells(lead + match) > width:
            keep = max(0, min(LEAD_CONTEXT, width - columns.cells(match) - 1))
            parts[0] = ("…" + lead[len(lead) - keep :] if keep else "…", False)
    text = Text(style=SNIPPET_STYLE)
    for part, is_match in parts:
        text.append(part, style=MATCH_STYLE if is_match else None)
    return text


def _snippet_line(paper: Paper, layout: columns.Layout, width: int) -> Text:
    """The snippet under a table row, starting under the title, cut to one line."""
    before = layout.columns[: layout.columns.index("title")]
    indent = sum(getattr(layout, name) + layout.gap for name in before)
    if width - indent < 30:  # too narrow to indent: use the whole line
        indent = 2
    line = Text(" " * indent, no_wrap=True, overflow="ellipsis", end="\n")
    line.append_text(snippet_text(paper, width - indent))
    line.truncate(width, overflow="ellipsis")
    return line


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
