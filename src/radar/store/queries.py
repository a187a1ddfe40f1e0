"""All the SQL for reading the cache: filtered lists, full-text search, shuffle, latest day.

Each query first picks paper keys through the m001 indexes, then hydrates only those papers.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from radar.errors import UsageError
from radar.filters import DateWindow, Filters, current_day, resolve_dates
from radar.paper import Paper, normalize_name

if TYPE_CHECKING:
    from radar.config import Follows
    from radar.store.core import Store

# Title matches count most, then authors, then the abstract.
_BM25 = "bm25(papers_fts, 5.0, 1.0, 2.0)"
_FTS_OPERATORS = re.compile(r'["*:^()+{}]|\b(?:AND|OR|NOT|NEAR)\b')
_SEARCH_HINT = (
    'plain words match all of them; quote phrases ("trust region"); operators are AND, OR, '
    "NOT, NEAR(), prefix*"
)
_CHUNK = 500


@dataclass
class _Where:
    """SQL conditions on `papers p`, joined with AND, and their parameters in order."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"


def latest_day(store: Store, *, on_or_before: date) -> date | None:
    """The latest paper day <= `on_or_before` in the cache (one step down the day index)."""
    row = store.conn.execute(
        "SELECT max(day) FROM papers WHERE day <= ?", (on_or_before.isoformat(),)
    ).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def resolve(store: Store, filters: Filters, *, today: date | None = None) -> DateWindow:
    """`filters` with --today/--days/--date made concrete, plus a note for stderr (or None).

    Call this first when the note matters (it says when --today fell on a weekend); the
    functions below accept both resolved and unresolved filters.
    """
    today = today or current_day()
    latest = latest_day(store, on_or_before=today) if filters.today else None
    return resolve_dates(filters, today=today, latest=latest)


def select_papers(
    store: Store,
    filters: Filters,
    *,
    follow: Follows | None = None,
    today: date | None = None,
) -> list[Paper]:
    """Papers matching `filters`, newest day first (then highest id), at most `filters.limit`.

    `follow` is the user's follows (`settings.follow`), needed by `--followed` and to expand
    an `--author` to its configured aliases.
    """
    filters = resolve(store, filters, today=today).filters
    source, where, order = _from_clause(filters, follow)
    sql = f"SELECT p.pk FROM {source} WHERE {where.sql} ORDER BY {order}"
    pks = _fetch_pks(store, sql, where.params, filters.limit)
    return _hydrate(store, pks)


def search(
    store: Store,
    query: str,
    filters: Filters,
    *,
    follow: Follows | None = None,
    today: date | None = None,
) -> list[Paper]:
    """Papers matching a full-text `query` (FTS5 over title, abstract, authors), best first.

    Plain words must all match; a query with FTS5 syntax (quotes, AND/OR/NOT, NEAR, prefix*)
    is passed through, and a syntax error becomes a UsageError. Filters narrow the matches.
    """
    match = fts_query(query)
    filters = resolve(store, filters, today=today).filters
    where = _conditions(filters, follow)
    if where.clauses:
        sql = (
            "SELECT p.pk FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid "
            f"WHERE papers_fts MATCH ? AND {where.sql} ORDER BY {_BM25}"
        )
    else:  # ranking alone never needs the papers table: a third faster on common words
        sql = f"SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY {_BM25}"
    try:
        pks = _fetch_pks(store, sql, [match, *where.params], filters.limit)
    except sqlite3.OperationalError as exc:
        raise UsageError(f"invalid search query {query!r}: {exc}", hint=_SEARCH_HINT) from None
    return _hydrate(store, pks)


def shuffle(
    store: Store,
    filters: Filters,
    *,
    count: int = 5,
    seed: int | None = None,
    follow: Follows | None = None,
    today: date | None = None,
) -> list[Paper]:
    """`count` distinct random papers matching `filters`; the same `seed` gives the same draw.

    Without filters it probes random keys (never ORDER BY random(), which reads every row);
    with filters it draws from the matching keys, which the indexes list cheaply.
    """
    if count < 1:
        raise UsageError(f"-n must be at least 1, not {count}")
    rng = random.Random(seed)
    filters = resolve(store, filters, today=today).filters
    if filters.is_empty:
        pks = _probe_random(store, rng, count)
    else:
        source, where, _ = _from_clause(filters, follow)
        rows = store.conn.execute(
            f"SELECT DISTINCT p.pk FROM {source} WHERE {where.sql} ORDER BY p.pk", where.params
        )
        candidates = [pk for (pk,) in rows]
        pks = rng.sample(candidates, min(count, len(candidates)))
    return _hydrate(store, pks)


def fts_query(text: str) -> str:
    """The FTS5 MATCH expression for what a user typed.

    Plain words become quoted terms, so "self-supervised" or "C++" never trip the syntax;
    text that already uses FTS5 syntax is left alone.
    """
    if not text.strip():
        raise UsageError("empty search query", hint=_SEARCH_HINT)
    if _FTS_OPERATORS.search(text):
        return text
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


# --- building the SQL -----------------------------------------------------------------------


def _from_clause(filters: Filters, follow: Follows | None) -> tuple[str, _Where, str]:
    """The FROM clause, conditions and newest-first ORDER BY for a filtered selection.

    A single category is walked through its (category, day, paper_pk) index in day order, so a
    big category with a small limit stops early instead of sorting every paper it holds.
    """
    if len(filters.categories) == 1 and not filters.authors:
        where = _Where()
        where.add("c.category = ?", filters.categories[0])
        _day_range(where, filters, "c.day")
        rest = _conditions(filters, follow, skip_categories=True)
        where.clauses += rest.clauses
        where.params += rest.params
        source = "paper_categories c JOIN papers p ON p.pk = c.paper_pk"
        return source, where, "c.day DESC, p.id DESC"
    return "papers p", _conditions(filters, follow), "p.day DESC, p.id DESC"


def _conditions(
    filters: Filters, follow: Follows | None, *, skip_categories: bool = False
) -> _Where:
    where = _Where()
    _day_range(where, filters, "p.day")
    if filters.authors:
        norms = _author_norms(filters.authors, follow)
        where.add(*_member("paper_authors", "norm", norms, filters))
    if filters.categories and not skip_categories:
        where.add(*_member("paper_categories", "category", filters.categories, filters))
    if filters.sources:
        _sources(where, filters.sources)
    if filters.followed:
        _followed(where, follow, filters)
    if filters.starred:
        where.add("p.id IN (SELECT paper_id FROM user_state WHERE starred = 1)")
    if filters.unread:
        where.add("p.id NOT IN (SELECT paper_id FROM user_state WHERE read = 1)")
    return where


def _day_range(where: _Where, filters: Filters, column: str) -> None:
    if filters.since:
        where.add(f"{column} >= ?", filters.since.isoformat())
    if filters.until:
        where.add(f"{column} <= ?", filters.until.isoformat())


def _member(table: str, column: str, values: Sequence[str], filters: Filters) -> list[Any]:
    """A condition "p has one of `values` in `table`", and its parameters.

    Authors are rare, and so is anything inside a date range: list the matching keys from the
    (value, day, paper_pk) index. A category without dates can hold half the cache: test each
    paper met walking the day index instead, which stops once the limit is reached.
    """
    marks = ",".join("?" * len(values))
    if table == "paper_authors" or filters.since or filters.until:
        days = [d.isoformat() for d in (filters.since, filters.until) if d]
        bounds = "".join(
            f" AND day {op} ?" for op, d in ((">=", filters.since), ("<=", filters.until)) if d
        )
        sql = f"p.pk IN (SELECT paper_pk FROM {table} WHERE {column} IN ({marks}){bounds})"
        return [sql, *values, *days]
    sql = f"EXISTS (SELECT 1 FROM {table} m WHERE m.paper_pk = p.pk AND m.{column} IN ({marks}))"
    return [sql, *values]


def _author_norms(names: Sequence[str], follow: Follows | None) -> list[str]:
    """Normalised names to look up: each name, plus its aliases when it is a followed author."""
    groups = _alias_groups(follow)
    norms: dict[str, None] = {}
    for name in names:
        norm = normalize_name(name)
        norms[norm] = None
        for group in groups:
            if norm in group:
                norms.update(dict.fromkeys(group))
    return [n for n in norms if n]


def _alias_groups(follow: Follows | None) -> list[set[str]]:
    if follow is None:
        return []
    return [
        {normalize_name(name), *(normalize_name(a) for a in aliases)}
        for name, aliases in follow.aliases.items()
    ]


def _sources(where: _Where, sources: Sequence[str]) -> None:
    tests = []
    for value in sources:
        v = value.strip().casefold()
        tests.append(
            "(lower(s.source) = ? OR lower(s.label) = ? OR lower(s.source) = ? "
            "OR substr(lower(s.source), 1, ?) IN (?, ?))"
        )
        where.params.extend([v, v, f"feed:{v}", len(v) + 1, f"{v}:", f"{v}-"])
    where.clauses.append(
        f"EXISTS (SELECT 1 FROM paper_sources s WHERE s.paper_pk = p.pk AND ({' OR '.join(tests)}))"
    )


def _followed(where: _Where, follow: Follows | None, filters: Filters) -> None:
    if follow is None or not follow:
        where.add("0")  # nothing is followed, so nothing matches
        return
    parts: list[str] = []
    params: list[Any] = []
    norms = _author_norms(follow.authors, follow)
    lookups = (
        ("paper_authors", "norm", norms),
        ("paper_categories", "category", follow.categories),
    )
    for table, column, values in lookups:
        if values:
            sql, *values_params = _member(table, column, values, filters)
            parts.append(sql)
            params += values_params
    feeds = [f"feed:{feed.name}" for feed in follow.feeds]
    if feeds:
        marks = ",".join("?" * len(feeds))
        parts.append(
            f"EXISTS (SELECT 1 FROM paper_sources f WHERE f.paper_pk = p.pk "
            f"AND f.source IN ({marks}))"
        )
        params += feeds
    where.add(f"({' OR '.join(parts)})", *params)


# --- running it -----------------------------------------------------------------------------


def _fetch_pks(store: Store, sql: str, params: Sequence[Any], limit: int | None) -> list[int]:
    if limit:
        sql += " LIMIT ?"
        params = [*params, limit]
    return [pk for (pk,) in store.conn.execute(sql, list(params))]


def _probe_random(store: Store, rng: random.Random, count: int) -> list[int]:
    """Distinct random paper keys: jump to a random key and take the next one that exists."""
    # Two sub-selects: each is one index step, while "min(pk), max(pk)" scans the table.
    low, high = store.conn.execute(
        "SELECT (SELECT min(pk) FROM papers), (SELECT max(pk) FROM papers)"
    ).fetchone()
    if low is None:
        return []
    wanted = min(count, high - low + 1)
    picked: dict[int, None] = {}
    for _ in range(wanted * 20):
        if len(picked) >= wanted:
            break
        start = rng.randint(low, high)
        found = store.conn.execute(
            "SELECT pk FROM papers WHERE pk >= ? ORDER BY pk LIMIT 1", (start,)
        ).fetchone()
        picked[found[0]] = None
    if len(picked) < wanted:  # a tiny or very gappy table: draw from every key instead
        keys = [pk for (pk,) in store.conn.execute("SELECT pk FROM papers ORDER BY pk")]
        return rng.sample(keys, min(count, len(keys)))
    return list(picked)


def _hydrate(store: Store, pks: Sequence[int]) -> list[Paper]:
    """Full papers for `pks`, in the order given."""
    by_pk: dict[int, Paper] = {}
    for start in range(0, len(pks), _CHUNK):
        chunk = list(pks[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        keyed = store.conn.execute(f"SELECT pk, id FROM papers WHERE pk IN ({marks})", chunk)
        pk_of = {paper_id: pk for pk, paper_id in keyed}
        for paper in store.papers_where(f"p.pk IN ({marks})", chunk):
            by_pk[pk_of[paper.id]] = paper
    return [by_pk[pk] for pk in dict.fromkeys(pks) if pk in by_pk]
