"""`radar search`: ranked FTS5 results, filters combined with the query, syntax errors."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from radar.paper import Paper
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


# --- snippets -------------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
HIGHLIGHT = "\x1b[1;33m"  # bold yellow: a match inside a snippet


def test_piped_results_end_with_the_matching_text_without_markers(cache: None) -> None:
    lines = invoke("search", "nanopores").stdout.splitlines()
    assert lines[0].split("\t")[0] == "1201.4869"
    snippet = lines[0].split("\t")[-1]
    assert "nanopores" in snippet.lower() and len(snippet) < 200  # a snippet, not the abstract
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", "\n".join(lines))
    # list never has one: the last field stays the marks
    assert all(len(line.split("\t")) == 6 for line in invoke("list").stdout.splitlines())


def test_json_and_csv_carry_the_snippet_as_plain_text(cache: None) -> None:
    data = json.loads(invoke("search", "nanopores", "-f", "json").stdout)
    assert "nanopores" in data[0]["snippet"].lower()
    assert "snippet" not in json.loads(invoke("list", "-f", "json").stdout)[0]
    header, first = invoke("search", "nanopores", "-f", "csv").stdout.splitlines()[:2]
    assert header.endswith(",snippet") and "nanopores" in first.lower()


def test_an_author_search_shows_the_authors_matched(cache: None) -> None:
    data = json.loads(invoke("search", "Affleck", "-f", "json").stdout)
    assert data and all("Affleck" in paper["snippet"] for paper in data)


def test_terminal_highlights_the_match_under_each_row(
    cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "100")
    out = invoke("search", "nanopores").stdout
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if "1201.4869" in line)
    assert HIGHLIGHT in lines[row + 1]
    shown = ANSI.sub("", lines[row + 1])
    assert "nanopores" in shown.lower() and len(shown) <= 100
    assert shown.startswith(" " * 10)  # indented under the title, not a table row of its own


def _paper(abstract: str) -> Paper:
    return Paper(
        id="2611.00001",
        title="A plain title",
        abstract=abstract,
        authors=("Ada Lovelace",),
        published=date(2026, 11, 20),
    )


def test_network_text_in_a_snippet_is_shown_literally(monkeypatch: pytest.MonkeyPatch) -> None:
    fill_cache([_paper("See [bold red]graphene[/bold red] here \x1b[31m [link=x]y[/link].")])
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "120")
    out = invoke("search", "graphene").stdout
    shown = ANSI.sub("", out)
    assert "[bold red]graphene[/bold red]" in shown and "\\x1b[31m" in shown
    assert "[link=x]y[/link]" in shown
    assert "\x1b[31m" not in out  # the escape from the abstract never reaches the terminal
    monkeypatch.delenv("TTY_COMPATIBLE")
    piped = invoke("search", "graphene").stdout
    assert piped.split("\t")[-1].startswith("See [bold red]graphene[/bold red]")


def test_a_match_late_in_the_snippet_still_shows_at_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lead = " ".join(f"word{i}" for i in range(30))
    fill_cache([_paper(f"{lead} graphene {lead}")])
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    lines = invoke("search", "graphene").stdout.splitlines()
    snippet = lines[lines.index(next(x for x in lines if "2611.00001" in x)) + 1]
    assert HIGHLIGHT + "graphene" in snippet
    assert "…" in ANSI.sub("", snippet)  # text before the match was cut to fit
