"""The `radar` command line: global options, the one place errors become exit codes, commands.

Each command group lives in a `radar.commands.*` module with its own Typer `app`; this module
knows only their names and imports the one a command line names (see `COMMANDS`).
"""

from __future__ import annotations

import functools
import importlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from radar import __version__
from radar.commands.common import Invocation
from radar.errors import ExitStatus, RadarError

# Every command, in the order of a user's day (as `radar --help` lists them), with the module
# whose Typer `app` implements it. Only that module is imported when the command runs.
COMMANDS: dict[str, str] = {
    "sync": "radar.commands.sync",
    "list": "radar.commands.listing",
    "show": "radar.commands.show",
    "search": "radar.commands.search",
    "shuffle": "radar.commands.shuffle",
    "why": "radar.commands.rank",
    "open": "radar.commands.show",
    "pdf": "radar.commands.pdf",
    "star": "radar.commands.marks",
    "unstar": "radar.commands.marks",
    "read": "radar.commands.marks",
    "note": "radar.commands.notes",
    "author": "radar.commands.people",
    "brief": "radar.commands.brief",
    "briefs": "radar.commands.brief",
    "page": "radar.commands.page",
    "rank": "radar.commands.rank",
    "follow": "radar.commands.follow",
    "unfollow": "radar.commands.follow",
    "follows": "radar.commands.follow",
    "status": "radar.commands.status",
    "path": "radar.commands.follow",
    "config": "radar.commands.follow",
}

# What `radar --help` lists beside each name: the first line of the command's docstring (or of
# its group's help), kept here so the listing imports no command module. tests/test_cli_help.py
# checks each line against the command itself.
SHORT_HELP: dict[str, str] = {
    "sync": "Fetch new papers of followed authors, categories and feeds into the cache.",
    "list": "List cached papers, newest first.",
    "show": "Show the full card of one or more papers.",
    "search": "Search titles, abstracts and authors, best match first.",
    "shuffle": "Show random papers (5 unless -n; -n 0: all of them, shuffled).",
    "why": "Explain a paper's relevance score: the terms, authors and keywords behind it.",
    "open": "Open a paper's abs page (or PDF) in the web browser.",
    "pdf": "Download papers' PDFs (one request every few seconds, as sync does).",
    "star": "Star papers (see them with radar list --starred).",
    "unstar": "Remove the star from papers.",
    "read": "Mark papers as read (or --unread): by id, or every paper the filters select.",
    "note": "Write your note on a paper, or print it.",
    "author": "Show who is behind an author name: its papers grouped into people.",
    "brief": "Write a markdown briefing of the selected papers with any LLM (litellm).",
    "briefs": "List stored briefs, newest first.",
    "page": "Write the selected papers as one HTML page to read in a browser.",
    "rank": "Retrain the relevance model on your stars, followed authors and keywords; rescore.",
    "follow": "Follow authors, arXiv categories, journal feeds or keywords.",
    "unfollow": "Stop following authors, categories, feeds or keywords.",
    "follows": "List what radar follows.",
    "status": "Show each follow's cached papers, unread count, last sync and last error.",
    "path": "Print where the config file and the database live.",
    "config": "Show the effective settings and where each value came from.",
}


@functools.cache
def _build(module_name: str, name: str) -> Any:
    """The click command `name` of a module's Typer `app`, built alone (not its siblings).

    Building a module's whole group cost ~10 ms for the eight reading commands; one ~0.5.
    """
    app = importlib.import_module(module_name).app
    for info in app.registered_commands:
        if info.name == name:
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=None
            )
    return typer.main.get_group(app).commands.get(name)  # a sub-app (follow, unfollow)


@functools.cache
def _listed(name: str) -> TyperCommand:
    """What the command listing needs of a command: its name and one line of help."""
    return TyperCommand(name=name, short_help=SHORT_HELP[name], help=SHORT_HELP[name])


def load_command(ctx: Any, name: str) -> Any:
    """The real command `name` (imports its module), its parameters coerced without pydantic."""
    module_name = COMMANDS.get(name)
    if module_name is None:
        return None
    command = _build(module_name, name)
    if command is None:
        return None
    _prepare(command, ctx)
    return command


def _prepare(command: Any, ctx: Any) -> None:
    """Coercion without pydantic; plain help and usage errors (no Rich import)."""
    from radar.commands.coercion import install
    from radar.commands.help import tidy

    install(command, ctx)
    command.rich_markup_mode = None
    tidy(command)
    for sub in getattr(command, "commands", {}).values():  # `follow author`, ...
        _prepare(sub, ctx)


class _RadarGroup(TyperGroup):
    """Loads a command's module only when it runs; turns a RadarError into one line + exit code.

    Listing commands (`radar --help`, completion of names) uses `SHORT_HELP` and imports none.
    """

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing and cmd_name in SHORT_HELP:
            return _listed(cmd_name)
        return load_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from radar.commands.help import tidy

        tidy(self)
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from radar.commands.coercion import install

        install(self, ctx)  # --config and --db: no pydantic for the global options either
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            if os.environ.get("RADAR_DEBUG"):
                raise
            sys.stderr.write("\ninterrupted; nothing written\n")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except (RadarError, OSError, sqlite3.Error) as exc:
            if os.environ.get("RADAR_DEBUG"):
                raise
            error = exc if isinstance(exc, RadarError) else _explain(ctx, exc)
            sys.stderr.write(f"error: {error}\n")
            raise typer.Exit(error.exit_code) from None


def _explain(ctx: Any, exc: OSError | sqlite3.Error) -> RadarError:
    """A file-system or SQLite failure the command did not foresee, as one line about the file."""
    from radar.store.failures import explain_os, explain_sqlite

    invocation = ctx.obj if isinstance(ctx.obj, Invocation) else Invocation()
    db_path = invocation.known_db_path()
    if isinstance(exc, OSError):
        return explain_os(exc, db_path)
    return explain_sqlite(exc, db_path or Path("the cache"))


app = typer.Typer(
    cls=_RadarGroup,
    no_args_is_help=True,
    help="radar: follow arXiv authors, categories and journal feeds in a local cache.",
    epilog=(
        "Start with:\n\n\x08\nradar follow category cs.AI\nradar sync\nradar list --today\n\n"
        "Each command's --help ends with examples; README.md is the manual."
    ),
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain help and usage errors, on a terminal too: no Rich import
    add_completion=True,  # --install-completion / --show-completion (see radar.commands.complete)
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
        typer.Option("--config", help="radar.toml to use (else $RADAR_CONFIG, $RADAR_HOME)."),
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
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never send long output through $PAGER / less.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """radar: follow arXiv authors, categories and journal feeds in a local cache."""
    ctx.obj = Invocation(config_flag=config, db_flag=db, no_color=no_color, no_pager=no_pager)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="radar")
