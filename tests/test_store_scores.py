"""The relevance model and scores in the cache (store/scores.py): what `radar rank`, `list
--rank` and training read back is exactly what was written, for the papers and model asked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.paper import Paper
from radar.store import Store, scores
from tests.brief_data import make_papers

MISSING = list(range(100_000, 101_100))  # keys of no paper: a look-up's first 1,100 miss


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "radar.db") as opened:
        opened.upsert_papers(make_papers(6))
        yield opened


def pks(store: Store) -> list[int]:
    return [pk for (pk,) in store.conn.execute("SELECT pk FROM papers ORDER BY pk")]


def dated(papers: list[Paper], *days: date) -> list[Paper]:
    return [replace(p, announced=d) for p, d in zip(papers, days, strict=True)]


def model(version: str = "v1", body: str = '{"terms": {}}') -> scores.StoredModel:
    return scores.StoredModel(
        version=version, interests="stars:2", trained_at="2026-11-20T10:00:00+00:00", body=body
    )


def test_scores_are_read_back_per_model_and_an_older_model_counts_as_stale(store: Store) -> None:
    a, b, c, *_ = pks(store)
    assert scores.write_scores(store, "v1", [(a, 0.5), (b, -1.0)]) == 2
    assert scores.write_scores(store, "v2", [(b, 2.0), (c, 0.25)]) == 2
    assert scores.scores_of(store, "v2", [a, b, c]) == {b: 2.0, c: 0.25}
    assert scores.scores_of(store, "v1", [a, b, c]) == {a: 0.5}
    assert scores.count_scores(store, "v2") == (2, 1)
    assert scores.count_scores(store, "v3") == (0, 3)


def test_a_rescored_paper_keeps_one_score_the_new_models(store: Store) -> None:
    a, *_ = pks(store)
    scores.write_scores(store, "v1", [(a, 0.5)])
    scores.write_scores(store, "v2", [(a, 0.75)])
    rows = store.conn.execute("SELECT paper_pk, model, score FROM paper_scores").fetchall()
    assert [tuple(r) for r in rows] == [(a, "v2", 0.75)]


def test_long_lookups_find_papers_past_the_first_chunk(store: Store) -> None:
    a, b, *_ = pks(store)
    scores.write_scores(store, "v1", [(a, 0.5), (b, 0.25)])
    assert scores.scores_of(store, "v1", [*MISSING, b, a]) == {a: 0.5, b: 0.25}
    ids = [f"2611.{n}" for n in range(20_000, 21_100)]
    assert scores.pks_of(store, [*ids, "2611.10001", "2611.10000", "2611.10001"]) == {
        "2611.10000": a,
        "2611.10001": b,
    }
    found = scores.papers_by_pk(store, [*MISSING, b, a])
    assert [(pk, p.id) for pk, p in found] == [(b, "2611.10001"), (a, "2611.10000")]


def test_papers_by_pk_keeps_the_order_given_and_skips_unknown_keys(store: Store) -> None:
    a, b, c, *_ = pks(store)
    found = scores.papers_by_pk(store, [c, 999, a, b])
    assert [(pk, p.id) for pk, p in found] == [
        (c, "2611.10002"),
        (a, "2611.10000"),
        (b, "2611.10001"),
    ]
    assert found[0][1].title.startswith("Paper 2:")
    assert scores.papers_by_pk(store, []) == []


def test_a_saved_model_replaces_the_previous_one_and_its_terms(store: Store) -> None:
    assert scores.load_model(store) is None
    scores.save_model(store, model("v1", '{"a": 1}'), {"old": (1.0, 2.0), "both": (1.5, 0.5)})
    scores.save_model(store, model("v2", '{"b": 2}'), {"both": (2.5, -0.5), "new": (3.0, 1.0)})
    assert scores.load_model(store) == model("v2", '{"b": 2}')
    assert scores.load_model(store, body=False) == model("v2", "")
    assert store.conn.execute("SELECT count(*) FROM rank_model").fetchone()[0] == 1
    assert scores.term_weights(store, ["old", "both", "new", "none"]) == {
        "both": (2.5, -0.5),
        "new": (3.0, 1.0),
    }


def test_term_weights_of_many_features_find_every_stored_one(store: Store) -> None:
    terms = {f"t{n}": (float(n), -float(n)) for n in range(1200)}
    scores.save_model(store, model(), terms)
    wanted = [f"x{n}" for n in range(600)] + ["t1199", "t0", "t600"]
    assert scores.term_weights(store, wanted) == {
        "t1199": (1199.0, -1199.0),
        "t0": (0.0, -0.0),
        "t600": (600.0, -600.0),
    }
    assert len(scores.term_weights(store, list(terms))) == 1200


def test_starred_ids_are_the_starred_papers_only(store: Store) -> None:
    store.set_user_state("2611.10001", starred=True)
    store.set_user_state("2611.10002", starred=True)
    store.set_user_state("2611.10002", starred=False)
    store.set_user_state("2611.10003", read=True)
    assert scores.starred_ids(store) == ["2611.10001"]


def test_author_papers_are_newest_first_up_to_the_limit(tmp_path: Path) -> None:
    days = [date(2026, 11, d) for d in (10, 12, 11, 12, 9, 12)]
    papers = dated(make_papers(6), *days)
    papers[1] = replace(papers[1], authors=("Ann Lee", "Ann Lee"))  # a name twice: one paper
    papers[5] = replace(papers[5], authors=("Bo Chen",))
    with Store.open(tmp_path / "radar.db") as store:
        store.upsert_papers(papers)
        pk = {p.id: pk for p, pk in zip(papers, pks(store), strict=True)}
        store.conn.execute(
            "UPDATE paper_authors SET norm = 'ann lee' WHERE paper_pk IN (?, ?, ?)",
            (pk["2611.10000"], pk["2611.10002"], pk["2611.10003"]),
        )
        ann = [pk[i] for i in ("2611.10003", "2611.10001", "2611.10002", "2611.10000")]
        assert scores.author_pks(store, ["ann lee"], limit=10) == ann
        assert scores.author_pks(store, ["ann lee"], limit=2) == ann[:2]
        assert scores.author_pks(store, ["ann lee", "bo chen"], limit=2) == [
            pk["2611.10005"],
            pk["2611.10003"],
        ]
        assert scores.author_pks(store, [], limit=10) == []


def test_recent_papers_and_the_latest_day(tmp_path: Path) -> None:
    with Store.open(tmp_path / "radar.db") as store:
        assert scores.latest_day(store) is None
        assert scores.recent_pks(store, since=None) == []
        papers = dated(make_papers(3), date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 11))
        store.upsert_papers(papers)
        a, b, c = pks(store)
        assert scores.latest_day(store) == date(2026, 11, 12)
        assert sorted(scores.recent_pks(store, since=date(2026, 11, 11))) == [b, c]
        assert sorted(scores.recent_pks(store, since=None)) == [a, b, c]


def test_a_sample_draws_from_the_categories_since_a_day_when_they_have_enough(
    tmp_path: Path,
) -> None:
    days = [date(2026, 11, 10 + n % 3) for n in range(30)]
    with Store.open(tmp_path / "radar.db") as store:
        store.upsert_papers(dated(make_papers(30), *days))
        rows = store.conn.execute("SELECT paper_pk, category, day FROM paper_categories")
        cs_ai_recent = {pk for pk, cat, day in rows if cat == "cs.AI" and day >= "2026-11-11"}
        assert len(cs_ai_recent) == 4
        sample = scores.sample_pks(
            store, categories=["cs.AI"], since=date(2026, 11, 11), count=3, seed=1
        )
        assert len(sample) == 3 and set(sample) <= cs_ai_recent and sample == sorted(sample)
        again = scores.sample_pks(
            store, categories=["cs.AI"], since=date(2026, 11, 11), count=3, seed=1
        )
        assert again == sample
        whole = scores.sample_pks(
            store, categories=["cs.AI"], since=date(2026, 11, 11), count=4, seed=1
        )
        assert set(whole) == cs_ai_recent
        any_day = scores.sample_pks(
            store, categories=["cs.AI", "cs.CV"], since=None, count=12, seed=2
        )
        cats = dict(store.conn.execute("SELECT paper_pk, category FROM paper_categories"))
        assert len(any_day) == 12 and {cats[pk] for pk in any_day} == {"cs.AI", "cs.CV"}


def test_a_sample_larger_than_its_categories_comes_from_the_whole_cache(tmp_path: Path) -> None:
    with Store.open(tmp_path / "radar.db") as store:
        assert scores.sample_pks(store, categories=["cs.AI"], since=None, count=3, seed=1) == []
        store.upsert_papers(make_papers(40))
        every = pks(store)
        # 40 keys, 5 wanted: drawn one index step at a time, distinct, repeatable
        drawn = scores.sample_pks(store, categories=["hep-th"], since=None, count=5, seed=3)
        assert len(drawn) == 5 and set(drawn) <= set(every) and drawn == sorted(drawn)
        assert drawn == scores.sample_pks(store, categories=[], since=None, count=5, seed=3)
        assert drawn != scores.sample_pks(store, categories=[], since=None, count=5, seed=4)
        # half the cache or more: its first keys, in order
        assert scores.sample_pks(store, categories=[], since=None, count=20, seed=3) == every[:20]
        assert scores.sample_pks(store, categories=[], since=None, count=50, seed=3) == every


def test_a_sample_of_less_than_half_the_cache_is_drawn_not_listed(tmp_path: Path) -> None:
    with Store.open(tmp_path / "radar.db") as store:
        store.upsert_papers(make_papers(11))
        every = pks(store)
        drawn = scores.sample_pks(store, categories=[], since=None, count=5, seed=1)
        assert len(drawn) == 5 and set(drawn) <= set(every) and drawn != every[:5]
        assert scores.sample_pks(store, categories=[], since=None, count=6, seed=1) == every[:6]


def test_day_rank_is_the_papers_place_among_its_days_scores(tmp_path: Path) -> None:
    days = [date(2026, 11, 12)] * 4 + [date(2026, 11, 13)]
    with Store.open(tmp_path / "radar.db") as store:
        store.upsert_papers(dated(make_papers(5), *days))
        a, b, c, d, e = pks(store)
        scores.write_scores(store, "v2", [(a, 0.5), (b, 0.9), (c, 0.5), (e, 5.0)])
        scores.write_scores(store, "v1", [(d, 9.0)])  # an older model's score is not counted
        assert scores.day_rank(store, "v2", b) == (1, 3)
        assert scores.day_rank(store, "v2", a) == (2, 3)
        assert scores.day_rank(store, "v2", c) == (2, 3)
        assert scores.day_rank(store, "v2", e) == (1, 1)
        assert scores.day_rank(store, "v2", d) is None
        assert scores.day_rank(store, "v1", a) is None
        undated = Paper(id="doi:10.1/undated", title="No date at all")
        store.upsert_papers([undated])
        (f,) = scores.pks_of(store, [undated.id]).values()
        scores.write_scores(store, "v2", [(f, 1.0)])
        assert scores.day_rank(store, "v2", f) is None
