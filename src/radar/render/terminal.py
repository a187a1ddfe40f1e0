"""Papers on stdout: the Rich table, the cards, the `show` card and plain tab-separated lines.

Every string from the network goes through `safe`/`literal`: never markup, never escapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from radar.paper import Paper, normalize_name
from radar.render.console import safe, write_raw
from radar.render.export import PaperFormat, export, iso, marks, one_line, safe_link, where_label

FOLLOWED_STYLE = Style(bold=True, color="yellow")


def print_papers(
    console: Console,
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
    elif fmt is PaperFormat.table:
        console.print(paper_table(papers))
    elif fmt is PaperFormat.cards:
        followed = {normalize_name(name) for name in followed_authors}
        for index, paper in enumerate(papers):
            if index:
                console.print()
            console.print(paper_card(paper, followed=followed))
    else:
        write_raw(console, export(papers, fmt))


# --- plain text -------------------------------------------------------------------------


def plain_line(paper: Paper) -> str:
    """id, day, where, title, authors, marks: tab-separated, for `cut`, `grep` and `awk`."""
    fields = [
        paper.id,
        iso(paper.day) or "",
        where_label(paper),
        paper.title,
        ", ".join(paper.authors),
        marks(paper),
    ]
    return "\t".join(one_line(f) for f in fields)


# --- Rich -------------------------------------------------------------------------------


def first_authors(paper: Paper, count: int = 3) -> str:
    names = list(paper.authors[:count])
    if len(paper.authors) > count:
        names.append("et al.")
    return ", ".join(names)


def paper_table(papers: Sequence[Paper]) -> Table:
    """The compact list: id, date, where, title, first authors, a star/read mark."""
    table = Table(show_edge=False, header_style="bold", box=None, pad_edge=False, expand=True)
    table.add_column("id", no_wrap=True, style="cyan")
    table.add_column("date", no_wrap=True)
    table.add_column("category", no_wrap=True, max_width=20, overflow="ellipsis", style="green")
    table.add_column("title", ratio=1, overflow="fold")
    table.add_column("authors", max_width=30, overflow="ellipsis", no_wrap=True)
    table.add_column("", no_wrap=True, width=1)
    for paper in papers:
        id_text = Text(safe(paper.id), style=Style(link=safe_link(paper.abs_url)))
        mark = Text("★" if paper.starred else "", style="yellow")
        if paper.read and not paper.starred:
            mark = Text("✓", style="dim")
        table.add_row(
            id_text,
            iso(paper.day) or "",
            Text(one_line(paper.primary_category if paper.is_arxiv else where_label(paper))),
            Text(one_line(paper.title), style="dim" if paper.read else ""),
            Text(one_line(first_authors(paper))),
            mark,
        )
    return table


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
    version = f"v{paper.version}" if paper.version else None
    seen = ", ".join(f"v{v}" for v in paper.versions) or None
    rows: list[tuple[str, str | Text | None]] = [
        ("id", f"{paper.id}{version or ''}"),
        ("authors", _authors_text(paper, followed or set()) if paper.authors else None),
        ("categories", ", ".join(paper.categories) or None),
        ("published", iso(paper.published)),
        ("updated", iso(paper.updated)),
        ("announced", iso(paper.announced)),
        ("versions seen", seen),
        ("comment", paper.comment),
        ("journal ref", paper.journal_ref),
        ("journal", paper.journal),
        ("DOI", paper.doi),
        ("sources", "; ".join(paper.source_labels) or None),
        ("note", paper.note),
    ]
    for label, value in rows:
        if value:
            details.add_row(label, value if isinstance(value, Text) else Text(one_line(value)))
    if paper.doi:
        details.add_row("doi link", _url_text(f"https://doi.org/{paper.doi}"))
    for label, url in (("abs", paper.abs_url), ("pdf", paper.pdf_link)):
        if url:
            details.add_row(label, _url_text(url))
    parts: list[RenderableType] = [header, _title(paper), details]
    if paper.abstract:
        parts += [Text(""), Text(one_line(paper.abstract))]
    return Group(*parts)


def _url_text(url: str) -> Text:
    return Text(safe(url), style=Style(link=safe_link(url), underline=True))
