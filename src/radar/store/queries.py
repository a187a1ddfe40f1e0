"""Reading the cache by filters: the papers a selection lists and counts, and the latest day.

Each query first picks paper keys through the m001 indexes (`selection`), then hydrates only
those papers. Full-text search is in `fulltext`, random draws in `sampling`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from radar.errors import NotFoundError
from radar.filters import DateWindow, Filters, current_day, day_start, resolve_dates
from radar.paper import Paper
from radar.store.selection import Selection, fetch_pks, papers_by_pk

if TYPE_CHECKING:
    from radar.config.settings import Follows
    from radar.store.core import Store


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
    source, where, order = Selection(store, filters, follow).selection()
    sql = f"SELECT p.pk FROM {source} WHERE {where.sql} ORDER BY {order}"
    pks = fetch_pks(store, sql, where.params, filters.limit)
    return papers_by_pk(store, pks)


# Counting stops here: "showing 20 of more than 10,000" costs milliseconds even at 1M papers.
COUNT_CAP = 10_000


def count_papers(
    store: Store, filters: Filters, *, follow: Follows | None = None, today: date | None = None
) -> int:
    """How many papers `select_papers` would list without its limit, up to COUNT_CAP + 1."""
    filters = resolve(store, filters, today=today).filters
    builder = Selection(store, filters, follow)
    source, where, _ = builder.selection()
    inner, params = builder.index_count or (
        f"SELECT 1 FROM {source} WHERE {where.sql}",
        where.params,
    )
    sql = f"SELECT count(*) FROM ({inner} LIMIT ?)"
    return int(store.conn.execute(sql, [*params, COUNT_CAP + 1]).fetchone()[0])


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
