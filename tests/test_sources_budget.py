"""The CPU-time budget that stops a hostile feed's parse (README, "Failure modes")."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from radar.sources.budget import PARSE_SECONDS, OutOfTime, cpu_budget


def spin(cpu_seconds: float) -> None:
    """Burn about this much CPU time (the budget counts CPU, not the wall clock)."""
    end = time.process_time() + cpu_seconds
    while time.process_time() < end:
        pass


def test_a_parse_past_its_budget_is_stopped_even_inside_except_exception() -> None:
    swallowed = []
    with pytest.raises(OutOfTime), cpu_budget(0.02):
        try:
            spin(5.0)
        except Exception as exc:  # a parser's own catch-all must not absorb the stop
            swallowed.append(exc)
    assert swallowed == []


def test_the_budget_is_disarmed_and_the_handler_restored_after_the_block() -> None:
    def mine(signum: int, frame: object) -> None:
        raise AssertionError("the previous handler ran")

    before = signal.signal(signal.SIGPROF, mine)
    try:
        with cpu_budget(0.05):
            assert signal.getsignal(signal.SIGPROF) is not mine
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGPROF) is mine
        with pytest.raises(OutOfTime), cpu_budget(0.02):
            spin(5.0)
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGPROF) is mine
    finally:
        signal.signal(signal.SIGPROF, before)


def test_the_default_budget_is_ten_cpu_seconds() -> None:
    assert PARSE_SECONDS == 10.0
    with cpu_budget():
        left, interval = signal.getitimer(signal.ITIMER_PROF)
    assert 9.5 < left < 10.5 and interval == 0.0  # the timer counts in clock ticks


def test_no_budget_for_zero_seconds_and_the_profiling_signal_left_alone() -> None:
    """Zero means no limit: nothing is armed or installed (a profiler's SIGPROF keeps working)."""

    def profiler(signum: int, frame: object) -> None:
        pass

    before = signal.signal(signal.SIGPROF, profiler)
    try:
        for seconds in (0, -1):
            with cpu_budget(seconds):
                assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
                assert signal.getsignal(signal.SIGPROF) is profiler
                spin(0.05)
    finally:
        signal.signal(signal.SIGPROF, before)


def test_no_budget_off_the_main_thread() -> None:
    """Signals reach the main thread only: a parse in another thread runs unlimited."""
    seen: list[object] = []

    def parse() -> None:
        try:
            with cpu_budget(0.01):
                seen.append(signal.getitimer(signal.ITIMER_PROF))
                spin(0.05)
            seen.append("done")
        except BaseException as exc:  # the test reports whatever escaped
            seen.append(exc)

    worker = threading.Thread(target=parse)
    worker.start()
    worker.join()
    assert seen == [(0.0, 0.0), "done"]
