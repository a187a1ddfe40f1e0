"""The arXiv API (Atom search results): query URLs and pages of `Paper` records.

Reads both the legacy (to 2025) and the rewritten 2026 response formats; no database access.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from radar.paper import Paper, Sighting, collapse_whitespace, fold_accents, parse_arxiv_id
from radar.sources import MalformedResponse, UpstreamError
from radar.sources.tex import decode_tex

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@dataclass(frozen=True)
class ApiPage:
    """One page of search results: the papers, and where the page sits in the result set."""

    papers: tuple[Paper, ...]
    total: int
    start: int
    entries: int  # entries in the response, including any that could not become papers


def author_query(name: str) -> str:
    """arXiv's phrase search for an author; loose (matches "Yantao Lin" too): filter after.

    Accents are dropped ("Yàntao" -> "Yantao"): arXiv's search index is ASCII-folded.
    """
    folded = fold_accents(name).replace('"', "")
    return f'au:"{" ".join(folded.split())}"'


def category_query(category: str, since: date | None = None, until: date | None = None) -> str:
    """`cat:cs.AI`, or only what was submitted from `since` to `until` (both days included):
    with a range, the answer's totalResults is what a backfill will fetch (pages, ETA)."""
    if since is None or until is None:
        return f"cat:{category}"
    return f"cat:{category} AND submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]"


def query_url(api_url: str, query: str, *, start: int, page_size: int) -> str:
    """The request the `arxiv` package would make for `query`, sent to `api_url` instead.

    Newest submissions first, so walks can stop at a date or a high-water mark.
    """
    import arxiv

    search = arxiv.Search(
        query=query,
        max_results=None,
        sort_by=arxiv.SortCriterion.SubmittedDate,
        sort_order=arxiv.SortOrder.Descending,
    )
    client = arxiv.Client(page_size=page_size)
    # The package's documented endpoint format, pointed at radar.toml's [arxiv] api_url.
    client.query_url_format = api_url + ("&{}" if "?" in api_url else "?{}")
    return client._format_url(search, start, page_size)


def parse_page(body: bytes, sighting: Sighting | None = None) -> ApiPage:
    """Papers from one API response; raises MalformedResponse or UpstreamError, never half.

    `sighting` says how this request saw the papers (e.g. via an author follow).
    """
    root = parse_xml(body)
    if root.tag != f"{ATOM}feed":
        raise MalformedResponse(f"the arXiv API answered with <{root.tag}>, not an Atom feed")
    entries = root.findall(f"{ATOM}entry")
    _raise_error_entry(entries)
    papers = []
    for entry in entries:
        paper = paper_from_entry(entry)
        if paper is not None:
            papers.append(replace(paper, sources=(sighting,)) if sighting else paper)
    return ApiPage(
        papers=tuple(papers),
        total=_int(root.findtext(f"{OPENSEARCH}totalResults"), len(entries)),
        start=_int(root.findtext(f"{OPENSEARCH}startIndex"), 0),
        entries=len(entries),
    )


def error_message(body: bytes) -> str | None:
    """The message of arXiv's error feed (HTTP 400 with an entry titled "Error"), if it is one."""
    try:
        root = parse_xml(body)
    except MalformedResponse:
        return None
    try:
        _raise_error_entry(root.findall(f"{ATOM}entry"))
    except UpstreamError as exc:
        return exc.message
    return None


def parse_xml(body: bytes) -> Any:
    """The root element of an Atom response; no entities, no network. MalformedResponse if cut."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedResponse(f"the response is not complete XML ({exc})") from None


def _raise_error_entry(entries: list[Any]) -> None:
    for entry in entries:
        entry_id = entry.findtext(f"{ATOM}id") or ""
        if "/api/errors" in entry_id or (entry.findtext(f"{ATOM}title") or "") == "Error":
            message = collapse_whitespace(entry.findtext(f"{ATOM}summary") or "unknown error")
            raise UpstreamError(f"arXiv API error: {message}")


def paper_from_entry(entry: Any) -> Paper | None:
    """The Paper one Atom <entry> describes (API and author feeds alike); None if it has no id."""
    parsed = parse_arxiv_id(entry.findtext(f"{ATOM}id") or "")
    if parsed is None:
        return None
    base, version = parsed
    primary = entry.find(f"{ARXIV}primary_category")
    terms = [c.get("term") for c in entry.findall(f"{ATOM}category") if c.get("term")]
    if primary is not None and primary.get("term"):
        terms.insert(0, primary.get("term"))
    doi = entry.findtext(f"{ARXIV}doi")
    authors = entry.findall(f"{ATOM}author")
    affiliations = tuple(
        tuple(t for a in author.findall(f"{ARXIV}affiliation") if (t := _text(a.text)))
        for author in authors
    )
    return Paper(
        id=base,
        version=version,
        title=_text(entry.findtext(f"{ATOM}title")),
        abstract=_text(entry.findtext(f"{ATOM}summary")),
        authors=tuple(_text(a.findtext(f"{ATOM}name")) for a in authors),
        affiliations=affiliations if any(affiliations) else (),
        categories=tuple(dict.fromkeys(terms)),
        published=_date(entry.findtext(f"{ATOM}published")),
        updated=_date(entry.findtext(f"{ATOM}updated")),
        comment=_optional(entry.findtext(f"{ARXIV}comment")),
        journal_ref=_optional(entry.findtext(f"{ARXIV}journal_ref")),
        doi=_optional(doi),
        pdf_url=_pdf_link(entry),
    )


def _text(text: str | None) -> str:
    """Element text as one line, TeX accents decoded ("Schr\\"odinger" -> "Schrödinger")."""
    return decode_tex(collapse_whitespace(text or ""))


def _pdf_link(entry: Any) -> str | None:
    """The entry's own (versioned) PDF link, e.g. https://arxiv.org/pdf/2409.05654v9."""
    for link in entry.findall(f"{ATOM}link"):
        if link.get("title") == "pdf" or link.get("type") == "application/pdf":
            href = (link.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                return href.replace("http://arxiv.org/", "https://arxiv.org/", 1)
    return None


def _optional(text: str | None) -> str | None:
    return collapse_whitespace(text) or None if text else None


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _int(text: str | None, default: int) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return default
