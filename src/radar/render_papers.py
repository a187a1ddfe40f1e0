"""Papers on stdout: the Rich table and cards, and the json/jsonl/csv/markdown/bibtex/plain text.

Every string from the network goes through `safe`/`literal`: never markup, never escapes.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from radar.paper import Paper, collapse_whitespace, normalize_name
from radar.render import safe

# Control characters JSON leaves raw (DEL and C1): escaped so no terminal acts on them.
_C1 = re.compile(r"[\x7f-\x9f]")
_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f-\x9f\"'<>\\]+$")
_BIB_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "from", "at"}
FOLLOWED_STYLE = Style(bold=True, color="yellow")


class PaperFormat(enum.StrEnum):
    """`--format` of list, search, shuffle and show."""

    table = "table"
    cards = "cards"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    bibtex = "bibtex"


JSON_FIELDS = (
    "id", "version", "title", "authors", "categories", "primary_category", "published",
    "updated", "announced", "day", "abstract", "doi", "journal_ref", "comment", "journal", "url",
    "pdf_url", "sources", "versions", "starred", "read", "note",
)  # fmt: skip
CSV_FIELDS = (
    "id", "version", "day", "title", "authors", "categories", "primary_category", "published",
    "updated", "announced", "doi", "journal_ref", "comment", "url", "pdf_url", "sources",
    "starred", "read", "abstract",
)  # fmt: skip


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
        _write(console, "".join(plain_line(p) + "\n" for p in papers))
    elif fmt is PaperFormat.table:
        console.print(paper_table(papers))
    elif fmt is PaperFormat.cards:
        followed = {normalize_name(name) for name in followed_authors}
        for index, paper in enumerate(papers):
            if index:
                console.print()
            console.print(paper_card(paper, followed=followed))
    else:
        _write(console, export(papers, fmt))


def _write(console: Console, text: str) -> None:
    console.file.write(text)
    console.file.flush()


def export(papers: Sequence[Paper], fmt: PaperFormat) -> str:
    """The text of a machine-readable format (json, jsonl, csv, markdown, bibtex)."""
    if fmt is PaperFormat.json:
        return _json([paper_record(p) for p in papers], indent=2) + "\n"
    if fmt is PaperFormat.jsonl:
        return "".join(_json(paper_record(p)) + "\n" for p in papers)
    if fmt is PaperFormat.csv:
        return to_csv(papers)
    if fmt is PaperFormat.markdown:
        return "\n".join(to_markdown(p) for p in papers)
    if fmt is PaperFormat.bibtex:
        return to_bibtex(papers)
    raise ValueError(f"not an export format: {fmt}")


# --- records ----------------------------------------------------------------------------


def paper_record(paper: Paper) -> dict[str, Any]:
    """The documented JSON object for one paper (see README, "JSON schema")."""
    return {
        "id": paper.id,
        "version": paper.version,
        "title": paper.title,
        "authors": list(paper.authors),
        "categories": list(paper.categories),
        "primary_category": paper.primary_category,
        "published": _iso(paper.published),
        "updated": _iso(paper.updated),
        "announced": _iso(paper.announced),
        "day": _iso(paper.day),
        "abstract": paper.abstract,
        "doi": paper.doi,
        "journal_ref": paper.journal_ref,
        "comment": paper.comment,
        "journal": paper.journal,
        "url": paper.abs_url,
        "pdf_url": paper.pdf_link,
        "sources": list(paper.source_labels),
        "versions": list(paper.versions),
        "starred": paper.starred,
        "read": paper.read,
        "note": paper.note,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _json(data: Any, indent: int | None = None) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def where_label(paper: Paper) -> str:
    """ "arXiv (cs.AI)" for arXiv papers, else the journal or first source label."""
    if paper.is_arxiv:
        return f"arXiv ({paper.primary_category})" if paper.primary_category else "arXiv"
    return paper.journal or (paper.source_labels[0] if paper.source_labels else "")


def marks(paper: Paper) -> str:
    return ",".join(name for name, on in (("starred", paper.starred), ("read", paper.read)) if on)


def _one_line(text: str | None) -> str:
    return safe(collapse_whitespace(text or ""))


def plain_line(paper: Paper) -> str:
    """id, day, where, title, authors, marks: tab-separated, for `cut`, `grep` and `awk`."""
    fields = [
        paper.id,
        _iso(paper.day) or "",
        where_label(paper),
        paper.title,
        ", ".join(paper.authors),
        marks(paper),
    ]
    return "\t".join(_one_line(f) for f in fields)


# --- Rich -------------------------------------------------------------------------------


def _link(url: str | None) -> str | None:
    """Only plain http(s) URLs become terminal hyperlinks."""
    return url if url and _SAFE_URL.match(url) else None


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
        id_text = Text(safe(paper.id), style=Style(link=_link(paper.abs_url)))
        mark = Text("★" if paper.starred else "", style="yellow")
        if paper.read and not paper.starred:
            mark = Text("✓", style="dim")
        table.add_row(
            id_text,
            _iso(paper.day) or "",
            Text(_one_line(paper.primary_category if paper.is_arxiv else where_label(paper))),
            Text(_one_line(paper.title), style="dim" if paper.read else ""),
            Text(_one_line(first_authors(paper))),
            mark,
        )
    return table


def _authors_text(paper: Paper, followed: set[str]) -> Text:
    text = Text()
    for index, name in enumerate(paper.authors):
        if index:
            text.append(", ")
        hit = normalize_name(name) in followed
        text.append(_one_line(name), style=FOLLOWED_STYLE if hit else "")
    return text


def _header(paper: Paper) -> Text:
    header = Text(_one_line(where_label(paper)), style="green")
    if paper.day:
        header.append(f" · {paper.day.isoformat()}")
    if paper.starred:
        header.append("  ★ starred", style="yellow")
    if paper.read:
        header.append("  ✓ read", style="dim")
    return header


def _title(paper: Paper) -> Text:
    return Text(_one_line(paper.title), style=Style(bold=True, link=_link(paper.abs_url)))


def _links(paper: Paper) -> Text:
    text = Text(style="dim")
    for label, url in (("abs", paper.abs_url), ("pdf", paper.pdf_link)):
        if url:
            if text:
                text.append("  ")
            text.append(f"{label}: ")
            text.append(safe(url), style=Style(link=_link(url), underline=True))
    return text


def paper_card(paper: Paper, *, followed: set[str] | None = None) -> RenderableType:
    """The `--long` card: where · date / bold title / authors / abstract / links."""
    parts: list[RenderableType] = [_header(paper), _title(paper)]
    if paper.authors:
        parts.append(_authors_text(paper, followed or set()))
    if paper.abstract:
        parts.append(Text(_one_line(paper.abstract)))
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
        ("published", _iso(paper.published)),
        ("updated", _iso(paper.updated)),
        ("announced", _iso(paper.announced)),
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
            details.add_row(label, value if isinstance(value, Text) else Text(_one_line(value)))
    if paper.doi:
        details.add_row("doi link", _url_text(f"https://doi.org/{paper.doi}"))
    for label, url in (("abs", paper.abs_url), ("pdf", paper.pdf_link)):
        if url:
            details.add_row(label, _url_text(url))
    parts: list[RenderableType] = [header, _title(paper), details]
    if paper.abstract:
        parts += [Text(""), Text(_one_line(paper.abstract))]
    return Group(*parts)


def _url_text(url: str) -> Text:
    return Text(safe(url), style=Style(link=_link(url), underline=True))


# --- exports ----------------------------------------------------------------------------


def to_csv(papers: Sequence[Paper]) -> str:
    """RFC 4180 CSV with a header; lists are joined with "; " (categories with spaces)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for paper in papers:
        record = paper_record(paper)
        record["authors"] = "; ".join(paper.authors)
        record["categories"] = " ".join(paper.categories)
        record["sources"] = "; ".join(paper.source_labels)
        record["starred"] = str(paper.starred).lower()
        record["read"] = str(paper.read).lower()
        writer.writerow({k: safe(v) if isinstance(v, str) else v for k, v in record.items()})
    return buffer.getvalue()


_MATH = re.compile(r"(\$[^$]+\$)")


def _md(text: str | None) -> str:
    """Markdown-inert text: brackets, emphasis, code and HTML are escaped; `$...$` kept."""
    parts = _MATH.split(_one_line(text))
    return "".join(
        part if index % 2 else re.sub(r"([\\`*\[\]<>#|])", r"\\\1", part)
        for index, part in enumerate(parts)
    )


def to_markdown(paper: Paper) -> str:
    url = _link(paper.abs_url)
    title = f"[{_md(paper.title)}]({url})" if url else _md(paper.title)
    lines = [f"## {title}", ""]
    meta = [_md(where_label(paper)), _iso(paper.day) or ""]
    if _link(paper.pdf_link):
        meta.append(f"[PDF]({paper.pdf_link})")
    lines.append(" · ".join(m for m in meta if m))
    if paper.authors:
        lines += ["", "**Authors:** " + ", ".join(_md(a) for a in paper.authors)]
    if paper.doi:
        lines += ["", f"**DOI:** {_md(paper.doi)}"]
    if paper.abstract:
        lines += ["", _md(paper.abstract)]
    return "\n".join(lines) + "\n"


def to_bibtex(papers: Sequence[Paper]) -> str:
    """`@misc` entries (eprint, archivePrefix, primaryClass, doi) with keys unique in the output."""
    used: set[str] = set()
    return "\n".join(_bib_entry(p, _unique_key(bibtex_key(p), used)) for p in papers)


def bibtex_key(paper: Paper) -> str:
    """surnameYEARword, e.g. maestro2012luttinger (ASCII letters and digits only)."""
    surname = paper.authors[0].split()[-1] if paper.authors and paper.authors[0].split() else ""
    year = str(paper.published.year if paper.published else paper.day.year if paper.day else "")
    words = [w for w in re.findall(r"[A-Za-z]+", _ascii(paper.title)) if w.lower()]
    word = next((w for w in words if w.lower() not in _BIB_STOPWORDS), "")
    key = re.sub(r"[^a-z0-9]", "", _ascii(surname).lower()) + year + word.lower()
    return key or "paper" + re.sub(r"[^a-z0-9]", "", paper.id.lower())


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _unique_key(key: str, used: set[str]) -> str:
    candidate, suffix = key, 0
    while candidate in used:
        suffix += 1
        candidate = key + _letters(suffix)
    used.add(candidate)
    return candidate


def _letters(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _bib_value(text: str) -> str:
    """A brace-delimited BibTeX value: LaTeX kept, specials escaped, braces always balanced."""
    value = _one_line(text)
    value = re.sub(r"(?<!\\)([&%#])", r"\\\1", value)
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", r"\{").replace("}", r"\}")
    return "{" + value + "}"


def _bib_entry(paper: Paper, key: str) -> str:
    year = paper.published or paper.day
    fields: list[tuple[str, str | None]] = [
        ("title", paper.title),
        ("author", " and ".join(paper.authors) or None),
        ("year", str(year.year) if year else None),
        ("month", str(year.month) if year else None),
    ]
    if paper.is_arxiv:
        fields += [
            ("eprint", paper.id),
            ("archivePrefix", "arXiv"),
            ("primaryClass", paper.primary_category),
        ]
    fields += [
        ("doi", paper.doi),
        ("journal", paper.journal),
        ("note", paper.journal_ref),
        ("url", paper.abs_url),
    ]
    body = ",\n".join(f"  {name} = {_bib_value(value)}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}\n"
