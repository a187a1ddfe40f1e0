"""`radar search`: ranked FTS5 results, filters combined with the query, syntax errors."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke
from tests.reading_samples import fill_cache, printed_ids


@pytest.fixture
def cache() -> None:
    fill_cache()


def found(*args: str) -> list[str]:
    return printed_ids("search", *args)


def test_words_all_match_and_titles_rank_first(cache: None) -> None:
    got = found("luttinger")
    assert set(got[:3]) == {"1201.4869", "1005.5383", "1412.6529"}
    assert found("trust", "region") == []
    assert found("long-horizon tasks") == ["2510.14968"]
    assert found("Sachdev nanowires") == ["0807.2873"]


def test_filters_combine_with_the_query(cache: None) -> None:
    assert found("luttinger", "--category", "quant-ph") == ["1412.6529"]
    assert found("luttinger", "--since", "2026-11-01") == ["1201.4869"]
    assert len(found("luttinger", "--limit", "1")) == 1
    assert found("luttinger", "--author", "Ian Affleck") == ["1005.5383"]


def test_fts_syntax_passes_through(cache: None) -> None:
    assert found('"square lattice" NOT stripe') == ["cond-mat/0412498"]
    assert "0807.2873" in found("superconduct*")


@pytest.mark.parametrize("query", ['"unterminated', "helium AND", "NEAR(x"])
def test_syntax_error_is_a_one_line_error(cache: None, query: str) -> None:
    result = invoke("search", query)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: invalid search query {query!r}")
    assert "hint:" in result.stderr and result.stderr.count("\n") == 1


def test_no_match_is_a_note_with_exit_0(cache: None) -> None:
    result = invoke("search", "graphene")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "no papers match 'graphene'\n"
    narrowed = invoke("search", "luttinger", "--category", "cs.RO")
    assert narrowed.stderr == "no papers match 'luttinger' with these filters\n"


def test_search_formats(cache: None) -> None:
    data = json.loads(invoke("search", "nanopores", "-f", "json").stdout)
    assert data[0]["id"] == "1201.4869"
    lines = invoke("search", "luttinger", "-f", "jsonl").stdout.splitlines()
    assert all(json.loads(line)["id"] for line in lines)
