"""The `radar` command line: global options, the one place errors become exit codes, commands.

Each command group lives in a `radar.commands.*` module with its own Typer `app`; this module
knows only their names and imports the one a command line names (see `COMMANDS`).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from radar import __version__
from radar.commands.common import Invocation
from radar.errors import RadarError

# Every command, in the order of a user's day (as `radar --help` lists them), with the module
# whose Typer `app` implements it. Only that module is imported when the command runs.
COMMANDS: dict[str, str] = {
    "sync": "radar.commands.sync",
    "list": "radar.commands.reading",
    "show": "radar.commands.reading",
    "search": "radar.commands.reading",
    "shuffle": "radar.commands.reading",
    "open": "radar.commands.reading",
    "star": "radar.commands.reading",
    "unstar": "radar.commands.reading",
    "read": "radar.commands.reading",
    "brief": "radar.commands.brief",
    "briefs": "radar.commands.brief",
    "follow": "radar.commands.follow",
    "unfollow": "radar.commands.follow",
    "follows": "radar.commands.follow",
    "path": "radar.commands.follow",
    "config": "radar.commands.follow",
}


@functools.cache
def _group(module_name: str) -> Any:
    """The click group Typer builds from one command module's `app` (built once per run)."""
    return typer.main.get_group(importlib.import_module(module_name).app)


class _RadarGroup(TyperGroup):
    """Loads a command's module only when it runs; turns a RadarError into one line + exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        return _group(module_name).get_command(ctx, cmd_name)

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except RadarError as exc:
            if os.environ.get("RADAR_DEBUG"):
                raise
            sys.stderr.write(f"error: {exc}\n")
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_RadarGroup,
    no_args_is_help=True,
    help="radar: follow arXiv authors, categories and journal feeds in a local cache.",
    epilog="Quick start: radar sync && radar list --today. Docs: README.md.",
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"radar {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="radar.toml to use (else $RADAR_CONFIG, $RADAR_HOME).", dir_okay=False
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="SQLite cache to use (else $RADAR_DB, db_path, $RADAR_HOME).",
            dir_okay=False,
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain output, no colour.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """radar: follow arXiv authors, categories and journal feeds in a local cache."""
    ctx.obj = Invocation(config_flag=config, db_flag=db, no_color=no_color)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="radar")
