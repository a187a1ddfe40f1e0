"""Shared fixtures: every test runs against its own RADAR_HOME in a tmp dir, never a real home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import radar
from radar.cli import app

DATA = Path(__file__).parent / "data"
SRC = Path(radar.__file__).resolve().parent.parent

# Fixture modules of other test areas (fake servers etc.), registered here once.
pytest_plugins: list[str] = ["tests.fake_arxiv", "tests.fake_llm"]


@pytest.fixture(autouse=True)
def radar_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty RADAR_HOME for each test; no RADAR_CONFIG/RADAR_DB leak in from the caller."""
    home = tmp_path / "radar-home"
    home.mkdir()
    for name in (
        "RADAR_CONFIG",
        "RADAR_DB",
        "RADAR_DEBUG",
        "NO_COLOR",
        "RADAR_TODAY",
        "BROWSER",
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
        "COLUMNS",
        "LINES",
        "LESS",
        "EDITOR",
        "VISUAL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAGER", "cat")  # no test opens a real pager (tests/test_cli_layout.py)
    monkeypatch.setenv("RADAR_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    yield home


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def invoke(*args: str, input: str | None = None) -> object:
    """Run `radar ARGS` in-process; the result has .exit_code, .stdout and .stderr."""
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def run_radar(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m radar ARGS` in a subprocess of the checkout under test."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), full_env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "radar", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


HEAVY_MODULES = ("litellm", "openai", "arxiv", "feedparser", "requests", "httpx", "pylatexenc")
_IMPORT_PROBE = """
import json, sys
from radar.cli import app
try:
    app(args=sys.argv[1:], prog_name="radar", standalone_mode=False)
except SystemExit:
    pass
print("\\n" + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)))
"""


def heavy_imports(
    *args: str, env: dict[str, str], heavy: tuple[str, ...] = HEAVY_MODULES
) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """Run `radar ARGS` in a fresh interpreter; which of `heavy` it imported, and the run."""
    code = _IMPORT_PROBE.replace("HEAVY", repr(set(heavy)))
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "", **env},
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1]), result
