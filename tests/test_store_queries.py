"""Reading queries: every filter alone and combined, search, shuffle, and the index plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.config.settings import FeedSettings, Follows
from radar.errors import UsageError
from radar.filters import Filters
from radar.paper import Paper, Sighting
from radar.store import Store, fulltext, queries, sampling, selection
from tests.reading_samples import FRIDAY, SATURDAY, THURSDAY, fill_store

RDD = "2510.14968"  # cs.RO + cs.AI, cs.CV, cs.LG, cs.SY, eess.SY; Friday
FIELDS = "2510.14827"  # cs.RO only; Friday
LUTTINGER = "1201.4869"  # Adrian Del Maestro alone; Thursday; also in the PRB feed


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        fill_store(opened)
        yield opened


def ids(papers: list[Paper]) -> list[str]:
    return [p.id for p in papers]


def select(store: Store, follow: Follows | None = None, **kwargs: object) -> list[str]:
    return ids(queries.select_papers(store, Filters(**kwargs), follow=follow))  # type: ignore[arg-type]


def test_everything_newest_day_first_then_highest_id(store: Store) -> None:
    got = select(store)
    assert got[:3] == [RDD, FIELDS, LUTTINGER]
    assert len(got) == 12
    assert got[-1] == "cond-mat/0412498"  # published 2004


@pytest.mark.parametrize(
    "spelling",
    ["Adrian Del Maestro", "adrian del maestro", "Del Maestro, Adrian", " Adrián  Del Maestro "],
)
def test_author_match_ignores_case_accents_spacing_and_order(store: Store, spelling: str) -> None:
    got = select(store, authors=(spelling,))
    assert len(got) == 6 and got[0] == LUTTINGER
    assert "1303.6954" not in got  # listed as "A. Del Maestro": a different spelling


def test_several_authors_are_alternatives(store: Store) -> None:
    got = select(store, authors=("Ian Affleck", "Michel J. P. Gingras"))
    assert got == ["1005.5383", "cond-mat/0702661"]


def test_followed_author_aliases_widen_an_author_filter(store: Store) -> None:
    follow = Follows(
        authors=("Adrian Del Maestro",), aliases={"Adrian Del Maestro": ("A. Del Maestro",)}
    )
    assert len(select(store, follow, authors=("adrian del maestro",))) == 10


def test_category_matches_primary_and_cross_lists(store: Store) -> None:
    assert select(store, categories=("cs.RO",)) == [RDD, FIELDS]
    assert select(store, categories=("cs.CV",)) == [RDD]  # cross-listed only
    got = select(store, categories=("cs.CV", "quant-ph"))
    assert got == [RDD, "1412.6529"]


def test_source_by_kind_key_feed_name_or_label(store: Store) -> None:
    assert select(store, sources=("arxiv-rss",)) == [RDD, FIELDS, LUTTINGER]
    assert select(store, sources=("arxiv-rss:cs.RO",)) == [RDD, FIELDS]
    assert select(store, sources=("Physical review B",)) == [LUTTINGER]
    assert select(store, sources=("arXiv (cs.RO)",)) == [RDD, FIELDS]
    assert len(select(store, sources=("arxiv",))) == 12  # arxiv-api and arxiv-rss
    assert select(store, sources=("feed",)) == [LUTTINGER]
    assert select(store, sources=("arx",)) == []


def test_dates_since_until_and_date(store: Store) -> None:
    assert select(store, since=THURSDAY) == [RDD, FIELDS, LUTTINGER]
    assert select(store, since=date(2010, 1, 1), until=date(2013, 12, 31)) == [
        "1312.6177",
        "1303.6954",
        "1005.5383",
    ]
    assert select(store, date=THURSDAY) == [LUTTINGER]


def test_today_on_saturday_lists_friday_and_says_why(store: Store) -> None:
    window = queries.resolve(store, Filters(today=True), today=SATURDAY)
    assert window.filters.since == window.filters.until == FRIDAY
    assert window.note is not None and "weekends" in window.note
    got = queries.select_papers(store, Filters(today=True, categories=("cs.RO",)), today=SATURDAY)
    assert ids(got) == [RDD, FIELDS]


def test_today_takes_each_source_at_its_own_latest_day_and_names_arxivs(tmp_path: Path) -> None:
    def journal(key: str, day: date) -> Paper:
        return Paper(
            id=f"doi:10.1/{key}",
            title=f"journal {key}",
            doi=f"10.1/{key}",
            published=day,
            sources=(Sighting("feed:Nature", "Nature"),),
        )

    arxiv = Paper(
        id="2611.00001",
        title="arXiv on Thursday",
        categories=("cs.AI",),
        announced=THURSDAY,
        sources=(Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", THURSDAY),),
    )
    with Store.open(tmp_path / "radar.db") as store:
        store.upsert_papers([arxiv, journal("fri", FRIDAY), journal("wed", date(2026, 11, 25))])
        window = queries.resolve(store, Filters(today=True), today=SATURDAY)
        # every source on its own latest day; the weekend note names arXiv's, not the journal's
        assert window.filters.latest_days == (("arxiv", THURSDAY), ("feed:Nature", FRIDAY))
        assert window.note is not None and f"showing {THURSDAY} (Thursday)" in window.note
        listed = queries.select_papers(store, Filters(today=True), today=SATURDAY)
        assert ids(listed) == ["doi:10.1/fri", "2611.00001"]
        # a category is arXiv's alone: a journal's later day does not widen its window
        cs_ai = queries.resolve(store, Filters(today=True, categories=("cs.AI",)), today=SATURDAY)
        assert (cs_ai.filters.since, cs_ai.filters.until) == (THURSDAY, THURSDAY)
        assert cs_ai.filters.latest_days == (("arxiv", THURSDAY),)
    with Store.open(tmp_path / "journals-only.db") as store:
        store.upsert_papers([journal("fri", FRIDAY)])
        window = queries.resolve(store, Filters(today=True), today=SATURDAY)
        assert window.note is not None and f"showing {FRIDAY} (Friday)" in window.note


def test_days_counts_back_from_today(store: Store) -> None:
    got = queries.select_papers(store, Filters(days=2), today=FRIDAY)
    assert ids(got) == [RDD, FIELDS, LUTTINGER]
    assert ids(queries.select_papers(store, Filters(days=1), today=FRIDAY)) == [RDD, FIELDS]


def test_followed_matches_authors_categories_and_feeds(store: Store) -> None:
    assert select(store, Follows(), followed=True) == []
    assert select(store, Follows(categories=("cs.CV",)), followed=True) == [RDD]
    follow = Follows(
        authors=("Ian Affleck",), feeds=(FeedSettings(name="Physical Review B", url="u"),)
    )
    assert select(store, follow, followed=True) == [LUTTINGER, "1005.5383"]
    both = Follows(authors=("Ian Affleck",), categories=("cs.RO",))
    assert select(store, both, followed=True, since=date(2010, 1, 1)) == [RDD, FIELDS, "1005.5383"]


def test_unread_and_starred_follow_user_marks(store: Store) -> None:
    store.set_user_state(RDD, starred=True)
    store.set_user_state(FIELDS, read=True)
    assert select(store, starred=True) == [RDD]
    unread = select(store, unread=True)
    assert FIELDS not in unread and RDD in unread and len(unread) == 11


def test_filters_combine_and_the_limit_applies_last(store: Store) -> None:
    store.set_user_state("1005.5383", read=True)
    got = select(
        store, authors=("Adrian Del Maestro",), categories=("cond-mat.stat-mech",), unread=True
    )
    assert got == ["cond-mat/0702661", "cond-mat/0412498"]
    assert select(store, limit=2) == [RDD, FIELDS]
    assert select(store, categories=("cs.RO",), limit=1) == [RDD]
    assert select(store, categories=("cs.RO",), sources=("feed",)) == []


def test_stars_and_read_marks_survive_a_resync(store: Store) -> None:
    store.set_user_state(RDD, starred=True, read=True)
    paper = store.require_paper(RDD)
    store.upsert_papers([replace(paper, version=2, title="RDD v2", starred=False, read=False)])
    again = queries.select_papers(store, Filters(starred=True))
    assert ids(again) == [RDD]
    assert again[0].title == "RDD v2" and again[0].read


def test_search_ranks_title_matches_first_and_combines_filters(store: Store) -> None:
    got = ids(fulltext.search(store, "luttinger", Filters()))
    in_title = {LUTTINGER, "1005.5383", "1412.6529"}
    assert set(got[:3]) == in_title
    assert len(got) > 3  # abstract-only matches rank after the titles
    narrowed = ids(fulltext.search(store, "luttinger", Filters(categories=("quant-ph",))))
    assert narrowed == ["1412.6529"]
    assert ids(fulltext.search(store, "luttinger", Filters(limit=1))) == got[:1]
    assert ids(fulltext.search(store, "luttinger", Filters(since=THURSDAY))) == [LUTTINGER]


def test_search_handles_hyphens_and_accents_and_authors(store: Store) -> None:
    assert RDD in ids(fulltext.search(store, "long-horizon", Filters()))
    assert ids(fulltext.search(store, "sachdev nanowires", Filters())) == ["0807.2873"]
    assert ids(fulltext.search(store, "no-such-words-anywhere", Filters())) == []


def test_search_passes_fts_syntax_and_reports_errors(store: Store) -> None:
    got = ids(fulltext.search(store, '"square lattice" NOT stripe', Filters()))
    assert got == ["cond-mat/0412498"]
    assert ids(fulltext.search(store, "nanowir*", Filters())) == ["0807.2873"]
    for bad in ['"unterminated', "helium AND", "title:(x"]:
        with pytest.raises(UsageError, match="invalid search query"):
            fulltext.search(store, bad, Filters())
    with pytest.raises(UsageError, match="empty search query"):
        fulltext.search(store, "  ", Filters())


def test_shuffle_is_reproducible_with_a_seed_and_never_repeats(store: Store) -> None:
    first = ids(sampling.shuffle(store, Filters(), count=5, seed=7))
    assert first == ids(sampling.shuffle(store, Filters(), count=5, seed=7))
    assert len(set(first)) == 5
    draws = {tuple(ids(sampling.shuffle(store, Filters(), count=5, seed=s))) for s in range(20)}
    assert len(draws) > 5
    everything = ids(sampling.shuffle(store, Filters(), count=50, seed=1))
    assert sorted(everything) == sorted(select(store))


def test_shuffle_with_filters_draws_only_matching_papers(store: Store) -> None:
    got = ids(sampling.shuffle(store, Filters(authors=("Subir Sachdev",)), count=2, seed=3))
    assert len(got) == 2 and set(got) <= {"cond-mat/0412498", "cond-mat/0603029", "0807.2873"}
    assert got == ids(sampling.shuffle(store, Filters(authors=("Subir Sachdev",)), count=2, seed=3))
    cs = ids(sampling.shuffle(store, Filters(categories=("cs.RO",)), count=9, seed=1))
    assert sorted(cs) == [FIELDS, RDD]
    with pytest.raises(UsageError, match="at least 1"):
        sampling.shuffle(store, Filters(), count=0)


def test_latest_day_and_empty_cache(tmp_path: Path, store: Store) -> None:
    assert queries.latest_day(store, on_or_before=SATURDAY) == FRIDAY
    assert queries.latest_day(store, on_or_before=THURSDAY) == THURSDAY
    with Store.open(tmp_path / "empty.db") as empty:
        assert queries.latest_day(empty, on_or_before=SATURDAY) is None
        assert sampling.shuffle(empty, Filters(), count=5, seed=1) == []
        assert queries.select_papers(empty, Filters(today=True)) == []


# --- the plans: the big tables are always searched through an index, never scanned ------------

PLAN_CASES = [
    Filters(limit=50),
    Filters(authors=("Yantao Li",), limit=50),
    Filters(categories=("cs.AI",), limit=50),
    Filters(categories=("cs.AI",), today=True, limit=50),
    Filters(categories=("cs.AI", "cs.CV"), limit=50),
    Filters(since=date(2026, 11, 1), until=date(2026, 11, 20), limit=100),
    Filters(followed=True, unread=True, limit=50),
]


def _plans(store: Store, run: object, prefix: str = "SELECT") -> list[str]:
    """EXPLAIN QUERY PLAN details of the statements `run` executes that start with `prefix`."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    run()  # type: ignore[operator]
    store.conn.set_trace_callback(None)
    details = []
    for sql in statements:
        if sql.lstrip().startswith(prefix):
            details += [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return details


def _synthetic(store: Store, count: int = 400) -> None:
    papers = [
        Paper(
            id=f"2611.{i:05d}",
            title=f"paper {i}",
            authors=("Yantao Li" if i % 50 == 0 else f"Author {i}", "Wei Wang"),
            categories=("cs.AI", "cs.CV") if i % 2 else ("cs.LG",),
            announced=date(2026, 11, 1 + i % 27),
            sources=(Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)"),),
        )
        for i in range(count)
    ]
    store.upsert_papers(papers)


@pytest.mark.parametrize("filters", PLAN_CASES, ids=lambda f: repr(f)[:60])
def test_selection_never_scans_papers_or_sorts_a_whole_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: Filters
) -> None:
    monkeypatch.setattr(selection, "SPARSE", 50)  # 400 papers stand for a big cache
    with Store.open(tmp_path / "plans.db") as store:
        _synthetic(store)
        follow = Follows(authors=("Yantao Li",), categories=("cs.AI",))
        plan = _plans(
            store,
            lambda: queries.select_papers(store, filters, follow=follow, today=SATURDAY),
            prefix="SELECT p.pk FROM",
        )
    assert plan
    # Walking the day index newest-first is how a limited list stops early; any other scan of
    # a big table, or sorting everything before the limit, is a regression.
    scans = [d for d in plan if d.startswith("SCAN")]
    assert set(scans) <= {"SCAN p USING COVERING INDEX papers_day", "SCAN user_state"}, plan
    if not filters.authors:  # an author's papers are few: sorting them is fine
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_shuffle_without_filters_probes_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path / "plans.db") as store:
        _synthetic(store)
        plan = _plans(store, lambda: sampling.shuffle(store, Filters(), count=5, seed=1))
    assert not [d for d in plan if d.startswith("SCAN") and "CONSTANT ROW" not in d], plan


def test_a_rare_category_or_source_is_listed_from_its_index(tmp_path: Path) -> None:
    with Store.open(tmp_path / "plans.db") as store:
        _synthetic(store)
        store.upsert_papers(
            [
                Paper(
                    id="2611.99999",
                    title="rare",
                    categories=("hep-th",),
                    sources=(Sighting("feed:Nature", "Nature"),),
                )
            ]
        )
        for filters in (Filters(categories=("hep-th", "gr-qc")), Filters(sources=("nature",))):
            plan = _plans(
                store, lambda f=filters: queries.select_papers(store, f), prefix="SELECT p.pk FROM"
            )
            assert "SCAN p USING COVERING INDEX papers_day" not in plan, plan
            assert ids(queries.select_papers(store, filters)) == ["2611.99999"]


def test_one_author_is_walked_newest_first_through_its_index(tmp_path: Path) -> None:
    with Store.open(tmp_path / "plans.db") as store:
        _synthetic(store)  # "Wei Wang" is on all 400 papers: a prolific author
        filters = Filters(authors=("wang, wei",), limit=5)
        plan = _plans(
            store, lambda: queries.select_papers(store, filters), prefix="SELECT p.pk FROM"
        )
        assert any("paper_authors_norm" in d for d in plan), plan
        assert not [d for d in plan if d.startswith("SCAN")], plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
        newest = [p.day for p in queries.select_papers(store, filters)]
        assert newest == [date(2026, 11, 27)] * 5


def test_a_paper_naming_the_author_twice_is_listed_once(store: Store) -> None:
    twice = Paper(id="2611.00042", title="Two Wei Wangs", authors=("Wei Wang", "Wei  Wang"))
    store.upsert_papers([twice])
    assert select(store, authors=("Wei Wang",)) == ["2611.00042"]


def test_search_ranks_the_newest_matches_when_a_term_matches_more_than_the_window(
    store: Store,
) -> None:
    everything = ids(fulltext.search(store, "the", Filters()))
    window = len(everything) // 2
    assert window >= 3
    assert ids(fulltext.search(store, "the", Filters(limit=2))) == everything[:2]
    pks = dict(store.conn.execute("SELECT id, pk FROM papers").fetchall())
    newest = set(sorted(everything, key=pks.__getitem__, reverse=True)[:window])
    windowed = ids(fulltext.search(store, "the", Filters(limit=2), rank_window=window))
    assert windowed == [i for i in everything if i in newest][:2]
    assert windowed != everything[:2]  # the trade: an older, better match is left out


def test_shuffle_of_a_big_category_probes_keys_instead_of_listing_it(tmp_path: Path) -> None:
    with Store.open(tmp_path / "plans.db") as store:
        _synthetic(store)  # cs.LG: every other paper
        filters = Filters(categories=("cs.LG",))
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        got = sampling.shuffle(store, filters, count=5, seed=4)
        store.conn.set_trace_callback(None)
        assert len({p.id for p in got}) == 5 and all("cs.LG" in p.categories for p in got)
        assert ids(got) == ids(sampling.shuffle(store, filters, count=5, seed=4))
        assert not [s for s in statements if "DISTINCT" in s], statements
        # Every paper of the category can come up: the draw covers it, not just some of it.
        seen = {
            i for s in range(60) for i in ids(sampling.shuffle(store, filters, count=5, seed=s))
        }
        assert len(seen) > 120


def test_counting_an_author_or_a_category_reads_only_its_index(tmp_path: Path) -> None:
    with Store.open(tmp_path / "plans.db") as store:
        _synthetic(store)  # "Wei Wang" on all 400 papers, cs.LG on every other one
        store.upsert_papers(
            [Paper(id="2611.00999", title="two", authors=("Wei Wang", "Wang, Wei"))]
        )
        for filters, expected in (
            (Filters(authors=("Wei Wang",)), 401),
            (Filters(categories=("cs.LG",)), 200),
            (Filters(authors=("Wei Wang",), since=date(2026, 11, 27)), 14),
        ):
            plan = _plans(store, lambda f=filters: queries.count_papers(store, f))
            assert not [d for d in plan if " p USING" in d or "papers" in d.split()], plan
            assert queries.count_papers(store, filters) == expected
        # A condition on the paper itself (read marks) still counts through the papers.
        store.conn.execute(
            "INSERT INTO user_state (paper_id, read, updated_at) VALUES ('2611.00002', 1, 'x')"
        )
        unread = Filters(categories=("cs.LG",), unread=True)
        assert queries.count_papers(store, unread) == 199


def test_shuffle_probes_a_category_without_reading_paper_rows(tmp_path: Path) -> None:
    with Store.open(tmp_path / "plans.db") as store:
        _synthetic(store)
        store.conn.execute("DELETE FROM papers WHERE pk % 3 = 0")  # gaps: keys that are gone
        plan = _plans(
            store,
            lambda: sampling.shuffle(store, Filters(categories=("cs.LG",)), count=5, seed=2),
            prefix="SELECT p.pk FROM",  # the probes, not the hydration of the papers drawn
        )
        assert any("json_each" in d for d in plan), plan
        assert not [d for d in plan if "INTEGER PRIMARY KEY" in d], plan
        for seed in range(20):
            got = sampling.shuffle(store, Filters(categories=("cs.LG",)), count=5, seed=seed)
            assert len(got) == 5 and all("cs.LG" in p.categories for p in got)
            dated = Filters(categories=("cs.LG",), since=date(2026, 11, 20))
            got = sampling.shuffle(store, dated, count=3, seed=seed)
            assert all(p.day and p.day >= date(2026, 11, 20) for p in got)


# --- mutation survivors (store/queries.py, docs/testing.md) --------------------------------


def test_counts_and_every_reader_agree_with_the_list_for_the_same_filters(store: Store) -> None:
    follow = Follows(authors=("Ian Affleck",), categories=("cs.RO",))
    cases = [
        Filters(days=2),  # resolved against the injected day, not the machine's
        Filters(followed=True),
        Filters(categories=("cs.RO", "quant-ph"), days=2),
    ]
    for filters in cases:
        listed = ids(queries.select_papers(store, filters, follow=follow, today=FRIDAY))
        assert listed, filters
        count = queries.count_papers(store, filters, follow=follow, today=FRIDAY)
        assert count == len(listed), filters
        every = sampling.shuffle(store, filters, count=None, seed=1, follow=follow, today=FRIDAY)
        assert sorted(ids(every)) == sorted(listed), filters
        some = sampling.shuffle(store, filters, count=1, seed=1, follow=follow, today=FRIDAY)
        assert len(some) == 1 and some[0].id in listed, filters
    assert select(store, follow, days=2) == []  # the machine's today is after the cached days
    weekend = Filters(today=True)  # Saturday: arXiv's latest day is Friday, found in the cache
    friday = [RDD, FIELDS]
    assert queries.count_papers(store, weekend, today=SATURDAY) == 2
    assert sorted(ids(sampling.shuffle(store, weekend, count=5, today=SATURDAY))) == sorted(friday)
    assert sorted(ids(fulltext.search(store, "tasks OR robot", weekend, today=SATURDAY))) == sorted(
        friday
    )
    assert fulltext.count_search(store, "tasks OR robot", weekend, today=SATURDAY) == 2
    found = ids(fulltext.search(store, "luttinger", Filters(followed=True), follow=follow))
    assert found == ["1005.5383"]  # Ian Affleck's: the followed author
    for filters in (Filters(followed=True), Filters(days=2), Filters(categories=("quant-ph",))):
        matches = fulltext.search(store, "luttinger", filters, follow=follow, today=FRIDAY)
        counted = fulltext.count_search(store, "luttinger", filters, follow=follow, today=FRIDAY)
        assert counted == len(matches) and matches, filters


def test_counts_stop_one_past_the_cap(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (queries, fulltext):  # 12 papers stand for more than 10,000
        monkeypatch.setattr(module, "COUNT_CAP", 5)
    assert queries.count_papers(store, Filters()) == 6
    assert queries.count_papers(store, Filters(unread=True)) == 6
    assert fulltext.count_search(store, "the", Filters()) == 6
    assert fulltext.count_search(store, "the", Filters(unread=True)) == 6


def test_search_errors_name_the_query_and_give_the_syntax_hint(store: Store) -> None:
    for run in (fulltext.search, fulltext.count_search):
        with pytest.raises(UsageError) as bad:
            run(store, "helium AND", Filters(unread=True))
        assert bad.value.message.startswith("invalid search query 'helium AND': ")
        assert bad.value.hint is not None and "prefix*" in bad.value.hint
        with pytest.raises(UsageError) as empty:
            run(store, " ", Filters())
        assert empty.value.message == "empty search query"
        assert empty.value.hint is not None and "quote phrases" in empty.value.hint


def test_a_limit_as_large_as_the_rank_window_ranks_every_match(store: Store) -> None:
    everything = ids(fulltext.search(store, "the", Filters()))
    window = len(everything) // 2
    got = ids(fulltext.search(store, "the", Filters(limit=window), rank_window=window))
    assert got == everything[:window]


def test_shuffle_of_one_and_the_hint_for_zero(store: Store) -> None:
    assert len(sampling.shuffle(store, Filters(), count=1, seed=5)) == 1
    with pytest.raises(UsageError) as zero:
        sampling.shuffle(store, Filters(), count=0)
    assert zero.value.message == "-n must be at least 1, not 0"
    assert zero.value.hint == "-n 0 shows all, shuffled"


def test_shuffle_of_a_rare_followed_selection_lists_and_samples_it(store: Store) -> None:
    follow = Follows(categories=("quant-ph",))  # 1 paper of 12: too rare to probe for
    got = sampling.shuffle(store, Filters(followed=True), count=3, seed=2, follow=follow)
    assert ids(got) == ["1412.6529"]


def test_shuffle_of_a_gappy_cache_still_draws_every_paper(tmp_path: Path) -> None:
    with Store.open(tmp_path / "gappy.db") as gappy:
        _synthetic(gappy)
        # Two papers left, 399 keys apart: random jumps nearly always land on the second.
        gappy.conn.execute(
            "DELETE FROM papers WHERE pk NOT IN "
            "(SELECT min(pk) FROM papers UNION SELECT max(pk) FROM papers)"
        )
        for seed in range(5):
            got = ids(sampling.shuffle(gappy, Filters(), count=2, seed=seed))
            assert sorted(got) == ["2611.00000", "2611.00399"]
            assert len(sampling.shuffle(gappy, Filters(), count=1, seed=seed)) == 1


def test_announce_types_filter_the_latest_announcement(store: Store) -> None:
    store.upsert_papers(
        [
            Paper(id=f"2611.0009{i}", title=kind, announce_type=kind, announced=FRIDAY)
            for i, kind in enumerate(("new", "cross", "replace"))
        ]
    )
    assert select(store, announce=("new",)) == ["2611.00090"]
    assert select(store, announce=("new", "replace")) == ["2611.00092", "2611.00090"]
    assert select(store, announce=("replace-cross",)) == []


def test_several_categories_or_a_source_within_dates(store: Store) -> None:
    both = ("cs.RO", "cond-mat.mes-hall")
    assert select(store, categories=both, since=THURSDAY, until=FRIDAY) == [RDD, FIELDS, LUTTINGER]
    assert select(store, categories=both, until=THURSDAY) == [LUTTINGER, "1303.6954"]
    assert select(store, sources=("feed",), since=THURSDAY, until=THURSDAY) == [LUTTINGER]
    assert select(store, sources=("feed",), since=FRIDAY) == []


def test_first_seen_since_when_most_of_the_cache_is_new(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selection, "SPARSE", 5)  # 12 new papers stand for a big first sync
    assert len(select(store, new_since=date(2026, 1, 1))) == 12
    assert select(store, new_since=date(2100, 1, 1)) == []
    assert select(store, new_since=date(2026, 1, 1), categories=("cs.RO",)) == [RDD, FIELDS]


def test_list_new_before_any_sync_says_what_to_run(store: Store) -> None:
    from radar.errors import NotFoundError

    with pytest.raises(NotFoundError) as none:
        queries.select_papers(store, Filters(new=True))
    assert none.value.hint == (
        "run `radar sync`; --new-since DATE lists the papers first seen since a day"
    )


def test_a_source_kind_matches_author_and_category_sightings(store: Store) -> None:
    store.upsert_papers(
        [
            Paper(
                id="2611.00077", title="x", sources=(Sighting("arxiv-api:author:Li", "arXiv (Li)"),)
            )
        ]
    )
    assert "2611.00077" in select(store, sources=("arxiv-api",))
    assert select(store, sources=("arxiv-api:author:li",)) == ["2611.00077"]


def test_two_people_followed_by_identity_are_both_listed(store: Store) -> None:
    follow = Follows(
        authors=("Ian Affleck", "Subir Sachdev"),
        identities={"Ian Affleck": "affleck_i_1", "Subir Sachdev": "sachdev_s_1"},
    )
    store.upsert_papers(
        [
            Paper(id="2611.00081", title="a", sources=(Sighting("arxiv-author:affleck_i_1", "A"),)),
            Paper(id="2611.00082", title="s", sources=(Sighting("arxiv-author:sachdev_s_1", "S"),)),
        ]
    )
    got = select(store, follow, authors=("Ian Affleck", "Subir Sachdev"))
    assert {"2611.00081", "2611.00082", "1005.5383", "0807.2873"} <= set(got)


def test_a_snippet_is_the_abstract_around_the_match_on_one_line(tmp_path: Path) -> None:
    with Store.open(tmp_path / "snippets.db") as store:
        store.upsert_papers(
            [
                Paper(
                    id="2611.00001",
                    title="Graphene ribbons",  # the title matches too: the abstract is shown
                    abstract="  Spin\n  chains  in   graphene sheets.\n",  # hard-wrapped
                ),
                Paper(id="2611.00002", title="Other", abstract="x", authors=("Graphene Man",)),
            ]
        )
        found = fulltext.search(store, "graphene", Filters())
        snippets = {p.id: p.snippet for p in fulltext.with_snippets(store, "graphene", found)}
    assert snippets == {
        "2611.00001": (("Spin chains in ", False), ("graphene", True), (" sheets.", False)),
        "2611.00002": (("Graphene", True), (" Man", False)),
    }


def test_marker_like_text_in_an_abstract_is_never_highlighted(tmp_path: Path) -> None:
    with Store.open(tmp_path / "markers.db") as store:
        forged = "graphene \x02None[forged]None\x03 and \x02[x]\x03 text"
        store.upsert_papers([Paper(id="2611.00001", title="T", abstract=forged)])
        found = fulltext.with_snippets(
            store, "graphene", fulltext.search(store, "graphene", Filters())
        )
    (paper,) = found
    assert [part for part, hit in paper.snippet if hit] == ["graphene"]
