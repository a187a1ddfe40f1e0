"""`radar note` (write, print, --edit, remove) and `radar read` over a filtered selection."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.reading_samples import fill_cache

RDD, FIELDS = "2510.14968", "2510.14827"


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    fill_cache()


def test_note_is_written_printed_shown_exported_and_removed(cache: None) -> None:
    saved = invoke("note", RDD, "compare with the RDD baseline")
    assert saved.exit_code == 0 and "note saved for 2510.14968" in saved.stderr
    assert invoke("note", f"arXiv:{RDD}v1").stdout == "compare with the RDD baseline\n"
    assert "compare with the RDD baseline" in invoke("show", RDD).stdout
    assert json.loads(invoke("show", RDD, "-f", "json").stdout)[0]["note"] == (
        "compare with the RDD baseline"
    )
    assert "compare with the RDD baseline" in invoke("show", RDD, "-f", "csv").stdout
    assert invoke("note", RDD, "").exit_code == 0
    empty = invoke("note", RDD)
    assert empty.stdout == "" and "no note on 2510.14968" in empty.stderr
    assert invoke("note", "2612.99999", "x").exit_code == 1


def test_note_edit_uses_the_editor(
    cache: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "from the editor\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    invoke("note", RDD, "first line")
    assert invoke("note", RDD, "--edit").exit_code == 0
    assert invoke("note", RDD).stdout == "first linefrom the editor\n"
    monkeypatch.setenv("EDITOR", str(tmp_path / "missing-editor"))
    failed = invoke("note", RDD, "--edit")
    assert failed.exit_code == 1 and "hint: set $EDITOR" in failed.stderr


def test_read_marks_every_paper_a_filter_selects(cache: None) -> None:
    result = invoke("read", "--category", "cs.RO")
    assert result.exit_code == 0 and result.stderr.endswith("marked read 2 papers\n")
    assert invoke("list", "--unread", "--category", "cs.RO").stdout == ""
    again = invoke("read", "--category", "cs.RO")
    assert "nothing to do" in again.stderr
    assert invoke("read", "--unread", RDD).exit_code == 0
    assert invoke("list", "--unread", "--category", "cs.RO").stdout.startswith(RDD)


def test_read_needs_ids_or_filters(cache: None) -> None:
    assert invoke("read").exit_code == 1
    both = invoke("read", RDD, "--today")
    assert both.exit_code == 1 and "ids or filters" in both.stderr


def test_read_over_100_asks_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date, timedelta

    from radar.paper import Paper

    day = date(2026, 1, 1)
    fill_cache(
        [
            Paper(id=f"2601.{i:05d}", title=f"P{i}", published=day + timedelta(i % 9))
            for i in range(120)
        ]
    )
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # a terminal, as Rich and radar decide it
    refused = invoke("read", "--since", "2026-01-01", input="n\n")
    assert refused.exit_code == 1 and "120 papers" in refused.stdout
    monkeypatch.delenv("TTY_COMPATIBLE")
    assert len(invoke("list", "--unread", "-n", "0").stdout.splitlines()) == 120
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    agreed = invoke("read", "--since", "2026-01-01", input="y\n")
    assert agreed.exit_code == 0 and "marked read 120 papers" in agreed.stderr
    assert invoke("read", "--unread", "--since", "2026-01-01", "--yes").exit_code == 0
