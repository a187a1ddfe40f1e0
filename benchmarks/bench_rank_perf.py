"""Relevance at scale: `radar rank` time and peak memory, `list --sort relevance --today` against
the floor, and what scoring adds to sync's store time per page.

    python benchmarks/bench_rank_perf.py --db /work/bench/rank-1m.db [--runs 7]

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
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from harness import run_command  # noqa: E402

STARS = 30
PAGE = 200  # radar's default API page size


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


def pages(count: int) -> list[list[object]]:
    """`count` pages of PAGE real arXiv papers (tests/data) under fresh, unused ids."""
    from bench_rank import corpus

    papers = [p for p in corpus() if p.is_arxiv]
    out = []
    serial = 0
    for _ in range(count):
        page = []
        for index in range(PAGE):
            serial += 1
            paper = papers[index % len(papers)]
            page.append(replace(paper, id=f"9901.{serial:05d}", doi=None))
        out.append(page)
    return out


def measure_sync_scoring(db: Path, home: Path, runs: int) -> str:
    """Store time of a page with and without the sync scorer (each in a rolled-back transaction)."""
    from radar.config.settings import load_settings
    from radar.rank.engine import SyncScorer
    from radar.store import Store

    settings = load_settings(config_flag=home / "radar.toml", db_flag=db)
    times: dict[str, list[float]] = {"without scoring": [], "with scoring": []}
    cpu: dict[str, list[float]] = {"without scoring": [], "with scoring": []}
    batches = pages(runs * 2)
    with Store.open(db) as store:
        scorer = SyncScorer(store, settings)
        assert scorer.model is not None and scorer.current, "run `radar rank` first"
        for number, page in enumerate(batches):
            label = "with scoring" if number % 2 else "without scoring"
            store.after_upsert = scorer.page if number % 2 else None
            store.conn.execute("BEGIN")
            try:
                started, cpu_started = time.perf_counter(), time.process_time()
                store.upsert_papers(page)  # type: ignore[arg-type]
                times[label].append(time.perf_counter() - started)
                cpu[label].append(time.process_time() - cpu_started)
            finally:
                store.conn.execute("ROLLBACK")
    lines = [
        "| store one page of 200 new papers | wall, median (min-max) | CPU, median | pages |",
        "|---|---|---|---|",
    ]
    for label, values in times.items():
        lines.append(
            f"| {label} | {statistics.median(values) * 1000:.1f} ms "
            f"({min(values) * 1000:.1f}-{max(values) * 1000:.1f}) | "
            f"{statistics.median(cpu[label]) * 1000:.1f} ms | {len(values)} |"
        )
    share = {
        kind: statistics.median(v["with scoring"]) / statistics.median(v["without scoring"]) - 1
        for kind, v in (("wall", times), ("CPU", cpu))
    }
    lines.append(f"| scoring adds | {share['wall'] * 100:.0f}% | {share['CPU'] * 100:.0f}% | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="rank,list,sync")
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
            table = measure_sync_scoring(args.db, home, args.runs * 3)
            print("### Scoring during sync\n\n" + table)


if __name__ == "__main__":
    main()
