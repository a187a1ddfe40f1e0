"""arXiv's daily RSS announcements (rss.arxiv.org, 2024+ RSS 2.0): one feed, many categories.

Turns a feed into `Paper` records with the announce type and day per followed category.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

from radar.paper import (
    ANNOUNCE_TYPES,
    ARXIV_PDF_URL,
    Paper,
    Sighting,
    collapse_whitespace,
    first_announce_type,
    parse_arxiv_id,
)
from radar.sources import MalformedResponse, UpstreamError
from radar.sources.tex import decode_tex

ARXIV = "{http://arxiv.org/schemas/atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
# "arXiv:2504.17830v1 Announce Type: new \nAbstract: ..." is feed furniture, not abstract.
_BOILERPLATE = re.compile(
    r"^\s*arXiv:\S+\s+Announce Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s*)?", re.IGNORECASE
)


@dataclass(frozen=True)
class RssFeed:
    """One announcement feed: its day (None when empty and undated) and its papers."""

    day: date | None
    papers: tuple[Paper, ...]


def feed_url(rss_url: str, categories: Sequence[str]) -> str:
    """One request for every followed category: `{rss_url}cs.AI+cs.CV`."""
    return rss_url + "+".join(categories)


def rss_source(category: str) -> str:
    return f"arxiv-rss:{category}"


def category_label(category: str) -> str:
    return f"arXiv ({category})"


def parse_feed(body: bytes, categories: Sequence[str]) -> RssFeed:
    """Papers announced in a feed for `categories`; raises MalformedResponse, never half.

    Each paper gets one sighting per followed category it is listed in, with the announce
    type as that category sees it (a paper new in cs.AI is a cross-list in cs.CV).
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedResponse(f"the RSS feed is not complete XML ({exc})") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise MalformedResponse(f"the RSS answer is <{root.tag}>, not an RSS 2.0 feed")
    _raise_error_feed(channel)
    day = _day(channel.findtext("pubDate"))
    papers = []
    for item in channel.iterfind("item"):
        paper = _paper(item, categories, day, combined=len(categories) > 1)
        if paper is not None:
            papers.append(paper)
    return RssFeed(day or (papers[0].announced if papers else None), tuple(papers))


def _raise_error_feed(channel: Any) -> None:
    """arXiv answers a bad category with a feed titled "Feed error for query": not an empty day."""
    title = collapse_whitespace(channel.findtext("title") or "")
    if not title.casefold().startswith("feed error"):
        return
    said = [title]
    for text in (channel.findtext("description"), channel.findtext("item/title")):
        text = collapse_whitespace(text or "")
        if text and text not in said:
            said.append(text)
    raise UpstreamError(
        f"arXiv's RSS feed answered with an error: {'; '.join(said)[:300]}",
        hint="check the followed category codes (radar follows); none of them was synced",
    )


def _paper(
    item: Any, followed: Sequence[str], feed_day: date | None, combined: bool
) -> Paper | None:
    guid = (item.findtext("guid") or "").strip()
    parsed = parse_arxiv_id(guid.removeprefix("oai:arXiv.org:")) or parse_arxiv_id(
        (item.findtext("link") or "").strip()
    )
    if parsed is None:
        return None
    base, version = parsed
    description = item.findtext("description") or ""
    match = _BOILERPLATE.match(description)
    announce_type = (item.findtext(f"{ARXIV}announce_type") or "").strip() or (
        match.group("type") if match else ""
    )
    abstract = description[match.end() :] if match else description
    categories = tuple(dict.fromkeys(c.text.strip() for c in item.findall("category") if c.text))
    announced = _day(item.findtext("pubDate")) or feed_day
    creators = split_creators(decode_tex(collapse_whitespace(item.findtext(f"{DC}creator") or "")))
    sightings = _sightings(categories, followed, announce_type.lower() or None, announced, combined)
    return Paper(
        id=base,
        version=version,
        title=decode_tex(collapse_whitespace(item.findtext("title") or "")),
        abstract=decode_tex(collapse_whitespace(abstract)),
        authors=tuple(name for name, _ in creators),
        affiliations=_affiliations([affiliations for _, affiliations in creators]),
        categories=categories,
        announced=announced,
        announce_type=first_announce_type(s.announce_type for s in sightings),
        journal_ref=_optional(item.findtext(f"{ARXIV}journal_reference")),
        doi=_optional(item.findtext(f"{ARXIV}DOI")),
        pdf_url=ARXIV_PDF_URL.format(id=f"{base}v{version}") if version else None,
        sources=sightings,
    )


def split_creators(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """`dc:creator` as (name, affiliations) pairs, split on commas outside parentheses.

    "A. Kim (Univ. X, Seoul), Bo Li" -> [("A. Kim", ("Univ. X, Seoul",)), ("Bo Li", ())].
    """
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        if char == "," and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    creators = []
    for piece in pieces:
        name, affiliations = _name_and_affiliations(piece)
        if name:
            creators.append((name, affiliations))
    return creators


def _name_and_affiliations(piece: str) -> tuple[str, tuple[str, ...]]:
    """ "Tianliang Yan (University of Birmingham, UK)" -> the name and the bracketed text."""
    name: list[str] = []
    affiliations: list[str] = []
    inner: list[str] = []
    depth = 0
    for char in piece:
        if char == "(":
            if depth:
                inner.append(char)
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth:
                inner.append(char)
            else:
                affiliations.append(collapse_whitespace("".join(inner)))
                inner = []
        elif depth:
            inner.append(char)
        else:
            name.append(char)
    if inner:  # an unclosed "(": keep what followed it as affiliation text
        affiliations.append(collapse_whitespace("".join(inner)))
    return collapse_whitespace("".join(name)), tuple(a for a in affiliations if a)


def _affiliations(per_author: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(per_author) if any(per_author) else ()


def _sightings(
    categories: tuple[str, ...],
    followed: Sequence[str],
    announce_type: str | None,
    announced: date | None,
    combined: bool,
) -> tuple[Sighting, ...]:
    listed = [c for c in followed if c in categories] or list(followed)
    sightings = []
    for category in listed:
        kind = announce_type
        if combined and kind in ANNOUNCE_TYPES and categories:
            # A combined feed reports one type per paper; each category's own view differs
            # only in whether it is the paper's primary (listed first) category.
            replaced = kind.startswith("replace")
            if category == categories[0]:
                kind = "replace" if replaced else "new"
            elif kind in ("new", "replace"):
                kind = "replace-cross" if replaced else "cross"
        sightings.append(Sighting(rss_source(category), category_label(category), kind, announced))
    return tuple(sightings)


def _day(text: str | None) -> date | None:
    """The announcement day in arXiv's own time zone ("Mon, 28 Apr 2025 00:00:00 -0400")."""
    if not text or not text.strip():
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError):
        return None


def _optional(text: str | None) -> str | None:
    return collapse_whitespace(text) or None if text else None
