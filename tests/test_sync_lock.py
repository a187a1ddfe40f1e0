"""The sync lock on its own: who holds it, what a refused sync is told, and the PID-file rules
used where the OS has no flock (Windows), run here by making `import fcntl` fail."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from radar.errors import SyncLockedError
from radar.sync.lock import sync_lock


@pytest.fixture
def other_process() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not this one (it waits on its stdin, never on a clock)."""
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        yield child
    finally:
        child.kill()
        child.wait(timeout=30)


@pytest.fixture
def no_flock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError


def test_a_lock_held_before_its_pid_is_written_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    with path.open("w") as held:  # another sync that has the lock but not yet written its pid
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(SyncLockedError) as refused, sync_lock(path):
            pass
    assert refused.value.message == f"another radar sync is running (lock file {path})"


@pytest.mark.usefixtures("no_flock")
def test_without_flock_a_live_holder_is_refused_and_left_alone(
    tmp_path: Path, other_process: subprocess.Popen[bytes]
) -> None:
    path = tmp_path / "sync.lock"
    path.write_text(f"{other_process.pid}\n")
    with pytest.raises(SyncLockedError) as refused, sync_lock(path):
        pass
    assert refused.value.message == (
        f"another radar sync is running (pid {other_process.pid}, lock file {path})"
    )
    assert path.read_text() == f"{other_process.pid}\n"  # the holder's file is left as it was
    other_process.communicate(b"", timeout=30)  # the holder ends on its own: it got no signal
    assert other_process.returncode == 0


@pytest.mark.usefixtures("no_flock")
@pytest.mark.parametrize("content", ["", "999999999\n", "not a pid\n", "{own}\n"])
def test_without_flock_a_free_or_stale_or_own_lock_is_taken(tmp_path: Path, content: str) -> None:
    path = tmp_path / "sync.lock"
    path.write_text(content.format(own=os.getpid()))
    with sync_lock(path):
        assert path.read_text() == f"{os.getpid()}\n"
