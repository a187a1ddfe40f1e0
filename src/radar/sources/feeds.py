"""Journal and preprint-server feeds (RSS 0.9x/1.0/2.0, Atom): feed bytes -> `Paper` records.

Pure: no network, no database. `parse_feed` survives malformed feeds and says what it dropped.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from radar.errors import FeedError
from radar.identity import clean_link, doi_from_link, normalize_doi, paper_id
from radar.paper import Paper, Sighting
from radar.sources.budget import PARSE_SECONDS, OutOfTime, cpu_budget
from radar.sources.feed_encoding import to_utf8
from radar.sources.feed_fields import entry_date, html_to_text, journal_ref, split_authors
from radar.sources.feed_raw import raw_identifiers

UNTITLED = "(untitled)"
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
# "Fluids, Vol. 9, Pages 120: Title" (MDPI) puts the citation before the title.
_CITATION_PREFIX = re.compile(r"^[^:]{1,80}, Vol\. \d+, Pages? [\w-]+: (?=\S)")
# "Nature, Published online: 12 May 2021; doi:10.1038/..." opens Nature-group descriptions.
_ONLINE_PREFIX = re.compile(r"^[^;]{1,80}, Published online: [^;]{1,40};\s*(?:doi:\s*\S+\s*)?")
_LABELLED_DOI = re.compile(r"\bdoi:\s*(10\.\S+)", re.IGNORECASE)
# "... bioRxiv 2026.05.22.726536; doi: https://doi.org/10.64898/..." in an entry's own text.
_CONTENT_DOI = re.compile(
    r"(?:^|(?<=[\s;|.,]))doi\s*:\s*(?:https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"'<>]+)",
    re.IGNORECASE,
)
# Words that put a DOI inside a reference to another work ("see ...", "Smith et al. ...").
_REFERENCE_CUES = re.compile(
    r"\bet al\b|\bcit(?:ed|ing|ation)\b|\bsee\b|\bref(?:erence)?s?\b|\breprinted\b|"
    r"\bpublished in\b|\boriginal(?:ly)?\b|\bcomment(?:s|ary)? on\b|\bin:\s*$",
    re.IGNORECASE,
)
_PREPRINT_HOSTS = {
    "biorxiv.org": "bioRxiv",
    "medrxiv.org": "medRxiv",
    "chemrxiv.org": "ChemRxiv",
    "arxiv.org": "arXiv",
    "ssrn.com": "SSRN",
    "researchsquare.com": "Research Square",
    "preprints.org": "Preprints.org",
}
_DATE_KEYS = (
    "prism_publicationdate",
    "published",
    "created",
    "updated",
    "prism_coverdate",
    "prism_coverdisplaydate",
)


@dataclass(frozen=True)
class FeedResult:
    """What one feed held: its papers, its own title, and one warning line if it was damaged."""

    name: str
    title: str | None
    version: str  # feedparser's: "rss10", "rss20", "atom10", ...
    papers: tuple[Paper, ...]
    dropped: int = 0  # empty shells: no title, link or DOI (e.g. illegally nested items)
    warning: str | None = None  # one line: what was wrong with the feed and what was dropped


def source_key(name: str) -> str:
    """The sighting source (and sync_state follow) of a feed: `feed:<name>`."""
    return f"feed:{name}"


def parse_feed(
    data: bytes,
    *,
    name: str,
    url: str | None = None,
    content_type: str | None = None,
    kind: str | None = None,
    fetched_on: date | None = None,
    cpu_seconds: float = PARSE_SECONDS,
) -> FeedResult:
    """Turn one feed's bytes into papers; raise FeedError if the bytes are not a feed at all,
    or if parsing them takes more than `cpu_seconds` of CPU.

    `url` only names the feed in errors; `fetched_on` dates entries that carry no date.
    """
    where = url or f"feed {name!r}"
    try:
        with cpu_budget(cpu_seconds):
            return _parse_feed(data, name, where, content_type, kind, fetched_on)
    except OutOfTime:
        raise FeedError(
            f"{where} took more than {cpu_seconds:g}s of CPU to parse; skipped",
            hint="the feed is pathologically nested or huge: tell its publisher",
        ) from None


def _parse_feed(
    data: bytes,
    name: str,
    where: str,
    content_type: str | None,
    kind: str | None,
    fetched_on: date | None,
) -> FeedResult:
    import feedparser

    if _looks_like_html(data, content_type):
        raise FeedError(
            f"{where} is an HTML page, not an RSS or Atom feed",
            hint="the feed moved or sits behind a login or cookie page: find its current URL "
            "on the publisher's site and `radar follow feed URL --name NAME` again",
        )
    decoded = to_utf8(data, content_type)
    try:
        parsed = feedparser.parse(
            io.BytesIO(decoded.data),
            response_headers={"content-type": "application/xml; charset=utf-8"},
        )
    except Exception as exc:  # feedparser's own bugs on odd input: this feed fails, sync goes on
        raise FeedError(
            f"{where} could not be read (feedparser failed: {type(exc).__name__}: {exc})",
            hint="the feed is malformed in a way feedparser cannot survive; tell its publisher",
        ) from exc
    if not parsed.get("version"):
        reason = _bozo_reason(parsed) or "no RSS or Atom element"
        raise FeedError(f"{where} is not an RSS or Atom feed ({reason})")
    identifiers = raw_identifiers(decoded.data)
    papers: dict[str, Paper] = {}
    dropped = 0
    for entry in parsed.entries:
        paper = entry_to_paper(entry, name=name, identifiers=identifiers, fetched_on=fetched_on)
        if paper is None:
            dropped += 1
        elif paper.id not in papers:
            papers[paper.id] = paper
    problem = _bozo_reason(parsed)
    malformed = f"malformed feed ({problem}); kept what parsed" if problem else None
    notes = [n for n in (malformed, decoded.note, _kind_note(kind, parsed.get("version"))) if n]
    if dropped:
        notes.append(f"dropped {dropped} empty entr{'y' if dropped == 1 else 'ies'}")
    warning = "; ".join(notes) if notes else None
    title = html_to_text(parsed.feed.get("title")) or None
    return FeedResult(name, title, parsed.get("version"), tuple(papers.values()), dropped, warning)


def entry_to_paper(
    entry: Mapping[str, Any],
    *,
    name: str,
    identifiers: Mapping[str, list[str]] | None = None,
    fetched_on: date | None = None,
) -> Paper | None:
    """One feed entry as a Paper, or None for an empty shell (no title, link or DOI).

    Its id is `doi:<doi>` when the DOI is known, else `url:<normalised link>`, else
    `item:<hash>` (an entry with only a title); arXiv DOIs and links give the arXiv id.
    """
    # A plain dict: feedparser's own get() maps "published" to "updated" with a warning.
    entry = dict(entry)
    link = _text(entry.get("link")) or _alternate(entry)
    raw = _raw_for(entry, link, identifiers or {})
    doi = find_doi(entry, link, raw)
    title = _title(entry)
    if not (title or link or doi):
        return None  # an empty shell, e.g. an illegally nested <item>
    pid = paper_id(doi, link) or item_id(name, _text(entry.get("id")) or title)
    published = entry_date(entry, *_DATE_KEYS)
    updated = entry_date(entry, "updated")
    journal = _journal(entry, link)
    announced = published or fetched_on
    return Paper(
        id=pid,
        title=title or UNTITLED,
        abstract=_abstract(entry, title),
        authors=_authors(entry),
        published=published,
        updated=updated if updated and updated != published else None,
        announced=None if published else fetched_on,
        journal_ref=journal_ref(
            journal,
            _text(entry.get("prism_volume")),
            _text(entry.get("prism_number")),
            _text(entry.get("prism_startingpage")),
            _text(entry.get("prism_endingpage")),
        ),
        doi=doi,
        url=clean_link(link),
        pdf_url=_pdf_link(entry),
        journal=journal,
        sources=(Sighting(source_key(name), name, announced=announced),),
    )


def item_id(name: str, key: str) -> str:
    """The id of an entry with neither DOI nor link: `item:` + a hash of feed name and title."""
    digest = hashlib.sha1(f"{name}\n{key}".encode()).hexdigest()[:12]
    return f"item:{digest}"


def find_doi(entry: Mapping[str, Any], link: str | None, raw: list[str]) -> str | None:
    """The entry's DOI from prism:doi, any dc:identifier, its id, its link, or a `doi:` label
    inside dc:source ("Nature, Published online: ...; | doi:10.1038/...")."""
    candidates = [
        _text(entry.get("prism_doi")),
        *raw,
        _text(entry.get("dc_identifier")),
        _text(entry.get("id")),
        _text(entry.get("guid")),
    ]
    for candidate in candidates:
        if doi := normalize_doi(candidate):
            return doi
    for text in (link, _text(entry.get("id"))):
        if doi := doi_from_link(text):
            return doi
    for text in (*raw, _text(entry.get("dc_source"))):
        if match := _LABELLED_DOI.search(text):
            return normalize_doi(match.group(1))
    return content_doi(_texts(entry))


def content_doi(texts: list[str]) -> str | None:
    """The one DOI an entry's own text states as `doi: ...`, else None.

    A DOI in brackets or after a citation cue ("see", "et al.", "cited") belongs to another
    work; two different DOIs are ambiguous: neither is taken.
    """
    found: dict[str, str] = {}
    for text in texts:
        for match in _CONTENT_DOI.finditer(text):
            before = text[max(0, match.start() - 120) : match.start()]
            if _inside_brackets(text[: match.start()]) or _REFERENCE_CUES.search(before):
                return None
            if doi := normalize_doi(match.group(1)):
                found.setdefault(doi.casefold(), doi)
    return next(iter(found.values())) if len(found) == 1 else None


def _inside_brackets(before: str) -> bool:
    return before.count("(") > before.count(")") or before.count("[") > before.count("]")


def _texts(entry: Mapping[str, Any]) -> list[str]:
    """The entry's summary and content as plain text."""
    values = [entry.get("summary")] + [c.get("value") for c in entry.get("content") or ()]
    return [html_to_text(v) for v in values if isinstance(v, str) and v.strip()]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _alternate(entry: Mapping[str, Any]) -> str:
    for link in entry.get("links") or ():
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"]).strip()
    return ""


def _pdf_link(entry: Mapping[str, Any]) -> str | None:
    for link in entry.get("links") or ():
        if link.get("type") == "application/pdf" and link.get("href"):
            return str(link["href"]).strip()
    return None


def _raw_for(
    entry: Mapping[str, Any], link: str, identifiers: Mapping[str, list[str]]
) -> list[str]:
    for key in (link, _text(entry.get("id"))):
        if key and key in identifiers:
            return identifiers[key]
    return []


def _title(entry: Mapping[str, Any]) -> str:
    title = html_to_text(entry.get("title"))
    return _CITATION_PREFIX.sub("", title)


def _abstract(entry: Mapping[str, Any], title: str) -> str:
    candidates = [entry.get("summary")] + [c.get("value") for c in entry.get("content") or ()]
    texts = [_ONLINE_PREFIX.sub("", html_to_text(c)) for c in candidates if isinstance(c, str)]
    # Some publishers put only the word "Abstract" or the title itself in a text field.
    useful = [t for t in texts if t.casefold() not in {"abstract", title.casefold(), ""}]
    return max(useful, key=len) if useful else ""


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    names = [a.get("name") for a in entry.get("authors") or () if isinstance(a, Mapping)]
    values = [n for n in names if isinstance(n, str) and n.strip()]
    if not values and isinstance(entry.get("author"), str):
        values = [entry["author"]]
    return split_authors(values)


def _journal(entry: Mapping[str, Any], link: str) -> str | None:
    name = _text(entry.get("prism_publicationname"))
    source = entry.get("source")
    if not name and isinstance(source, Mapping):  # RSS 2.0 <source url="...">Journal</source>
        name = _text(source.get("title"))
    if not name:
        source = _text(entry.get("dc_source"))
        # Nature: "Nature, Published online: 2021-05-12; | doi:10.1038/..."
        name = re.split(r",\s*Published\b|\s*[;|]\s*|,\s*doi\s*:", source, maxsplit=1)[0].strip()
        if name.startswith(("http://", "https://")) or normalize_doi(name):
            name = ""
    if not name and link:
        host = re.sub(r"^https?://(?:www\.|connect\.)?", "", link).split("/")[0].lower()
        name = next(
            (v for k, v in _PREPRINT_HOSTS.items() if host == k or host.endswith("." + k)), ""
        )
    return html_to_text(name) or None


def _looks_like_html(data: bytes, content_type: str | None) -> bool:
    if content_type and content_type.split(";")[0].strip().lower() in ("text/html",):
        return not re.search(rb"<(?:rss|rdf:RDF|feed)[\s>]", data[:4096])
    return bool(_HTML_START.match(data.removeprefix(b"\xef\xbb\xbf")[:4096]))


def _bozo_reason(parsed: Any) -> str | None:
    """What feedparser found wrong ("undefined entity at line 8"), or None for a sound feed."""
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
    where = f" at line {line}" if line else ""
    return f"{message}{where}"


def _kind_note(kind: str | None, version: str) -> str | None:
    if kind and not version.startswith(kind):
        return f"configured as kind = {kind!r} but the feed is {version}"
    return None
