"""All the SQL for reading the cache: filtered lists, full-text search, shuffle, latest day.

Each query first picks paper keys through the m001 indexes, then hydrates only those papers.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from radar.errors import NotFoundError, UsageError
from radar.filters import DateWindow, Filters, current_day, day_start, resolve_dates
from radar.paper import Paper, normalize_name
from radar.store.latest import latest_days_condition
from radar.store.records import chunks

if TYPE_CHECKING:
    import random

    from radar.config.settings import Follows
    from radar.store.core import Store

# Title matches count most, then authors, then the abstract.
_BM25 = "bm25(papers_fts, 5.0, 1.0, 2.0)"
# `search` ranks at most this many matches: those most recently cached. A term matching more
# (a common word in a big cache) ranks its newest matches, not every match (docs/benchmarks.md).
RANK_WINDOW = 2_000
_FTS_OPERATORS = re.compile(r'["*:^()+{}]|\b(?:AND|OR|NOT|NEAR)\b')
_SEARCH_HINT = (
    'plain words match all of them; quote phrases ("trust region"); operators are AND, OR, '
    "NOT, NEAR(), prefix*"
)


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
    filters = _resolve_new(store, filters)
    if not filters.today:
        return resolve_dates(filters, today=today, latest=None)
    from radar.store.latest import latest_by_source

    per_source = latest_by_source(
        store.conn, on_or_before=today, arxiv_only=bool(filters.categories)
    )
    arxiv = dict(per_source).get("arxiv")
    latest = arxiv or max((day for _, day in per_source), default=None)
    return resolve_dates(filters, today=today, latest=latest, per_source=per_source)


def _resolve_new(store: Store, filters: Filters) -> Filters:
    """`--new` as the paper keys the last finished sync added, `--new-since` as a bound on
    `first_seen`; --new before any sync finished is an error: "new" means nothing yet."""
    if filters.new_since is not None:
        return replace(filters, new_since=None, seen_since=day_start(filters.new_since))
    if not filters.new:
        return filters
    from radar.store.runs import last_finished_run

    run = last_finished_run(store)
    if run is None:
        raise NotFoundError(
            "no sync has finished yet, so no paper is new",
            hint="run `radar sync`; --new-since DATE lists the papers first seen since a day",
        )
    return replace(filters, new=False, added=(run.pk_before, run.pk_after or run.pk_before))


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
    source, where, order = _Sql(store, filters, follow).selection()
    sql = f"SELECT p.pk FROM {source} WHERE {where.sql} ORDER BY {order}"
    pks = _fetch_pks(store, sql, where.params, filters.limit)
    return _hydrate(store, pks)


# Counting stops here: "showing 20 of more than 10,000" costs milliseconds even at 1M papers.
COUNT_CAP = 10_000


def count_papers(
    store: Store, filters: Filters, *, follow: Follows | None = None, today: date | None = None
) -> int:
    """How many papers `select_papers` would list without its limit, up to COUNT_CAP + 1."""
    filters = resolve(store, filters, today=today).filters
    builder = _Sql(store, filters, follow)
    source, where, _ = builder.selection()
    inner, params = builder.index_count or (
        f"SELECT 1 FROM {source} WHERE {where.sql}",
        where.params,
    )
    sql = f"SELECT count(*) FROM ({inner} LIMIT ?)"
    return int(store.conn.execute(sql, [*params, COUNT_CAP + 1]).fetchone()[0])


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
    where = _Sql(store, filters, follow).conditions()
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
        raise UsageError(f"invalid search query {query!r}: {exc}", hint=_SEARCH_HINT) from None
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
    where = _Sql(store, filters, follow).conditions()
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
            f"SELECT pk FROM (SELECT papers_fts.rowid AS pk, {_BM25} AS score {matches} "
            f"ORDER BY papers_fts.rowid DESC LIMIT {int(rank_window)}) ORDER BY score, pk DESC"
        )
    else:
        sql = f"SELECT papers_fts.rowid {matches} ORDER BY {_BM25}"
    try:
        pks = _fetch_pks(store, sql, [match, *where.params], filters.limit)
    except sqlite3.OperationalError as exc:
        raise UsageError(f"invalid search query {query!r}: {exc}", hint=_SEARCH_HINT) from None
    return _hydrate(store, pks)


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


def shuffle(
    store: Store,
    filters: Filters,
    *,
    count: int | None = 5,
    seed: int | None = None,
    follow: Follows | None = None,
    today: date | None = None,
) -> list[Paper]:
    """`count` distinct random papers matching `filters` (None: all of them, in random order);
    the same `seed` gives the same draw.

    Without filters it probes random keys (never ORDER BY random(), which reads every row).
    With filters it draws random keys and keeps those that match (rejection sampling: uniform,
    and a few index lookups a paper for any selection above ~1% of the cache); a selection too
    rare for that is listed from its indexes and sampled.
    """
    if count is not None and count < 1:
        raise UsageError(f"-n must be at least 1, not {count}", hint="-n 0 shows all, shuffled")
    import random  # only shuffle draws

    rng = random.Random(seed)
    filters = resolve(store, filters, today=today).filters
    if count is None:
        source, where, _ = _Sql(store, filters, follow).selection()
        rows = store.conn.execute(
            f"SELECT DISTINCT p.pk FROM {source} WHERE {where.sql} ORDER BY p.pk", where.params
        )
        pks = [pk for (pk,) in rows]
        rng.shuffle(pks)
        return _hydrate(store, pks)
    if filters.is_empty:
        pks = _probe_random(store, rng, count)
        return _hydrate(store, pks)
    found = _probe_matching(store, rng, count, _Sql(store, filters, follow).conditions())
    if found is not None:
        pks = found
    else:
        source, where, _ = _Sql(store, filters, follow).selection()
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

# A membership matching fewer rows than this is listed from its index (then sorted); a bigger
# one is tested per paper while walking the day index newest-first, which stops at the limit.
_SPARSE = 5000


@dataclass
class _Sql:
    """Builds the FROM clause and conditions for one filtered selection."""

    store: Store
    filters: Filters
    follow: Follows | None
    # SQL listing the selection's keys from its index alone, when `selection` found it exact.
    index_count: tuple[str, list[Any]] | None = field(default=None, init=False)

    def selection(self) -> tuple[str, _Where, str]:
        """FROM clause, conditions and the newest-first ORDER BY.

        A single category is walked through its (category, day, paper_pk) index in day order,
        so a big category with a small limit stops early instead of sorting all its papers.
        """
        if self.few_new():  # the few papers a sync added: fetched by key, then sorted
            return "papers p", self.conditions(), "p.day DESC, p.id DESC"
        norms = self.author_norms(self.filters.authors) if self.filters.authors else []
        if len(norms) == 1 and not self.filters.categories and self.plain_authors():
            # The same walk over (norm, day, paper_pk); a paper naming the author twice (two
            # "Wei Wang"s) is taken at its first position only.
            where = _Where()
            where.add("a.norm = ?", norms[0])
            return self.walk("paper_authors a", "a", where, skip_authors=True, once=True)
        if len(self.filters.categories) == 1 and not self.filters.authors:
            where = _Where()
            where.add("c.category = ?", self.filters.categories[0])
            return self.walk("paper_categories c", "c", where, skip_categories=True)
        return "papers p", self.conditions(), "p.day DESC, p.id DESC"

    def walk(
        self, table: str, alias: str, where: _Where, *, once: bool = False, **skip: bool
    ) -> tuple[str, _Where, str]:
        """Select through a (value, day, paper_pk) index newest-first, the rest per paper.

        `once`: a paper listed twice under the value (two "Wei Wang"s) is taken at its first
        position only. When no condition needs the paper itself, `index_count` counts the
        selection from the index alone (a prolific author's count read 2,325 paper rows: 50 ms).
        """
        self.day_range(where, f"{alias}.day")  # the index's day is the paper's (see core)
        rest = self.conditions(skip_days=True, **skip)
        if not rest.clauses:
            distinct = "DISTINCT " if once else ""
            inner = f"SELECT {distinct}{alias}.paper_pk FROM {table} WHERE {where.sql}"
            self.index_count = (inner, list(where.params))
        if once:
            where.add(
                f"NOT EXISTS (SELECT 1 FROM {table.split()[0]} b WHERE b.paper_pk = "
                f"{alias}.paper_pk AND b.norm = {alias}.norm AND b.position < {alias}.position)"
            )
        where.clauses += rest.clauses
        where.params += rest.params
        source = f"{table} JOIN papers p ON p.pk = {alias}.paper_pk"
        return source, where, f"{alias}.day DESC, p.id DESC"

    def conditions(
        self, *, skip_categories: bool = False, skip_authors: bool = False, skip_days: bool = False
    ) -> _Where:
        filters = self.filters
        where = _Where()
        if not skip_days:
            self.day_range(where, "p.day")
        if filters.authors and not skip_authors:
            where.add(*self.people(filters.authors))
        if filters.categories and not skip_categories:
            where.add(*self.member("paper_categories", "category", filters.categories))
        if filters.sources:
            where.add(*self.member("paper_sources", "source", self.source_keys(filters.sources)))
        if filters.followed:
            self.followed(where)
        if filters.announce:
            marks = ",".join("?" * len(filters.announce))
            where.add(f"p.announce_type IN ({marks})", *filters.announce)
        if filters.latest_days:
            where.add(*latest_days_condition(filters.latest_days))
        if filters.added is not None:
            where.add("p.pk > ? AND p.pk <= ?", *filters.added)
        if filters.seen_since and self.few_seen_since():
            where.add("p.pk IN (SELECT pk FROM papers WHERE first_seen >= ?)", filters.seen_since)
        elif filters.seen_since:  # most of the cache: tested per paper on the newest-first walk
            where.add("p.first_seen >= ?", filters.seen_since)
        if filters.starred:
            where.add("p.id IN (SELECT paper_id FROM user_state WHERE starred = 1)")
        if filters.unread:
            where.add("p.id NOT IN (SELECT paper_id FROM user_state WHERE read = 1)")
        return where

    def few_new(self) -> bool:
        """True when --new or --new-since selects fewer than `_SPARSE` papers."""
        added = self.filters.added
        if added is not None and added[1] - added[0] < _SPARSE:
            return True
        return bool(self.filters.seen_since) and self.few_seen_since()

    def few_seen_since(self) -> bool:
        (count,) = self.store.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM papers WHERE first_seen >= ? LIMIT {_SPARSE})",
            (self.filters.seen_since,),
        ).fetchone()
        return bool(count < _SPARSE)

    def day_range(self, where: _Where, column: str) -> None:
        if self.filters.since:
            where.add(f"{column} >= ?", self.filters.since.isoformat())
        if self.filters.until:
            where.add(f"{column} <= ?", self.filters.until.isoformat())

    def member(self, table: str, column: str, values: Sequence[str]) -> list[Any]:
        """The condition "p has one of `values` in `table`", then its parameters.

        Few matching rows (an author, a feed, anything within dates): list their keys from the
        (value, [day,] paper_pk) index. Many (a big category): test each paper met instead.
        """
        if not values:
            return ["0"]
        marks = ",".join("?" * len(values))
        since, until = self.filters.since, self.filters.until
        dated = table != "paper_sources" and bool(since or until)
        if table == "paper_authors" or dated or self.sparse(table, column, values):
            bounds = [(op, d.isoformat()) for op, d in ((">=", since), ("<=", until)) if d]
            days = "".join(f" AND day {op} ?" for op, _ in bounds) if dated else ""
            sql = f"p.pk IN (SELECT paper_pk FROM {table} WHERE {column} IN ({marks}){days})"
            return [sql, *values, *(d for _, d in bounds if dated)]
        sql = (
            f"EXISTS (SELECT 1 FROM {table} m WHERE m.paper_pk = p.pk AND m.{column} IN ({marks}))"
        )
        return [sql, *values]

    def sparse(self, table: str, column: str, values: Sequence[str]) -> bool:
        marks = ",".join("?" * len(values))
        (count,) = self.store.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} IN ({marks}) "
            f"LIMIT {_SPARSE})",
            list(values),
        ).fetchone()
        return bool(count < _SPARSE)

    def author_norms(self, names: Sequence[str]) -> list[str]:
        """Normalised names to look up: each name, plus its aliases if it is followed."""
        groups = [
            {normalize_name(name), *(normalize_name(a) for a in aliases)}
            for name, aliases in (self.follow.aliases if self.follow else {}).items()
        ]
        norms: dict[str, None] = {}
        for name in names:
            norm = normalize_name(name)
            norms[norm] = None
            for group in groups:
                if norm in group:
                    norms.update(dict.fromkeys(group))
        return [n for n in norms if n]

    def plain_authors(self, names: Sequence[str] | None = None) -> bool:
        """Whether every name matches by its spelling alone (no identity or pins behind it)."""
        if self.follow is None or not (self.follow.identities or self.follow.pins):
            return True  # nobody is followed as a person: no need to load radar.people
        from radar.people import author_rule

        wanted = self.filters.authors if names is None else names
        return all(author_rule(self.follow, name).plain for name in wanted)

    def people(self, names: Sequence[str]) -> list[Any]:
        """Papers by any of `names`: signed so, or, for a name followed as a person, on their
        own listing or in their pinned group (see `radar.people.author_rule`)."""
        if self.plain_authors(names):
            return self.member("paper_authors", "norm", self.author_norms(names))
        from radar.people import author_rule

        rules = [author_rule(self.follow, name) for name in names]
        parts: list[str] = []
        params: list[Any] = []
        for name, rule in zip(names, rules, strict=True):
            keys = None
            if rule.pins:
                from radar.store.people import person_keys

                keys = person_keys(self.store, rule)
            if keys is not None:
                parts.append("p.pk IN (SELECT value FROM json_each(?))")
                params.append(json.dumps(keys))
            elif rule.norms:
                sql, *values = self.member("paper_authors", "norm", self.author_norms([name]))
                parts.append(sql)
                params += values
            if rule.listings:
                sql, *values = self.member("paper_sources", "source", list(rule.listings))
                parts.append(sql)
                params += values
        return [f"({' OR '.join(parts) or '0'})", *params]

    def source_keys(self, values: Sequence[str]) -> list[str]:
        """The cached source keys a user's `--source` values name (see `Filters.sources`)."""
        wanted = {v.strip().casefold() for v in values}
        keys = []
        for key, label in _distinct_sources(self.store):
            folded = key.casefold()
            kind = re.split(r"[:-]", folded, maxsplit=1)[0]
            names = {folded, label.casefold(), folded.removeprefix("feed:")}
            names |= {folded.split(":", 1)[0], kind}
            if wanted & names:
                keys.append(key)
        return keys

    def followed(self, where: _Where) -> None:
        follow = self.follow
        if follow is None or not follow:
            where.add("0")  # nothing is followed, so nothing matches
            return
        parts: list[str] = []
        params: list[Any] = []
        people = [*follow.authors, *(n for n in follow.identities if n not in follow.authors)]
        if people:
            sql, *people_params = self.people(people)
            parts.append(sql)
            params += people_params
        lookups = (
            ("paper_categories", "category", list(follow.categories)),
            ("paper_sources", "source", [f"feed:{feed.name}" for feed in follow.feeds]),
        )
        for table, column, values in lookups:
            if values:
                sql, *values_params = self.member(table, column, values)
                parts.append(sql)
                params += values_params
        where.add(f"({' OR '.join(parts)})", *params)


def _distinct_sources(store: Store) -> list[tuple[str, str]]:
    """(source key, label) of every source in the cache: one index step per distinct key."""
    found = []
    row = store.conn.execute("SELECT min(source) FROM paper_sources").fetchone()
    while row and row[0] is not None:
        key = row[0]
        (label,) = store.conn.execute(
            "SELECT label FROM paper_sources WHERE source = ? LIMIT 1", (key,)
        ).fetchone()
        found.append((key, label))
        row = store.conn.execute(
            "SELECT min(source) FROM paper_sources WHERE source > ?", (key,)
        ).fetchone()
    return found


# --- running it -----------------------------------------------------------------------------


def _fetch_pks(store: Store, sql: str, params: Sequence[Any], limit: int | None) -> list[int]:
    if limit:
        sql += " LIMIT ?"
        params = [*params, limit]
    return [pk for (pk,) in store.conn.execute(sql, list(params))]


# Random keys tested per paper wanted, batch after batch, before a filtered shuffle lists its
# selection instead: small batches first, since each key tested is a random read at 1M papers.
_PROBE_BATCHES = (8, 24, 64)
# A condition reading a column of the paper's row (p.day, p.id, ...), not just its key p.pk.
_ROW_COLUMN = re.compile(r"\bp\.(?!pk\b)\w")


def _probe_matching(
    store: Store, rng: random.Random, count: int, where: _Where
) -> list[int] | None:
    """`count` distinct uniformly random keys of papers meeting `where`, or None if too rare.

    One statement tests a batch of random keys: the cost follows `count`, not the cache.
    """
    bounds = _key_bounds(store)
    if bounds is None:
        return []
    low, high = bounds
    # Conditions on the paper's key alone (categories, authors, sources) are met only by keys
    # that exist: testing them skips reading each drawn paper's row (a random page at 1M).
    if _ROW_COLUMN.search(where.sql):
        keys = "json_each(?) j JOIN papers p ON p.pk = j.value"
    else:
        keys = "(SELECT value AS pk FROM json_each(?)) p"
    picked: dict[int, None] = {}
    for per_paper in _PROBE_BATCHES:
        draws = [rng.randint(low, high) for _ in range(per_paper * count)]
        rows = store.conn.execute(
            f"SELECT p.pk FROM {keys} WHERE {where.sql}", [json.dumps(draws), *where.params]
        )
        matching = {pk for (pk,) in rows}
        picked.update(dict.fromkeys(pk for pk in draws if pk in matching))  # in draw order
        if len(picked) >= count:
            return list(picked)[:count]
    return None


def _key_bounds(store: Store) -> tuple[int, int] | None:
    # Two sub-selects: each is one index step, while "min(pk), max(pk)" scans the table.
    low, high = store.conn.execute(
        "SELECT (SELECT min(pk) FROM papers), (SELECT max(pk) FROM papers)"
    ).fetchone()
    return None if low is None else (low, high)


def _probe_random(store: Store, rng: random.Random, count: int) -> list[int]:
    """Distinct random paper keys: jump to a random key and take the next one that exists."""
    bounds = _key_bounds(store)
    if bounds is None:
        return []
    low, high = bounds
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
    for chunk in chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        keyed = store.conn.execute(f"SELECT pk, id FROM papers WHERE pk IN ({marks})", chunk)
        pk_of = {paper_id: pk for pk, paper_id in keyed}
        for paper in store.papers_where(f"p.pk IN ({marks})", chunk):
            by_pk[pk_of[paper.id]] = paper
    return [by_pk[pk] for pk in dict.fromkeys(pks) if pk in by_pk]


def followed_people(store: Store, follow: Follows) -> Follows:
    """`follow` with `people` filled: for each name followed as a person (an identity or
    pins), the ids of the cached papers that count as theirs."""
    from radar.people import author_rule

    people = {}
    for name in dict.fromkeys([*follow.authors, *follow.identities]):
        if not author_rule(follow, name).plain:
            papers = select_papers(store, Filters(authors=(name,)), follow=follow)
            people[name] = frozenset(p.id for p in papers)
    return replace(follow, people=people)
