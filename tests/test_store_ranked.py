"""store/ranked.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from radar.config.settings import Follows
from radar.errors import UsageError
from radar.filters import Filters
from radar.paper import Paper, Sighting
from radar.store import Store
from radar.store.ranked import Ranked
from radar.store.scores import pks_of, write_scores

MON, TUE, WED = date(2026, 6, 15), date(2026, 6, 16), date(2026, 6, 17)


def _paper(pid: str, day: date, title: str, abstract: str, category: str = "cs.AI") -> Paper:
    seen = Sighting(f"arxiv-rss:{category}", f"arXiv ({category})", "new", day)
    return Paper(
        id=pid,
        version=1,
        title=title,
        abstract=abstract,
        categories=(category,),
        announced=day,
        sources=(seen,),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        opened.upsert_papers(
            [
                _paper("2606.00001", MON, "Best of all", "Graphs."),
                _paper("2606.00002", MON, "Laser cooling", "Atoms."),
                _paper("2606.00003", TUE, "Cold atoms", "A laser again.", "cs.LG"),
                _paper("2606.00004", WED, "Weakest", "Laser noise.", "cs.LG"),
                _paper("2606.00005", WED, "Scored by an older model", "Laser."),
                _paper("2606.00006", TUE, "Not scored yet", "Laser."),
            ]
        )
        pk = pks_of(opened, [f"2606.0000{i}" for i in range(1, 7)])
        scores = {"2606.00001": 0.9, "2606.00002": 0.5, "2606.00003": 0.5, "2606.00004": 0.1}
        write_scores(opened, "v1", [(pk[pid], score) for pid, score in scores.items()])
        write_scores(opened, "v0", [(pk["2606.00005"], 0.99)])
        yield opened


def _read(store: Store, **options: object) -> list[tuple[str, float | None]]:
    ranked = Ranked(version="v1", filters=options.pop("filters", Filters()), **options)  # type: ignore[arg-type]
    return [(p.id, p.score) for p in ranked.select(store)]


def test_relevance_lists_the_best_score_first_then_the_newest(store: Store) -> None:
    assert _read(store) == [
        ("2606.00001", 0.9),
        ("2606.00003", 0.5),  # a tie: the newer paper first
        ("2606.00002", 0.5),
        ("2606.00004", 0.1),
    ]
    assert _read(store, filters=Filters(limit=2)) == [("2606.00001", 0.9), ("2606.00003", 0.5)]
    assert _read(store, filters=Filters(categories=("cs.LG",))) == [
        ("2606.00003", 0.5),
        ("2606.00004", 0.1),
    ]


def test_min_score_keeps_scores_at_or_above_it_in_either_order(store: Store) -> None:
    assert _read(store, min_score=0.5) == [
        ("2606.00001", 0.9),
        ("2606.00003", 0.5),
        ("2606.00002", 0.5),
    ]
    assert _read(store, min_score=0.5, by_date=True) == [
        ("2606.00003", 0.5),
        ("2606.00002", 0.5),
        ("2606.00001", 0.9),
    ]


def test_a_search_by_relevance_breaks_score_ties_by_the_best_match(store: Store) -> None:
    # 2606.00002 has "laser" in its title (weighted above the abstract): first of the 0.5s
    assert _read(store, query="laser") == [
        ("2606.00002", 0.5),
        ("2606.00003", 0.5),
        ("2606.00004", 0.1),
    ]
    assert _read(store, query="laser", by_date=True) == [
        ("2606.00004", 0.1),
        ("2606.00003", 0.5),
        ("2606.00002", 0.5),
    ]
    assert _read(store, query="laser", filters=Filters(limit=1)) == [("2606.00002", 0.5)]


def test_an_invalid_search_by_relevance_names_the_query_and_gives_the_syntax_hint(
    store: Store,
) -> None:
    ranked = Ranked(version="v1", filters=Filters(), query='"laser')
    reads = (
        lambda: ranked.select(store),
        lambda: ranked.unscored(store, 10),
        lambda: ranked.draw(store, count=1, seed=1),
    )
    for read in reads:
        with pytest.raises(UsageError) as caught:
            read()
        assert caught.value.message.startswith("invalid search query '\"laser': ")
        assert caught.value.hint is not None and caught.value.hint.startswith("plain words match")


def test_papers_without_a_score_of_this_model_are_found_to_score_first(store: Store) -> None:
    pk = pks_of(store, ["2606.00005", "2606.00006"])
    ranked = Ranked(version="v1", filters=Filters())
    assert sorted(ranked.unscored(store, 10)) == sorted(pk.values())
    assert len(ranked.unscored(store, 0)) == 1  # up to cap + 1: "more than cap" is known
    searched = Ranked(version="v1", filters=Filters(), query="yet")
    assert searched.unscored(store, 10) == [pk["2606.00006"]]
    dated = Ranked(version="v1", filters=Filters(since=WED, until=WED))
    assert dated.unscored(store, 10) == [pk["2606.00005"]]
    assert Ranked(version="v0", filters=Filters(since=WED, until=WED)).unscored(store, 10) == [
        pks_of(store, ["2606.00004"])["2606.00004"]
    ]


def test_a_weighted_draw_is_reproducible_distinct_and_carries_the_scores(store: Store) -> None:
    ranked = Ranked(version="v1", filters=Filters())
    drawn = ranked.draw(store, count=3, seed=7)
    assert drawn == ranked.draw(store, count=3, seed=7)
    assert len({p.id for p in drawn}) == 3
    scores = dict(_read(store))
    assert all(p.score == scores[p.id] for p in drawn)
    everything = ranked.draw(store, count=10, seed=7)
    assert sorted(p.id for p in everything) == sorted(scores)
    assert ranked.draw(store, count=0, seed=7) == []


def test_a_weighted_draw_picks_papers_in_proportion_to_their_scores(store: Store) -> None:
    ranked = Ranked(version="v1", filters=Filters(categories=("cs.LG",)))  # 0.5 and 0.1
    firsts = [ranked.draw(store, count=1, seed=seed)[0].id for seed in range(300)]
    share = firsts.count("2606.00003") / len(firsts)
    assert 0.75 < share < 0.92  # 0.5 / (0.5 + 0.1) = 0.83


def test_a_paper_scored_zero_is_drawn_last(store: Store) -> None:
    pk = pks_of(store, ["2606.00004"])["2606.00004"]
    write_scores(store, "v1", [(pk, 0.0)])
    ranked = Ranked(version="v1", filters=Filters())
    for seed in range(20):
        assert [p.id for p in ranked.draw(store, count=4, seed=seed)][-1] == "2606.00004"


def test_relevance_within_several_categories_reads_select_draw_and_unscored(store: Store) -> None:
    both = Filters(categories=("cs.LG", "cs.CV"))  # several: each one's size is counted first
    assert _read(store, filters=both) == [("2606.00003", 0.5), ("2606.00004", 0.1)]
    ranked = Ranked(version="v1", filters=both)
    assert sorted(p.id for p in ranked.draw(store, count=5, seed=1)) == ["2606.00003", "2606.00004"]
    assert ranked.unscored(store, 10) == []
    assert Ranked(version="v0", filters=both).unscored(store, 10) == sorted(
        pks_of(store, ["2606.00003", "2606.00004"]).values()
    )


def test_relevance_of_followed_papers_uses_the_follows(store: Store) -> None:
    follow = Follows(categories=("cs.LG",))
    assert _read(store, filters=Filters(followed=True), follow=follow) == [
        ("2606.00003", 0.5),
        ("2606.00004", 0.1),
    ]


def test_a_search_by_relevance_within_dates_keeps_both_conditions(store: Store) -> None:
    assert _read(store, query="laser", filters=Filters(since=TUE)) == [
        ("2606.00003", 0.5),
        ("2606.00004", 0.1),
    ]
    assert _read(store, query="laser", filters=Filters(since=TUE, until=TUE)) == [
        ("2606.00003", 0.5)
    ]


def test_relevance_reads_every_paper_of_a_selection_of_a_thousand(tmp_path: Path) -> None:
    with Store.open(tmp_path / "big.db") as store:
        ids = [f"2606.{n:05d}" for n in range(1, 1001)]
        store.upsert_papers([_paper(i, MON, f"Paper {i}", "Text.") for i in ids])
        pk = pks_of(store, ids)
        write_scores(store, "v1", [(pk[i], n / 1000) for n, i in enumerate(ids, start=1)])
        got = _read(store)
        assert len(got) == 1000
        assert got[0] == ("2606.01000", 1.0) and got[-1] == ("2606.00001", 0.001)
