"""Who is behind an author name: namesakes told apart by co-authors, categories and time.

Pure functions over `Signed` records (the store loads them); no SQL, no network.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from radar.paper import normalize_name

if TYPE_CHECKING:
    from radar.config.settings import Follows

# A paper joins a person through a shared category only within this many years of their span:
# two namesakes in one field are usually years apart; one person's gap between papers is not.
WINDOW_YEARS = 3


@dataclass(frozen=True, kw_only=True)
class Signed:
    """A cached paper signed with the name: what tells its author apart from namesakes."""

    key: int
    id: str
    day: date | None
    title: str = ""
    categories: tuple[str, ...] = ()  # primary first
    coauthors: Mapping[str, str] = field(default_factory=dict)  # norm -> a spelling shown


@dataclass(frozen=True, kw_only=True)
class Person:
    """One group of papers signed with a name: probably one person."""

    papers: tuple[Signed, ...]  # newest first

    @property
    def years(self) -> tuple[int | None, int | None]:
        years = [p.day.year for p in self.papers if p.day]
        return (min(years), max(years)) if years else (None, None)

    def categories(self) -> dict[str, int]:
        counts = Counter(c for p in self.papers for c in p.categories)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def coauthors(self, limit: int = 5) -> list[str]:
        counts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for paper in self.papers:
            for norm, name in paper.coauthors.items():
                counts[norm] += 1
                shown.setdefault(norm, name)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], shown[kv[0]]))
        return [shown[norm] for norm, _ in ranked[:limit]]


@dataclass(frozen=True, kw_only=True)
class AuthorRule:
    """What `--author NAME` selects for a name radar knows as a person.

    `norms`: signed names that count (empty when only the person's listing counts);
    `listings`: sources whose every paper is the person's (`arxiv-author:<id>`);
    `pins`: when set, signed papers count only if they join the pinned papers' person.
    """

    name: str
    norms: tuple[str, ...]
    listings: tuple[str, ...] = ()
    pins: tuple[str, ...] = ()

    @property
    def plain(self) -> bool:
        return not self.listings and not self.pins


def author_rule(follow: Follows | None, name: str) -> AuthorRule:
    """The rule for `name`: plain name matching unless it is followed by identity or pinned."""
    if follow is None:
        return AuthorRule(name=name, norms=(normalize_name(name),))
    ordered = spellings(follow, name)
    norms = set(ordered)
    listings = tuple(
        f"arxiv-author:{pid}" for n, pid in follow.identities.items() if normalize_name(n) in norms
    )
    pins = tuple(p for n, ids in follow.pins.items() if normalize_name(n) in norms for p in ids)
    by_name = any(normalize_name(a) in norms for a in follow.authors) or not listings or pins
    norms_by_name = tuple(n for n in ordered if n) if by_name else ()
    return AuthorRule(name=name, norms=norms_by_name, listings=listings, pins=pins)


def spellings(follow: Follows, name: str) -> list[str]:
    """The name and its aliases ([follow.aliases]), normalised, the name first."""
    wanted = normalize_name(name)
    norms = {wanted}
    for key, aliases in follow.aliases.items():
        group = {normalize_name(key), *(normalize_name(a) for a in aliases)}
        if wanted in group:
            norms |= group
    return [wanted, *sorted(norms - {wanted})]


def grow(
    seeds: Iterable[Signed], papers: Sequence[Signed], *, window: int = WINDOW_YEARS
) -> list[Signed]:
    """The seeds' person: papers join through a shared co-author, or a shared category within
    `window` years of the person's span; each paper that joins widens what the next may share."""
    members = {p.key: p for p in seeds}
    coauthors = {n for p in members.values() for n in p.coauthors}
    categories = {c for p in members.values() for c in p.categories}
    years = [p.day.year for p in members.values() if p.day]
    first, last = (min(years), max(years)) if years else (None, None)
    changed = True
    while changed:
        changed = False
        for paper in papers:
            if paper.key in members:
                continue
            year = paper.day.year if paper.day else None
            near = year is None or first is None or first - window <= year <= last + window  # type: ignore[operator]
            if coauthors.isdisjoint(paper.coauthors) and (
                categories.isdisjoint(paper.categories) or not near
            ):
                continue
            members[paper.key] = paper
            coauthors.update(paper.coauthors)
            categories.update(paper.categories)
            if year is not None:
                first = year if first is None else min(first, year)
                last = year if last is None else max(last, year)
            changed = True
    return _newest_first(members.values())


def namesakes(papers: Sequence[Signed], *, window: int = WINDOW_YEARS) -> list[Person]:
    """Papers signed with one name, grouped into people: largest group first."""
    left = _newest_first(papers)
    people = []
    while left:
        group = grow([left[0]], left, window=window)
        people.append(Person(papers=tuple(group)))
        taken = {p.key for p in group}
        left = [p for p in left if p.key not in taken]
    return sorted(people, key=lambda person: -len(person.papers))


def pinned_person(papers: Sequence[Signed], pins: Iterable[str]) -> list[Signed] | None:
    """The papers of the person who wrote the pinned papers; None when none of them is cached."""
    wanted = set(pins)
    seeds = [p for p in papers if p.id in wanted]
    if not seeds:
        return None
    return grow(seeds, _newest_first(papers))


def _newest_first(papers: Iterable[Signed]) -> list[Signed]:
    return sorted(papers, key=lambda p: (p.day or date.min, p.id), reverse=True)
