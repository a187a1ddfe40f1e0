"""Import budget: everyday commands must not pay for the network or LLM stacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import heavy_imports


@pytest.mark.parametrize("args", [["--help"], ["follows"], ["path"], ["config"]])
def test_command_does_not_import_heavy_modules(args: list[str], radar_home: Path) -> None:
    imported, _ = heavy_imports(*args, env={"RADAR_HOME": str(radar_home)})
    assert imported == []


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--long"],
        ["search", "helium"],
        ["shuffle", "-n", "2"],
        ["show", "1201.4869"],
        ["list", "--format", "csv"],
        ["follows"],
    ],
)
def test_piped_output_never_imports_rich(args: list[str], radar_home: Path) -> None:
    from tests.reading_samples import fill_cache

    fill_cache()
    imported, result = heavy_imports(*args, env={"RADAR_HOME": str(radar_home)}, heavy=("rich",))
    assert imported == [], result.stdout
    assert result.stdout.strip()  # it printed something, plain


@pytest.mark.parametrize(
    "args", [["list"], ["list", "--limit", "3", "--since", "2020-01-01"], ["show", "1201.4869"]]
)
def test_options_are_parsed_without_pydantic(args: list[str], radar_home: Path) -> None:
    """Typer 0.29 would coerce through pydantic TypeAdapters; radar.commands.coercion does not."""
    from tests.reading_samples import fill_cache

    fill_cache()
    imported, result = heavy_imports(
        *args, env={"RADAR_HOME": str(radar_home)}, heavy=("pydantic", "pydantic_core")
    )
    assert imported == [], result.stdout


@pytest.mark.parametrize(
    "args", [["list"], ["search", "helium"], ["shuffle", "-n", "2"], ["--no-color", "list"]]
)
def test_the_paper_table_on_a_terminal_never_loads_rich_console(
    args: list[str], radar_home: Path
) -> None:
    """The table is ANSI text (render.table): Rich's console cost ~25 ms for 20 lines. Only
    Rich's cell-width tables may load, for text beyond Latin script (render.columns.cells)."""
    from tests.reading_samples import fill_cache

    fill_cache()
    env = {"RADAR_HOME": str(radar_home), "TTY_COMPATIBLE": "1", "TERM": "xterm-256color"}
    imported, result = heavy_imports(*args, env=env, heavy=("rich",))
    assert {m.split(".")[1] for m in imported if "." in m} <= {
        "cells",
        "_unicode_data",
        "_extension",
    }
    assert "\x1b[" in result.stdout or "--no-color" in args
