"""Random papers from the cache (`radar shuffle`): uniform draws that never read every row."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING

from radar.errors import UsageError
from radar.filters import Filters
from radar.paper import Paper
from radar.store.queries import resolve
from radar.store.selection import Selection, Where, papers_by_pk

if TYPE_CHECKING:
    import random

    from radar.config.settings import Follows
    from radar.store.core import Store


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
        source, where, _ = Selection(store, filters, follow).selection()
        rows = store.conn.execute(
            f"SELECT DISTINCT p.pk FROM {source} WHERE {where.sql} ORDER BY p.pk", where.params
        )
        pks = [pk for (pk,) in rows]
        rng.shuffle(pks)
        return papers_by_pk(store, pks)
    if filters.is_empty:
        pks = _probe_random(store, rng, count)
        return papers_by_pk(store, pks)
    found = _probe_matching(store, rng, count, Selection(store, filters, follow).conditions())
    if found is not None:
        pks = found
    else:
        source, where, _ = Selection(store, filters, follow).selection()
        rows = store.conn.execute(
            f"SELECT DISTINCT p.pk FROM {source} WHERE {where.sql} ORDER BY p.pk", where.params
        )
        candidates = [pk for (pk,) in rows]
        pks = rng.sample(candidates, min(count, len(candidates)))
    return papers_by_pk(store, pks)


# Random keys tested per paper wanted, batch after batch, before a filtered shuffle lists its
# selection instead: small batches first, since each key tested is a random read at 1M papers.
_PROBE_BATCHES = (8, 24, 64)
# A condition reading a column of the paper's row (p.day, p.id, ...), not just its key p.pk.
_ROW_COLUMN = re.compile(r"\bp\.(?!pk\b)\w")


def _probe_matching(store: Store, rng: random.Random, count: int, where: Where) -> list[int] | None:
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
