"""Measure `radar page`: writing 1,000 and 5,000 papers, the file's size, and the page in Chromium.

    python benchmarks/bench_page.py [--papers 1000,5000] [--runs 5] [--db PATH] [--chromium PATH]

Without --db it builds a synthetic cache (benchmarks/make_cache.py, seed 0) of the largest size
in a temp dir. Each size: `radar page --limit N` as a whole process (wall time, median of
--runs), the file's bytes, then the page opened from disk in headless Chromium (Playwright
driving the system chromium) --runs times in fresh contexts: the time until its script has
run ("interactive": the `radar-ready` performance mark, from navigation start), the load event,
and three interactions timed inside the page until the next frame (typing a search word,
clicking an author, Shuffle). Prints a markdown table; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks import chromium  # noqa: E402
from benchmarks.harness import environment  # noqa: E402

# One interaction, timed inside the page: from the event to the frame after its DOM changes.
INTERACT = """async (what) => {
  const next = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  await next();
  const t0 = performance.now();
  if (what === "search") {
    const box = document.querySelector('input[type="search"]');
    box.value = "model";
    box.dispatchEvent(new Event("input", {bubbles: true}));
  } else if (what === "author") {
    document.querySelector("article.paper button.author").click();
  } else {
    document.getElementById("shuffle").click();
  }
  await next();
  const shown = document.querySelectorAll("article.paper:not([hidden])").length;
  return [performance.now() - t0, shown];
}"""
TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const ready = performance.getEntriesByName("radar-ready")[0];
  return [ready.startTime, nav.domContentLoadedEventEnd, nav.loadEventEnd];
}"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median_range(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ms ({min(values):,.0f}-{max(values):,.0f})"


def build_cache(directory: Path, papers: int) -> Path:
    from benchmarks.make_cache import build

    db = directory / "page-bench.db"
    log(f"building a synthetic cache of {papers:,} papers ...")
    build(db, papers=papers, seed=0, method="bulk")
    return db


def write_page(db: Path, count: int, out: Path, home: Path, runs: int) -> list[float]:
    argv = [sys.executable, "-m", "radar", "--db", str(db), "page", "--limit", str(count)]
    argv += ["-o", str(out)]
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=environment(home), check=True, capture_output=True)
        seconds.append((time.perf_counter() - started) * 1000)
    return seconds


def in_browser(browser: Any, url: str, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("html[data-ready]", state="attached")
        ready, dom, load = page.evaluate(TIMINGS)
        for name, value in (("ready", ready), ("dom", dom), ("load", load)):
            results.setdefault(name, []).append(value)
        for what in ("search", "author", "shuffle"):
            elapsed, _shown = page.evaluate(INTERACT, what)
            results.setdefault(what, []).append(elapsed)
        context.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default="1000,5000", help="page sizes (comma-separated)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing cache (else a synthetic one)")
    parser.add_argument("--chromium", default=chromium.executable() or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.papers.split(",")]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        (work / "home").mkdir()
        db = args.db or build_cache(work, max(sizes))
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=chromium.ARGS)
            version = browser.version
            for count in sizes:
                out = work / f"page-{count}.html"
                log(f"radar page --limit {count} ...")
                wrote = write_page(db, count, out, work / "home", args.runs)
                size = out.stat().st_size
                log(f"  {size / 1e6:.2f} MB; in Chromium ...")
                timings = in_browser(browser, out.as_uri(), args.runs)
                rows.append((count, wrote, size, timings))
            browser.close()
    print(f"Chromium {version}, {args.runs} runs each, median (min-max).\n")
    print(
        "| papers | `radar page` (whole process) | file | per paper | interactive "
        "(script done) | load event | search typed | author clicked | Shuffle |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for count, wrote, size, t in rows:
        print(
            f"| {count:,} | {median_range(wrote)} | {size / 1e6:.2f} MB | "
            f"{size / count / 1e3:.1f} kB | {median_range(t['ready'])} | "
            f"{median_range(t['load'])} | {median_range(t['search'])} | "
            f"{median_range(t['author'])} | {median_range(t['shuffle'])} |"
        )


if __name__ == "__main__":
    main()
