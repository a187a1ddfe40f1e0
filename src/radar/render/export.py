"""Papers as text for other programs: json, jsonl, csv, markdown, bibtex, and the JSON record.

Pure functions from `Paper`s to strings; control characters never get through unescaped.
"""

from __future__ import annotations

import enum
import io
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from radar.paper import Paper, collapse_whitespace
from radar.render.console import json_text, safe

# Control characters JSON leaves raw (DEL and C1): escaped so no terminal acts on them.
_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f-\x9f\"'<>\\]+$")
_BIB_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "from", "at"}


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
    "id", "version", "title", "authors", "affiliations", "categories", "primary_category",
    "published", "updated", "announced", "announce_type", "day", "abstract", "doi",
    "journal_ref", "comment", "journal", "url", "pdf_url", "sources", "versions", "starred",
    "read", "note",
)  # fmt: skip
CSV_FIELDS = (
    "id", "version", "day", "title", "authors", "categories", "primary_category", "published",
    "updated", "announced", "announce_type", "doi", "journal_ref", "comment", "url", "pdf_url",
    "sources", "starred", "read", "abstract", "note",
)  # fmt: skip


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
        "affiliations": affiliations_record(paper),
        "categories": list(paper.categories),
        "primary_category": paper.primary_category,
        "published": iso(paper.published),
        "updated": iso(paper.updated),
        "announced": iso(paper.announced),
        "announce_type": paper.announce_type,
        "day": iso(paper.day),
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
        **({"score": round(paper.score, 4)} if paper.score is not None else {}),
        **({"terms": list(paper.terms)} if paper.terms else {}),
        **({"snippet": paper.snippet_text} if paper.snippet else {}),
    }


def affiliations_record(paper: Paper) -> dict[str, list[str]]:
    """{"Author Name": ["Affiliation", ...]} for the authors the source gave affiliations for."""
    record: dict[str, list[str]] = {}
    for index, name in enumerate(paper.authors):
        for affiliation in paper.affiliations_of(index):
            if affiliation not in record.setdefault(name, []):
                record[name].append(affiliation)
    return record


def announce_marker(paper: Paper) -> str | None:
    """`replaced v4` / `cross-list` for a paper whose latest announcement was not new."""
    kind = paper.announce_type
    if kind in ("replace", "replace-cross"):
        return f"replaced v{paper.version}" if paper.version else "replaced"
    return "cross-list" if kind == "cross" else None


def iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _json(data: Any, indent: int | None = None) -> str:
    return json_text(data, indent)


def where_label(paper: Paper) -> str:
    """Where a paper is from: `arXiv (cs.AI)`, else its journal or first source label."""
    if paper.is_arxiv:
        return f"arXiv ({paper.primary_category})" if paper.primary_category else "arXiv"
    return paper.journal or (paper.source_labels[0] if paper.source_labels else "")


def marks(paper: Paper) -> str:
    return ",".join(name for name, on in (("starred", paper.starred), ("read", paper.read)) if on)


def one_line(text: str | None) -> str:
    return safe(collapse_whitespace(text or ""))


def safe_link(url: str | None) -> str | None:
    """Only plain http(s) URLs become terminal hyperlinks."""
    return url if url and _SAFE_URL.match(url) else None


# --- exports ----------------------------------------------------------------------------


def to_csv(papers: Sequence[Paper]) -> str:
    """RFC 4180 CSV with a header; lists are joined with "; " (categories with spaces)."""
    buffer = io.StringIO()
    ranked = any(p.score is not None for p in papers)  # read by relevance: a score column
    found = any(p.snippet for p in papers)  # search results: a snippet column
    fields = (*CSV_FIELDS, *(["score"] if ranked else []), *(["snippet"] if found else []))
    import csv  # only this export

    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for paper in papers:
        record = paper_record(paper)
        record["authors"] = "; ".join(paper.authors)
        record["categories"] = " ".join(paper.categories)
        record["sources"] = "; ".join(paper.source_labels)
        record["starred"] = str(paper.starred).lower()
        record["read"] = str(paper.read).lower()
        writer.writerow({k: _cell(v) if isinstance(v, str) else v for k, v in record.items()})
    return buffer.getvalue()


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a formula-like start gets a ' (as OWASP advises)."""
    value = safe(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


_MATH = re.compile(r"(\$[^$]+\$)")


def _md(text: str | None) -> str:
    """Markdown-inert text: brackets, emphasis, code and HTML are escaped; `$...$` kept."""
    parts = _MATH.split(one_line(text))
    return "".join(
        part if index % 2 else re.sub(r"([\\`*\[\]<>#|])", r"\\\1", part)
        for index, part in enumerate(parts)
    )


def to_markdown(paper: Paper) -> str:
    url = safe_link(paper.abs_url)
    title = f"[{_md(paper.title)}]({url})" if url else _md(paper.title)
    lines = [f"## {title}", ""]
    meta = [_md(where_label(paper)), iso(paper.day) or ""]
    if safe_link(paper.pdf_link):
        meta.append(f"[PDF]({paper.pdf_link})")
    lines.append(" · ".join(m for m in meta if m))
    if paper.authors:
        lines += ["", "**Authors:** " + ", ".join(_md(a) for a in paper.authors)]
    if paper.doi:
        lines += ["", f"**DOI:** {_md(paper.doi)}"]
    if paper.abstract:
        lines += ["", _md(paper.abstract)]
    if paper.note:
        lines += ["", f"**Note:** {_md(paper.note)}"]
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
    value = one_line(text)
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


def card_details(paper: Paper) -> list[tuple[str, str]]:
    """The labelled rows of `radar show`, in order (empty fields left out; one line each)."""
    version = f"v{paper.version}" if paper.version else ""
    rows = [
        ("id", f"{paper.id}{version}"),
        ("authors", ", ".join(paper.authors)),
        ("affiliations", affiliations_line(paper)),
        ("categories", ", ".join(paper.categories)),
        ("published", iso(paper.published) or ""),
        ("updated", iso(paper.updated) or ""),
        ("announced", iso(paper.announced) or ""),
        ("versions seen", ", ".join(f"v{v}" for v in paper.versions)),
        ("comment", paper.comment or ""),
        ("journal ref", paper.journal_ref or ""),
        ("journal", paper.journal or ""),
        ("DOI", paper.doi or ""),
        ("sources", "; ".join(paper.source_labels)),
        ("note", paper.note or ""),
        ("doi link", f"https://doi.org/{paper.doi}" if paper.doi else ""),
        ("abs", paper.abs_url or ""),
        ("pdf", paper.pdf_link or ""),
    ]
    return [(label, value) for label, value in rows if value]


def affiliations_line(paper: Paper) -> str:
    """ "Andrew Gould: Ohio State · B. Scott Gaudi: CfA" for the authors that have any."""
    return " · ".join(
        f"{name}: {'; '.join(paper.affiliations_of(index))}"
        for index, name in enumerate(paper.authors)
        if paper.affiliations_of(index)
    )
