"""The compact paper table (`radar list`, `search`, `shuffle` on a terminal) as ANSI text.

No Rich: its console cost ~25 ms of imports for 20 lines. The escapes are the ones Rich writes
for the same styles, chosen the way Rich chooses (see `render.console.terminal_styles`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from radar.paper import Paper
from radar.render import columns
from radar.render.columns import Row
from radar.render.console import safe
from radar.render.export import announce_marker, iso, one_line, safe_link, where_label

# Rich's SGR codes for the styles the table uses.
_SGR = {"bold": "1", "dim": "2", "green": "32", "yellow": "33", "magenta": "35", "cyan": "36"}
_COLOURS = {"green", "yellow", "magenta", "cyan"}
HEADER = Row(
    "id", "date", columns.WHERE_HEADER, "title", ("authors",), "", "score",
    terms=(columns.TERMS_HEADER,),
)  # fmt: skip
SNIPPET = ("dim",)  # a search result's matching text, under its row
MATCH = ("bold", "yellow")  # a match inside it (not dim)
LEAD_CONTEXT = 24  # characters kept before a match that would be cut off the line


@dataclass(frozen=True)
class Piece:
    """A run of text in one style: Rich style words ("bold", "cyan") and a hyperlink."""

    text: str
    style: tuple[str, ...] = ()
    link: str | None = None


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
            terms=tuple(one_line(term) for term in p.terms),
        )
        for p in papers
    ]


def table_lines(papers: Sequence[Paper], width: int) -> list[list[Piece]]:
    """The header and one line a paper, laid out for `width` cells (`radar.render.columns`)."""
    rows = table_rows(papers)
    layout = columns.plan(rows, width)
    lines = [_line(HEADER, layout, header=True)]
    for paper, row in zip(papers, rows, strict=True):
        lines.append(_line(row, layout, paper=paper))
        if paper.snippet:
            lines.append(_snippet_line(paper, layout, width))
    return [_crop(line, width) for line in lines]


def table_text(papers: Sequence[Paper], *, width: int, styles: str) -> str:
    """The table as terminal text; `styles`: "color", "mono" (no colours) or "none"."""
    return "".join(
        "".join(paint(piece, styles) for piece in line) + "\n"
        for line in table_lines(papers, width)
    )


def paint(piece: Piece, styles: str) -> str:
    """`piece` with its escapes, as Rich writes them (a link wraps the styled text)."""
    if styles == "none" or not piece.text:
        return piece.text
    words = [w for w in piece.style if styles == "color" or w not in _COLOURS]
    text = piece.text
    if words:
        text = f"\x1b[{';'.join(_SGR[w] for w in _sorted(words))}m{text}\x1b[0m"
    if piece.link:
        link_id = zlib.crc32(piece.link.encode())
        text = f"\x1b]8;id={link_id};{piece.link}\x1b\\{text}\x1b]8;;\x1b\\"
    return text


def _sorted(words: list[str]) -> list[str]:
    """Attributes (bold, dim) before the colour, as Rich orders its codes."""
    return sorted(dict.fromkeys(words), key=lambda w: (w in _COLOURS, _SGR[w]))


def _line(
    row: Row, layout: columns.Layout, *, paper: Paper | None = None, header: bool = False
) -> list[Piece]:
    base = ("bold",) if header else ()
    read = paper is not None and paper.read
    cells: dict[str, tuple[str, tuple[str, ...]]] = {
        "id": (row.id, () if header else ("cyan",)),
        "date": (row.date, ()),
        "where": (row.where, () if header else ("green",)),
        "title": (row.title, ("dim",) if read else ()),  # + the announce marker
        "authors": (
            row.authors[0] if header else columns.authors_text(row.authors, layout.authors),
            (),
        ),
        "marks": (row.marks, () if header else ("yellow",)),
        "score": (row.score.rjust(layout.score), ()),
        "terms": (columns.terms_text(row.terms, layout.terms), () if header else ("dim",)),
    }
    link = safe_link(paper.abs_url) if paper else None
    pieces: list[Piece] = []
    for index, name in enumerate(layout.columns):
        if index:
            pieces.append(Piece(" " * layout.gap, base))
        text, style = cells[name]
        width = getattr(layout, name)
        if name == "title" and row.marker:  # "[replaced v4]" stays visible when a title is cut
            shown = columns.fit(text, width - columns.cells(row.marker)) + row.marker
            pieces.append(Piece(shown[: len(shown) - len(row.marker)], (*base, *style)))
            pieces.append(Piece(row.marker, (*base, "magenta")))
        else:
            shown = columns.fit(text, width)
            pieces.append(Piece(shown, (*base, *style), link if name == "id" else None))
        if index < len(layout.columns) - 1:
            pieces.append(Piece(" " * (width - columns.cells(shown)), base))
    return _merged(pieces)


def snippet_parts(paper: Paper, width: int | None = None) -> list[tuple[str, bool]]:
    """A search result's matching text as (text, is a match) parts, made safe. With `width`,
    text before the first match is cut (to "…" and a few words) when the match would not
    show within that width."""
    parts = [(safe(part), is_match) for part, is_match in paper.snippet]
    if width is not None and len(parts) > 1 and not parts[0][1] and parts[1][1]:
        lead, match = parts[0][0], parts[1][0]
        if columns.cells(lead + match) > width:
            keep = max(0, min(LEAD_CONTEXT, width - columns.cells(match) - 1))
            parts[0] = ("…" + lead[len(lead) - keep :] if keep else "…", False)
    return parts


def _snippet_line(paper: Paper, layout: columns.Layout, width: int) -> list[Piece]:
    """The snippet under a table row, starting under the title (cut to one line later)."""
    before = layout.columns[: layout.columns.index("title")]
    indent = sum(getattr(layout, name) + layout.gap for name in before)
    if width - indent < 30:  # too narrow to indent: use the whole line
        indent = 2
    pieces = [Piece(" " * indent)]
    for text, is_match in snippet_parts(paper, width - indent):
        pieces.append(Piece(text, MATCH if is_match else SNIPPET))
    return _merged(pieces)


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Neighbours in the same style as one piece (one escape, as Rich writes a line)."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and (out[-1].style, out[-1].link) == (piece.style, piece.link):
            out[-1] = Piece(out[-1].text + piece.text, piece.style, piece.link)
        else:
            out.append(piece)
    return out


def _crop(line: list[Piece], width: int) -> list[Piece]:
    """A line wider than the terminal cut to width - 1 cells and an ellipsis, as Rich cuts."""
    if sum(columns.cells(p.text) for p in line) <= width:
        return line
    kept: list[Piece] = []
    room = width - 1
    for piece in line:
        size = columns.cells(piece.text)
        if size <= room:
            kept.append(piece)
            room -= size
            continue
        cut = ""
        for char in piece.text:
            if columns.cells(cut + char) > room:
                break
            cut += char
        cut += " " * (room - columns.cells(cut))  # a wide character cut in half
        kept.append(Piece(cut + "…", piece.style, piece.link))
        break
    return kept
