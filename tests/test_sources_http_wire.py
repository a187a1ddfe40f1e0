"""One GET on the wire (radar.sources.http_wire) over loopback: deadlines, TLS, the size cap,
and every wire failure in words a user can read and with the kind the retry rules need."""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from urllib3.connection import HTTPConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from werkzeug import Response

from radar.sources.http_wire import WireFailure, _classify, _Watchdog, get_once

HANG_LIMIT = 30.0  # seconds: far beyond every deadline below; only a hang reaches it


def fetch(url: str, *, timeout: float = 5.0, max_bytes: int = 1_000_000) -> WireFailure:
    """The WireFailure of one GET, run in a thread so that a hang fails the test."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(get_once(url, {}, timeout=timeout, max_bytes=max_bytes))
        except WireFailure as failure:
            outcome.append(failure)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_LIMIT)
    assert not worker.is_alive(), f"the GET of {url} was still running after {HANG_LIMIT}s"
    (failure,) = outcome
    assert isinstance(failure, WireFailure), failure
    return failure


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[bytes]]]:
    """Accepts, records the first bytes the client sends, and never answers."""
    heard: list[bytes] = []
    stop = threading.Event()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(HANG_LIMIT)

        def serve() -> None:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                heard.append(conn.recv(5))
                stop.wait(HANG_LIMIT)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        yield server.getsockname()[1], heard
        stop.set()
        thread.join(HANG_LIMIT)


def test_an_https_url_speaks_tls_and_a_stalled_handshake_ends_at_the_deadline(
    silent_server: tuple[int, list[bytes]],
) -> None:
    port, heard = silent_server
    failure = fetch(f"https://127.0.0.1:{port}/feed", timeout=0.3)
    assert (failure.kind, failure.problem) == ("timeout", "no answer within 0.3s")
    assert heard[0][:1] == b"\x16"  # a TLS handshake record, never the request in clear text


def test_a_plain_http_url_sends_its_request_as_is(silent_server: tuple[int, list[bytes]]) -> None:
    port, heard = silent_server
    failure = fetch(f"http://127.0.0.1:{port}/feed", timeout=0.3)
    assert (failure.kind, failure.problem) == ("timeout", "no answer within 0.3s")
    assert heard == [b"GET /"]


def test_a_connection_that_is_never_accepted_ends_at_the_deadline() -> None:
    """A full accept queue drops the SYN: the connect itself hangs, as behind a firewall."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):  # takes the queue's one place
            failure = fetch(f"http://127.0.0.1:{port}/feed", timeout=0.3)
    assert (failure.kind, failure.problem) == ("timeout", "no answer within 0.3s")


def test_a_refused_connection_says_so_in_the_systems_words() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, not listening: connecting is refused
        failure = fetch(f"http://127.0.0.1:{port}/feed")
    assert (failure.kind, failure.problem) == ("connect", "connection failed: Connection refused")
    assert str(failure) == failure.problem


# --- the watchdog behind the deadline --------------------------------------------------------


@pytest.fixture
def thread_errors(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Exceptions raised in other threads (the watchdog's timer): Python prints them on stderr."""
    seen: list[object] = []
    monkeypatch.setattr(threading, "excepthook", seen.append)
    return seen


def fire(conn: HTTPConnection) -> None:
    """Let a watchdog on `conn` reach its deadline, and wait for it to finish."""
    with _Watchdog(conn, 0.01) as watchdog:
        watchdog.timer.join(HANG_LIMIT)
    assert watchdog.fired


def test_the_deadline_shuts_the_socket_the_connection_holds(thread_errors: list[object]) -> None:
    """While a TLS handshake runs, only the connection holds the socket (radar's copy of it is
    taken once `connect()` returns): the deadline shuts that one."""
    conn = HTTPConnection("127.0.0.1", 1)
    ours, theirs = socket.socketpair()
    with ours, theirs:
        conn.sock = ours
        fire(conn)
        theirs.settimeout(5)
        assert theirs.recv(1) == b""  # shut down: the other end reads the end of the stream
    assert thread_errors == []


def test_a_deadline_before_any_socket_or_after_it_broke_fails_nothing_else(
    thread_errors: list[object],
) -> None:
    fire(HTTPConnection("127.0.0.1", 1))  # still resolving or connecting: no socket yet
    with socket.socket() as unconnected:
        conn = HTTPConnection("127.0.0.1", 1)
        conn.sock = unconnected  # shutting it down fails (not connected): nothing to interrupt
        fire(conn)
    assert thread_errors == []


# --- the size cap ---------------------------------------------------------------------------


def streamed(body: bytes, piece: int) -> Response:
    """`body` in pieces, chunked: no Content-Length announces its size."""
    return Response(
        (body[i : i + piece] for i in range(0, len(body), piece)), content_type="text/xml"
    )


def test_an_answer_of_exactly_max_bytes_is_taken_announced_or_streamed(
    httpserver: HTTPServer,
) -> None:
    body = bytes(range(256)) * 400  # 102,400 bytes
    httpserver.expect_request("/announced").respond_with_data(body, content_type="text/xml")
    httpserver.expect_request("/streamed").respond_with_handler(lambda r: streamed(body, 1000))
    for path in ("/announced", "/streamed"):
        answer = get_once(httpserver.url_for(path), {}, timeout=5, max_bytes=len(body))
        assert (answer.status, answer.body) == (200, body), path
        assert answer.headers["content-type"] == "text/xml"


def test_a_streamed_answer_is_capped_on_its_whole_size_not_per_read(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/big").respond_with_handler(
        lambda r: streamed(b"z" * 150_000, 10_000)
    )
    failure = fetch(httpserver.url_for("/big"), max_bytes=100_000)
    assert (failure.kind, failure.problem) == (
        "too-large",
        "the answer is larger than max_response_mb (0.1 MB; more was still coming)",
    )


def test_an_endless_answer_stops_at_the_cap_not_at_the_deadline() -> None:
    stopped: list[str] = []
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def serve() -> None:  # chunks of 1,000 bytes for as long as the client reads them
            conn, _ = server.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                try:
                    while True:
                        conn.sendall(b"3e8\r\n" + b"y" * 1000 + b"\r\n")
                except OSError:
                    stopped.append("the client hung up")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        failure = fetch(f"http://127.0.0.1:{server.getsockname()[1]}/", timeout=3, max_bytes=5000)
        thread.join(HANG_LIMIT)
    assert (failure.kind, failure.problem) == (
        "too-large",
        "the answer is larger than max_response_mb (0.005 MB; more was still coming)",
    )
    assert stopped == ["the client hung up"]


def test_a_compressed_answer_is_never_expanded_so_the_cap_counts_what_came(
    httpserver: HTTPServer,
) -> None:
    """radar asks for no compression (Accept-Encoding: identity); a server that compresses
    anyway gets its bytes back as sent: a small gzip bomb cannot expand in memory."""
    bomb = gzip.compress(b"\0" * 2_000_000)  # about 2 KB on the wire
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="text/xml"
    )
    answer = get_once(httpserver.url_for("/bomb"), {}, timeout=5, max_bytes=100_000)
    assert answer.body == bomb
    assert httpserver.log[-1][0].headers.get("Accept-Encoding") == "identity"


# --- every failure in words, with its kind ----------------------------------------------------


def refused(message: str, cause: BaseException | None) -> NewConnectionError:
    error = NewConnectionError(HTTPConnection("example.org"), message)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "kind", "problem"),
    [
        (
            NameResolutionError(
                "feeds.example.org",
                HTTPConnection("feeds.example.org"),
                socket.gaierror(-2, "Name or service not known"),
            ),
            "connect",
            "connection failed: cannot resolve feeds.example.org",
        ),
        (
            refused(
                "Failed to establish a new connection: [Errno 113] No route to host",
                OSError(113, "No route to host"),
            ),
            "connect",
            "connection failed: No route to host",
        ),
        (  # no errno to read: the message's last part
            refused(
                "HTTPConnection(host='x', port=80): Failed: [Errno 101] Network is unreachable",
                None,
            ),
            "connect",
            "connection failed: [Errno 101] Network is unreachable",
        ),
        (
            refused("Network is unreachable", None),
            "connect",
            "connection failed: Network is unreachable",
        ),
        (ConnectTimeoutError("connect timed out"), "timeout", "no answer within 2.5s"),
        (ReadTimeoutError(None, "/feed", "read timed out"), "timeout", "no answer within 2.5s"),  # type: ignore[arg-type]
        (TimeoutError("timed out"), "timeout", "no answer within 2.5s"),
        (
            ConnectionResetError(104, "Connection reset by peer"),
            "broken",
            "connection failed: [Errno 104] Connection reset by peer",
        ),
        # no message at all: its type (an exception is always true: this said "connection failed: ")
        (http.client.RemoteDisconnected(), "broken", "connection failed: RemoteDisconnected"),
        (
            http.client.IncompleteRead(b"abc", 10),
            "broken",
            "connection failed: IncompleteRead(3 bytes read, 10 more expected)",
        ),
        (
            ProtocolError("Connection aborted."),
            "broken",
            "connection failed: ProtocolError: Connection aborted.",
        ),
    ],
)
def test_each_wire_failure_has_its_kind_and_words(
    error: Exception, kind: str, problem: str
) -> None:
    failure = _classify(error, 2.5)
    assert (failure.kind, failure.problem) == (kind, problem)
