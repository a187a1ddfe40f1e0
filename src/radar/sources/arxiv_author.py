"""A person's own arXiv listing (arxiv.org/a/<id>.atom): the papers they claimed, as `Paper`s.

The feed (arxiv-browse's list_page/author.py) holds API-like Atom entries with versionless ids,
every paper at once, newest first; an unknown id is an HTTP 400 page "Author <id> not found".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from radar.paper import Paper, Sighting, collapse_whitespace, parse_arxiv_id
from radar.sources import MalformedResponse, UpstreamError

# The entries are the API's own shape: one parser for both (and its fixes reach both).
from radar.sources.arxiv_api import ATOM, paper_from_entry, parse_xml

_PDF_VERSION = re.compile(r"v(\d+)(?:\.pdf)?/?$")
_NOT_FOUND = re.compile(r"<h1>\s*(.*?)\s*</h1>|<title>\s*(.*?)\s*</title>", re.S | re.I)


@dataclass(frozen=True, kw_only=True)
class AuthorFeed:
    """The person's listing: the name arXiv shows for them, and their papers, newest first."""

    display_name: str
    papers: tuple[Paper, ...]


def feed_url(base: str, person_id: str) -> str:
    """`<author_feed_url><id>.atom`; the id is path-quoted (an ORCID's X and dashes are safe)."""
    return f"{base if base.endswith('/') else base + '/'}{quote(person_id, safe='')}.atom"


def sighting(person_id: str, name: str) -> Sighting:
    """How radar records that a paper is on the person's own listing."""
    return Sighting(source=f"arxiv-author:{person_id}", label=f"arXiv ({name}, {person_id})")


def parse_author_feed(body: bytes, seen_as: Sighting | None = None) -> AuthorFeed:
    """The papers of one author feed; raises MalformedResponse rather than returning half."""
    root = parse_xml(body)
    if root.tag != f"{ATOM}feed":
        raise MalformedResponse(f"the arXiv author listing is <{root.tag}>, not an Atom feed")
    papers = []
    for entry in root.findall(f"{ATOM}entry"):
        paper = paper_from_entry(entry)
        if paper is None:
            continue
        paper = replace(paper, version=paper.version or _pdf_version(entry))
        papers.append(replace(paper, sources=(seen_as,)) if seen_as else paper)
    title = collapse_whitespace(root.findtext(f"{ATOM}title") or "")
    name = title.removesuffix("'s articles on arXiv")
    return AuthorFeed(display_name=name, papers=tuple(papers))


def not_found_error(status: int, body: bytes, person_id: str, url: str) -> UpstreamError:
    """The error for a listing arXiv refused: its own words ("Author li_y_9 not found")."""
    text = body[:20000].decode("utf-8", "replace")
    match = _NOT_FOUND.search(text)
    said = collapse_whitespace(html.unescape(next(filter(None, match.groups())))) if match else ""
    if status in (400, 404):
        reason = said if "not found" in said.lower() else f"Author {person_id} not found"
        return UpstreamError(
            f"arXiv has no author listing for {person_id!r} ({reason}, HTTP {status})",
            hint="check the id at https://arxiv.org/a/ or your arXiv account page, then "
            'radar follow author "NAME" --arxiv-id ID (or --orcid)',
        )
    return UpstreamError(f"{url}: HTTP {status}" + (f" ({said})" if said else ""))


def _pdf_version(entry: Any) -> int | None:
    """The version the feed describes: its id is versionless, its pdf link is not."""
    for link in entry.findall(f"{ATOM}link"):
        if link.get("title") == "pdf" or link.get("type") == "application/pdf":
            href = link.get("href") or ""
            parsed = parse_arxiv_id(href.rsplit("/pdf/", 1)[-1])
            if parsed and parsed[1]:
                return parsed[1]
            match = _PDF_VERSION.search(href)
            if match:
                return int(match.group(1))
    return None
