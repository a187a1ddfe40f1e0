"""Everything radar prints to stdout: Rich on a terminal, plain text when piped, JSON for scripts.

Text from the network is always printed literally: never as Rich markup or terminal escapes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# C0/C1 control characters except tab and newline, and ESC sequences: never reach the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def make_console(*, stderr: bool = False, no_color: bool = False) -> Console:
    no_color = no_color or bool(os.environ.get("NO_COLOR"))  # set and not empty: no-color.org
    return Console(stderr=stderr, no_color=no_color, highlight=False, emoji=False)


def literal(text: str | None) -> Text:
    """Network text as a Rich Text: markup is not parsed and control characters are shown."""
    return Text(safe(text))


def safe(text: str | None) -> str:
    """Network text with terminal control characters made visible (ESC -> \\x1b)."""
    if not text:
        return ""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def print_records(
    console: Console,
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
) -> None:
    """A simple table: Rich on a terminal, tab-separated lines (no header) when piped."""
    if not console.is_terminal:
        write_raw(console, "".join("\t".join(safe(str(v)) for v in row) + "\n" for row in rows))
        return
    table = Table(title=title, show_edge=False, header_style="bold")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(literal(str(v)) for v in row))
    console.print(table)


def print_json(console: Console, data: Any) -> None:
    """JSON on stdout, never reflowed or coloured, so scripts can parse it."""
    write_raw(console, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def write_raw(console: Console, text: str) -> None:
    """Text exactly as given (Rich would expand tabs and wrap): exports and piped output."""
    console.file.write(text)
    console.file.flush()
