"""Relevance at scale: `radar rank` time and peak memory, `list --sort relevance --today` against
the floor, and what scoring adds to sync's store time per page.

    python benchmarks/bench_rank_perf.py --db /tmp/radar-1m.db [--runs 7]

The cache must be a copy (this writes stars, a model and scores into it). The reader's interests
are set up first: 30 starred papers of the probe category's last days, the probe author and the
category followed, two keywords. Progress on stderr, markdown tables on stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from harness import run_command  # noqa: E402

if TYPE_CHECKING:
    from radar.paper import Paper
    from radar.store import Store

STARS = 30


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def set_up(db: Path, home: Path, probes: dict[str, str]) -> None:
    from radar.store import Store

    (home / "radar.toml").write_text(
        f'[follow]\nauthors = ["{probes["author"]}"]\ncategories = ["{probes["category"]}"]\n\n'
        '[interests]\nkeywords = ["neural", "graph"]\nexclude = ["survey"]\n'
    )
    with Store.open(db) as store:
        ids = [
            paper_id
            for (paper_id,) in store.conn.execute(
                "SELECT p.id FROM paper_categories c JOIN papers p ON p.pk = c.paper_pk "
                "WHERE c.category = ? ORDER BY c.day DESC, p.pk LIMIT ?",
                (probes["category"], STARS * 7),
            )
        ][::7]
        for paper_id in ids:
            store.set_user_state(paper_id, starred=True)


def measure_rank(db: Path, home: Path, runs: int) -> str:
    radar = [sys.executable, "-m", "radar", "--db", str(db)]
    lines = ["| run | wall time | peak RSS | output |", "|---|---|---|---|"]
    for number in range(runs):
        timed = run_command([*radar, "rank"], home, tty=False)
        peak = run_command([*radar, "rank"], home, tty=False, peak_memory=True)
        last = timed.output.strip().splitlines()[-1] if timed.output.strip() else timed.output
        lines.append(
            f"| {number + 1} | {timed.seconds:.1f} s | {peak.max_rss_mb:.0f} MB | {last} |"
        )
        log(f"rank: {timed.seconds:.1f} s, {peak.max_rss_mb:.0f} MB")
    first = run_command([*radar, "rank"], home, tty=False)
    lines.append("")
    lines.append("Last `radar rank` output:")
    lines.append("")
    lines.append("```")
    lines.append(first.output.strip())
    lines.append("```")
    return "\n".join(lines)


def measure_list(db: Path, home: Path, probes: dict[str, str], runs: int) -> str:
    floor = [sys.executable, str(BENCH / "floor_app.py"), "--db", str(db)]
    radar = [sys.executable, "-m", "radar", "--db", str(db)]
    env = {"RADAR_TODAY": probes["last_day"]}
    rows = {
        "radar list --sort relevance --today": [*radar, "list", "--sort", "relevance", "--today"],
        "radar list --today (by date, for comparison)": [*radar, "list", "--today"],
        f"radar list --sort relevance --today -c {probes['category']}": [
            *radar, "list", "--sort", "relevance", "--today", "-c", probes["category"],
        ],
        "radar list --today --min-score 0.5": [*radar, "list", "--today", "--min-score", "0.5"],
    }  # fmt: skip
    for argv in rows.values():  # warm-up (and the first ranked read scores what it must)
        outcome = run_command(argv, home, env=env)
        assert outcome.returncode == 0, outcome.output
    run_command(floor, home)
    lines = [
        "| command (pty) | radar, median | floor, median | ratio: median of pairs (min-max) |",
        "|---|---|---|---|",
    ]
    for label, argv in rows.items():
        ratios, mine, base = [], [], []
        for number in range(runs):
            pair = [argv, floor] if number % 2 else [floor, argv]
            a, b = (run_command(p, home, env=env).seconds for p in pair)
            command_s, floor_s = (a, b) if number % 2 else (b, a)
            mine.append(command_s)
            base.append(floor_s)
            ratios.append(command_s / floor_s)
        log(f"{label}: {statistics.median(ratios):.2f}x")
        lines.append(
            f"| `{label}` | {statistics.median(mine) * 1000:.0f} ms | "
            f"{statistics.median(base) * 1000:.0f} ms | {statistics.median(ratios):.2f}x "
            f"({min(ratios):.2f}-{max(ratios):.2f}) |"
        )
    return "\n".join(lines)


def pages(count: int, size: int, pool: Sequence[Paper]) -> list[list[Paper]]:
    """`count` pages of `size` papers taken in turn from `pool`, under fresh, unused ids."""
    out = []
    serial = 0
    for _ in range(count):
        page = []
        for _ in range(size):
            serial += 1
            paper = pool[(serial - 1) % len(pool)]
            page.append(replace(paper, id=f"9901.{serial:05d}", doi=None))
        out.append(page)
    return out


def text_pool(store: Store, source: str, category: str) -> list[Paper]:
    """Papers whose text a page is made of. `cache`: the newest 4,000 of the followed category
    in the benchmark cache (the model's own vocabulary: most of their words are features, as
    for a reader's real model and real new papers); `recorded`: the real arXiv abstracts of
    tests/data (few of their words are features of the cache's synthetic vocabulary)."""
    if source == "recorded":
        from bench_rank import corpus

        return [p for p in corpus() if p.is_arxiv]
    from radar.store.scores import papers_by_pk

    rows = store.conn.execute(
        "SELECT paper_pk FROM paper_categories WHERE category = ? ORDER BY day DESC, paper_pk "
        "LIMIT 4000",
        (category,),
    )
    return [paper for _, paper in papers_by_pk(store, [pk for (pk,) in rows])]


def measure_sync_scoring(
    db: Path, home: Path, runs: int, sizes: tuple[int, ...], sources: tuple[str, ...], category: str
) -> str:
    """CPU time to store a page with and without the sync scorer, in pairs run back to back.

    Each page is stored as sync stores it (`Store.upsert_papers`, one transaction) and then
    rolled back, so the cache is unchanged and every page is new papers. A pair stores one page
    without and one with scoring, in alternating order; the ratio is the median of the pairs'.
    """
    from radar.config.settings import load_settings
    from radar.rank.engine import SyncScorer
    from radar.store import Store

    settings = load_settings(config_flag=home / "radar.toml", db_flag=db)
    lines = [
        "| text | page size | store CPU without scoring, median | with scoring, median | "
        "scoring adds (median of pairs, min-max) | of which in the scorer | wall: scoring adds "
        "| pairs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with Store.open(db) as store:
        started = time.process_time()
        scorer = SyncScorer(store, settings)  # once per sync: reads and parses the model
        assert scorer.model is not None and scorer.current, "run `radar rank` first"
        pools = {source: text_pool(store, source, category) for source in sources}
        scorer.model.scores(pools[sources[0]][:1])  # builds its arrays
        log(f"sync scorer ready in {time.process_time() - started:.2f} s CPU (once per sync)")
        in_scorer: list[float] = []

        def timed_page(papers: Sequence[Paper]) -> None:
            began = time.process_time()
            scorer.page(papers)
            in_scorer.append(time.process_time() - began)

        for source, size in ((source, size) for source in sources for size in sizes):
            without: list[float] = []
            with_: list[float] = []
            walls: dict[bool, list[float]] = {False: [], True: []}
            in_scorer.clear()
            batches = pages(runs * 2 + 2, size, pools[source])
            for number in range(runs + 1):
                pair = batches[number * 2 : number * 2 + 2]
                order = (False, True) if number % 2 else (True, False)
                for scoring, page in zip(order, pair, strict=True):
                    store.after_upsert = timed_page if scoring else None
                    store.conn.execute("BEGIN")
                    try:
                        wall, cpu = time.perf_counter(), time.process_time()
                        store.upsert_papers(page)
                        cpu = time.process_time() - cpu
                        wall = time.perf_counter() - wall
                    finally:
                        store.conn.execute("ROLLBACK")
                    if number:  # the first pair warms up
                        (with_ if scoring else without).append(cpu)
                        walls[scoring].append(wall)
            ratios = [w / o - 1 for w, o in zip(with_, without, strict=True)]
            scorer_share = statistics.median(in_scorer[1:]) / statistics.median(without) * 100
            wall_share = statistics.median(walls[True]) / statistics.median(walls[False]) - 1
            lines.append(
                f"| {source} | {size:,} | {statistics.median(without) * 1000:.1f} ms | "
                f"{statistics.median(with_) * 1000:.1f} ms | "
                f"{statistics.median(ratios) * 100:+.0f}% ({min(ratios) * 100:+.0f}% to "
                f"{max(ratios) * 100:+.0f}%) | {scorer_share:.0f}% | {wall_share * 100:+.0f}% | "
                f"{len(ratios)} |"
            )
            log(lines[-1])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="rank,list,sync")
    parser.add_argument("--pages", default="200,2000", help="page sizes for the sync rows")
    parser.add_argument(
        "--text", default="cache,recorded", help="what the sync rows' pages are made of"
    )
    args = parser.parse_args()
    probes = json.loads(Path(str(args.db) + ".probes.json").read_text())
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        set_up(args.db, home, probes)
        if "rank" in only:
            print("### `radar rank` (1M papers)\n\n" + measure_rank(args.db, home, 1) + "\n")
        if "list" in only:
            print("### Reading by relevance\n\n" + measure_list(args.db, home, probes, args.runs))
            print()
        if "sync" in only:
            sizes = tuple(int(size) for size in args.pages.split(","))
            sources = tuple(args.text.split(","))
            table = measure_sync_scoring(
                args.db, home, args.runs * 3, sizes, sources, probes["category"]
            )
            print("### Scoring during sync\n\n" + table)


if __name__ == "__main__":
    main()
