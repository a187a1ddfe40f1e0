"""Import budget per command: the packages each command may load, so a slow import that creeps
into a hot path fails CI (no timing here; docs/benchmarks.md has the times).

Each case runs `radar ARGS` piped in a fresh interpreter on a small cache and lists what it
imported beyond the standard library. Typer itself is the floor every command pays.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from radar.cli import COMMANDS
from tests.conftest import SRC
from tests.reading_samples import fill_cache

LUTTINGER_ID = "1201.4869"

TYPER = {"typer", "annotated_doc", "shellingham"}
TOML = TYPER | {"tomlkit"}
PAGE = TYPER | {"jinja2", "markupsafe"}
NETWORK = TYPER | {
    "arxiv", "feedparser", "sgmllib", "lxml", "requests", "urllib3", "certifi",
    "charset_normalizer", "idna", "tomlkit",
}  # fmt: skip
# radar's own packages a reading command never needs: fetching, briefing, serving pages.
NOT_READING = {"radar.sources", "radar.sync", "radar.brief"}

CASES: list[tuple[list[str], set[str], set[str]]] = [
    (["--help"], TYPER, NOT_READING | {"radar.store", "radar.config"}),
    (["list"], TYPER, NOT_READING),
    (["list", "--long", "--today"], TYPER, NOT_READING),
    (["list", "--format", "json", "--category", "cond-mat.str-el"], TYPER, NOT_READING),
    (["list", "--sort", "relevance"], TYPER, NOT_READING),
    # Nobody followed as a person (identity, pins): names match by spelling, no radar.people.
    (["list", "--author", "Adrian Del Maestro"], TYPER, NOT_READING | {"radar.people"}),
    (["show", LUTTINGER_ID], TYPER, NOT_READING),
    (["search", "helium"], TYPER, NOT_READING),
    (["shuffle", "-n", "2"], TYPER, NOT_READING),
    (["shuffle", "--category", "cond-mat.str-el"], TYPER, NOT_READING),
    (["why", LUTTINGER_ID], TYPER, NOT_READING),
    (["open", LUTTINGER_ID], TYPER, NOT_READING),
    (["star", LUTTINGER_ID], TYPER, NOT_READING),
    (["unstar", LUTTINGER_ID], TYPER, NOT_READING),
    (["read", LUTTINGER_ID], TYPER, NOT_READING),
    (["read", "--category", "cond-mat.str-el"], TYPER, NOT_READING),
    (["note", LUTTINGER_ID, "a note"], TYPER, NOT_READING),
    (["status"], TYPER, NOT_READING),
    (["pdf", "2612.99999"], NETWORK, {"radar.brief"}),  # not cached: fails before any request
    (["author", "Adrian Del Maestro"], TYPER, NOT_READING),
    (["briefs"], TYPER, {"radar.sources", "radar.sync"}),
    (["brief", "--since", "2000-01-01", "--no-llm"], TYPER, {"radar.sources", "radar.sync"}),
    (["brief", "--since", "2000-01-01", "--dry-run"], TYPER, {"radar.sources", "radar.sync"}),
    (["rank"], TYPER, NOT_READING),
    (["follows"], TYPER, NOT_READING | {"radar.store"}),
    (["path"], TYPER, NOT_READING | {"radar.store"}),
    (["config"], TYPER, NOT_READING | {"radar.store"}),
    (["follow", "category", "hep-th"], TOML, NOT_READING | {"radar.store"}),
    (["unfollow", "category", "cs.AI"], TOML, NOT_READING | {"radar.store"}),
    (["page", "-o", "-"], PAGE, {"radar.sources", "radar.sync"}),
    (["sync", "--dry-run"], NETWORK, {"radar.brief"}),
]

_PROBE = """
import json, sys
from radar.cli import app
try:
    app(args=sys.argv[1:], prog_name="radar", standalone_mode=False)
except SystemExit:
    pass
std = set(sys.stdlib_module_names) | {"__main__", "sitecustomize", "_distutils_hack"}
tops = {m.split(".")[0] for m in sys.modules}
third = sorted(m for m in tops - std if m != "radar" and not m.startswith(("_cython", "cython")))
own = sorted({".".join(m.split(".")[:2]) for m in sys.modules if m.startswith("radar.")})
print("\\n" + json.dumps([third, own]))
"""


def imports_of(
    args: list[str], home: Path, env: dict[str, str] | None = None
) -> tuple[set[str], set[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env={
            "PYTHONPATH": str(SRC),
            "PATH": "",
            "RADAR_HOME": str(home),
            "BROWSER": "true",
            **(env or {}),
        },
        check=True,
    )
    third, own = json.loads(result.stdout.strip().splitlines()[-1])
    return set(third), set(own), result.stderr


@pytest.mark.parametrize(("args", "allowed", "forbidden"), CASES, ids=lambda v: " ".join(v))
def test_command_imports_only_its_budget(
    args: list[str], allowed: set[str], forbidden: set[str], radar_home: Path
) -> None:
    fill_cache()
    third, own, stderr = imports_of(args, radar_home)
    assert third <= allowed, f"radar {' '.join(args)} imported {sorted(third - allowed)}: {stderr}"
    assert not own & forbidden, f"radar {' '.join(args)} imported {sorted(own & forbidden)}"


def test_every_command_has_a_budget() -> None:
    from radar.cli import COMMANDS

    budgeted = {args[0] for args, _, _ in CASES}
    assert set(COMMANDS) <= budgeted, sorted(set(COMMANDS) - budgeted)


HELP_SCREENS = [[], *([name] for name in COMMANDS), ["follow", "author"]]


@pytest.mark.parametrize("args", HELP_SCREENS, ids=lambda v: " ".join(v) or "radar")
def test_help_on_a_terminal_imports_typer_only(args: list[str], radar_home: Path) -> None:
    """--help is plain text on a terminal too: Typer's Rich help renderer cost ~80 ms."""
    third, own, _ = imports_of([*args, "--help"], radar_home, {"TTY_COMPATIBLE": "1"})
    assert third <= TYPER, f"radar {' '.join(args)} --help imported {sorted(third - TYPER)}"
    assert not own & {"radar.sources", "radar.sync", "radar.brief"}, own
