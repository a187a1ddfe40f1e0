"""`radar show` and `radar open`: ids in every spelling, the full card, formats, unknown ids."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from tests.conftest import invoke, run_radar
from tests.reading_samples import fill_cache

LUTTINGER = "1201.4869"
SPELLINGS = [
    "1201.4869",
    "1201.4869v1",
    "1201.4869v3",
    "arXiv:1201.4869",
    "arxiv:1201.4869v1",
    "https://arxiv.org/abs/1201.4869",
    "http://arxiv.org/abs/1201.4869v1",
    "https://arxiv.org/pdf/1201.4869v1.pdf",
    "https://export.arxiv.org/abs/1201.4869",
    " 1201.4869 ",
]


@pytest.fixture
def cache() -> None:
    fill_cache()


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_id_spelling_shows_the_paper(cache: None, spelling: str) -> None:
    result = invoke("show", spelling, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [p["id"] for p in json.loads(result.stdout)] == [LUTTINGER]


def test_old_style_ids_and_a_missing_version_note(cache: None) -> None:
    result = invoke("show", "cond-mat/0412498v1", "-f", "json")
    assert json.loads(result.stdout)[0]["title"].startswith("Thermal melting")
    assert "v3 is not cached" in invoke("show", "1201.4869v3").stderr


def test_full_card_lists_every_detail(cache: None) -> None:
    result = invoke("show", LUTTINGER)
    assert result.exit_code == 0
    text = result.stdout
    for expected in [
        "arXiv (cond-mat.mes-hall) · 2026-11-26",
        "A Luttinger Liquid Core Inside Helium-4 Filled Nanopores",
        "1201.4869v1",
        "Adrian Del Maestro",
        "cond-mat.mes-hall, cond-mat.other",
        "2012-01-23",
        "26 pages, 10 figures",
        "Int. J. Mod. Phys. B, 26, 1244002 (2012)",
        "10.1142/S021797921244002X",
        "arXiv (cond-mat.mes-hall); Physical Review B",
        "https://arxiv.org/abs/1201.4869",
        "https://arxiv.org/pdf/1201.4869",
        "As helium-4 is cooled below 2.17 K",
    ]:
        assert expected in text, expected
    assert "\x1b" not in text  # piped: no styles


def test_show_several_and_other_formats(cache: None) -> None:
    result = invoke("show", LUTTINGER, "1005.5383", "--format", "bibtex")
    assert result.stdout.count("@misc{") == 2 and "eprint = {1005.5383}" in result.stdout
    markdown = invoke("show", LUTTINGER, "-f", "markdown").stdout
    assert markdown.startswith("## [A Luttinger Liquid Core")


@pytest.mark.parametrize("text", ["2612.99999", "not-an-id", "arXiv:2612.99999v2"])
def test_unknown_id_is_a_one_line_error(cache: None, text: str) -> None:
    result = invoke("show", text)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: paper {text} is not in the cache")
    assert result.stderr.count("\n") == 1


def _recorder(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


def test_open_hands_the_abs_or_pdf_url_to_the_browser(
    cache: None, tmp_path: Path, radar_home: Path
) -> None:
    script, log = _recorder(tmp_path)
    env = {"BROWSER": f"{script} %s", "RADAR_HOME": str(radar_home)}
    result = run_radar("open", "arXiv:1201.4869v1", env=env)
    assert result.returncode == 0, result.stderr
    assert "opened https://arxiv.org/abs/1201.4869" in result.stderr
    assert run_radar("open", LUTTINGER, "--pdf", env=env).returncode == 0
    assert log.read_text().splitlines() == [
        "https://arxiv.org/abs/1201.4869",
        "https://arxiv.org/pdf/1201.4869v1",  # the PDF of the version the cache holds
    ]


def test_open_without_a_browser_prints_the_url(cache: None, radar_home: Path) -> None:
    env = {"RADAR_HOME": str(radar_home), "PATH": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    env = {**{k: v for k, v in os.environ.items() if k != "BROWSER"}, **env}
    result = run_radar("open", LUTTINGER, "--pdf", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://arxiv.org/pdf/1201.4869v1"


def test_open_unknown_id_fails(cache: None) -> None:
    result = invoke("open", "2612.99999")
    assert result.exit_code == 1 and re.match(r"error: paper 2612\.99999", result.stderr)
