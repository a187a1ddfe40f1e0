"""Fidelity: radar's parsers against independent ones, field by field, on every recorded file.

arXiv API pages are read again by the `arxiv` package's own parser, arXiv RSS and journal feeds
by feedparser (names decoded by pylatexenc's full LaTeX reader); every difference is counted
per field. Usage: python benchmarks/fidelity.py [DATA_DIR] [--output docs/fidelity.md]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FETCHED = date(2026, 11, 27)  # the day radar gives entries that carry no date
# Differences where the reference, not radar, is wrong (said under the report's examples).
KNOWN = {
    "feeds-malformed/feedparser_koi8r_no_encoding_declared.xml": "feedparser (without chardet) "
    "reads the undeclared KOI8-R as windows-1252 and returns mojibake; radar detects the "
    "encoding (charset-normalizer) and reads the Russian title correctly.",
}
# The fields whose mismatches the test requires to be zero.
EXACT = ("authors", "names", "announce_type")


@dataclass
class FileReport:
    """One recorded file: how many entries each side read and what differed, per field."""

    path: str
    parser: str
    radar: int = 0
    reference: int = 0
    compared: Counter[str] = field(default_factory=Counter)
    mismatches: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    note: str = ""

    def check(self, name: str, ours: Any, theirs: Any, key: str) -> None:
        """Count one field of one entry; `theirs` None means the reference has no value."""
        self.compared[name] += 1
        if ours != theirs:
            self.mismatches[name] += 1
            if len(self.examples) < 5:
                self.examples.append(f"{key} {name}: radar {ours!r} != reference {theirs!r}")


# --- normalising the reference side (independently of radar's own helpers) ----------------


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


@cache
def _latex(text: str) -> str:
    """What a full LaTeX reader makes of `text` (math kept verbatim): the common ground on which
    radar's text (accents decoded) and the source's (raw TeX) must agree."""
    if "\\" not in text:
        return text
    from pylatexenc.latex2text import LatexNodes2Text

    return _one_line(LatexNodes2Text(math_mode="verbatim").latex_to_text(text))


def _name(text: str) -> str:
    """An author's name as the reference reads it: TeX decoded, whitespace collapsed."""
    import unicodedata

    return unicodedata.normalize("NFC", _latex(_one_line(text)))


def _split_creators(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The reference reading of a `dc:creator` list: commas outside brackets separate people."""
    pieces = re.split(r",\s*(?![^()]*\))", _one_line(text))
    people = []
    for piece in pieces:
        affiliations = tuple(_one_line(a) for a in re.findall(r"\(([^()]*)\)", piece))
        name = _one_line(re.sub(r"\([^()]*\)", " ", piece))
        if name:
            people.append((_name(name), affiliations))
    return people


def _arxiv_id(text: str) -> tuple[str, int | None]:
    match = re.search(r"(?:abs/|oai:arXiv\.org:)(.+?)(?:v(\d+))?$", text.strip())
    if not match:
        return text.strip(), None
    return match.group(1), int(match.group(2)) if match.group(2) else None


def _https(url: str | None) -> str | None:
    return re.sub(r"^http://arxiv\.org/", "https://arxiv.org/", url) if url else url


def _raw_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(_one_line(text)).date()
    except (TypeError, ValueError):
        match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", text)
        return date(*map(int, match.groups())) if match else None


# --- arXiv API pages: the arxiv package --------------------------------------------------


def compare_api(path: Path, body: bytes) -> FileReport:
    from arxiv import _feed

    from radar.sources.arxiv_api import parse_page

    report = FileReport(_relative(path), "arxiv package")
    results = _feed.parse(body).results
    report.reference = len(results)
    try:
        papers = {p.id: p for p in parse_page(body).papers}
    except Exception as exc:  # an error feed: radar refuses it, as it should
        report.note = f"radar refuses it: {type(exc).__name__}: {exc}"
        return report
    report.radar = len(papers)
    for result in results:
        base, version = _arxiv_id(result.entry_id)
        paper = papers.get(base)
        report.check("id", paper is not None, True, base)
        if paper is None:
            continue
        names = [_name(a.name) for a in result.authors]
        categories = [result.primary_category] + [
            c for c in result.categories if c != result.primary_category
        ]
        affiliations = [tuple(_one_line(x) for x in a.affiliation) for a in result.authors]
        pairs = {
            "version": (paper.version, version),
            "title": (_latex(paper.title), _latex(_one_line(result.title))),
            "abstract": (_latex(paper.abstract), _latex(_one_line(result.summary))),
            "authors": (len(paper.authors), len(names)),
            "names": (list(paper.authors), names),
            "affiliations": (_affiliations(paper), affiliations),
            "categories": (list(paper.categories), categories),
            "published": (paper.published, result.published.date()),
            "updated": (paper.updated, result.updated.date()),
            "doi": (paper.doi, result.doi),
            "journal_ref": (paper.journal_ref, _one_line(result.journal_ref) or None),
            "comment": (paper.comment, _one_line(result.comment) or None),
            # radar writes arXiv links with https (legacy pages say http: the same document)
            "pdf_url": (paper.pdf_link, _https(result.pdf_url)),
        }
        for name, (ours, theirs) in pairs.items():
            report.check(name, ours, theirs, base)
    return report


# --- arXiv RSS: feedparser ----------------------------------------------------------------


def compare_rss(path: Path, body: bytes) -> FileReport:
    import feedparser

    from radar.sources.arxiv_rss import parse_feed

    parsed = feedparser.parse(body)
    category = _one_line(parsed.feed.get("title")).split(" ")[0]
    report = FileReport(_relative(path), "feedparser")
    report.reference = len(parsed.entries)
    papers = {p.id: p for p in parse_feed(body, [category]).papers}
    report.radar = len(papers)
    for entry in parsed.entries:
        base, version = _arxiv_id(entry.get("id", ""))
        paper = papers.get(base)
        report.check("id", paper is not None, True, base)
        if paper is None:
            continue
        people = _split_creators(entry.get("author", ""))
        summary = entry.get("summary", "")
        abstract = summary.split("Abstract:", 1)[1] if "Abstract:" in summary else summary
        pairs = {
            "version": (paper.version, version),
            "title": (_latex(paper.title), _latex(_one_line(entry.get("title")))),
            "abstract": (_latex(paper.abstract), _latex(_one_line(abstract))),
            "authors": (len(paper.authors), len(people)),
            "names": (list(paper.authors), [name for name, _ in people]),
            "affiliations": (_affiliations(paper), [a for _, a in people]),
            "categories": (list(paper.categories), [t["term"] for t in entry.get("tags", [])]),
            "announce_type": (_announce_type(paper), entry.get("arxiv_announce_type")),
            "announced": (paper.announced, _raw_day(entry.get("published"))),
            "doi": (paper.doi, entry.get("arxiv_doi")),
            "journal_ref": (paper.journal_ref, entry.get("arxiv_journal_reference")),
            "pdf_url": (paper.pdf_link, f"https://arxiv.org/pdf/{base}v{version}"),
        }
        for name, (ours, theirs) in pairs.items():
            report.check(name, ours, theirs, base)
    return report


def _affiliations(paper: Any) -> list[tuple[str, ...]]:
    """Per author; a radar without affiliations (before issue 17) reads as none at all."""
    stored = getattr(paper, "affiliations", ())
    return [stored[i] if i < len(stored) else () for i in range(len(paper.authors))]


def _announce_type(paper: Any) -> str | None:
    """The paper's own type; a radar before issue 17 kept it only on the sighting."""
    if hasattr(paper, "announce_type"):
        return paper.announce_type  # type: ignore[no-any-return]
    return paper.sources[0].announce_type if paper.sources else None


# --- journal and preprint-server feeds: feedparser ------------------------------------------

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+")


def compare_feed(path: Path, body: bytes) -> FileReport:
    import feedparser

    from radar.sources.feeds import parse_feed

    report = FileReport(_relative(path), "feedparser")
    parsed = feedparser.parse(body)
    entries = [e for e in parsed.entries if e.get("title") or e.get("link")]
    report.reference = len(entries)
    try:
        result = parse_feed(body, name=path.stem, fetched_on=FETCHED)
    except Exception as exc:  # not a feed at all: radar says so in one line
        report.note = f"radar refuses it: {type(exc).__name__}: {_one_line(str(exc))}"
        return report
    report.radar = len(result.papers)
    by_link = {_bare(p.url): p for p in result.papers if p.url}
    by_title = {p.title: p for p in result.papers}
    in_order = list(result.papers) if len(result.papers) == len(entries) else []
    for index, entry in enumerate(entries):
        title = _text(entry.get("title"))
        link = _one_line(entry.get("link"))
        paper = by_link.get(_bare(link)) or by_title.get(title)
        if paper is None and in_order:  # e.g. a title the reference decoded differently
            paper = in_order[index]
        key = link or title
        report.check("id", paper is not None, True, key)
        if paper is None:
            continue
        report.check("title", paper.title, title or "(untitled)", key)
        report.check("url", _bare(paper.url) or None, _bare(link) or None, key)
        stated = [entry.get("prism_doi"), entry.get("dc_identifier"), entry.get("id")]
        dois = [m.group().rstrip(".,;") for s in stated if s and (m := _DOI.search(s))]
        if dois:
            report.check("doi", (paper.doi or "").casefold(), dois[0].casefold(), key)
        journal = entry.get("prism_publicationname") or (entry.get("source") or {}).get("title")
        if journal:
            report.check("journal", paper.journal, _one_line(journal), key)
        day = _raw_day(entry.get("published") or entry.get("updated"))
        if day:
            report.check("published", paper.published, day, key)
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
        if len(authors) > 1:  # one element per author; a joined string has no reference split
            report.check("authors", len(paper.authors), len(authors), key)
            report.check("names", list(paper.authors), [_name(a) for a in authors], key)
    return report


def _text(value: str | None) -> str:
    return _one_line(html.unescape(re.sub(r"<[^>]+>", " ", value or "")))


def _bare(link: str | None) -> str:
    """A link without scheme, query or trailing slash, to pair entries with papers."""
    link = (link or "").strip().split("?")[0].split("#")[0].rstrip("/")
    return re.sub(r"^https?://(?:www\.)?", "", link).lower()


# --- running and reporting ----------------------------------------------------------------


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(DATA))
    except ValueError:
        return str(path)


def run(data: Path = DATA) -> list[FileReport]:
    """Compare every recorded file under `data` (SOURCES.md files are skipped)."""
    reports = []
    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.suffix not in (".xml", ".json", ".rdf"):
            continue
        body = path.read_bytes()
        if path.suffix == ".json":
            body = json.loads(body)["body"].encode()
        folder = path.relative_to(data).parts[0]
        if folder == "arxiv-api":
            reports.append(compare_api(path, body))
        elif folder == "arxiv-rss":
            reports.append(compare_rss(path, body))
        else:
            reports.append(compare_feed(path, body))
    return reports


def totals(reports: list[FileReport]) -> dict[str, tuple[int, int]]:
    """Field -> (values compared, mismatches) over every file."""
    compared: Counter[str] = Counter()
    mismatches: Counter[str] = Counter()
    for report in reports:
        compared.update(report.compared)
        mismatches.update(report.mismatches)
    return {name: (compared[name], mismatches[name]) for name in sorted(compared)}


def markdown(reports: list[FileReport]) -> str:
    entries = sum(r.reference for r in reports)
    lines = [
        "# Fidelity: radar's parsers against independent ones",
        "",
        "Generated by `python benchmarks/fidelity.py --output docs/fidelity.md` from every "
        "recorded file in tests/data. arXiv API pages are read again by the `arxiv` package's "
        "own parser (`arxiv._feed.parse`); arXiv RSS and journal feeds by feedparser, whose "
        "`dc:creator` string is split on commas outside brackets; names are decoded by "
        "pylatexenc's full LaTeX reader, titles and abstracts are compared after that reader "
        "renders both sides (math kept verbatim). A mismatch is one entry whose field differs.",
        "",
        f"{len(reports)} files, {entries} reference entries.",
        "",
        "## Totals per field",
        "",
        "| field | values compared | mismatches |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {c} | {m} |" for name, (c, m) in totals(reports).items()]
    lines += ["", "## Per file", "", "| file | reference | entries (radar / ref) | mismatches |"]
    lines.append("|---|---|---:|---|")
    for report in reports:
        wrong = ", ".join(f"{k} {v}" for k, v in sorted(report.mismatches.items())) or "none"
        if report.note:
            wrong = report.note
        lines.append(
            f"| {report.path} | {report.parser} | {report.radar} / {report.reference} | {wrong} |"
        )
    examples = [e for r in reports for e in r.examples]
    if examples:
        lines += ["", "## Examples of mismatches", ""]
        lines += [f"- {e}" for e in examples[:40]]
    known = [f"- {r.path}: {KNOWN[r.path]}" for r in reports if r.mismatches and r.path in KNOWN]
    if known:
        lines += ["", "## Where the reference is wrong", "", *known]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DATA)
    parser.add_argument("--output", type=Path, help="write the markdown report here")
    args = parser.parse_args(argv)
    reports = run(args.data)
    text = markdown(reports)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    bad = [name for name in EXACT if totals(reports).get(name, (0, 0))[1]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
