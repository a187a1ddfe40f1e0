"""Measure radar on a synthetic cache and print the results as markdown tables.

    python benchmarks/run.py --db /tmp/radar-1m.db [--runs 5] [--only commands,ingest,sync,brief]

The cache comes from benchmarks/make_cache.py (its PATH.probes.json says what to query). Every
timing is the median of --runs runs with their min-max; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from bench_brief import measure_brief  # noqa: E402
from bench_ingest import measure_ingest, measure_sync  # noqa: E402
from harness import run_command  # noqa: E402

NOT_BUILT = "n/a (not built yet)"
SECTIONS = ("commands", "ingest", "sync", "brief")


@dataclass
class Timed:
    """One measured row: wall times of repeated runs, or why there are none."""

    label: str
    seconds: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def spread(self, unit: str = "ms") -> str:
        if not self.seconds:
            return self.note
        scale = 1000 if unit == "ms" else 1
        return (
            f"{self.median * scale:,.0f} {unit} "
            f"({min(self.seconds) * scale:,.0f}-{max(self.seconds) * scale:,.0f})"
        )


@dataclass(frozen=True)
class CommandRow:
    label: str
    args: tuple[str, ...]
    floor: str  # "table" or "help"
    target: float | None
    command: str | None  # the radar subcommand this row needs, None for `--help`


def command_rows(probes: dict[str, str]) -> list[CommandRow]:
    return [
        CommandRow("radar --help", ("--help",), "help", 1.2, None),
        CommandRow(
            f'radar list --author "{probes["author"]}"',
            ("list", "--author", probes["author"]),
            "table",
            1.3,
            "list",
        ),
        CommandRow(
            f'radar list --author "{probes["top_author"]}" (most prolific)',
            ("list", "--author", probes["top_author"]),
            "table",
            1.3,
            "list",
        ),
        CommandRow(
            f"radar list --category {probes['category']} --today",
            ("list", "--category", probes["category"], "--today"),
            "table",
            1.3,
            "list",
        ),
        CommandRow(
            f'radar search "{probes["common_terms"]}" (common)',
            ("search", probes["common_terms"]),
            "table",
            2.0,
            "search",
        ),
        CommandRow(
            f'radar search "{probes["rare_terms"]}" (rare)',
            ("search", probes["rare_terms"]),
            "table",
            2.0,
            "search",
        ),
        CommandRow("radar shuffle", ("shuffle",), "table", 1.3, "shuffle"),
        # Diagnostics, no target: how much of `list` is its default of 50 rendered rows.
        CommandRow(
            f'radar list --author "{probes["author"]}" --limit 20 (diagnostic)',
            ("list", "--author", probes["author"], "--limit", "20"),
            "table",
            None,
            "list",
        ),
        CommandRow(
            f"radar list --category {probes['category']} --today --limit 20 (diagnostic)",
            ("list", "--category", probes["category"], "--today", "--limit", "20"),
            "table",
            None,
            "list",
        ),
        CommandRow(
            f"radar show {probes['paper_id']}", ("show", probes["paper_id"]), "table", 1.3, "show"
        ),
    ]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- whole-process wall times -----------------------------------------------------------------


def measure_commands(db: Path, probes: dict[str, str], runs: int, home: Path) -> str:
    python = sys.executable
    floors = {
        "table": Timed("floor: Typer app, opens the cache, prints a 2-row Rich table"),
        "help": Timed("floor: the same app's --help"),
    }
    floor_argv = {
        "table": [python, str(BENCH / "floor_app.py"), "--db", str(db)],
        "help": [python, str(BENCH / "floor_app.py"), "--help"],
    }
    radar = [python, "-m", "radar", "--db", str(db)]
    rows = command_rows(probes)
    timed = {row: Timed(row.label) for row in rows}
    runnable = []
    for row in rows:
        outcome = run_command([*radar, *row.args], home)  # warm-up, and is the command there?
        if row.command and outcome.missing_command:
            timed[row].note = NOT_BUILT
        elif outcome.returncode != 0:
            timed[row].note = f"failed (exit {outcome.returncode}): {outcome.tail()}"
        else:
            runnable.append(row)
    for argv in floor_argv.values():
        run_command(argv, home)
    # Round-robin, so a burst of load on the shared machine hits every row alike.
    for number in range(1, runs + 1):
        log(f"commands: run {number}/{runs}")
        for kind, argv in floor_argv.items():
            floors[kind].seconds.append(run_command(argv, home).seconds)
        for row in runnable:
            timed[row].seconds.append(run_command([*radar, *row.args], home).seconds)

    lines = [
        "| command | wall time, median (min-max) | vs floor | target | |",
        "|---|---|---|---|---|",
    ]
    for floor in floors.values():
        lines.append(f"| {floor.label} | {floor.spread()} | 1.00x | | |")
    for row in rows:
        result = timed[row]
        target = f"<= {row.target}x" if row.target else ""
        if not result.seconds:
            lines.append(f"| `{row.label}` | {result.note} | | {target} | |")
            continue
        ratio = result.median / floors[row.floor].median
        verdict = "" if row.target is None else "met" if ratio <= row.target else "**missed**"
        lines.append(f"| `{row.label}` | {result.spread()} | {ratio:.2f}x | {target} | {verdict} |")
    return "\n".join(lines)


# --- report -------------------------------------------------------------------------------------


def machine(db: Path, probes: dict[str, str]) -> str:
    from importlib.metadata import version

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 0
    size = db.stat().st_size + sum(
        p.stat().st_size for p in db.parent.glob(db.name + "-*") if p.is_file()
    )
    return "\n".join(
        [
            f"- when: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- machine: {cores} cores usable ({os.cpu_count()} online), {platform.machine()}, "
            f"{platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"typer {version('typer')}, rich {version('rich')}",
            f"- cache: {int(probes['papers']):,} papers (seed {probes['seed']}), "
            f"{size / 1e9:.2f} GB on disk",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a cache from make_cache.py")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (default 5)")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}"
    )
    args = parser.parse_args(argv)
    probes_path = args.db.with_name(args.db.name + ".probes.json")
    if not args.db.exists() or not probes_path.exists():
        raise SystemExit(f"error: {args.db} or {probes_path} is missing; run make_cache.py first")
    probes = json.loads(probes_path.read_text())
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    sections: dict[str, Callable[[Path], str]] = {
        "commands": lambda home: measure_commands(args.db, probes, args.runs, home),
        "ingest": lambda home: measure_ingest(args.db, args.runs, log),
        "sync": lambda home: measure_sync(args.runs, log),
        "brief": lambda home: measure_brief(args.db, args.runs, log),
    }
    out = ["## Machine", "", machine(args.db, probes)]
    with tempfile.TemporaryDirectory(prefix="radar-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        for name in wanted:
            if name not in sections:
                raise SystemExit(f"error: unknown section {name!r}; choose from {SECTIONS}")
            started = time.perf_counter()
            try:
                table = sections[name](home)
            except Exception as exc:  # one broken section must not lose the others' numbers
                table = f"failed: {type(exc).__name__}: {exc}"
            out += ["", f"## {name}", "", table]
            log(f"{name}: done in {time.perf_counter() - started:.0f} s")
    print("\n".join(out))


if __name__ == "__main__":
    main()
