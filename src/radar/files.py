"""Writing the user's files (radar.toml, briefs, pages): all or nothing, never half a file.

A temp file beside the target, fsync, then rename: a crash or a full disk leaves the old file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text`, keeping its permissions (a new file gets the umask's).

    Raises OSError naming `path` (not the temp file); the temp file is removed whatever happens.
    """
    try:
        _replace(path, text)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)  # mkstemp makes 0600: a config or brief keeps the usual mode
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def same_file(a: Path, b: Path) -> bool:
    """Same path after resolving symlinks and `..`, or (both existing) the same inode."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _mode_for(path: Path) -> int:
    """The existing file's permissions, else what a plain open() would give."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
