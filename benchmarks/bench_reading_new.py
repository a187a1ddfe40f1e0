"""`radar list --new` / `--new-since` and `radar search` snippets on a big cache, in-process.

    python benchmarks/bench_reading_new.py --db COPY-OF-1M.db [--runs 7]

Times the queries alone (no interpreter start-up): each row's fastest and median of `--runs`.
Opening the cache applies pending migrations (m006 builds the first_seen index, ~3 s at 1M):
run it on a copy, never on a cache someone else measures. `--new` needs a recorded sync: the
script reports it as n/a when the cache has none (make_cache.py records none).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from radar.errors import NotFoundError
from radar.filters import Filters
from radar.store import Store, fulltext, queries


def timed(call: Callable[[], object], runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return min(times) * 1000, statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with Store.open(args.db) as store:
        newest = store.conn.execute("SELECT max(first_seen) FROM papers").fetchone()[0] or ""
        day = date.fromisoformat(newest[:10]) if newest else date.today()
        print("| selection (limit 20, with the totals count) | papers | fastest | median |")
        print("|---|---|---|---|")
        cases = {
            "list (no filter)": Filters(limit=20),
            "--new": Filters(new=True, limit=20),
            "--new --category cs.LG": Filters(new=True, categories=("cs.LG",), limit=20),
            f"--new-since {day} (the whole cache)": Filters(new_since=day, limit=20),
            f"--new-since {day} --category cs.LG": Filters(
                new_since=day, categories=("cs.LG",), limit=20
            ),
            "--new-since tomorrow (nothing)": Filters(
                new_since=date.fromordinal(day.toordinal() + 1), limit=20
            ),
        }
        for name, filters in cases.items():

            def select(f: Filters = filters) -> int:
                queries.select_papers(store, f)
                return queries.count_papers(store, f)

            try:
                fast, median, count = timed(select, args.runs)
            except NotFoundError:
                print(f"| {name} | n/a (no sync recorded) | | |")
                continue
            print(f"| {name} | {count:,} | {fast:.1f} ms | {median:.1f} ms |")
        print()
        print("| search (limit 20) | results | search | + snippets |")
        print("|---|---|---|---|")
        for query in ("neural network", "model", "anetrdr creneusor"):
            fast, median, found = timed(
                lambda q=query: fulltext.search(store, q, Filters(limit=20)), args.runs
            )
            papers = list(found)  # type: ignore[call-overload]
            s_fast, s_median, _ = timed(
                lambda q=query, p=papers: fulltext.with_snippets(store, q, p), args.runs
            )
            print(
                f"| {query} | {len(papers)} | {fast:.1f} / {median:.1f} ms | "
                f"{s_fast:.1f} / {s_median:.1f} ms |"
            )


if __name__ == "__main__":
    main()
