"""Relevance in the cache: the stored model (table `rank_model`) and papers' scores (m004).

`radar.rank` decides what to train on and what to score; this module only reads and writes.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from radar.paper import Paper

if TYPE_CHECKING:
    from radar.store.core import Store

_CHUNK = 500


@dataclass(frozen=True, kw_only=True)
class StoredModel:
    version: str
    interests: str
    trained_at: str
    body: str


def load_model(store: Store, *, body: bool = True) -> StoredModel | None:
    """The current model's row (`body` False skips reading its JSON: a version check)."""
    column = "body" if body else "''"
    row = store.conn.execute(
        f"SELECT version, interests, trained_at, {column} FROM rank_model LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    version, interests, trained_at, text = row
    return StoredModel(version=version, interests=interests, trained_at=trained_at, body=text)


def save_model(store: Store, model: StoredModel, terms: Mapping[str, tuple[float, float]]) -> None:
    """Replace the stored model and its `terms` (feature: (idf, weight)); scores of older
    versions stay until rescored (they are stale)."""
    with store.transaction():
        store.conn.execute("DELETE FROM rank_model")
        store.conn.execute(
            "INSERT INTO rank_model (version, interests, trained_at, body) VALUES (?, ?, ?, ?)",
            (model.version, model.interests, model.trained_at, model.body),
        )
        store.conn.execute("DELETE FROM rank_terms")
        store.conn.executemany(
            "INSERT INTO rank_terms (term, idf, weight) VALUES (?, ?, ?)",
            [(term, idf, weight) for term, (idf, weight) in terms.items()],
        )


def term_weights(store: Store, features: Iterable[str]) -> dict[str, tuple[float, float]]:
    """The stored model's (idf, weight) of those of `features` it has."""
    found: dict[str, tuple[float, float]] = {}
    wanted = list(features)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT term, idf, weight FROM rank_terms WHERE term IN ({marks})", chunk
        )
        found.update((term, (idf, weight)) for term, idf, weight in rows)
    return found


def write_scores(store: Store, version: str, scores: Iterable[tuple[int, float]]) -> int:
    """Store (paper pk, score) under `version`; returns how many were written."""
    rows = [(pk, version, score) for pk, score in scores]
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO paper_scores (paper_pk, model, score) VALUES (?, ?, ?) "
            "ON CONFLICT (paper_pk) DO UPDATE SET model = excluded.model, score = excluded.score",
            rows,
        )
    return len(rows)


def count_scores(store: Store, version: str) -> tuple[int, int]:
    """(papers scored by `version`, papers scored by an older model)."""
    current, total = store.conn.execute(
        "SELECT (SELECT count(*) FROM paper_scores WHERE model = ?), "
        "(SELECT count(*) FROM paper_scores)",
        (version,),
    ).fetchone()
    return int(current), int(total) - int(current)


def scores_of(store: Store, version: str, pks: Sequence[int]) -> dict[int, float]:
    """The stored scores of these papers under `version` (papers without one are left out)."""
    found: dict[int, float] = {}
    for start in range(0, len(pks), _CHUNK):
        chunk = list(pks[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT paper_pk, score FROM paper_scores WHERE model = ? AND paper_pk IN ({marks})",
            [version, *chunk],
        )
        found.update(dict(rows.fetchall()))
    return found


def starred_ids(store: Store) -> list[str]:
    return [i for (i,) in store.conn.execute("SELECT paper_id FROM user_state WHERE starred = 1")]


def pks_of(store: Store, ids: Sequence[str]) -> dict[str, int]:
    """The keys of the cached papers among `ids`."""
    found: dict[str, int] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(f"SELECT id, pk FROM papers WHERE id IN ({marks})", chunk)
        found.update(dict(rows.fetchall()))
    return found


def author_pks(store: Store, norms: Sequence[str], *, limit: int) -> list[int]:
    """Up to `limit` papers by any of these normalised author names, newest first."""
    if not norms:
        return []
    marks = ",".join("?" * len(norms))
    rows = store.conn.execute(
        f"SELECT DISTINCT paper_pk, day FROM paper_authors WHERE norm IN ({marks}) "
        "ORDER BY day DESC, paper_pk DESC LIMIT ?",
        [*norms, limit],
    )
    return [pk for pk, _ in rows]


def sample_pks(
    store: Store, *, categories: Sequence[str], since: date | None, count: int, seed: int
) -> list[int]:
    """A deterministic sample of `count` papers: of these categories since a day if that many
    exist, else of the whole cache (its size never grows the sample)."""
    pool: list[int] = []
    if categories:
        marks = ",".join("?" * len(categories))
        day = since.isoformat() if since else ""
        rows = store.conn.execute(
            f"SELECT DISTINCT paper_pk FROM paper_categories WHERE category IN ({marks}) "
            "AND day >= ? ORDER BY paper_pk",
            [*categories, day],
        )
        pool = [pk for (pk,) in rows]
    rng = random.Random(seed)
    if len(pool) >= count:
        return sorted(rng.sample(pool, count))
    return _probe(store, rng, count)


def _probe(store: Store, rng: random.Random, count: int) -> list[int]:
    """`count` distinct random keys of the whole cache, one index step each."""
    low, high = store.conn.execute(
        "SELECT (SELECT min(pk) FROM papers), (SELECT max(pk) FROM papers)"
    ).fetchone()
    if low is None:
        return []
    if high - low + 1 <= count * 2:
        return [pk for (pk,) in store.conn.execute("SELECT pk FROM papers ORDER BY pk")][:count]
    picked: set[int] = set()
    for _ in range(count * 10):
        if len(picked) >= count:
            break
        (pk,) = store.conn.execute(
            "SELECT pk FROM papers WHERE pk >= ? ORDER BY pk LIMIT 1", (rng.randint(low, high),)
        ).fetchone()
        picked.add(pk)
    return sorted(picked)


def recent_pks(store: Store, *, since: date | None) -> list[int]:
    """Every paper of `since` or later (through the day index); None: every paper."""
    if since is None:
        return [pk for (pk,) in store.conn.execute("SELECT pk FROM papers")]
    rows = store.conn.execute("SELECT pk FROM papers WHERE day >= ?", (since.isoformat(),))
    return [pk for (pk,) in rows]


def latest_day(store: Store) -> date | None:
    (day,) = store.conn.execute("SELECT max(day) FROM papers").fetchone()
    return date.fromisoformat(day) if day else None


def papers_by_pk(store: Store, pks: Sequence[int]) -> list[tuple[int, Paper]]:
    """(pk, paper) for each cached key, in the order given."""
    found: dict[int, Paper] = {}
    for start in range(0, len(pks), _CHUNK):
        chunk = list(pks[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        pk_of = dict(store.conn.execute(f"SELECT id, pk FROM papers WHERE pk IN ({marks})", chunk))
        for paper in store.papers_where(f"p.pk IN ({marks})", chunk, order="p.pk"):
            found[pk_of[paper.id]] = paper
    return [(pk, found[pk]) for pk in pks if pk in found]


def day_rank(store: Store, version: str, pk: int) -> tuple[int, int] | None:
    """(rank, papers) of a paper among its day's papers by this model's score, 1 = best."""
    row = store.conn.execute(
        "SELECT p.day, s.score FROM papers p JOIN paper_scores s ON s.paper_pk = p.pk "
        "WHERE p.pk = ? AND s.model = ?",
        (pk, version),
    ).fetchone()
    if row is None or row[0] is None:
        return None
    day, score = row
    better, total = store.conn.execute(
        "SELECT sum(s.score > ?), count(*) FROM papers p JOIN paper_scores s "
        "ON s.paper_pk = p.pk AND s.model = ? WHERE p.day = ?",
        (score, version, day),
    ).fetchone()
    return int(better or 0) + 1, int(total)
