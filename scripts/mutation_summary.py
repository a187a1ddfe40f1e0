"""Rewrite docs/testing.md's per-package mutation summary from its per-file Results table.

    python scripts/mutation_summary.py          # rewrite the block in place
    python scripts/mutation_summary.py --check  # exit 1 if the block is out of date

Each row of the Results table (one file each, written after a run of scripts/mutation.sh) gives
its mutants, killed, survived (non-equivalent, not killed) and equivalent counts; the block
between the two `per-package` markers is their sum per package, with the target's ratio:
killed / (mutants - equivalent). A row whose killed count says "(... by hand ...)" counts as
written: the note beside it says which mutants were applied by hand.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "testing.md"
BEGIN, END = "<!-- per-package: begin -->", "<!-- per-package: end -->"
ROW = re.compile(r"^\| src/radar/(\w+)/(\w+\.py) \| (.*)$")
TARGET = 0.90


def all_ints(cell: str) -> int:
    """ "17 (+ 8 by hand)": mutmut's mutants plus those made by hand (mutmut skips some code)."""
    return sum(int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", cell))


def first_int(cell: str) -> int:
    found = re.match(r"\s*(\d[\d,]*)", cell)
    if found is None:
        raise ValueError(f"no count in {cell!r}")
    return int(found.group(1).replace(",", ""))


def summary(text: str) -> str:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for line in text.splitlines():
        match = ROW.match(line)
        if not match:
            continue
        package, name, rest = match.groups()
        cells = rest.split(" | ")
        mutants = all_ints(cells[0])
        killed, survived, equivalent = (first_int(cells[i]) for i in (2, 3, 4))
        if killed + survived + equivalent != mutants:
            print(
                f"{package}/{name}: killed + survived + equivalent is "
                f"{killed + survived + equivalent}, not its {mutants} mutants",
                file=sys.stderr,
            )
        sums = totals[package]
        for index, value in enumerate((1, mutants, killed, survived, equivalent)):
            sums[index] += value
    lines = [
        "| package | files | mutants | killed | survived | equivalent | killed of non-equivalent |",
        "|---|---|---|---|---|---|---|",
    ]
    for package, (files, mutants, killed, survived, equivalent) in totals.items():
        ratio = killed / (mutants - equivalent)
        mark = "" if ratio >= TARGET else " (below the 90 % target)"
        lines.append(
            f"| {package} | {files} | {mutants:,} | {killed:,} | {survived} | {equivalent} "
            f"| {ratio:.1%}{mark} |".replace("%", " %")
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    updated = text[:start] + "\n" + summary(text) + "\n" + text[end:]
    if "--check" in argv:
        if updated != text:
            print("docs/testing.md: the per-package summary is out of date", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
