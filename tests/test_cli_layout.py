"""The paper table at 80, 100 and 200 columns, feed handles, marks, the totals line, the pager."""

from __future__ import annotations

import json
import re
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.identity import short_handle
from radar.paper import Paper, Sighting
from radar.render.columns import Row, authors_text, plan
from tests.conftest import invoke
from tests.reading_samples import fill_cache, sample_papers

FEED_KEY = "url:medscape.com/viewarticle/" + "a-very-long-article-slug-" * 3 + "1000123"
RDD_TITLE = (
    "RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks"
)


def visible(output: str) -> list[str]:
    """What a reader sees: lines without colour codes and hyperlink escapes."""
    output = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", output)
    return re.sub(r"\x1b\[[0-9;]*m", "", output).splitlines()


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch) -> list[Paper]:
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    feed = Paper(
        id=FEED_KEY,
        title="Clinicians weigh a new screening guideline for early detection in primary care",
        authors=("Jane Roe", "John Doe"),
        published=date(2026, 11, 27),
        url="https://www.medscape.com/viewarticle/1000123",
        journal="Medscape",
        sources=(Sighting("feed:Medscape", "Medscape"),),
    )
    papers = [*sample_papers(), feed]
    fill_cache(papers)
    return papers


def table(monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> list[str]:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", str(width))
    result = invoke("--no-pager", "list", *args)
    assert result.exit_code == 0, result.stderr
    return visible(result.stdout)


@pytest.mark.parametrize("width", [80, 100, 200])
def test_titles_get_the_spare_width_and_lines_fit(
    cache: list[Paper], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    lines = table(monkeypatch, width, "--category", "cs.RO")
    assert all(len(line) <= width for line in lines)
    title_start = lines[0].index("title")
    rdd = next(line for line in lines if line.startswith("2510.14968"))
    shown = rdd[title_start:].split("  ")[0].rstrip("…")
    assert len(shown) >= 50 and RDD_TITLE.startswith(shown)


def test_authors_shrink_first_and_widen_with_the_terminal(
    cache: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    at_80 = table(monkeypatch, 80, "--category", "cs.RO")
    assert "authors" not in at_80[0] and "Mingxuan" not in "\n".join(at_80)
    at_100 = table(monkeypatch, 100, "--category", "cs.RO")
    assert any(line.endswith("Mingxuan Yan +3") for line in at_100)
    wide = table(monkeypatch, 200, "--category", "cs.RO")
    assert wide[0].split() == ["id", "date", "category", "title", "authors"]  # no "cate…"
    at_200 = "\n".join(wide)
    assert "cs.RO" in at_200 and RDD_TITLE in at_200
    assert "Mingxuan Yan, Yuping Wang, Zechun Liu" in at_200


def test_feed_papers_show_a_short_handle_that_commands_accept(
    cache: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    handle = short_handle(FEED_KEY)
    assert re.fullmatch(r"f:[0-9a-z]{8}", handle) and short_handle(FEED_KEY) == handle
    lines = table(monkeypatch, 100, "--source", "Medscape")
    assert lines[1].startswith(handle + "  2026-11-27  Medscape  Clinicians weigh")
    assert FEED_KEY not in "\n".join(lines)
    assert invoke("star", handle).exit_code == 0
    shown = json.loads(invoke("show", handle, "--format", "json").stdout)
    assert shown[0]["id"] == FEED_KEY and shown[0]["starred"] is True
    listed = json.loads(invoke("list", "--source", "Medscape", "-f", "json").stdout)
    assert listed[0]["id"] == FEED_KEY  # scripts get the full key
    assert invoke("show", "f:zzzzzzzz").exit_code == 1


def test_starred_and_read_both_show(cache: list[Paper], monkeypatch: pytest.MonkeyPatch) -> None:
    invoke("star", "2510.14968")
    invoke("read", "2510.14968", "2510.14827")
    lines = table(monkeypatch, 100, "--category", "cs.RO")
    assert lines[1].startswith("2510.14968") and lines[1].endswith("★✓")
    assert lines[2].endswith("✓") and "★" not in lines[2]


def test_totals_line_on_stderr_piped_and_on_a_terminal(
    cache: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = invoke("list", "--limit", "3")
    assert len(piped.stdout.splitlines()) == 3
    assert piped.stderr == "showing 3 of 13; more with --limit N (0: all)\n"
    assert invoke("list", "--limit", "0").stderr == ""
    assert invoke("list", "--category", "cs.RO", "--limit", "2").stderr == ""  # all shown
    found = invoke("search", "Luttinger", "--limit", "1")
    assert found.stderr == "showing 1 of 4; more with --limit N (0: all)\n"
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    terminal = invoke("--no-pager", "list", "-n", "2")
    assert terminal.stderr == "showing 2 of 13; more with --limit N (0: all)\n"


def test_layout_keeps_fifty_title_cells_with_old_ids_and_marks() -> None:
    row = Row("cond-mat/0412498", "2004-12-19", "cond-mat.str-el", "x" * 120, ("A B",) * 9, "★✓")
    layout = plan([row], 80)
    assert layout.title >= 50 and layout.total <= 80


def test_author_forms_from_widest_to_narrowest() -> None:
    names = ("Adrian Del Maestro", "Ian Affleck", "Subir Sachdev")
    assert authors_text(names, 60) == "Adrian Del Maestro, Ian Affleck, Subir Sachdev"
    assert authors_text(names, 34) == "Adrian Del Maestro, Ian Affleck +1"
    assert authors_text(names, 21) == "Adrian Del Maestro +2"
    assert authors_text(names, 12) == "Adrian D… +2"


# --- the pager ------------------------------------------------------------------------------


@pytest.fixture
def fake_pager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$PAGER is a script that saves what it is given; LINES=5 makes any table 'long'."""
    saved = tmp_path / "paged.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f'#!/bin/sh\necho "LESS=$LESS" > "{saved}"\ncat >> "{saved}"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGER", str(script))
    monkeypatch.setenv("LINES", "5")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("LESS", raising=False)
    return saved


def test_long_output_on_a_terminal_goes_through_the_pager(
    cache: list[Paper], fake_pager: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    result = invoke("list")
    assert result.exit_code == 0 and result.stdout == ""
    paged = visible(fake_pager.read_text(encoding="utf-8"))
    assert paged[0] == "LESS=FRX"  # git's default, so colours survive and one screen quits
    assert paged[1].startswith("id") and "2510.14968" in "\n".join(paged[2:])


@pytest.mark.parametrize("how", ["flag", "command flag", "config", "piped", "short"])
def test_no_pager_when_turned_off_piped_or_short(
    cache: list[Paper],
    fake_pager: Path,
    monkeypatch: pytest.MonkeyPatch,
    radar_home: Path,
    how: str,
) -> None:
    args = ["list"]
    if how != "piped":
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
    if how == "flag":
        args = ["--no-pager", "list"]
    elif how == "command flag":
        args = ["list", "--no-pager"]
    elif how == "config":
        (radar_home / "radar.toml").write_text("[ui]\npager = false\n", encoding="utf-8")
    elif how == "short":
        monkeypatch.setenv("LINES", "60")
    result = invoke(*args)
    assert result.exit_code == 0 and "2510.14968" in result.stdout
    assert not fake_pager.exists()


def test_show_cards_are_paged_too(
    cache: list[Paper], fake_pager: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert invoke("show", "2510.14968").stdout == ""
    assert RDD_TITLE[:40] in fake_pager.read_text(encoding="utf-8")


def test_sync_lines_say_1_request() -> None:
    from radar.commands.sync import _follow_line
    from radar.sync.run import Follow, FollowResult

    line = _follow_line(
        FollowResult(follow=Follow(kind="category", name="cs.AI"), new=3, requests=1)
    )
    assert line == "category:cs.AI: 3 new, 0 updated, 1 request, ok"
    more = replace(FollowResult(follow=Follow(kind="category", name="cs.AI")), requests=2)
    assert "2 requests" in _follow_line(more)
