"""benchmarks/make_cache.py: a deterministic, arXiv-shaped synthetic cache."""

from __future__ import annotations

import json
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest
from benchmarks.make_cache import END_DAY, SyntheticArxiv, category_codes, main

from radar.paper import parse_arxiv_id
from radar.store import Store


@pytest.fixture(scope="module")
def papers() -> list:
    return list(SyntheticArxiv(papers=2_000, seed=3))


def test_the_same_seed_gives_the_same_papers_and_another_seed_others(papers: list) -> None:
    again = list(islice(SyntheticArxiv(papers=2_000, seed=3), 50))
    other = list(islice(SyntheticArxiv(papers=2_000, seed=4), 50))
    assert again == papers[:50]
    assert [p.title for p in other] != [p.title for p in again]


def test_papers_look_like_arxiv(papers: list) -> None:
    assert len(papers) == 2_000
    ids = [p.id for p in papers]
    assert len(set(ids)) == len(ids)
    assert all(parse_arxiv_id(f"{p.id}v{p.version}") == (p.id, p.version) for p in papers)
    days = [p.day for p in papers]
    assert days == sorted(days) and days[-1] == END_DAY
    assert (END_DAY - days[0]).days > 9 * 365 and all(d.weekday() < 5 for d in days)
    assert all(p.published < p.day for p in papers)
    assert 10 < sum(len(p.title.split()) for p in papers) / len(papers) < 14
    assert 160 < sum(len(p.abstract.split()) for p in papers) / len(papers) < 200
    assert {len(p.authors) for p in papers} == set(range(1, 13))
    assert all(len(set(p.authors)) == len(p.authors) for p in papers)
    dois = [p.doi.lower() for p in papers if p.doi]
    assert len(dois) > 100 and len(set(dois)) == len(dois)
    codes = set(category_codes())
    assert "cs" not in codes and "cs.AI" in codes and "hep-th" in codes
    assert all(1 <= len(p.categories) <= 4 and set(p.categories) <= codes for p in papers)


def test_categories_and_authors_are_skewed(papers: list) -> None:
    primaries = Counter(p.primary_category for p in papers)
    assert primaries.most_common(1)[0][0] == "cs.LG"
    authors = Counter(a for p in papers for a in p.authors)
    counts = sorted(authors.values(), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2]  # a few prolific names, a long tail


def test_more_papers_are_announced_in_recent_years(papers: list) -> None:
    years = Counter(p.day.year for p in papers)
    assert years[END_DAY.year - 1] > years[END_DAY.year - 9]


def test_command_writes_the_cache_and_its_probes(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    main(["--papers", "300", "--db", str(db), "--seed", "1"])

    probes = json.loads((tmp_path / "bench.db.probes.json").read_text())
    with Store.open(db) as store:
        assert store.count_papers() == 300
        assert store.get_paper(probes["paper_id"]) is not None
    assert probes["papers"] == 300 and probes["seed"] == 1
    with pytest.raises(SystemExit, match="exists"):
        main(["--papers", "300", "--db", str(db)])
