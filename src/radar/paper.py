"""The one record shape every layer shares: a `Paper` and the `Sighting`s of it.

Sources build them from network bytes, the store persists and returns them, render prints them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

ARXIV_ABS_URL = "https://arxiv.org/abs/{id}"
ARXIV_PDF_URL = "https://arxiv.org/pdf/{id}"

# New-style ids (0704.0001 onwards, 4+4 or 4+5 digits) and old-style ids (archive/YYMMNNN).
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ID_RE = re.compile(
    rf"^(?:arxiv:)?(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?"
    rf"(?P<base>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>\d+))?(?:\.pdf)?/?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sighting:
    """Where and how a paper was seen: one row per (paper, source)."""

    source: str  # stable key, e.g. "arxiv-rss:cs.AI", "arxiv-api:author:Yantao Li", "feed:Nature"
    label: str  # what a user sees, e.g. "arXiv (cs.AI)"
    announce_type: str | None = None  # arXiv RSS: new, cross, replace, replace-cross
    announced: date | None = None  # the day the source announced it


@dataclass(frozen=True)
class Paper:
    """A paper as radar knows it. `id` is the arXiv base id (no version) or a feed paper's key."""

    id: str
    title: str
    version: int | None = None
    abstract: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # primary first
    published: date | None = None
    updated: date | None = None
    announced: date | None = None  # latest announcement day (arXiv RSS), if known
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    journal: str | None = None
    sources: tuple[Sighting, ...] = ()
    versions: tuple[int, ...] = ()  # every version radar has seen, ascending
    starred: bool = False
    read: bool = False
    note: str | None = None
    score: float | None = None  # relevance in [0, 1] when read by relevance (see radar.rank)

    @property
    def primary_category(self) -> str | None:
        return self.categories[0] if self.categories else None

    @property
    def day(self) -> date | None:
        """The date radar sorts and filters by: the announcement day, else the published date."""
        return self.announced or self.published

    @property
    def is_arxiv(self) -> bool:
        return parse_arxiv_id(self.id) is not None

    @property
    def abs_url(self) -> str | None:
        return ARXIV_ABS_URL.format(id=self.id) if self.is_arxiv else self.url

    @property
    def pdf_link(self) -> str | None:
        if self.pdf_url:
            return self.pdf_url
        return ARXIV_PDF_URL.format(id=self.id) if self.is_arxiv else None

    @property
    def source_labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.label for s in self.sources))


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """Split any accepted spelling of an arXiv id into (base id, version or None).

    Accepts `2602.22495`, `2602.22495v3`, `arXiv:2602.22495`, abs/pdf URLs and old-style
    `astro-ph/0601001v1`. Returns None for anything else.
    """
    match = _ID_RE.match(text.strip())
    if not match:
        return None
    base = match.group("base")
    version = match.group("version")
    return base, int(version) if version else None


def normalize_name(name: str) -> str:
    """An author's name folded for matching: case, accents, punctuation, spacing, word order.

    "Li, Yantao", "yantao  li" and "Yàntao Li" all become "yantao li".
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.split()).strip()
    if text.count(",") == 1:
        surname, given = (part.strip() for part in text.split(","))
        if surname and given:
            text = f"{given} {surname}"
    # Punctuation and hyphens separate name parts ("Y.-T. Li" -> "y t li").
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.casefold().split())


def collapse_whitespace(text: str) -> str:
    """Hard-wrapped arXiv titles and abstracts, as one line of text."""
    return " ".join(text.split())
