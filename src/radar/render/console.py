"""Everything radar prints to stdout: Rich on a terminal, plain text when piped, JSON for scripts.

Rich is imported only when something is drawn on a terminal: piped output never loads it.
Text from the network is always printed literally: never as Rich markup or terminal escapes.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# C0/C1 controls except tab and newline (ESC sequences), bidirectional overrides and isolates
# (U+202A-202E, U+2066-2069) and zero-width characters (U+200B-200F): shown escaped, never acted on.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# In JSON: what a JSON encoder leaves raw but a terminal or an editor would act on (C1
# controls, bidirectional overrides, zero-width characters), as \uXXXX escapes.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def make_console(*, stderr: bool = False, no_color: bool = False) -> Console:
    """A Rich console (imports Rich): for drawing on a terminal only."""
    from rich.console import Console

    no_color = no_color or no_color_env()
    return Console(stderr=stderr, no_color=no_color, highlight=False, emoji=False)


def no_color_env() -> bool:
    return bool(os.environ.get("NO_COLOR"))  # set and not empty: no-color.org


def is_terminal(file: IO[str]) -> bool:
    """Rich's own test (TTY_COMPATIBLE, FORCE_COLOR, then isatty), without importing Rich."""
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "1"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed file
        return False


def terminal_styles(file: IO[str], *, no_color: bool = False) -> str:
    """What a terminal gets, decided as Rich decides: "none" (not a terminal, or TERM=dumb or
    unknown), "mono" (NO_COLOR or --no-color: bold and dim only) or "color"."""
    if not is_terminal(file) or _dumb_terminal():
        return "none"
    return "mono" if no_color or no_color_env() else "color"


def terminal_size() -> tuple[int, int]:
    """(columns, lines) as Rich measures them: the std streams' size, then COLUMNS and LINES."""
    if _dumb_terminal():
        return 80, 25
    width = height = 0
    for fd in (0, 1, 2):
        try:
            width, height = os.get_terminal_size(fd)
        except (AttributeError, ValueError, OSError):  # not a terminal
            continue
        break
    columns, lines = os.environ.get("COLUMNS", ""), os.environ.get("LINES", "")
    width = int(columns) if columns.isdigit() else width
    height = int(lines) if lines.isdigit() else height
    return width or 80, height or 25


def _dumb_terminal() -> bool:
    return os.environ.get("TERM", "").lower() in ("dumb", "unknown")


class Output:
    """Where a command prints: plain writes go straight to the file; Rich only on demand.

    Quacks like the parts of a Rich `Console` radar uses (`is_terminal`, `file`, `print`,
    `out`), so renderers accept either. `rich` builds the Rich console the first time
    something is drawn (a table or a card on a terminal).
    """

    def __init__(self, *, stderr: bool = False, no_color: bool = False) -> None:
        self.stderr = stderr
        self.no_color = no_color or no_color_env()
        self._rich: Console | None = None
        self._held: list[str] | None = None  # what `capture` holds back

    @property
    def file(self) -> IO[str]:
        return sys.stderr if self.stderr else sys.stdout

    @property
    def is_terminal(self) -> bool:
        return is_terminal(self.file)

    @property
    def rich(self) -> Console:
        if self._rich is None:
            self._rich = make_console(stderr=self.stderr, no_color=self.no_color)
        return self._rich

    @property
    def styles(self) -> str:
        """ "color", "mono" or "none": what `draw` may use (see `terminal_styles`)."""
        return terminal_styles(self.file, no_color=self.no_color)

    @property
    def width(self) -> int:
        return terminal_size()[0]

    @property
    def height(self) -> int:
        return terminal_size()[1]

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Rich's `print` (cards): loads Rich."""
        if self._held is None:
            self.rich.print(*objects, **kwargs)
            return
        with self.rich.capture() as captured:
            self.rich.print(*objects, **kwargs)
        self._held.append(captured.get())

    def draw(self, text: str) -> None:
        """Terminal text already styled (`render.table`): no Rich."""
        if self._held is None:
            write_raw(self, text)
        else:
            self._held.append(text)

    @contextmanager
    def capture(self) -> Iterator[list[str]]:
        """Hold back what is drawn or printed (for the pager); the list of it, in order."""
        held: list[str] = []
        self._held = held
        try:
            yield held
        finally:
            self._held = None

    def out(self, *objects: Any, sep: str = " ", end: str = "\n", **_: Any) -> None:
        """Plain text as given, no markup, wrapping or highlighting (like Rich's `out`)."""
        write_raw(self, sep.join(str(o) for o in objects) + end)


def literal(text: str | None) -> Text:
    """Network text as a Rich Text: markup is not parsed and control characters are shown."""
    from rich.text import Text

    return Text(safe(text))


def safe(text: str | None) -> str:
    """Network text with terminal control characters made visible (ESC -> \\x1b)."""
    if not text:
        return ""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def print_records(
    console: Console | Output,
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
) -> None:
    """A simple table: Rich on a terminal, tab-separated lines (no header) when piped."""
    if not console.is_terminal:
        write_raw(console, "".join("\t".join(safe(str(v)) for v in row) + "\n" for row in rows))
        return
    from rich.table import Table

    table = Table(title=title, show_edge=False, header_style="bold")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(literal(str(v)) for v in row))
    console.print(table)


def print_json(console: Console | Output, data: Any) -> None:
    """JSON on stdout, never reflowed or coloured, so scripts can parse it."""
    write_raw(console, json_text(data, indent=2) + "\n")


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON with non-ASCII kept readable, but C1, bidi and zero-width characters escaped."""
    text = json.dumps(data, indent=indent, ensure_ascii=False, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_raw(console: Console | Output, text: str) -> None:
    """Text exactly as given (Rich would expand tabs and wrap): exports and piped output."""
    console.file.write(text)
    console.file.flush()
