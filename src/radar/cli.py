"""The `radar` command line: global options, the one place errors become exit codes, commands.

Each command group lives in `radar.commands.*`; this module wires them into one Typer app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from radar import __version__
from radar.commands import brief, follow, reading
from radar.commands import sync as sync_command
from radar.commands.common import Invocation
from radar.errors import RadarError


class _RadarGroup(TyperGroup):
    """Turns a RadarError raised anywhere below into one line on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except RadarError as exc:
            if os.environ.get("RADAR_DEBUG"):
                raise
            sys.stderr.write(f"error: {exc}\n")
            raise typer.Exit(exc.exit_code) from None

    def list_commands(self, ctx: Any) -> list[str]:
        """`radar --help` lists commands in the order of a user's day, not alphabetically."""
        known = {name: i for i, name in enumerate(_HELP_ORDER)}
        return sorted(self.commands, key=lambda name: known.get(name, len(known)))


_HELP_ORDER = (
    "sync", "list", "show", "search", "shuffle", "open", "star", "unstar", "read",
    "brief", "briefs", "follow", "unfollow", "follows", "path", "config",
)  # fmt: skip


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


follow.register(app)
sync_command.register(app)
reading.register(app)
brief.register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="radar")
