"""Ingest benchmarks for run.py: parse+store throughput of recorded arXiv data, sync memory.

Recorded responses come from tests/data (copied there by the sync tests, unchanged); each
repetition gives their papers fresh ids, so every paper is a new insert as in a real sync.
"""

from __future__ import annotations

import itertools
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from fake_upstreams import DOI_PATTERN, fake_arxiv, fresh_ids, recorded, url
from harness import ROOT, run_command

from radar.paper import Paper, Sighting
from radar.store import Store

DATA = ROOT / "tests" / "data"
NOT_BUILT = "n/a (not built yet)"
API_PAGE = 200  # radar's default page_size
PAPERS_PER_RUN = 5_000
SYNC_PAPERS = 30_000
SYNC_AUTHOR = "Yantao Li"
_NEW_STYLE = re.compile(r"^\d{4}\.\d{4,5}$")
_ENTRY_ID = re.compile(rb"<id>[^<]*/abs/(\d{4}\.\d{4,5})")


@dataclass
class Throughput:
    papers: int = 0
    parse: list[float] = field(default_factory=list)
    store: list[float] = field(default_factory=list)
    per_run: list[float] = field(default_factory=list)  # papers/s of each run

    def row(self, label: str, target: str) -> str:
        rates = self.per_run
        parse_us = 1e6 * sum(self.parse) / self.papers
        store_us = 1e6 * sum(self.store) / self.papers
        verdict = "met" if statistics.median(rates) >= 5_000 else "**missed**"
        return (
            f"| {label} | {statistics.median(rates):,.0f} ({min(rates):,.0f}-{max(rates):,.0f}) "
            f"| {parse_us:,.0f} | {store_us:,.0f} | {target} | {verdict} |"
        )


def api_template(arxiv_api: object) -> bytes | None:
    """One API page of API_PAGE entries, cycling through every recorded entry with a new id."""
    from lxml import etree

    bodies = []
    for path in sorted((DATA / "arxiv-api").glob("*")):
        if path.suffix not in (".xml", ".json"):
            continue
        body = recorded(path)
        try:
            page = arxiv_api.parse_page(body)  # type: ignore[attr-defined]
        except Exception:
            continue  # error feeds and the like
        if page.papers and all(_NEW_STYLE.match(p.id) for p in page.papers):
            bodies.append(body)
    if not bodies:
        return None
    roots = [etree.fromstring(b) for b in bodies]
    atom = "{http://www.w3.org/2005/Atom}entry"
    # Serialised before any is detached (a detached element loses its default namespace).
    entries = [etree.tostring(e) for root in roots for e in root.findall(atom)]
    page_root = roots[0]
    for entry in page_root.findall(atom):
        page_root.remove(entry)
    # Each copy gets its own placeholder id (every occurrence: <id>, links), so the page holds
    # API_PAGE distinct papers and fresh_ids() later makes each of them new.
    for number, text in enumerate(itertools.islice(itertools.cycle(entries), API_PAGE)):
        original = _ENTRY_ID.search(text)
        if original:
            text = text.replace(original.group(1), f"1001.{number:05d}".encode())
        for doi in set(DOI_PATTERN.findall(text)):  # a DOI is an identity too: one per copy
            text = text.replace(doi, f"10.5555/radar-copy.{number}".encode())
        page_root.append(etree.fromstring(text))
    return bytes(etree.tostring(page_root, xml_declaration=True, encoding="UTF-8"))


def _measure(
    template: bytes,
    parse: Callable[[bytes], tuple[Paper, ...]],
    open_store: Callable[[], tuple[Store, bool]],
    runs: int,
) -> Throughput:
    result = Throughput()
    for run in range(runs):
        counter = itertools.count(1)
        per_page = len(parse(template))
        bodies = [
            fresh_ids(template, 9000 + run, counter)
            for _ in range(max(1, PAPERS_PER_RUN // per_page))
        ]
        store, rollback = open_store()
        if rollback:
            store.conn.execute("BEGIN")  # upserts nest as savepoints; nothing is kept
        run_started = time.perf_counter()
        count = 0
        try:
            for body in bodies:
                started = time.perf_counter()
                papers = parse(body)
                parsed = time.perf_counter()
                store.upsert_papers(papers)  # one transaction per page, as sync writes
                result.parse.append(parsed - started)
                result.store.append(time.perf_counter() - parsed)
                count += len(papers)
            result.per_run.append(count / (time.perf_counter() - run_started))
            result.papers += count
        finally:
            if rollback:
                store.conn.execute("ROLLBACK")
            store.close()
    return result


def measure_ingest(db: Path, runs: int, log: Callable[[str], None]) -> str:
    try:
        from radar.sources import arxiv_api, arxiv_rss
    except ImportError:
        return NOT_BUILT
    api_body = api_template(arxiv_api)
    rss_files = sorted((DATA / "arxiv-rss").glob("*.xml"))
    if api_body is None or not rss_files:
        return f"{NOT_BUILT}: no recorded arXiv responses in tests/data"
    rss_body = rss_files[0].read_bytes()
    rss_category = re.search(rb"<title>([\w.-]+) updates on arXiv", rss_body)
    categories = [rss_category.group(1).decode()] if rss_category else ["quant-ph"]
    sighting = Sighting("arxiv-api:category:quant-ph", "arXiv (quant-ph)")

    def parse_api(body: bytes) -> tuple[Paper, ...]:
        return tuple(arxiv_api.parse_page(body, sighting).papers)

    def parse_rss(body: bytes) -> tuple[Paper, ...]:
        return tuple(arxiv_rss.parse_feed(body, categories).papers)

    with tempfile.TemporaryDirectory(prefix="radar-ingest-") as tmp:
        fresh = itertools.count()

        def empty() -> tuple[Store, bool]:
            return Store.open(Path(tmp) / f"empty-{next(fresh)}.db"), False

        def big() -> tuple[Store, bool]:
            return Store.open(db), True

        lines = [
            "| ingest (parse + upsert_papers, FTS triggers included) | papers/s, median "
            "(min-max) | parse us/paper | store us/paper | target | |",
            "|---|---|---|---|---|---|",
        ]
        cases = [
            (f"arXiv API, {API_PAGE}-entry pages of recorded entries", parse_api, api_body),
            ("arXiv RSS, the recorded 81-item feed", parse_rss, rss_body),
        ]
        for label, parse, body in cases:
            for where, opener in (
                ("into an empty cache", empty),
                ("into the benchmark cache", big),
            ):
                log(f"ingest: {label} {where}")
                result = _measure(body, parse, opener, runs)
                lines.append(result.row(f"{label}, {where}", ">= 5,000"))
    return "\n".join(lines)


# --- sync memory ----------------------------------------------------------------------------


def sync_papers() -> list[Paper]:
    """SYNC_PAPERS synthetic papers, each co-authored by the followed author, newest first."""
    from make_cache import SyntheticArxiv

    papers = [
        replace(p, authors=(SYNC_AUTHOR, *p.authors[:5]), sources=())
        for p in SyntheticArxiv(papers=SYNC_PAPERS, seed=11)
    ]
    return papers[::-1]


def measure_sync(runs: int, log: Callable[[str], None]) -> str:
    probe = run_command(
        [sys.executable, "-m", "radar", "sync", "--help"], Path(tempfile.gettempdir())
    )
    if probe.missing_command:
        return NOT_BUILT
    papers = sync_papers()
    lines = [
        f"| sync of {SYNC_PAPERS:,} papers (author follow, page_size 2000, delay 0, local fake "
        "arXiv) | median (min-max) | target | |",
        "|---|---|---|---|",
    ]
    rss, seconds, failures = [], [], []
    with fake_arxiv(papers) as server, tempfile.TemporaryDirectory(prefix="radar-sync-") as tmp:
        for run in range(runs):
            log(f"sync: run {run + 1}/{runs}")
            home = Path(tmp) / f"home-{run}"
            home.mkdir()
            (home / "radar.toml").write_text(
                "[follow]\n"
                f'authors = ["{SYNC_AUTHOR}"]\n'
                "categories = []\n\n"
                "[arxiv]\n"
                f'api_url = "{url(server)}/api/query"\n'
                f'rss_url = "{url(server)}/rss/"\n'
                "delay_seconds = 0\n"
                "page_size = 2000\n"
                f"author_max_papers = {SYNC_PAPERS}\n"
            )
            db = home / "radar.db"
            outcome = run_command(
                [sys.executable, "-m", "radar", "--db", str(db), "sync"],
                home,
                tty=False,
                peak_memory=True,
            )
            with Store.open(db) as store:
                stored = store.count_papers()
            if outcome.returncode != 0 or stored != SYNC_PAPERS:
                failures.append(f"exit {outcome.returncode}, {stored} stored: {outcome.tail()}")
                continue
            rss.append(outcome.max_rss_mb)
            seconds.append(outcome.seconds)
    if not rss:
        return f"sync failed: {failures[0]}"
    peak = statistics.median(rss)
    rate = [SYNC_PAPERS / s for s in seconds]
    lines.append(
        f"| peak memory (max RSS of the `radar sync` process) | {peak:,.0f} MB "
        f"({min(rss):,.0f}-{max(rss):,.0f}) | < 200 MB | {'met' if peak < 200 else '**missed**'} |"
    )
    lines.append(
        f"| wall time | {statistics.median(seconds):.1f} s ({min(seconds):.1f}-{max(seconds):.1f}) "
        "| | |"
    )
    lines.append(
        "| end-to-end rate (process start, HTTP from the local server, parse, store) | "
        f"{statistics.median(rate):,.0f} papers/s ({min(rate):,.0f}-{max(rate):,.0f}) | "
        "informational | |"
    )
    if failures:
        lines.append(f"\n{len(failures)} run(s) failed: {failures[0]}")
    return "\n".join(lines)
