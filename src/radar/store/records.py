"""How a `Paper` maps to a `papers` row and back, how two records of one paper merge, and the
small records the store hands back (`UpsertCounts`, `SyncState`). No SQL here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from radar.paper import Paper, first_announce_type

T = TypeVar("T")

PAPER_COLUMNS = (
    "pk, id, version, title, abstract, authors, categories, published, updated, announced, "
    "comment, journal_ref, doi, url, pdf_url, journal, affiliations, announce_type"
)


# SQLite allows 32,766 parameters per statement; 500 keeps each IN (...) list short and fast.
CHUNK_SIZE = 500


def chunks(items: Sequence[T], size: int = CHUNK_SIZE) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`, for `IN (...)` look-ups."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def now_iso() -> str:
    """The timestamp every stored `*_at` / `*_seen` / `last_*` column uses (UTC, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def paper_row(paper: Paper) -> dict[str, Any]:
    return {
        "id": paper.id,
        "version": paper.version,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": json.dumps(list(paper.authors), ensure_ascii=False),
        "authors_text": ", ".join(paper.authors),
        "categories": json.dumps(list(paper.categories)),
        "primary_category": paper.primary_category,
        "published": iso(paper.published),
        "updated": iso(paper.updated),
        "announced": iso(paper.announced),
        "day": iso(paper.day),
        "comment": paper.comment,
        "journal_ref": paper.journal_ref,
        "doi": paper.doi,
        "url": paper.url,
        "pdf_url": paper.pdf_url,
        "journal": paper.journal,
        "affiliations": (
            json.dumps([list(a) for a in paper.affiliations], ensure_ascii=False)
            if any(paper.affiliations)
            else None
        ),
        "announce_type": paper.announce_type,
    }


def prefixed_columns() -> str:
    return ", ".join(f"p.{c.strip()}" for c in PAPER_COLUMNS.split(","))


def row_to_paper(row: dict[str, Any]) -> Paper:
    return Paper(
        id=row["id"],
        version=row["version"],
        title=row["title"],
        abstract=row["abstract"] or "",
        authors=tuple(json.loads(row["authors"] or "[]")),
        categories=tuple(json.loads(row["categories"] or "[]")),
        published=to_date(row["published"]),
        updated=to_date(row["updated"]),
        announced=to_date(row["announced"]),
        comment=row["comment"],
        journal_ref=row["journal_ref"],
        doi=row["doi"],
        url=row["url"],
        pdf_url=row["pdf_url"],
        journal=row["journal"],
        affiliations=tuple(tuple(a) for a in json.loads(row["affiliations"] or "[]")),
        announce_type=row["announce_type"],
    )


def _later(a: date | None, b: date | None) -> date | None:
    return max(a, b) if a and b else a or b


def _announce_type(stored: Paper, incoming: Paper) -> str | None:
    """The type of the latest announcement: the later one's, or the first of one day's."""
    if incoming.announced is None or incoming.announce_type is None:
        return stored.announce_type
    if stored.announced is None or incoming.announced > stored.announced:
        return incoming.announce_type
    if incoming.announced == stored.announced:
        return first_announce_type((stored.announce_type, incoming.announce_type))
    return stored.announce_type


def merge_papers(stored: Paper, incoming: Paper, *, incoming_wins: bool | None = None) -> Paper:
    """What the cache should hold after seeing `incoming` for an already stored paper.

    Content of the newest version wins (or of `incoming` if `incoming_wins` says so); a field
    the leading record lacks keeps the other's value; dates keep the earliest publication and
    the latest update and announcement.
    """
    newer = (incoming.version or 0) >= (stored.version or 0)
    if incoming_wins is not None:
        newer = incoming_wins
    first, second = (incoming, stored) if newer else (stored, incoming)

    def pick(name: str) -> Any:
        value = getattr(first, name)
        return value if value not in (None, "", ()) else getattr(second, name)

    authors = pick("authors")
    return replace(
        stored,
        version=max(stored.version or 0, incoming.version or 0) or None,
        title=pick("title"),
        abstract=pick("abstract"),
        authors=authors,
        affiliations=next(
            (r.affiliations for r in (first, second) if r.authors == authors and r.affiliations),
            (),
        ),
        categories=pick("categories"),
        published=stored.published or incoming.published,
        updated=_later(stored.updated, incoming.updated),
        announced=_later(stored.announced, incoming.announced),
        announce_type=_announce_type(stored, incoming),
        comment=pick("comment"),
        journal_ref=pick("journal_ref"),
        doi=pick("doi"),
        url=pick("url"),
        pdf_url=pick("pdf_url"),
        journal=pick("journal"),
    )


@dataclass(frozen=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged
        )


@dataclass(frozen=True)
class SyncState:
    follow: str
    high_water: str | None = None
    last_attempt: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    cursor: str | None = None  # where an unfinished multi-page walk resumes (JSON, sync-owned)


@dataclass(frozen=True, kw_only=True)
class Brief:
    """A finished brief and what it took; `cached` when it came from the database."""

    markdown: str
    title: str
    model: str | None
    paper_ids: tuple[str, ...]
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None
    unknown_ids: tuple[str, ...] = ()
    removed: int = 0
    cached: bool = False
    brief_id: int | None = None
    key: str = ""
    params: dict[str, object] = field(default_factory=dict)
    created_at: str | None = None
