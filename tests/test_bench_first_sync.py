"""benchmarks/bench_first_sync.py measures what docs/benchmarks.md says: a small run of it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import SRC

BENCH = SRC.parent / "benchmarks" / "bench_first_sync.py"


def test_a_small_first_sync_is_one_rss_then_one_large_page_per_category() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--papers", "300", "--delay", "0", "--label", "smoke"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=120,
        check=True,
    )
    cells = [cell.strip() for cell in done.stdout.strip().split("|")[1:-1]]
    label, requests, _, listed, peak, _, papers, exit_code = cells
    assert (label, requests, papers, exit_code) == ("smoke", "3", "300", "0")
    assert listed.endswith("(10 papers)")  # `radar list --today` printed the day's papers
    assert float(peak.removesuffix(" MB")) > 0
