"""A CPU-time budget for parsing one upstream's answer: a hostile feed cannot stall a sync.

feedparser on a deeply nested 3 MB feed runs for tens of seconds of pure Python; a profiling
timer interrupts it (main thread only, where radar parses) and the feed fails alone.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PARSE_SECONDS = 10.0  # CPU seconds one feed may take to parse (README, "Failure modes")


class OutOfTime(BaseException):
    """Raised inside the parser when its budget is spent; BaseException so that the parser's
    own `except Exception` blocks cannot swallow it."""


@contextmanager
def cpu_budget(seconds: float = PARSE_SECONDS) -> Iterator[None]:
    """Raise OutOfTime in this block after `seconds` of CPU (no limit off the main thread)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
