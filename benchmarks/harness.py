"""What benchmarks/run.py measures with: processes on a pseudo-terminal, timed, with peak memory.

Commands run on a pty (120x50), as a user sees them, so Rich renders exactly as on a terminal.
They run with byte-compiled modules, as an installed radar does (pip compiles on install): a
PYTHONDONTWRITEBYTECODE=1 environment would recompile every radar module on every run (~30-50
ms of `compile` per process, which the floor's one-file app barely pays).
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 120, 50
PYCACHE = Path(tempfile.gettempdir()) / f"radar-bench-pycache-{os.getuid()}"


@dataclass(frozen=True)
class Outcome:
    returncode: int
    seconds: float
    output: str
    max_rss_mb: float
    cpu_seconds: float = 0.0  # user + system time of the process (load inflates it far less)

    @property
    def missing_command(self) -> bool:
        return self.returncode == 2 and "No such command" in self.output

    def tail(self, lines: int = 2) -> str:
        return " / ".join(self.output.strip().splitlines()[-lines:])


def environment(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment with radar from this checkout and a throwaway RADAR_HOME.

    Bytecode goes to PYCACHE (PYTHONPYCACHEPREFIX), never into the checkout; the warm-up run of
    each command fills it (Python checks each file's mtime, so an edit is recompiled).
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RADAR_")
        and key not in ("NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    }
    env.update(
        PYTHONPYCACHEPREFIX=str(PYCACHE),
        PYTHONPATH=str(ROOT / "src"),
        RADAR_HOME=str(home),
        TERM="xterm-256color",
        COLUMNS=str(COLUMNS),
        LINES=str(LINES),
    )
    env.update(extra or {})
    return env


def run_command(
    argv: list[str],
    home: Path,
    *,
    env: dict[str, str] | None = None,
    tty: bool = True,
    peak_memory: bool = False,
) -> Outcome:
    """Run argv to completion: wall time from spawn to exit, output (stdout+stderr).

    With `tty` the output goes to a pseudo-terminal, drained as it comes; else to a file, as
    under cron. `peak_memory` runs it under a launcher that reports its peak RSS (the
    launcher's start-up then counts in the wall time: do not time commands that way).
    """
    full_env = environment(home, env)
    run = _run_measuring_memory if peak_memory else _spawn
    if not tty:
        with tempfile.TemporaryFile() as log_file:
            outcome = run(argv, full_env, log_file.fileno(), reader=None)
            log_file.seek(0)
            return replace(outcome, output=log_file.read().decode(errors="replace"))
    reader, writer = pty.openpty()
    fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    try:
        return run(argv, full_env, writer, reader=reader)
    finally:
        os.close(reader)


# Linux keeps a process's peak RSS across exec, and a child forked from a big benchmark process
# starts with the parent's: a small launcher forks the measured command and reports its peak.
_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run_measuring_memory(
    argv: list[str], env: dict[str, str], writer: int, *, reader: int | None
) -> Outcome:
    with tempfile.NamedTemporaryFile("r", suffix=".maxrss") as peak_file:
        outcome = _spawn(
            [sys.executable, "-c", _LAUNCHER, peak_file.name, *argv], env, writer, reader=reader
        )
        peak_kb = peak_file.read().strip()
    return replace(outcome, max_rss_mb=int(peak_kb or 0) / 1024)


def _spawn(argv: list[str], env: dict[str, str], writer: int, *, reader: int | None) -> Outcome:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=writer, stderr=writer, env=env)
    chunks = []
    if reader is not None:
        os.close(writer)  # the child holds the only copy: EOF (EIO) when it exits
        while True:
            try:
                data = os.read(reader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Outcome(code, elapsed, b"".join(chunks).decode(errors="replace"), 0.0, cpu)
