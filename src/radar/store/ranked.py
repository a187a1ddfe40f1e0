"""Reading by relevance: the filtered selections of `queries`, ordered by a model's stored score.

Papers without a score of that model are left out here; `radar.rank` scores them first.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from radar.errors import UsageError
from radar.filters import Filters
from radar.paper import Paper
from radar.store.fulltext import BM25, SEARCH_HINT, fts_query
from radar.store.selection import Selection, papers_by_pk

if TYPE_CHECKING:
    from radar.config.settings import Follows
    from radar.store.core import Store


@dataclass(frozen=True, kw_only=True)
class Ranked:
    """One ranked read: which model's scores, the filters, an optional full-text query."""

    version: str
    filters: Filters
    follow: Follows | None = None
    query: str | None = None
    min_score: float | None = None
    by_date: bool = False  # --min-score alone keeps the newest-first order

    def _from_where(self, store: Store, *, scored: bool) -> tuple[str, list[Any], str, list[Any]]:
        """FROM ... with the score join, its parameters, WHERE ..., its parameters."""
        sql = Selection(store, self.filters, self.follow)
        if self.query is not None:
            where = sql.conditions()
            source = "papers_fts JOIN papers p ON p.pk = papers_fts.rowid"
            where.clauses.insert(0, "papers_fts MATCH ?")
            where.params.insert(0, fts_query(self.query))
        else:
            source, where, _ = sql.selection()
        join = "JOIN" if scored else "LEFT JOIN"
        source += f" {join} paper_scores s ON s.paper_pk = p.pk AND s.model = ?"
        if not scored:
            where.add("s.paper_pk IS NULL")
        elif self.min_score is not None:
            where.add("s.score >= ?", self.min_score)
        return source, [self.version], where.sql, where.params

    def unscored(self, store: Store, cap: int) -> list[int]:
        """Up to `cap` + 1 matching papers that have no score of this model."""
        source, join_params, where, params = self._from_where(store, scored=False)
        sql = f"SELECT DISTINCT p.pk FROM {source} WHERE {where} LIMIT ?"
        return [pk for (pk,) in _run(store, sql, [*join_params, *params, cap + 1], self.query)]

    def select(self, store: Store) -> list[Paper]:
        """Matching papers, best score first (then newest), at most `filters.limit`."""
        source, join_params, where, params = self._from_where(store, scored=True)
        order = "s.score DESC, p.day DESC, p.id DESC"
        if self.by_date:
            order = "p.day DESC, p.id DESC"
        elif self.query is not None:
            order = f"s.score DESC, {BM25}"
        sql = f"SELECT DISTINCT p.pk, s.score FROM {source} WHERE {where} ORDER BY {order}"
        args = [*join_params, *params]
        if self.filters.limit:
            sql += " LIMIT ?"
            args.append(self.filters.limit)
        rows = _run(store, sql, args, self.query)
        return _with_scores(store, rows)

    def draw(self, store: Store, *, count: int, seed: int | None) -> list[Paper]:
        """`count` distinct papers drawn with probability in proportion to their scores."""
        source, join_params, where, params = self._from_where(store, scored=True)
        sql = f"SELECT DISTINCT p.pk, s.score FROM {source} WHERE {where} ORDER BY p.pk"
        rows = _run(store, sql, [*join_params, *params], self.query)
        rng = random.Random(seed)
        # Weighted sampling without replacement (Efraimidis-Spirakis): the top keys u^(1/w).
        keyed = [(rng.random() ** (1.0 / max(score, 1e-9)), pk, score) for pk, score in rows]
        keyed.sort(reverse=True)
        return _with_scores(store, [(pk, score) for _, pk, score in keyed[:count]])


def _run(store: Store, sql: str, args: list[Any], query: str | None) -> list[Any]:
    try:
        return store.conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as exc:
        if query is None:
            raise
        raise UsageError(f"invalid search query {query!r}: {exc}", hint=SEARCH_HINT) from None


def _with_scores(store: Store, rows: list[tuple[int, float]]) -> list[Paper]:
    score_of = dict(rows)
    pks = list(score_of)
    pk_of: dict[str, int] = {}
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        marks = ",".join("?" * len(chunk))
        pk_of.update(store.conn.execute(f"SELECT id, pk FROM papers WHERE pk IN ({marks})", chunk))
    return [replace(p, score=score_of[pk_of[p.id]]) for p in papers_by_pk(store, pks)]
