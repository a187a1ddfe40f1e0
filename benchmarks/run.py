"""Measure radar on a synthetic cache and print the results as markdown tables.

    python benchmarks/run.py --db /tmp/radar-1m.db [--runs 5] [--only commands,ingest,sync,brief]
        [--rows "help,shuffle"]

The cache comes from benchmarks/make_cache.py (its PATH.probes.json says what to query). Every
timing is the median of --runs runs with their min-max; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from bench_brief import measure_brief  # noqa: E402
from bench_commands import measure_commands  # noqa: E402
from bench_ingest import measure_ingest, measure_sync  # noqa: E402

SECTIONS = ("commands", "ingest", "sync", "brief")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
    parser.add_argument(
        "--rows",
        default="",
        help="commands: only rows whose label contains one of these comma-separated words "
        "(the noise rows always run)",
    )
    args = parser.parse_args(argv)
    probes_path = args.db.with_name(args.db.name + ".probes.json")
    if not args.db.exists() or not probes_path.exists():
        raise SystemExit(f"error: {args.db} or {probes_path} is missing; run make_cache.py first")
    probes = json.loads(probes_path.read_text())
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    sections: dict[str, Callable[[Path], str]] = {
        "commands": lambda home: measure_commands(
            args.db, probes, args.runs, home, log, matching=[w for w in args.rows.split(",") if w]
        ),
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
