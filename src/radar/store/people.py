"""The SQL behind people: the papers signed with a name, with their co-authors and categories.

Read through the (norm, day, paper_pk) author index; grouping itself is `radar.people`'s.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from radar.people import AuthorRule, Signed, pinned_person
from radar.store.records import to_date

if TYPE_CHECKING:
    from radar.store.core import Store


def signed_papers(store: Store, norms: Sequence[str]) -> list[Signed]:
    """Every cached paper signed with one of `norms`, with its other authors and categories."""
    if not norms:
        return []
    marks = ",".join("?" * len(norms))
    papers = {
        pk: (paper_id, day, title, json.loads(categories or "[]"))
        for pk, paper_id, day, title, categories in store.conn.execute(
            "SELECT p.pk, p.id, p.day, p.title, p.categories FROM paper_authors a "
            f"JOIN papers p ON p.pk = a.paper_pk WHERE a.norm IN ({marks})",
            list(norms),
        )
    }
    coauthors: dict[int, dict[str, str]] = {pk: {} for pk in papers}
    # Joins, not `IN (subquery)`, and no ORDER BY: no temp b-tree. Each paper's authors come
    # in position order through the primary key (paper_pk, position) all the same.
    rows = store.conn.execute(
        "SELECT b.paper_pk, b.norm, b.name FROM paper_authors a "
        "JOIN paper_authors b ON b.paper_pk = a.paper_pk "
        f"WHERE a.norm IN ({marks})",
        list(norms),
    )
    own = set(norms)
    for pk, norm, name in rows:
        if norm not in own and norm:
            coauthors[pk].setdefault(norm, name)
    return [
        Signed(
            key=pk,
            id=paper_id,
            day=to_date(day),
            title=title,
            categories=tuple(cats),
            coauthors=coauthors[pk],
        )
        for pk, (paper_id, day, title, cats) in papers.items()
    ]


def person_keys(store: Store, rule: AuthorRule) -> list[int] | None:
    """Paper keys of a pinned person's group among the papers signed with the rule's names;
    None when no pinned paper is cached yet (then the name alone decides)."""
    group = pinned_person(signed_papers(store, rule.norms), rule.pins)
    return None if group is None else [p.key for p in group]


def set_aside(store: Store, rule: AuthorRule) -> int:
    """How many papers signed with a pinned name look like someone else's."""
    papers = signed_papers(store, rule.norms)
    group = pinned_person(papers, rule.pins)
    return 0 if group is None else len(papers) - len(group)
