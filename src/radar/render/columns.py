"""How wide each column of the paper table is at a given terminal width, and what fits in it.

Text arithmetic (Rich only measures cells beyond Latin script): the title gets the spare width
(at least `TITLE_MIN` cells when the terminal allows), authors shrink first ("First Author +7").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

TITLE_MIN = 50  # a reader at 80 columns still gets this much of every title
TITLE_COMFORT = 80  # past this the title waits while category and authors widen
ID_MAX = 16  # the widest old-style arXiv id, cond-mat/0412498; feed papers show handles
DATE_WIDTH = 10
WHERE_MAX = 20
WHERE_HEADER = "category"  # a feed paper's journal or source shows in the same column
AUTHORS_MAX = 40
AUTHORS_MIN = 18  # "First Author +7"; a longer first name is cut: "Adrian Del Mae… +7"
TERMS_MAX = 36  # `--sort relevance`: the two terms that weighed most, "entanglement, qubit"
TERMS_MIN = 16  # room for one whole term of most papers, or the column waits
TERMS_HEADER = "terms"
ELLIPSIS = "…"


@dataclass(frozen=True)
class Row:
    """One paper as the table's cells (plain text, already made safe)."""

    id: str
    date: str
    where: str
    title: str
    authors: tuple[str, ...]
    marks: str  # "★", "✓", "★✓" or ""
    score: str = ""  # "0.87" when read by relevance (radar rank), else ""
    marker: str = ""  # " [replaced v4]" / " [cross-list]" after the title, never cut
    terms: tuple[str, ...] = ()  # ("entanglement", "qubit") when read by relevance


@dataclass(frozen=True)
class Layout:
    """Column widths (0: the column is not shown) and the gap between columns."""

    id: int
    date: int
    where: int
    title: int
    authors: int
    marks: int
    gap: int
    score: int = 0
    terms: int = 0

    @property
    def columns(self) -> list[str]:
        names = ("id", "date", "where", "title", "authors", "marks", "score", "terms")
        return [name for name in names if getattr(self, name)]

    @property
    def total(self) -> int:
        widths = [getattr(self, name) for name in self.columns]
        return sum(widths) + self.gap * (len(widths) - 1)


def cells(text: str) -> int:
    """Terminal cells `text` takes (wide characters two, combining marks none), as Rich counts.

    Printable text below U+0300 (ASCII, Latin-1, Latin Extended, IPA) is one cell a character
    in Rich's tables too: counted here without importing them (~6 ms).
    """
    if text.isprintable() and (not text or max(text) < "\u0300"):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in an ellipsis when something was cut."""
    if cells(text) <= width:
        return text
    if width <= 0:
        return ""
    out, used = [], 0
    for ch in text:
        size = cells(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + ELLIPSIS


def authors_text(authors: Sequence[str], width: int) -> str:
    """The most of the author list that fits: all names, "A, B +5", "A +6", "Adrian Del… +6"."""
    if not authors:
        return ""
    every = ", ".join(authors)
    if cells(every) <= width:
        return every
    for shown in range(len(authors) - 1, 0, -1):
        text = ", ".join(authors[:shown]) + f" +{len(authors) - shown}"
        if cells(text) <= width:
            return text
    rest = f" +{len(authors) - 1}" if len(authors) > 1 else ""
    return fit(authors[0], width - cells(rest)) + rest if width > cells(rest) else ""


def terms_text(terms: Sequence[str], width: int) -> str:
    """The most of a paper's strongest terms that fits: "a, b", else "a", else "a" cut."""
    for shown in range(len(terms), 0, -1):
        text = ", ".join(terms[:shown])
        if cells(text) <= width:
            return text
    return fit(terms[0], width) if terms else ""


def _first_author(row: Row) -> int:
    """Cells of "First Author +7", the form authors shrink to before the title does."""
    if not row.authors:
        return 0
    rest = f" +{len(row.authors) - 1}" if len(row.authors) > 1 else ""
    return cells(row.authors[0] + rest)


def _full_authors(row: Row) -> int:
    first = row.authors[:3]
    more = f" +{len(row.authors) - 3}" if len(row.authors) > 3 else ""
    return cells(", ".join(first) + more)


def plan(rows: Sequence[Row], width: int) -> Layout:
    """The widths for `rows` at `width` cells.

    Id, date, title and marks always show; authors, a relevance table's terms, then category
    join when the title can keep `TITLE_MIN`. Spare cells go to the title up to
    `TITLE_COMFORT`, then to category, authors and terms, then to the title again. When even
    that is too wide, the gap narrows and the date goes, so a title keeps `TITLE_MIN` cells
    down to about 70 columns.
    """
    id_width = min(ID_MAX, max((cells(r.id) for r in rows), default=2))
    marks = max((cells(r.marks) for r in rows), default=0)
    title_need = max((cells(r.title + r.marker) for r in rows), default=5)
    where_want = min(WHERE_MAX, max((cells(r.where) for r in rows), default=0))
    if where_want:  # the column is never narrower than its header: "category", not "cate…"
        where_want = max(where_want, cells(WHERE_HEADER))
    where_min = min(where_want, 8)
    authors_want = min(AUTHORS_MAX, max((_full_authors(r) for r in rows), default=0))
    authors_min = min(authors_want, max((_first_author(r) for r in rows), default=0), AUTHORS_MIN)
    terms_want = min(TERMS_MAX, max((cells(", ".join(r.terms)) for r in rows), default=0))
    if terms_want:
        terms_want = max(terms_want, cells(TERMS_HEADER))
    first_term = max((cells(r.terms[0]) for r in rows if r.terms), default=0)
    terms_min = min(terms_want, max(first_term, cells(TERMS_HEADER)), TERMS_MIN)
    date = DATE_WIDTH if any(r.date for r in rows) else 0
    gap = 2
    score = 5 if any(r.score for r in rows) else 0  # "score" over "0.87"
    layout = Layout(
        id=id_width, date=date, where=0, title=0, authors=0, marks=marks, gap=gap, score=score
    )
    title_floor = min(TITLE_MIN, title_need)

    def room(current: Layout) -> int:
        """Cells left for the title once `current`'s other columns (and one gap) are placed."""
        return width - current.total - current.gap

    for name, minimum in (("authors", authors_min), ("terms", terms_min), ("where", where_min)):
        if minimum and room(_with(layout, name, minimum)) >= title_floor:
            layout = _with(layout, name, minimum)
    if room(layout) < title_floor:
        layout = _with(layout, "gap", 1)
    if room(layout) < title_floor and layout.date:
        layout = _with(layout, "date", 0)
    spare = room(layout)
    title = min(spare, min(title_need, max(TITLE_COMFORT, title_floor)))
    spare -= title
    for name, want in (("where", where_want), ("terms", terms_want), ("authors", authors_want)):
        current = getattr(layout, name)
        if current and spare > 0:
            grow = min(spare, want - current)
            layout = _with(layout, name, current + grow)
            spare -= grow
    title += max(0, min(spare, title_need - title))
    return _with(layout, "title", max(title, 1))


def _with(layout: Layout, name: str, value: int) -> Layout:
    return replace(layout, **{name: value})
