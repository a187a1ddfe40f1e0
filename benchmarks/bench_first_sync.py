"""The first `radar sync` of cs.AI + cs.CV against a local arXiv holding a 20,000-paper month.

A loopback server answers like arXiv: API pages of Atom (`cat:X`, optionally with a
`submittedDate:[A TO B]` range, newest first, at most 2,000 entries a request, the true
`opensearch:totalResults`) and the day's RSS announcements for `cs.AI+cs.CV`. The real
`python -m radar sync` runs in a subprocess with radar's default spacing (3 s between requests),
and the script prints a markdown row: requests, wall time, peak memory of the sync process, and
the time until `radar list --today` shows papers (the cache is polled read-only every 0.25 s;
the first time it has papers with an announcement day, the real `radar list --today` is run
once to confirm). `--interrupt-after S` kills the sync after S seconds and runs it again, to
show what an interrupted first sync leaves and how much the second run refetches.

Run (from the repository root): python benchmarks/bench_first_sync.py [--src DIR] [--label L]
`--src` is the `src/` folder of the radar to measure (e.g. an older checkout's, exported with
`git archive`), so the same server measures radar before and after a change.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
MAX_RESULTS = 2000  # arXiv's largest page
WORDS = [
    "learning",
    "model",
    "neural",
    "network",
    "graph",
    "vision",
    "language",
    "agent",
    "reasoning",
    "diffusion",
    "transformer",
    "benchmark",
    "robust",
    "efficient",
    "scalable",
    "attention",
    "policy",
    "planning",
    "segmentation",
    "detection",
    "retrieval",
    "generation",
    "multimodal",
    "dataset",
    "training",
    "inference",
    "alignment",
    "reward",
    "embedding",
]


@dataclass(frozen=True)
class Entry:
    id: str
    day: date
    categories: tuple[str, ...]
    atom: str  # the <entry> element, rendered once
    rss: str  # the <item> element, rendered once


def month(papers: int, today: date, seed: int = 7) -> list[Entry]:
    """`papers` submissions over the 30 days before `today` (plus 3 older days), newest first:
    55% cs.AI, 35% cs.CV, 10% cross-listed between the two."""
    rng = random.Random(seed)
    entries = []
    days = 33
    for n in range(int(papers * days / 30)):
        day = today - timedelta(days=1 + n * days // int(papers * days / 30))
        roll = rng.random()
        if roll < 0.55:
            cats: tuple[str, ...] = ("cs.AI",)
        elif roll < 0.90:
            cats = ("cs.CV",)
        else:
            cats = ("cs.AI", "cs.CV") if roll < 0.95 else ("cs.CV", "cs.AI")
        if rng.random() < 0.5:
            cats = (*cats, "cs.LG")
        pid = f"{day:%y%m}.{50000 + n:05d}"
        title = " ".join(rng.choice(WORDS) for _ in range(10)).capitalize()
        abstract = " ".join(rng.choice(WORDS) for _ in range(170)).capitalize() + "."
        authors = [f"Author{rng.randrange(30000)} Name{rng.randrange(500)}" for _ in range(5)]
        entries.append(Entry(pid, day, cats, _atom(pid, day, cats, title, abstract, authors),
                             _rss(pid, cats, title, abstract, authors)))  # fmt: skip
    return entries


def _atom(pid: str, day: date, cats: tuple[str, ...], title: str, abstract: str,
          authors: list[str]) -> str:  # fmt: skip
    names = "".join(f"<author><name>{escape(a)}</name></author>" for a in authors)
    terms = "".join(f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in cats)
    return (
        f"<entry><id>http://arxiv.org/abs/{pid}v1</id><updated>{day}T18:00:00Z</updated>"
        f"<published>{day}T18:00:00Z</published><title>{title}</title>"
        f"<summary>{abstract}</summary>{names}"
        f'<link title="pdf" href="http://arxiv.org/pdf/{pid}v1" rel="related" '
        f'type="application/pdf"/><arxiv:primary_category term="{cats[0]}" '
        f'scheme="http://arxiv.org/schemas/atom"/>{terms}</entry>\n'
    )


def _rss(pid: str, cats: tuple[str, ...], title: str, abstract: str, authors: list[str]) -> str:
    categories = "".join(f"<category>{c}</category>" for c in cats)
    return (
        f"<item><title>{title}</title><link>https://arxiv.org/abs/{pid}</link>"
        f"<description>arXiv:{pid}v1 Announce Type: new \nAbstract: {abstract}</description>"
        f'<guid isPermaLink="false">oai:arXiv.org:{pid}v1</guid>{categories}'
        f"<arxiv:announce_type>new</arxiv:announce_type>"
        f"<dc:creator>{escape(', '.join(authors))}</dc:creator></item>\n"
    )


_RANGE = re.compile(r"submittedDate:\[(\d{8})\d* TO (\d{8})\d*\]")


class Arxiv(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, entries: list[Entry], today: date) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.entries = entries
        self.today = today
        self.arrivals: list[tuple[float, str]] = []

    def api(self, query: dict[str, str]) -> bytes:
        search = query.get("search_query", "")
        category = re.search(r"cat:(\S+)", search)
        matches = [e for e in self.entries if category and category.group(1) in e.categories]
        dates = _RANGE.search(search)
        if dates:
            low, high = (datetime.strptime(d, "%Y%m%d").date() for d in dates.groups())
            matches = [e for e in matches if low <= e.day <= high]
        start = int(query.get("start", "0"))
        size = min(int(query.get("max_results", "10")), MAX_RESULTS)
        page = matches[start : start + size]
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
            f"<title>ArXiv Query</title><opensearch:totalResults>{len(matches)}"
            f"</opensearch:totalResults><opensearch:startIndex>{start}</opensearch:startIndex>"
            f"<opensearch:itemsPerPage>{len(page)}</opensearch:itemsPerPage>\n"
            + "".join(e.atom for e in page)
            + "</feed>\n"
        ).encode()

    def rss(self) -> bytes:
        """Today's announcements: what was submitted on the last day before today."""
        fresh = [e for e in self.entries if e.day == self.today - timedelta(days=1)]
        stamp = f"{self.today:%a, %d %b %Y} 00:00:00 -0500"
        return (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
            f"<title>cs.AI, cs.CV updates on arXiv.org</title><pubDate>{stamp}</pubDate>\n"
            + "".join(e.rss for e in fresh)
            + "</channel></rss>\n"
        ).encode()


class Handler(BaseHTTPRequestHandler):
    server: Arxiv

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.arrivals.append((time.monotonic(), url.path))
        if url.path == "/api/query":
            body = self.server.api({k: v[0] for k, v in parse_qs(url.query).items()})
        elif url.path == "/rss/cs.AI+cs.CV":
            body = self.server.rss()
        else:
            self.send_error(404)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


def environment(home: Path, src: Path) -> dict[str, str]:
    return {**os.environ, "RADAR_HOME": str(home), "PYTHONPATH": str(src)}


def first_listing(db: Path, stop: threading.Event, began: float, seen: list[float]) -> None:
    """Poll the cache read-only until it holds papers with an announcement day; look once more
    when the sync has ended (a fast sync can end between two polls)."""
    while True:
        ended = stop.wait(0.25)
        if _announced(db):
            seen.append(time.monotonic() - began)
            return
        if ended:
            return


def _announced(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            found = conn.execute("SELECT 1 FROM papers WHERE announced IS NOT NULL LIMIT 1")
            return found.fetchone() is not None
    except sqlite3.Error:
        return False


# Linux keeps a process's peak RSS across exec, and a child forked from this (big) process
# would start with ours: a small launcher runs `radar sync` and reports the sync's own peak.
# It ignores SIGINT, so that Ctrl-C (sent to the group) interrupts the sync alone.
_LAUNCHER = """
import os, signal, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
signal.signal(signal.SIGINT, signal.SIG_IGN)
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_sync(home: Path, src: Path, interrupt_after: float | None) -> dict[str, Any]:
    """One `radar sync`: wall time, exit code, peak RSS (MB), when list --today had papers."""
    stop, seen = threading.Event(), []
    peak = home / "sync.maxrss"
    began = time.monotonic()
    watcher = threading.Thread(
        target=first_listing, args=(home / "radar.db", stop, began, seen), daemon=True
    )
    watcher.start()
    process = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, str(peak), sys.executable, "-m", "radar", "sync", "-v"],
        env=environment(home, src),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if interrupt_after is not None:
        ctrl_c = threading.Timer(interrupt_after, os.killpg, args=(process.pid, signal.SIGINT))
        ctrl_c.start()
    stderr = process.stderr.read() if process.stderr else ""
    returncode = process.wait()
    seconds = time.monotonic() - began
    stop.set()
    watcher.join()
    return {
        "seconds": seconds,
        "exit": returncode,
        "peak_mb": int(peak.read_text() or 0) / 1024,
        "listed_at": seen[0] if seen else None,
        "stderr": stderr,
    }


def confirm_listing(home: Path, src: Path) -> int:
    """How many papers the real `radar list --today` prints (piped)."""
    done = subprocess.run(
        [sys.executable, "-m", "radar", "list", "--today", "--limit", "0"],
        env=environment(home, src),
        capture_output=True,
        text=True,
        check=False,
    )
    return len(done.stdout.splitlines())


def cached(home: Path) -> int:
    with sqlite3.connect(home / "radar.db") as conn:
        return int(conn.execute("SELECT count(*) FROM papers").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="radar's src/ to run")
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--papers", type=int, default=20000)
    parser.add_argument("--delay", type=float, default=3.0, help="[arxiv] delay_seconds")
    parser.add_argument("--interrupt-after", type=float, default=None)
    parser.add_argument("--extra", default="", help="more [arxiv] lines, e.g. page_size = 200")
    args = parser.parse_args()
    today = datetime.now(UTC).date()
    entries = month(args.papers, today)
    server = Arxiv(entries, today)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    in_window = sum(1 for e in entries if e.day >= today - timedelta(days=30))
    print(f"serving {in_window:,} papers of the last 30 days at {base}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "radar.toml").write_text(
            f'[arxiv]\napi_url = "{base}/api/query"\nrss_url = "{base}/rss/"\n'
            f"delay_seconds = {args.delay}\n{args.extra}\n"
            '[follow]\ncategories = ["cs.AI", "cs.CV"]\n'
        )
        runs = [run_sync(home, args.src, args.interrupt_after)]
        listed = confirm_listing(home, args.src) if runs[0]["listed_at"] is not None else 0
        first_requests = len(server.arrivals)
        if args.interrupt_after is not None:
            runs.append(run_sync(home, args.src, None))
        arrivals = [at for at, _ in server.arrivals]
        gaps = [b - a for a, b in itertools.pairwise(arrivals)]
        papers = cached(home)
    for run in runs:
        print(run["stderr"][-2000:], file=sys.stderr)
    first = runs[0]
    listed_at = f"{first['listed_at']:.1f} s" if first["listed_at"] is not None else "never"
    row = [
        args.label,
        f"{first_requests}",
        f"{first['seconds']:.1f} s",
        f"{listed_at} ({listed} papers)",
        f"{first['peak_mb']:.0f} MB",
        f"{min(gaps):.2f} s" if gaps else "-",
        f"{papers:,}",
        f"{first['exit']}",
    ]
    if len(runs) > 1:
        again = runs[1]
        row += [
            f"{len(server.arrivals) - first_requests}",
            f"{again['seconds']:.1f} s",
            f"{again['peak_mb']:.0f} MB",
            f"{again['exit']}",
        ]
    print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
