"""Full-text search of the cache (FTS5 over title, abstract, authors): matches, counts, snippets."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from radar.errors import UsageError
from radar.filters import Filters
from radar.paper import Paper
from radar.store.queries import COUNT_CAP, resolve
from radar.store.records import chunks
from radar.store.selection import Selection, fetch_pks, papers_by_pk

if TYPE_CHECKING:
    from radar.config.settings import Follows
    from radar.store.core import Store


# Title matches count most, then authors, then the abstract.
BM25 = "bm25(papers_fts, 5.0, 1.0, 2.0)"
# `search` ranks at most this many matches: those most recently cached. A term matching more
# (a common word in a big cache) ranks its newest matches, not every match (docs/benchmarks.md).
RANK_WINDOW = 2_000
_FTS_OPERATORS = re.compile(r'["*:^()+{}]|\b(?:AND|OR|NOT|NEAR)\b')
SEARCH_HINT = (
    'plain words match all of them; quote phrases ("trust region"); operators are AND, OR, '
    "NOT, NEAR(), prefix*"
)


def fts_query(text: str) -> str:
    """The FTS5 MATCH expression for what a user typed.

    Plain words become quoted terms, so "self-supervised" or "C++" never trip the syntax;
    text that already uses FTS5 syntax is left alone.
    """
    if not text.strip():
        raise UsageError("empty search query", hint=SEARCH_HINT)
    if _FTS_OPERATORS.search(text):
        return text
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def count_search(
    store: Store,
    query: str,
    filters: Filters,
    *,
    follow: Follows | None = None,
    today: date | None = None,
) -> int:
    """How many papers `search` would find without its limit, up to COUNT_CAP + 1."""
    filters = resolve(store, filters, today=today).filters
    where = Selection(store, filters, follow).conditions()
    if where.clauses:
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM papers_fts JOIN papers p "
            f"ON p.pk = papers_fts.rowid WHERE papers_fts MATCH ? AND {where.sql} LIMIT ?)"
        )
    else:  # the index alone: joining papers read 10,000 random rows (85 ms at 1M)
        sql = "SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)"
    try:
        row = store.conn.execute(sql, [fts_query(query), *where.params, COUNT_CAP + 1]).fetchone()
    except sqlite3.OperationalError as exc:
        raise UsageError(f"invalid search query {query!r}: {exc}", hint=SEARCH_HINT) from None
    return int(row[0])


def search(
    store: Store,
    query: str,
    filters: Filters,
    *,
    follow: Follows | None = None,
    today: date | None = None,
    rank_window: int = RANK_WINDOW,
) -> list[Paper]:
    """Papers matching a full-text `query` (FTS5 over title, abstract, authors), best first.

    Plain words must all match; a query with FTS5 syntax (quotes, AND/OR/NOT, NEAR, prefix*)
    is passed through, and a syntax error becomes a UsageError. Filters narrow the matches.
    With a limit, only the `rank_window` most recently cached matches are ranked (bm25 costs
    ~2 us a match; a common word matches half a big cache); without one, every match is.
    """
    match = fts_query(query)
    filters = resolve(store, filters, today=today).filters
    where = Selection(store, filters, follow).conditions()
    if where.clauses:
        matches = (
            "FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid "
            f"WHERE papers_fts MATCH ? AND {where.sql}"
        )
    else:  # ranking alone never needs the papers table: a third faster on common words
        matches = "FROM papers_fts WHERE papers_fts MATCH ?"
    if filters.limit and filters.limit < rank_window:
        # Matches are walked newest-first without scoring (cheap), and only the window scored.
        sql = (
            f"SELECT pk FROM (SELECT papers_fts.rowid AS pk, {BM25} AS score {matches} "
            f"ORDER BY papers_fts.rowid DESC LIMIT {int(rank_window)}) ORDER BY score, pk DESC"
        )
    else:
        sql = f"SELECT papers_fts.rowid {matches} ORDER BY {BM25}"
    try:
        pks = fetch_pks(store, sql, [match, *where.params], filters.limit)
    except sqlite3.OperationalError as exc:
        raise UsageError(f"invalid search query {query!r}: {exc}", hint=SEARCH_HINT) from None
    return papers_by_pk(store, pks)


# A snippet's length in tokens (FTS5 allows 1-64): about one line of a terminal.
SNIPPET_TOKENS = 16
_ABSTRACT_COLUMN = 1  # papers_fts (title, abstract, authors_text)


def with_snippets(store: Store, query: str, papers: Sequence[Paper]) -> list[Paper]:
    """`papers` (search results) each with the text around its match (FTS5 `snippet()`).

    The abstract's snippet when the abstract matches (the title is shown anyway), else the
    best column's (an author search shows the authors). One statement for the papers shown,
    each a seek by key inside the match: the cost follows the papers shown, not the matches.
    """
    if not papers:
        return []
    import secrets  # hashlib and hmac: not for `radar list`

    match = fts_query(query)
    # Markers no network text can contain: fresh for each call.
    token = secrets.token_hex(8)
    start, end = f"\x02{token}[", f"]{token}\x03"
    pk_of = _pks_of(store, [p.id for p in papers])
    rows = store.conn.execute(
        f"SELECT rowid, snippet(papers_fts, {_ABSTRACT_COLUMN}, ?, ?, '…', {SNIPPET_TOKENS}), "
        f"snippet(papers_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) FROM papers_fts "
        "WHERE papers_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
        (start, end, start, end, match, json.dumps(list(pk_of.values()))),
    )
    texts = {pk: abstract if start in (abstract or "") else best for pk, abstract, best in rows}
    found = []
    for paper in papers:
        text = texts.get(pk_of.get(paper.id, -1))
        found.append(replace(paper, snippet=_snippet_parts(text, start, end)) if text else paper)
    return found


def _pks_of(store: Store, ids: Sequence[str]) -> dict[str, int]:
    keys: dict[str, int] = {}
    for chunk in chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(f"SELECT id, pk FROM papers WHERE id IN ({marks})", chunk)
        keys.update({paper_id: pk for paper_id, pk in rows})
    return keys


def _snippet_parts(text: str, start: str, end: str) -> tuple[tuple[str, bool], ...]:
    """("…text ", False), ("match", True), ... from a snippet marked with `start`/`end`;
    whitespace runs (hard-wrapped abstracts) become single spaces."""
    parts: list[tuple[str, bool]] = []
    for index, piece in enumerate(text.split(start)):
        hit, _, rest = piece.partition(end) if index else ("", "", piece)
        for part, is_match in ((hit, True), (rest, False)):
            part = re.sub(r"\s+", " ", part)
            if part:
                parts.append((part, is_match))
    if parts:
        parts[0] = (parts[0][0].lstrip(), parts[0][1])
        parts[-1] = (parts[-1][0].rstrip(), parts[-1][1])
    return tuple(part for part in parts if part[0])
