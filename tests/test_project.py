"""The project keeps its promises to newcomers: CI runs the README's test line, docs match code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from radar.cli import COMMANDS, app
from radar.config.schema import validate_text
from radar.config.settings import example_text

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_lines() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_command_lines() -> None:
    lines = quick_start_lines()
    assert len(lines) == 2
    assert lines[0].startswith("pip install . && radar sync")
    assert lines[1].startswith("pip install '.[test]'")


def test_ci_runs_the_readme_test_line_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start_lines()[1] in ci


def test_shipped_example_config_is_the_documented_one_and_valid() -> None:
    root_example = (ROOT / "radar.toml.example").read_text(encoding="utf-8")
    assert example_text() == root_example
    data = validate_text(root_example, ROOT / "radar.toml.example")
    assert data["follow"]["categories"] == ("cs.AI", "cs.CV")
    assert data["arxiv"]["delay_seconds"] == 3.0


def test_readme_documents_every_command() -> None:
    import typer
    import typer.main

    group = typer.main.get_command(app)
    names = group.list_commands(typer.Context(group))  # type: ignore[attr-defined]
    assert "list" in names and "follow" in names
    for name in names:
        assert f"radar {name}" in README, f"README does not document `radar {name}`"


def test_every_listed_command_loads_from_its_module() -> None:
    import typer
    import typer.main

    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    for name in COMMANDS:
        command = group.get_command(ctx, name)  # type: ignore[attr-defined]
        assert command is not None and command.name == name


def test_the_mutation_summary_per_package_adds_up_the_per_file_rows() -> None:
    # docs/testing.md's per-package table is what issue 14's target is read from
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "mutation_summary.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
