"""The one record shape every layer shares: a `Paper` and the `Sighting`s of it.

Sources build them from network bytes, the store persists and returns them, render prints them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
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


# arXiv's announce types, in the order one wins when a paper is seen several ways on one day
# (new in its primary category beats the cross-list others see).
ANNOUNCE_TYPES = ("new", "replace", "cross", "replace-cross")


def first_announce_type(kinds: Iterable[str | None]) -> str | None:
    """The announce type that describes a paper seen with all of `kinds` on one day."""
    known = [k for k in kinds if k in ANNOUNCE_TYPES]
    return min(known, key=ANNOUNCE_TYPES.index) if known else None


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
    # Per author, in the same order: their affiliations as the source gave them ((), if none).
    affiliations: tuple[tuple[str, ...], ...] = ()
    categories: tuple[str, ...] = ()  # primary first
    published: date | None = None
    updated: date | None = None
    announced: date | None = None  # latest announcement day (arXiv RSS), if known
    announce_type: str | None = None  # that announcement's type: new, cross, replace, ...
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
    # The terms that weighed most for that score (the table and json of `--sort relevance`).
    terms: tuple[str, ...] = ()
    # When found by `radar search`: the matching text around the match, as (text, is_match)
    # parts, e.g. (("…uses ", False), ("neural", True), (" fields to…", False)).
    snippet: tuple[tuple[str, bool], ...] = ()

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
        """The PDF of the version radar holds (arXiv: `.../pdf/2504.17830v2`)."""
        if self.pdf_url:
            return self.pdf_url
        if not self.is_arxiv:
            return None
        return ARXIV_PDF_URL.format(id=f"{self.id}v{self.version}" if self.version else self.id)

    def affiliations_of(self, index: int) -> tuple[str, ...]:
        """The affiliations of the author at `index` (empty when the source gave none)."""
        return self.affiliations[index] if index < len(self.affiliations) else ()

    @property
    def snippet_text(self) -> str:
        """The snippet as plain text (no highlighting), or "" outside search results."""
        return "".join(text for text, _ in self.snippet)

    @property
    def source_labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.label for s in self.sources))


# The longest value radar stores per field (README, "Failure modes"): a hostile or broken
# source cannot make one paper take megabytes. arXiv's own limits are far below these
# (abstracts 1,920 characters); the largest collaborations sign ~3,000 names.
FIELD_LIMITS = {"title": 1_000, "abstract": 20_000, "text": 2_000, "author": 300}
MAX_AUTHORS = 5_000
MAX_CATEGORIES = 100


def bounded(paper: Paper) -> Paper:
    """The paper with every text field cut to `FIELD_LIMITS` (itself when nothing is too long)."""
    text = FIELD_LIMITS["text"]
    changes: dict[str, object] = {}
    for name, limit in (("title", FIELD_LIMITS["title"]), ("abstract", FIELD_LIMITS["abstract"])):
        value = getattr(paper, name)
        if value is not None and len(value) > limit:
            changes[name] = value[: limit - 1] + "…"
    for name in ("comment", "journal_ref", "doi", "url", "pdf_url", "journal"):
        value = getattr(paper, name)
        if value is not None and len(value) > text:
            changes[name] = value[:text]
    author = FIELD_LIMITS["author"]
    if len(paper.authors) > MAX_AUTHORS or any(len(a) > author for a in paper.authors):
        changes["authors"] = tuple(a[:author] for a in paper.authors[:MAX_AUTHORS])
    if len(paper.categories) > MAX_CATEGORIES:
        changes["categories"] = paper.categories[:MAX_CATEGORIES]
    return replace(paper, **changes) if changes else paper  # type: ignore[arg-type]


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


# Letters NFKD does not decompose into a base letter and an accent ("Stanisław" ~ "Stanislaw").
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ı": "i",
     "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ħ": "h"}
)  # fmt: skip


def fold_accents(text: str) -> str:
    """`text` without accents: "Hajdušek" -> "Hajdusek", "Søren" -> "Soren"."""
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize_name(name: str) -> str:
    """An author's name folded for matching: case, accents, punctuation, spacing, word order.

    "Li, Yantao", "yantao  li" and "Yàntao Li" all become "yantao li"; "Søren" is "soren".
    """
    text = fold_accents(name)
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
