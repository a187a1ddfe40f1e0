"""Ingest benchmarks for run.py: parse+store throughput of recorded arXiv data, sync memory.

Recorded responses come from tests/data (copied there by the sync tests, unchanged). Their
entries keep their XML shape, but every copy gets its own title, abstract and authors (from the
synthetic generator of make_cache.py) and fresh ids and DOIs: every paper is a distinct new
insert, as in a real sync, and each page is committed on its own, as sync commits.
"""

from __future__ import annotations

import itertools
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from fake_upstreams import DOI_PATTERN, fake_arxiv, fresh_ids, recorded, url
from harness import ROOT, run_command
from make_cache import SyntheticArxiv

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
_ATOM = "{http://www.w3.org/2005/Atom}"


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


def api_entries(arxiv_api: object) -> tuple[bytes, list[bytes]] | None:
    """The recorded API responses' entries (serialised) and an empty page to hold copies."""
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
    # Serialised before any is detached (a detached element loses its default namespace).
    entries = [etree.tostring(e) for root in roots for e in root.findall(_ATOM + "entry")]
    page_root = roots[0]
    for entry in page_root.findall(_ATOM + "entry"):
        page_root.remove(entry)
    return etree.tostring(page_root), entries


class DistinctText:
    """Titles, abstracts and author lists that never repeat: the synthetic cache's generator."""

    def __init__(self, seed: int) -> None:
        self.papers = iter(SyntheticArxiv(papers=10_000_000, seed=seed))

    def next(self) -> Paper:
        return next(self.papers)


def api_page(empty: bytes, entries: list[bytes], text: DistinctText, first: int) -> bytes:
    """API_PAGE recorded entries (cycled), each with its own text, placeholder id and DOI."""
    from lxml import etree

    page_root = etree.fromstring(empty)
    for offset, entry in enumerate(itertools.islice(itertools.cycle(entries), API_PAGE)):
        number = first + offset
        original = _ENTRY_ID.search(entry)
        if original:  # every occurrence (<id>, links): fresh_ids() later makes it new
            entry = entry.replace(original.group(1), f"1001.{number % 100_000:05d}".encode())
        for doi in set(DOI_PATTERN.findall(entry)):  # a DOI is an identity too
            entry = entry.replace(doi, f"10.5555/radar-copy.{number}".encode())
        element = etree.fromstring(entry)
        _retext(element, text.next())
        page_root.append(element)
    return bytes(etree.tostring(page_root, xml_declaration=True, encoding="UTF-8"))


def _retext(entry: Any, paper: Paper) -> None:
    entry.find(_ATOM + "title").text = paper.title
    entry.find(_ATOM + "summary").text = paper.abstract
    names = entry.findall(f"{_ATOM}author/{_ATOM}name")
    for index, name in enumerate(names):
        name.text = paper.authors[index % len(paper.authors)] + (
            f" {index // len(paper.authors)}" if index >= len(paper.authors) else ""
        )


_ITEM = re.compile(rb"<item>.*?</item>", re.S)


def rss_page(feed: bytes, text: DistinctText) -> bytes:
    """The recorded RSS feed with every item's title, abstract and authors new."""

    def item(match: re.Match[bytes]) -> bytes:
        paper = text.next()
        block = match.group()
        block = re.sub(rb"<title>.*?</title>", b"<title>" + _xml(paper.title) + b"</title>", block)
        block = re.sub(
            rb"(Abstract: ).*?(</description>)",
            lambda m: m.group(1) + _xml(paper.abstract) + m.group(2),
            block,
            flags=re.S,
        )
        authors = _xml(", ".join(paper.authors))
        return re.sub(rb"<dc:creator>.*?</dc:creator>", b"<dc:creator>" + authors +
                      b"</dc:creator>", block, flags=re.S)  # fmt: skip

    return _ITEM.sub(item, feed)


def _xml(text: str) -> bytes:
    return escape(text).encode()


def _measure(
    make_pages: Callable[[int], list[bytes]],
    parse: Callable[[bytes], tuple[Paper, ...]],
    open_store: Callable[[], Store],
    runs: int,
) -> Throughput:
    result = Throughput()
    for run in range(runs):
        store = open_store()
        counter = itertools.count(1)
        prefix = _unused_prefix(store)
        bodies = [fresh_ids(page, prefix, counter) for page in make_pages(run)]
        run_started = time.perf_counter()
        count = 0
        try:
            for body in bodies:
                started = time.perf_counter()
                papers = parse(body)
                parsed = time.perf_counter()
                store.upsert_papers(papers)  # one committed transaction per page, as sync
                result.parse.append(parsed - started)
                result.store.append(time.perf_counter() - parsed)
                count += len(papers)
            result.per_run.append(count / (time.perf_counter() - run_started))
            result.papers += count
        finally:
            store.close()
    return result


def _unused_prefix(store: Store) -> int:
    """An id prefix (YYMM) no paper in the cache uses yet: every paper of the run is new."""
    rng = random.Random()
    while True:
        prefix = rng.randrange(9000, 9999)
        used = store.conn.execute(
            "SELECT 1 FROM papers WHERE id >= ? AND id < ? LIMIT 1",
            (f"{prefix}.", f"{prefix}/"),
        ).fetchone()
        if used is None:
            return prefix


def measure_ingest(db: Path, runs: int, log: Callable[[str], None]) -> str:
    """Papers/s into an empty cache and into `db` (a copy: pages are committed into it)."""
    try:
        from radar.sources import arxiv_api, arxiv_rss
    except ImportError:
        return NOT_BUILT
    recorded_api = api_entries(arxiv_api)
    rss_files = sorted((DATA / "arxiv-rss").glob("*.xml"))
    if recorded_api is None or not rss_files:
        return f"{NOT_BUILT}: no recorded arXiv responses in tests/data"
    empty_page, entries = recorded_api
    rss_body = rss_files[0].read_bytes()
    rss_category = re.search(rb"<title>([\w.-]+) updates on arXiv", rss_body)
    categories = [rss_category.group(1).decode()] if rss_category else ["quant-ph"]
    sighting = Sighting("arxiv-api:category:quant-ph", "arXiv (quant-ph)")
    text = DistinctText(seed=int(time.time()))  # new words and names in every run

    def api_pages(run: int) -> list[bytes]:
        count = max(1, PAPERS_PER_RUN // API_PAGE)
        return [api_page(empty_page, entries, text, i * API_PAGE) for i in range(count)]

    def rss_pages(run: int) -> list[bytes]:
        items = len(_ITEM.findall(rss_body))
        return [rss_page(rss_body, text) for _ in range(max(1, PAPERS_PER_RUN // items))]

    def parse_api(body: bytes) -> tuple[Paper, ...]:
        return tuple(arxiv_api.parse_page(body, sighting).papers)

    def parse_rss(body: bytes) -> tuple[Paper, ...]:
        return tuple(arxiv_rss.parse_feed(body, categories).papers)

    with tempfile.TemporaryDirectory(prefix="radar-ingest-") as tmp:
        fresh = itertools.count()

        def empty() -> Store:
            return Store.open(Path(tmp) / f"empty-{next(fresh)}.db")

        def big() -> Store:
            return Store.open(db)

        lines = [
            "| ingest (parse + upsert_papers, FTS triggers included, a commit per page) | "
            "papers/s, median (min-max) | parse us/paper | store us/paper | target | |",
            "|---|---|---|---|---|---|",
        ]
        cases = [
            (f"arXiv API, {API_PAGE}-entry pages of recorded entries", parse_api, api_pages),
            ("arXiv RSS, pages of the recorded 81-item feed", parse_rss, rss_pages),
        ]
        for label, parse, pages in cases:
            for where, opener in (
                ("into an empty cache", empty),
                ("into the benchmark cache", big),
            ):
                log(f"ingest: {label} {where}")
                result = _measure(pages, parse, opener, runs)
                lines.append(result.row(f"{label}, distinct papers, {where}", ">= 5,000"))
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
        f"| sync of {SYNC_PAPERS:,} papers (author follow, default page_size {API_PAGE}, delay 0, "
        "local fake arXiv) | median (min-max) | target | |",
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
