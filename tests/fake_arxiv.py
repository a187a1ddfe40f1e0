"""A pytest plugin: a fake arXiv API + RSS server on 127.0.0.1 that replays recorded responses.

It logs every request with its arrival time and fails on demand: 503, 429 + Retry-After, a hang,
a slow trickle, a truncated body, a cut connection, arXiv's HTTP 400 error feed.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

DATA = Path(__file__).parent / "data"
RSS_FILE = "arxiv-rss/rss2024_quant-ph_2025-04-28_81items_new_cross_replace.xml"
FAILURES = ("503", "429", "hang", "truncate", "cut", "400", "trickle")


def recorded(name: str) -> bytes:
    """A recorded response body from tests/data (a `.json` exchange's body, or raw `.xml`)."""
    path = DATA / name
    if path.suffix == ".json":
        return json.loads(path.read_text("utf-8"))["body"].encode("utf-8")
    return path.read_bytes()


def empty_api_page() -> bytes:
    return recorded("arxiv-api/api2026_empty_idlist_0000.0000_total0.json")


def error_feed() -> bytes:
    return recorded("arxiv-api/api2026_error_idlist_abc_http400.json")


def author_not_found(person_id: str) -> bytes:
    """arxiv-browse's answer to an unknown author id: BadRequest rendered by its 400.html."""
    message = f"Author {person_id} not found"
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><title>{message}</title></head>\n<body>\n'
        f"<h1>{message}</h1>\n<p>The server cannot process your request due to syntax errors, "
        "missing \n  required data or invalid content-type. Please check your URL and try "
        "again.</p>\n</body>\n</html>\n"
    ).encode()


@dataclass(frozen=True)
class Logged:
    at: float  # time.monotonic() when the request arrived
    path: str
    query: dict[str, str]
    headers: dict[str, str]

    @property
    def start(self) -> int:
        return int(self.query.get("start", "0"))


@dataclass
class Failure:
    mode: str
    retry_after: str | None = None
    where: str | None = None  # only requests whose path+query contains this


@dataclass
class FakeArxiv:
    """Routes: API pages by (search_query, start), RSS feeds by the categories path."""

    base: str = ""
    api: dict[tuple[str, int], tuple[int, bytes]] = field(default_factory=dict)
    rss: dict[str, bytes] = field(default_factory=dict)
    authors: dict[str, bytes] = field(default_factory=dict)  # author id or ORCID -> .atom body
    failures: list[Failure] = field(default_factory=list)
    log: list[Logged] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/query"

    @property
    def rss_url(self) -> str:
        return f"{self.base}/rss/"

    @property
    def author_feed_url(self) -> str:
        return f"{self.base}/a/"

    def add_author(self, person_id: str, body: bytes) -> None:
        self.authors[person_id] = body

    def add_api(self, query: str, start: int, body: bytes, status: int = 200) -> None:
        self.api[(query, start)] = (status, body)

    def add_rss(self, categories: str, body: bytes) -> None:
        self.rss[categories] = body

    def fail_next(
        self, *modes: str, retry_after: str | None = None, where: str | None = None
    ) -> None:
        """Make the next matching requests fail, in order, one mode each."""
        for mode in modes:
            assert mode in FAILURES, mode
            self.failures.append(Failure(mode, retry_after, where))

    def requests(self, path: str = "") -> list[Logged]:
        with self.lock:
            return [r for r in self.log if r.path.startswith(path)]

    def config(self, **arxiv: object) -> str:
        """A radar.toml [arxiv] table pointing at this server (no delay, short timeouts)."""
        values: dict[str, object] = {
            "api_url": self.api_url,
            "rss_url": self.rss_url,
            "author_feed_url": self.author_feed_url,
            "delay_seconds": 0,
            "timeout_seconds": 5,
            "max_retries": 2,
            **arxiv,
        }
        lines = [f"{k} = {json.dumps(v)}" for k, v in values.items()]
        return "[arxiv]\n" + "\n".join(lines) + "\n"

    # --- serving --------------------------------------------------------------------------

    def _take_failure(self, target: str) -> Failure | None:
        with self.lock:
            for index, failure in enumerate(self.failures):
                if failure.where is None or failure.where in target:
                    return self.failures.pop(index)
        return None

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        with self.lock:
            self.log.append(Logged(time.monotonic(), url.path, query, dict(handler.headers)))
        failure = self._take_failure(handler.path)
        status, body = self._route(url.path, query)
        if failure is not None:
            self._fail(handler, failure, body)
            return
        _send(handler, status, body)

    def _route(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if path == "/api/query":
            key = (query.get("search_query", ""), int(query.get("start", "0")))
            return self.api.get(key, (200, empty_api_page()))
        if path.startswith("/rss/"):
            body = self.rss.get(path.removeprefix("/rss/"))
            return (200, body) if body is not None else (404, b"not found")
        if path.startswith("/a/") and path.endswith(".atom"):
            person = unquote(path.removeprefix("/a/").removesuffix(".atom"))
            body = self.authors.get(person)
            return (200, body) if body is not None else (400, author_not_found(person))
        return 404, b"not found"

    def _fail(self, handler: BaseHTTPRequestHandler, failure: Failure, body: bytes) -> None:
        if failure.mode == "503":
            _send(handler, 503, b"Service Unavailable")
        elif failure.mode == "429":
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            _send(handler, 429, b"Too Many Requests", headers)
        elif failure.mode == "400":
            _send(handler, 400, error_feed())
        elif failure.mode == "truncate":  # a complete HTTP answer holding half a document
            _send(handler, 200, body[: len(body) // 2])
        elif failure.mode == "cut":  # promises the whole body, sends half, hangs up
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
        elif failure.mode == "trickle":  # a byte at a time, each well within a socket timeout
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            for byte in body:
                if self.release.wait(0.01):
                    break
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
        elif failure.mode == "hang":
            self.release.wait(60)


def _send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    handler.send_response(status)
    kind = "application/atom+xml" if b"<feed" in body[:400] else "application/rss+xml"
    handler.send_header("Content-Type", f"{kind}; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def serve(fake: FakeArxiv) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # a client that gave up (timeout) is what a hung server sees next
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                fake.respond(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture
def fake_arxiv() -> Iterator[FakeArxiv]:
    """A running fake arXiv; `fake_arxiv.config()` is the radar.toml [arxiv] table for it."""
    fake = FakeArxiv()
    server = serve(fake)
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
