"""Start-up benchmarks for run.py: whole `radar` processes against the floor, in pairs.

Every row is measured as pairs: the floor and the command back to back (A B, then B A in the
next round, so neither always runs first), and the row's ratio is the median of the per-pair
ratios. A burst of load on a shared machine slows both halves of a pair alike, so ratios hold
where absolute times do not. The floor paired with itself says how noisy the machine was.
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from harness import ROOT, run_command

BENCH = Path(__file__).resolve().parent
NOT_BUILT = "n/a (not built yet)"


@dataclass(frozen=True)
class Row:
    """One measured command: its arguments, output (pty or pipe), floor and target."""

    label: str
    args: tuple[str, ...]  # after `radar --db DB`; () for the floor itself
    floor: str  # "table" (the floor app's 2-row table) or "help" (its --help)
    tty: bool
    target: float | None = None  # ratio to the floor
    seconds: float | None = None  # an absolute target instead (brief rows)
    env: tuple[tuple[str, str], ...] = ()

    @property
    def mode(self) -> str:
        return "pty" if self.tty else "piped"


@dataclass
class Pairs:
    command: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cpu_ratios: list[float] = field(default_factory=list)  # of user + system time
    note: str = ""


def brief_since(probes: dict[str, str]) -> str:
    """A start day whose newest 1,000 papers `--limit 1000` takes (the last ~2 days)."""
    return (date.fromisoformat(probes["last_day"]) - timedelta(days=4)).isoformat()


def command_rows(probes: dict[str, str]) -> list[Row]:
    from radar.cli import COMMANDS

    author, top, category = probes["author"], probes["top_author"], probes["category"]
    common, rare, paper = probes["common_terms"], probes["rare_terms"], probes["paper_id"]
    today = (("RADAR_TODAY", probes["last_day"]),)
    rows = [
        Row("floor paired with itself (noise)", (), "table", True),
        Row("floor paired with itself, piped (noise)", (), "table", False),
        Row("floor --help paired with itself (noise)", ("--help",), "help", True),
        Row(
            f'radar list --author "{author}" | cat',
            ("list", "--author", author),
            "table",
            False,
            0.6,
        ),
        Row(
            f"radar list --category {category} --today | cat",
            ("list", "--category", category, "--today"),
            "table",
            False,
            0.6,
            env=today,
        ),
        Row(f"radar show {paper} | cat", ("show", paper), "table", False, 0.6),
        Row(f'radar list --author "{author}"', ("list", "--author", author), "table", True, 0.9),
        Row(
            f'radar list --author "{top}" (most prolific)',
            ("list", "--author", top),
            "table",
            True,
            0.9,
        ),
        Row(
            f"radar list --category {category} --today",
            ("list", "--category", category, "--today"),
            "table",
            True,
            0.9,
            env=today,
        ),
        Row(f"radar show {paper}", ("show", paper), "table", True, 0.9),
        Row("radar shuffle", ("shuffle",), "table", True, 0.9),
        Row(
            f"radar shuffle --category {category}",
            ("shuffle", "--category", category),
            "table",
            True,
            1.0,
        ),
        Row(f'radar search "{common}" (common)', ("search", common), "table", True, 1.2),
        Row(f'radar search "{rare}" (rare)', ("search", rare), "table", True, 0.9),
        Row('radar search "model" (very common)', ("search", "model"), "table", True, 1.5),
        Row("radar --help", ("--help",), "help", True, 1.0),
    ]
    rows += [Row(f"radar {name} --help", (name, "--help"), "help", True, 1.0) for name in COMMANDS]
    since = brief_since(probes)
    brief = ("brief", "--since", since, "--limit", "1000")
    rows += [
        Row(f"radar brief --since {since} --limit 1000 --dry-run", (*brief, "--dry-run"),
            "table", False, seconds=0.5),
        Row(f"radar brief --since {since} --limit 1000 --no-llm > digest.md",
            (*brief, "--no-llm"), "table", False, seconds=0.5),
    ]  # fmt: skip
    return rows


def measure_commands(
    db: Path,
    probes: dict[str, str],
    runs: int,
    home: Path,
    log: Callable[[str], None],
    *,
    matching: Sequence[str] = (),
) -> str:
    """The table of every row (or those whose label holds one of `matching`), then the noise."""
    python = sys.executable
    floor = {
        "table": [python, str(BENCH / "floor_app.py"), "--db", str(db)],
        "help": [python, str(BENCH / "floor_app.py"), "--help"],
    }
    radar = [python, "-m", "radar", "--db", str(db)]
    wanted = list(matching)
    rows = [
        row
        for row in command_rows(probes)
        if not wanted or row.label.startswith("floor") or any(w in row.label for w in wanted)
    ]

    def argv(row: Row) -> list[str]:
        if not row.args or row.label.startswith("floor"):
            return floor[row.floor]
        return [*radar, *row.args]

    pairs = {row: Pairs() for row in rows}
    runnable = []
    for row in rows:  # a warm-up of each (and: is the command there?)
        outcome = run_command(argv(row), home, tty=row.tty, env=dict(row.env))
        if outcome.missing_command:
            pairs[row].note = NOT_BUILT
        elif outcome.returncode != 0:
            pairs[row].note = f"failed (exit {outcome.returncode}): {outcome.tail()}"
        else:
            runnable.append(row)
    for argv_ in floor.values():
        run_command(argv_, home)
    load = [os.getloadavg()[0]]
    for number in range(runs):
        log(f"commands: round {number + 1}/{runs}")
        for row in runnable:
            env = dict(row.env)
            first, second = (floor[row.floor], argv(row))
            if number % 2:  # B A in odd rounds: neither side always runs first
                second, first = first, second
            a = run_command(first, home, tty=row.tty, env=env)
            b = run_command(second, home, tty=row.tty, env=env)
            floor_run, command_run = (a, b) if number % 2 == 0 else (b, a)
            result = pairs[row]
            result.floor.append(floor_run.seconds)
            result.command.append(command_run.seconds)
            result.ratios.append(command_run.seconds / floor_run.seconds)
            result.cpu_ratios.append(command_run.cpu_seconds / max(floor_run.cpu_seconds, 1e-6))
        load.append(os.getloadavg()[0])
    return _table(rows, pairs) + "\n\n" + _noise(rows, pairs, load)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:,.0f} ms ({min(values) * 1000:,.0f}-" + (
        f"{max(values) * 1000:,.0f})"
    )


def _cell(text: str) -> str:
    """`text` inside a markdown table cell: its pipes (`| cat`) escaped."""
    return text.replace("|", "\\|")


def _table(rows: list[Row], pairs: dict[Row, Pairs]) -> str:
    lines = [
        "| command | output | radar, median (min-max) | floor, median | ratio: median of pairs "
        "(min-max) | CPU-time ratio, median of pairs | target | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        result = pairs[row]
        if not result.ratios:
            lines.append(f"| `{_cell(row.label)}` | {row.mode} | {result.note} | | | | | |")
            continue
        ratio = statistics.median(result.ratios)
        median = statistics.median(result.command)
        if row.seconds is not None:
            target, ok = f"<= {row.seconds} s", median <= row.seconds
        elif row.target is not None:
            target, ok = f"<= {row.target}x", ratio <= row.target
        else:
            target, ok = "", None
        verdict = "" if ok is None else "met" if ok else "**missed**"
        lines.append(
            f"| `{_cell(row.label)}` | {row.mode} | {_ms(result.command)} | "
            f"{statistics.median(result.floor) * 1000:,.0f} ms | {ratio:.2f}x "
            f"({min(result.ratios):.2f}-{max(result.ratios):.2f}) | "
            f"{statistics.median(result.cpu_ratios):.2f}x | {target} | {verdict} |"
        )
    return "\n".join(lines)


def _noise(rows: list[Row], pairs: dict[Row, Pairs], load: list[float]) -> str:
    """How far the floor paired with itself strays from 1.00: the error bar of every ratio."""
    spreads = []
    for row in rows:
        ratios = pairs[row].ratios
        if row.label.startswith("floor") and ratios:
            worst = max(abs(r - 1) for r in ratios)
            cpu = pairs[row].cpu_ratios
            spreads.append(
                f"{row.label}: median {statistics.median(ratios):.2f}x, pairs "
                f"{min(ratios):.2f}-{max(ratios):.2f}x (worst pair {worst:.0%} off); CPU time "
                f"median {statistics.median(cpu):.2f}x, pairs {min(cpu):.2f}-{max(cpu):.2f}x"
            )
    return "\n".join(
        [
            "Noise: " + ". ".join(spreads) + ".",
            f"Load average (1 min) during the rounds: {min(load):.1f}-{max(load):.1f} "
            f"(measured from {ROOT.name}).",
        ]
    )
