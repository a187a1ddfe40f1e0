"""What every command shares: the settings and cache of this invocation, consoles, formats.

Commands only parse options, call the core and render; they never touch SQL or HTTP.
"""

from __future__ import annotations

import contextlib
import enum
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from radar.render.console import Output

if TYPE_CHECKING:
    from radar.config.settings import Settings
    from radar.store import Store


class DataFormat(enum.StrEnum):
    """Output formats for commands that print settings or lists of simple records."""

    table = "table"
    json = "json"


FormatOption = Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")]


@dataclass
class Invocation:
    """Global options of this `radar ...` call, and what was loaded from them (lazily)."""

    config_flag: Path | None = None
    db_flag: Path | None = None
    no_color: bool = False
    no_pager: bool = False
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            from radar.config.settings import load_settings

            self._settings = load_settings(config_flag=self.config_flag, db_flag=self.db_flag)
        return self._settings

    def known_db_path(self) -> Path | None:
        """The cache path, if the settings loaded (for error messages; never raises)."""
        return self._settings.db_path if self._settings is not None else self.db_flag

    def open_store(self, *, readonly: bool = False) -> Store:
        """The cache; `readonly` for commands that only read (nothing is created for them)."""
        from radar.store import Store

        return Store.open(self.settings().db_path, readonly=readonly, on_upgrade=note_upgrade)


def invocation(ctx: typer.Context) -> Invocation:
    root = ctx.find_root()
    if not isinstance(root.obj, Invocation):
        root.obj = Invocation()
    return root.obj


def out(ctx: typer.Context) -> Output:
    """Where data goes: stdout; plain when piped, Rich (loaded on first use) on a terminal."""
    return Output(stderr=False, no_color=invocation(ctx).no_color)


def err(ctx: typer.Context) -> Output:
    """Where progress and diagnostics go: stderr (Rich only if something is drawn)."""
    return Output(stderr=True, no_color=invocation(ctx).no_color)


@contextmanager
def paged(ctx: typer.Context) -> Iterator[Output]:
    """stdout; what is drawn on it goes through the pager when it is taller than the screen.

    Only on a terminal, and not with `--no-pager` or `[ui] pager = false` (see render.pager).
    Plain writes (exports) are never held back.
    """
    console = out(ctx)
    state = invocation(ctx)
    if not console.is_terminal or state.no_pager or not state.settings().ui.pager:
        yield console
        return
    from radar.render import pager

    with console.capture() as held:
        yield console
    pager.show("".join(held), height=console.height, out=console.file)


def note(message: str) -> None:
    """One diagnostic line on stderr, printed literally."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def note_upgrade(path: Path, pending: Sequence[str]) -> None:
    """Say why the command waits: upgrading a cache of a million papers takes minutes."""
    note(
        f"note: upgrading the cache at {path} ({', '.join(pending)}); "
        "this happens once and can take a few minutes on a large cache"
    )


def plural(count: int, noun: str) -> str:
    """`1 request`, `2 requests`, `1,204 papers`."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def announce_default_follows(settings: Settings) -> None:
    """Once per machine, say that built-in follows are in use and how to change them."""
    if not settings.using_default_follows:
        return
    marker = settings.state_dir / ".default-follows-announced"
    if marker.exists():
        return
    note(
        f"note: no config file at {settings.config_path}; following the defaults "
        f"{', '.join(settings.follow.categories)}. Change them with `radar follow` / "
        "`radar unfollow`, or copy radar.toml.example there."
    )
    # Beside the cache, whose folder is never created for it (a dry run creates nothing); no
    # folder yet, or a read-only one, only means the note shows again next time.
    with contextlib.suppress(OSError):
        marker.touch()
