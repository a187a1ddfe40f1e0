"""Local stand-ins for arXiv and an LLM provider, for benchmarks/run.py (not for the tests).

A fake arXiv API serving generated Atom pages of any size, and an OpenAI-compatible chat server
that answers every call after a fixed latency. Both listen on 127.0.0.1 in a thread.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from radar.paper import Paper

ATOM_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" '
    'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
    "  <title>ArXiv Query: benchmark</title>\n"
    "  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
    "  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    "  <opensearch:itemsPerPage>{count}</opensearch:itemsPerPage>\n"
)


def recorded(path: Path) -> bytes:
    """A recorded response body: a `.json` exchange's body, or a raw file."""
    if path.suffix == ".json":
        return str(json.loads(path.read_text("utf-8"))["body"]).encode("utf-8")
    return path.read_bytes()


_NEW_ID = re.compile(rb"(?<![\d.])\d{4}\.\d{4,5}(?!\d)")
DOI_PATTERN = re.compile(rb"10\.\d{4,9}/[^\s<>\"&]+")


def fresh_ids(body: bytes, prefix: int, counter: Iterator[int]) -> bytes:
    """`body` with every new-style arXiv id and every DOI replaced by an unused one.

    DOIs too: radar folds papers sharing a DOI into one, so a reused DOI is no new paper.
    """
    mapping: dict[bytes, bytes] = {}

    def new_id(match: re.Match[bytes]) -> bytes:
        old = match.group()
        if old not in mapping:
            mapping[old] = f"{prefix:04d}.{next(counter):05d}".encode()
        return mapping[old]

    def new_doi(match: re.Match[bytes]) -> bytes:
        old = match.group()
        if old not in mapping:
            mapping[old] = f"10.5555/radar-bench.{prefix}.{next(counter)}".encode()
        return mapping[old]

    return DOI_PATTERN.sub(new_doi, _NEW_ID.sub(new_id, body))


def atom_entry(paper: Paper) -> str:
    categories = "".join(
        f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>\n'
        for c in paper.categories
    )
    authors = "".join(
        f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in paper.authors
    )
    stamp = f"{paper.published}T18:00:00Z"
    optional = ""
    if paper.comment:
        optional += f"    <arxiv:comment>{escape(paper.comment)}</arxiv:comment>\n"
    if paper.doi:
        optional += f"    <arxiv:doi>{escape(paper.doi)}</arxiv:doi>\n"
    if paper.journal_ref:
        optional += f"    <arxiv:journal_ref>{escape(paper.journal_ref)}</arxiv:journal_ref>\n"
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{paper.id}v{paper.version}</id>\n"
        f"    <updated>{paper.updated}T18:00:00Z</updated>\n"
        f"    <published>{stamp}</published>\n"
        f"    <title>{escape(paper.title)}</title>\n"
        f"    <summary>{escape(paper.abstract)}</summary>\n"
        f"{authors}{optional}"
        f'    <link href="http://arxiv.org/abs/{paper.id}v{paper.version}" rel="alternate" '
        'type="text/html"/>\n'
        f'    <link title="pdf" href="http://arxiv.org/pdf/{paper.id}v{paper.version}" '
        'rel="related" type="application/pdf"/>\n'
        f'    <arxiv:primary_category term="{paper.primary_category}" '
        'scheme="http://arxiv.org/schemas/atom"/>\n'
        f"{categories}"
        "  </entry>\n"
    )


def atom_page(papers: Sequence[Paper], *, total: int, start: int) -> bytes:
    head = ATOM_HEAD.format(total=total, start=start, count=len(papers))
    return (head + "".join(atom_entry(p) for p in papers) + "</feed>\n").encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    papers: Sequence[Paper] = ()
    latency: float = 0.0
    calls: list[tuple[float, float]]
    answer: str = ""


class _ArxivHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        start = int(query.get("start", "0"))
        size = int(query.get("max_results", "10"))
        papers = self.server.papers
        body = atom_page(papers[start : start + size], total=len(papers), start=start)
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ChatHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        arrived = time.monotonic()
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        time.sleep(self.server.latency)  # the provider "thinking": what concurrency must hide
        prompt = json.dumps(request.get("messages", []))
        cited = sorted(set(re.findall(r"\d{4}\.\d{4,5}", prompt)))[:5]
        text = self.server.answer or "## Overview\n\nA benchmark briefing.\n\n" + "\n".join(
            f"- [{i}](https://arxiv.org/abs/{i})" for i in cited
        )
        body = json.dumps(
            {
                "id": "chatcmpl-bench",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.get("model", "bench"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": 50,
                          "total_tokens": len(prompt) // 4 + 50},
            }
        ).encode()  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.calls.append((arrived, time.monotonic()))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], **state: Any) -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), handler)
    server.calls = []
    for key, value in state.items():
        setattr(server, key, value)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def fake_arxiv(papers: Sequence[Paper]) -> Any:
    """A fake arXiv API answering any query with `papers` (newest first), paged by start."""
    return serving(_ArxivHandler, papers=papers)


def fake_chat(latency: float) -> Any:
    """An OpenAI-compatible /chat/completions that answers each call after `latency` seconds."""
    return serving(_ChatHandler, latency=latency)


def url(server: _Server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"
