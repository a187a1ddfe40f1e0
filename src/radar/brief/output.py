"""Where `radar brief -o FILE` may write: never over the cache, the config or the prompt.

An existing file is replaced only if radar wrote it (its first line is a brief's title) or
the user said `--force`; the cache, its -wal/-shm/-journal, the config and the prompt never.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from radar.errors import ExitStatus, UsageError
from radar.files import same_file

# The first line of every brief and digest radar writes (see brief.digest.title).
_BRIEF_TITLE = re.compile(r"# (?:Research brief|Digest): .+ · \d+ papers?")
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def protected_files(
    *, db_path: Path, config_path: Path, prompt_file: Path | None
) -> list[tuple[Path, str]]:
    """Files a brief must never replace, each with what it is (for the message)."""
    files = [(db_path, "the cache database")]
    files += [
        (Path(f"{db_path}{suffix}"), "the cache database's journal")
        for suffix in _SQLITE_SIDE_FILES
    ]
    files.append((config_path, "the config file in use"))
    if prompt_file is not None:
        files.append((prompt_file, "the prompt file"))
    return files


def check_output(path: Path, protected: Iterable[tuple[Path, str]], *, force: bool) -> None:
    """Raise UsageError (exit 2) unless writing a brief to `path` loses nothing of the user's."""
    path = path.expanduser()
    for other, what in protected:
        if same_file(path, other.expanduser()):
            raise UsageError(
                f"refusing to write the brief to {path}: it is {what}",
                hint="give -o another file name",
                exit_code=ExitStatus.USAGE,
            )
    if not os.path.lexists(path):
        return
    if path.is_dir():
        raise UsageError(
            f"refusing to write the brief to {path}: it is a directory",
            hint="give -o a file name, e.g. -o brief.md",
            exit_code=ExitStatus.USAGE,
        )
    if path.exists() and not path.is_file():  # a device, a pipe: a rename would replace it
        raise UsageError(
            f"refusing to write the brief to {path}: it is not a regular file",
            hint="leave out -o to print the brief on stdout (and redirect it as you like)",
            exit_code=ExitStatus.USAGE,
        )
    if force:
        return
    if not is_radar_brief(path):
        raise UsageError(
            f"refusing to overwrite {path}: it exists and is not a brief radar wrote",
            hint="give -o another file name, or add --force to replace it",
            exit_code=ExitStatus.USAGE,
        )


def is_radar_brief(path: Path) -> bool:
    """An empty file, or one whose first line is the title radar gives every brief."""
    try:
        with path.open("rb") as file:
            head = file.read(4096)
    except OSError:
        return False  # unreadable: do not guess that it is ours
    if not head:
        return True
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        return _BRIEF_TITLE.fullmatch(first.decode("utf-8")) is not None
    except UnicodeDecodeError:
        return False
