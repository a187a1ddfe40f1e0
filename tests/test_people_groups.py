"""The grouping rule behind `radar author` and pins, on small hand-made records."""

from __future__ import annotations

from datetime import date

from radar.config.settings import Follows
from radar.people import Signed, author_rule, grow, namesakes, pinned_person


def signed(key: int, year: int | None, cats: str, *coauthors: str) -> Signed:
    return Signed(
        key=key,
        id=f"p{key}",
        day=date(year, 6, 1) if year else None,
        categories=tuple(cats.split()),
        coauthors={c: c.title() for c in coauthors},
    )


def test_a_shared_coauthor_links_papers_whatever_the_field_or_gap() -> None:
    early, late = signed(1, 2001, "hep-th", "ann"), signed(2, 2020, "cs.LG", "ann")
    assert [p.key for p in grow([late], [early, late])] == [2, 1]


def test_a_shared_category_links_only_within_the_window() -> None:
    base = signed(1, 2015, "cs.CV")
    near, far = signed(2, 2018, "cs.CV"), signed(3, 2019, "cs.CV")
    assert {p.key for p in grow([base], [base, near, far], window=3)} == {1, 2, 3}  # via 2018
    assert {p.key for p in grow([base], [base, far], window=3)} == {1}
    assert {p.key for p in grow([base], [base, signed(4, None, "cs.CV")])} == {1, 4}  # undated


def test_namesakes_are_largest_first_and_each_paper_is_in_one_group() -> None:
    papers = [
        signed(1, 2020, "cs.CV", "bo"),
        signed(2, 2021, "cs.CV", "bo"),
        signed(3, 2022, "cs.CV"),
        signed(4, 2021, "q-bio.NC", "eve"),
    ]
    people = namesakes(papers)
    assert [[p.key for p in person.papers] for person in people] == [[3, 2, 1], [4]]
    assert people[0].years == (2020, 2022)
    assert people[0].categories() == {"cs.CV": 3}
    assert people[0].coauthors() == ["Bo"]


def test_a_pin_that_is_not_cached_decides_nothing() -> None:
    papers = [signed(1, 2020, "cs.CV")]
    assert pinned_person(papers, ["2301.01234"]) is None
    assert [p.key for p in pinned_person(papers, ["p1"]) or []] == [1]


def test_author_rule_says_how_a_followed_name_selects() -> None:
    follow = Follows(
        authors=("Yantao Li",),
        aliases={"Yantao Li": ("Yan-Tao Li",)},
        identities={"Igor Grabec": "grabec_i_1"},
        pins={"Yantao Li": ("2301.01234",)},
    )
    rule = author_rule(follow, "li, yantao")
    assert (rule.norms, rule.pins, rule.plain) == (
        ("yantao li", "yan tao li"),
        ("2301.01234",),
        False,
    )
    person = author_rule(follow, "Igor Grabec")
    assert (person.norms, person.listings) == ((), ("arxiv-author:grabec_i_1",))
    assert author_rule(follow, "Someone Else").plain
