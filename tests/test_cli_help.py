"""`radar --help` lists every command with its own first help line, importing none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
import typer.main

from radar.cli import COMMANDS, SHORT_HELP, app, load_command
from tests.conftest import heavy_imports, invoke


def test_every_command_has_its_listing_line_and_it_is_its_first_help_line() -> None:
    assert list(SHORT_HELP) == list(COMMANDS)
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    for name in COMMANDS:
        command = load_command(ctx, name)
        first_line = (command.help or "").strip().splitlines()[0]
        assert SHORT_HELP[name] == first_line, f"radar.cli.SHORT_HELP[{name!r}]"


def test_help_lists_every_command_in_order() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    listed = [line.strip("│ ").split(" ")[0] for line in result.stdout.splitlines()]
    assert [name for name in listed if name in COMMANDS] == list(COMMANDS)
    assert "List cached papers, newest first." in result.stdout


def test_help_imports_no_command_module(radar_home: Path) -> None:
    imported, result = heavy_imports(
        "--help", env={"RADAR_HOME": str(radar_home)}, heavy=("radar",)
    )
    commands = sorted(m for m in imported if m.startswith("radar.commands."))
    assert commands == [
        "radar.commands.coercion",
        "radar.commands.common",
        "radar.commands.help",  # how help reads: no command module
    ], commands
    assert "sync" in result.stdout and "config" in result.stdout


def test_a_command_runs_after_the_listing() -> None:
    assert invoke("path").exit_code == 0
    assert "Show the full card" in invoke("show", "--help").stdout


HELP_SCREENS = (
    ["--help"],
    ["list", "--help"],
    ["follow", "--help"],
    ["follow", "author", "--help"],
)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_help_is_plain_text_without_rich(radar_home: Path, terminal: bool) -> None:
    env = {"RADAR_HOME": str(radar_home), "COLUMNS": "80"}
    if terminal:
        env["TTY_COMPATIBLE"] = "1"  # what Rich would take for a terminal
    for args in HELP_SCREENS:
        imported, result = heavy_imports(*args, env=env, heavy=("rich",))
        assert imported == [], args
        assert result.stdout.startswith("Usage: radar") and "╭" not in result.stdout
        assert "\x1b[" not in result.stdout


def test_help_groups_options_as_the_panels_they_belong_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = invoke("list", "--help").stdout
    options, filters = text.index("\nOptions:\n"), text.index("\nFilters:\n")
    assert options < text.index("--sort SORT") < filters < text.index("-a, --author NAME")
    assert "Papers by this author" in text[filters:]
    assert "\nArguments:\n  ID..." in invoke("show", "--help").stdout


def test_subcommands_are_listed_with_their_whole_first_sentence() -> None:
    text = " ".join(invoke("follow", "--help").stdout.split())
    commands = text[text.index("Commands:") :]
    assert "author Follow authors by full name, or one person by arXiv author id, ORCID" in text
    assert "..." not in commands
