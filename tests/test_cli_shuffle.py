"""`radar shuffle`: random papers, reproducible with --seed, no duplicates, filters apply."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke
from tests.reading_samples import fill_cache, printed_ids


@pytest.fixture
def cache() -> None:
    fill_cache()


def drawn(*args: str) -> list[str]:
    return printed_ids("shuffle", *args)


def test_five_distinct_papers_by_default_drawn_afresh_each_time(cache: None) -> None:
    draws = [drawn() for _ in range(6)]
    assert all(len(got) == 5 and len(set(got)) == 5 for got in draws)
    # Without --seed every run is a new draw. 5 of 12 in order: two equal draws have a chance
    # of 1 in 95,040, so six identical ones mean the draw is not random at all.
    assert len({tuple(got) for got in draws}) > 1


def test_seed_reproduces_the_draw(cache: None) -> None:
    assert drawn("--seed", "42") == drawn("--seed", "42")
    draws = {tuple(drawn("--seed", str(seed))) for seed in range(8)}
    assert len(draws) > 1


def test_n_and_filters(cache: None) -> None:
    got = drawn("-n", "3", "--author", "Subir Sachdev", "--seed", "1")
    assert sorted(got) == ["0807.2873", "cond-mat/0412498", "cond-mat/0603029"]
    assert sorted(drawn("--number", "50", "--category", "cs.RO")) == ["2510.14827", "2510.14968"]
    everything = drawn("-n", "40", "--seed", "3")
    assert len(everything) == 12 and len(set(everything)) == 12


def test_n_zero_shows_every_match_shuffled(cache: None) -> None:
    everything = drawn("-n", "0", "--seed", "4")
    assert len(everything) == 12 and len(set(everything)) == 12
    assert everything != sorted(everything) or drawn("-n", "0", "--seed", "5") != everything
    assert sorted(drawn("-n", "0", "--author", "Subir Sachdev")) == [
        "0807.2873",
        "cond-mat/0412498",
        "cond-mat/0603029",
    ]


def test_shuffle_formats(cache: None) -> None:
    data = json.loads(invoke("shuffle", "-n", "2", "--seed", "5", "-f", "json").stdout)
    assert len(data) == 2 and {"id", "title", "authors"} <= set(data[0])


def test_no_match(cache: None) -> None:
    result = invoke("shuffle", "--category", "hep-th")
    assert result.exit_code == 0 and "no papers match" in result.stderr
