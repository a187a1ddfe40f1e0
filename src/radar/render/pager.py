"""Long output on a terminal goes through a pager, as git does: `$PAGER`, else `less -R`.

Never when piped; `radar --no-pager ...` or `[ui] pager = false` turn it off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import IO

# git's choice when $LESS is unset: quit if one screen, keep colours, leave the screen as is.
LESS_DEFAULT = "FRX"


def pager_command(env: dict[str, str] | None = None) -> str | None:
    """The shell command to page with, or None: $PAGER (empty or `cat`: none), else `less -R`."""
    env = dict(os.environ) if env is None else env
    if "PAGER" in env:
        command = env["PAGER"].strip()
        return None if command in ("", "cat") else command
    return "less -R" if shutil.which("less") else None


def show(text: str, *, height: int, out: IO[str] | None = None) -> None:
    """Print `text`, through the pager when it is taller than the terminal (`height` lines)."""
    out = out or sys.stdout
    command = pager_command()
    if command is None or text.count("\n") < height:
        out.write(text)
        out.flush()
        return
    env = {**os.environ}
    env.setdefault("LESS", LESS_DEFAULT)
    env.setdefault("LV", "-c")  # the lv pager: keep colours, as git sets it
    out.flush()
    try:
        target: int | None = out.fileno()
    except (OSError, ValueError):  # a stream without a descriptor: the pager inherits ours
        target = None
    try:
        process = subprocess.Popen(
            command, shell=True, stdin=subprocess.PIPE, env=env, stdout=target
        )
    except OSError:
        out.write(text)
        out.flush()
        return
    _feed(process, text)


def _feed(process: subprocess.Popen[bytes], text: str) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode("utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager before the end: fine
    while True:
        try:
            process.wait()
            return
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager (less uses it); wait until it exits
