"""The run lock that keeps two `radar sync` processes from running at once.

An OS file lock is the truth; the PID inside the file is only for the message.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from radar.errors import SyncLockedError


@contextlib.contextmanager
def sync_lock(path: Path) -> Iterator[None]:
    """Hold the sync lock for the duration; raise SyncLockedError if a live process holds it.

    An OS file lock (flock) is the truth, so a lock left by a dead process (kill -9, reboot) is
    free again at once; the PID written inside is for the message. Where flock is missing, a
    PID file whose process is gone counts as stale and is taken over.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd, path):
            raise SyncLockedError(f"another radar sync is running ({_holder(path)})")
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


def _try_lock(fd: int, path: Path) -> bool:
    try:
        import fcntl
    except ImportError:  # no flock (Windows): a PID file, stale when its process is gone
        pid = _pid_in(path)
        return pid is None or pid == os.getpid() or not _alive(pid)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text().strip() or "0") or None
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(path: Path) -> str:
    pid = _pid_in(path)
    return f"pid {pid}, lock file {path}" if pid else f"lock file {path}"
