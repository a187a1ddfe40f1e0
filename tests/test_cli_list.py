"""`radar list`: every filter from the command line, formats, notes, errors and start-up cost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import heavy_imports, invoke
from tests.reading_samples import fill_cache, printed_ids

RDD, FIELDS, LUTTINGER = "2510.14968", "2510.14827", "1201.4869"


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")  # a Saturday
    fill_cache()


def listed(*args: str) -> list[str]:
    return printed_ids("list", *args)


def test_piped_output_is_tab_separated_newest_first(cache: None) -> None:
    result = invoke("list")
    lines = result.stdout.splitlines()
    assert len(lines) == 12
    assert lines[0].split("\t")[:3] == [RDD, "2026-11-27", "arXiv (cs.RO)"]
    assert lines[-1].startswith("cond-mat/0412498\t2004-12-19\t")
    assert "\x1b" not in result.stdout and result.stderr == ""


def test_author_option_is_normalised_and_repeatable(cache: None) -> None:
    assert listed("--author", "del maestro, adrián")[0] == LUTTINGER
    assert len(listed("-a", "Adrian Del Maestro")) == 6
    assert listed("--author", "Ian Affleck", "--author", "Jiachen Li") == [RDD, "1005.5383"]


def test_category_source_and_dates(cache: None) -> None:
    assert listed("--category", "cs.CV") == [RDD]
    assert listed("-c", "cs.RO", "-c", "quant-ph") == [RDD, FIELDS, "1412.6529"]
    assert listed("--source", "Physical Review B") == [LUTTINGER]
    assert listed("--since", "2010-01-01", "--until", "2013-12-31") == [
        "1312.6177",
        "1303.6954",
        "1005.5383",
    ]
    assert listed("--date", "2026-11-26") == [LUTTINGER]
    assert listed("--days", "2") == [RDD, FIELDS]  # Friday and Saturday
    assert listed("--limit", "2") == [RDD, FIELDS]
    assert len(listed("--limit", "0")) == 12


def test_today_on_a_weekend_lists_friday_and_says_so(cache: None) -> None:
    result = invoke("list", "--category", "cs.RO", "--today")
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [RDD, FIELDS]
    assert "Saturday" in result.stderr and "showing 2026-11-27" in result.stderr
    assert result.exit_code == 0


def test_followed_uses_the_config(cache: None, radar_home: Path) -> None:
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = ["Ian Affleck"]\ncategories = ["cs.CV"]\n', encoding="utf-8"
    )
    assert listed("--followed") == [RDD, "1005.5383"]


def test_unread_and_starred_after_marking(cache: None) -> None:
    assert invoke("star", RDD).exit_code == 0
    assert invoke("read", FIELDS).exit_code == 0
    assert listed("--starred") == [RDD]
    assert FIELDS not in listed("--unread") and RDD in listed("--unread")
    assert listed("--starred", "--unread") == [RDD]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "error: invalid --since date '2026-13-01'"),
        (["--date", "yesterdayish"], "error: invalid --date date 'yesterdayish'"),
        (["--today", "--date", "2026-11-27"], "cannot be combined"),
        (["--since", "2026-11-20", "--until", "2026-11-01"], "is after --until"),
        (["--long", "--format", "json"], "--long and --format cannot be combined"),
    ],
)
def test_bad_options_are_one_line_errors_with_exit_1(
    cache: None, args: list[str], message: str
) -> None:
    result = invoke("list", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_no_results_is_a_note_and_exit_0(cache: None) -> None:
    result = invoke("list", "--author", "Nobody Atall")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "no papers match these filters\n"
    as_json = invoke("list", "--author", "Nobody Atall", "--format", "json")
    assert json.loads(as_json.stdout) == []


def test_empty_cache_suggests_sync_once(radar_home: Path) -> None:
    result = invoke("list", "--today")
    assert result.exit_code == 0 and result.stdout == ""
    db = radar_home / "radar.db"
    assert result.stderr == f"no papers: there is no cache at {db} yet (hint: run `radar sync`)\n"
    assert not db.exists()  # reading never creates a cache


def test_json_format_is_the_documented_list(cache: None) -> None:
    data = json.loads(invoke("list", "--category", "cs.RO", "-f", "json").stdout)
    assert [d["id"] for d in data] == [RDD, FIELDS]
    assert data[0]["categories"][0] == "cs.RO" and data[0]["announced"] == "2026-11-27"


def test_long_cards_and_terminal_table(cache: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "120")
    table = invoke("list", "--limit", "3").stdout
    assert re.search(r"\x1b\[[0-9;]*m", table)  # with styles
    assert "2510.14968" in table and "cs.RO" in table and "\t" not in table
    cards = invoke("list", "--long", "--category", "cs.RO").stdout
    plain = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", cards)
    assert plain.splitlines()[0] == "arXiv (cs.RO) · 2026-11-27"
    assert "Mingxuan Yan, Yuping Wang" in plain


@pytest.mark.parametrize("shape", ["table", "cards"])
@pytest.mark.parametrize("way", ["env", "global", "command"])
def test_no_color_is_honoured(
    cache: None, monkeypatch: pytest.MonkeyPatch, way: str, shape: str
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    args = ["list", "--limit", "3"] + (["--long"] if shape == "cards" else [])
    assert re.search(r"\x1b\[3\dm", invoke(*args).stdout)  # green category, in colour
    if way == "env":
        monkeypatch.setenv("NO_COLOR", "1")
    elif way == "global":
        args = ["--no-color", *args]
    else:
        args.append("--no-color")
    assert not re.search(r"\x1b\[[0-9;]*3\dm", invoke(*args).stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--today"],
        ["show", RDD],
        ["shuffle", "-n", "12"],
        ["search", "retrieval"],
        ["star", RDD],
    ],
)
def test_reading_commands_do_not_import_network_stacks(
    cache: None, radar_home: Path, args: list[str]
) -> None:
    imported, result = heavy_imports(*args, env={"RADAR_HOME": str(radar_home)})
    assert imported == []
    assert RDD in result.stdout or "starred" in result.stderr


def test_default_limit_is_20_and_zero_lists_all() -> None:
    from datetime import date, timedelta

    from radar.config.settings import load_settings
    from radar.paper import Paper
    from radar.store import Store

    start = date(2026, 1, 1)
    papers = [
        Paper(id=f"2601.{i:05d}", title=f"Paper {i}", published=start + timedelta(days=i))
        for i in range(25)
    ]
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(papers)
    assert len(listed()) == 20
    assert listed()[0] == "2601.00024"  # newest first
    assert len(listed("--limit", "0")) == 25
