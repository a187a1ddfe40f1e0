"""One GET on the wire (urllib3's connection): a total deadline, a size cap, honest failures.

urllib3's timeouts bound each socket operation; a server sending a byte a second never trips
them, so a watchdog closes the socket when the request's whole time is up.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from urllib3.connection import HTTPConnection

CHUNK = 65536


class WireFailure(Exception):
    """One attempt failed before a complete answer; `kind` says how (for retry decisions)."""

    def __init__(self, kind: str, problem: str) -> None:
        super().__init__(problem)
        self.kind = kind  # "timeout", "connect" (refused, DNS, unreachable), "broken", "too-large"
        self.problem = problem


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: status, headers (lower-case names), body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class _Watchdog:
    """Shuts the connection's socket down when `seconds` have passed since it started."""

    def __init__(self, conn: HTTPConnection, seconds: float) -> None:
        self.conn = conn
        self.sock: socket.socket | None = None  # http.client drops conn.sock once answered
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        sock = self.sock or getattr(self.conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing left to interrupt
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def get_once(url: str, headers: Mapping[str, str], *, timeout: float, max_bytes: int) -> Answer:
    """GET `url` once: the whole answer within `timeout` seconds and `max_bytes`, or WireFailure."""
    from urllib3.util import parse_url

    parts = parse_url(url)
    conn = _connection(parts.scheme or "http", parts.host or "", parts.port, timeout)
    watchdog = _Watchdog(conn, timeout)
    try:
        with watchdog:
            try:
                conn.connect()
                watchdog.sock = conn.sock
                if watchdog.fired:  # the time ran out while connecting
                    raise TimeoutError
                answer = _exchange(conn, parts.request_uri, headers, max_bytes)
                if watchdog.fired:  # a cut-short answer can look complete: it is not
                    raise TimeoutError
                return answer
            except WireFailure:
                raise
            except Exception as exc:  # urllib3, http.client, ssl and socket errors alike
                if watchdog.fired:
                    raise WireFailure("timeout", f"no answer within {timeout:g}s") from None
                raise _classify(exc, timeout) from None
    finally:
        conn.close()


def _connection(scheme: str, host: str, port: int | None, timeout: float) -> HTTPConnection:
    from urllib3.connection import HTTPConnection, HTTPSConnection

    cls = HTTPSConnection if scheme == "https" else HTTPConnection
    return cls(host, port, timeout=timeout)


def _exchange(
    conn: HTTPConnection, target: str, headers: Mapping[str, str], max_bytes: int
) -> Answer:
    conn.request("GET", target, headers=dict(headers), preload_content=False)
    raw = conn.getresponse()
    size = raw.headers.get("Content-Length", "")
    if size.isdigit() and int(size) > max_bytes:
        raise WireFailure("too-large", _too_large(max_bytes, f"{int(size):,} bytes announced"))
    chunks, total = [], 0
    while chunk := raw.read(CHUNK, decode_content=False):
        total += len(chunk)
        if total > max_bytes:
            raise WireFailure("too-large", _too_large(max_bytes, "more was still coming"))
        chunks.append(chunk)
    answer = {name.lower(): value for name, value in raw.headers.items()}
    return Answer(raw.status, answer, b"".join(chunks))


def _too_large(max_bytes: int, detail: str) -> str:
    return f"the answer is larger than max_response_mb ({max_bytes / 1_000_000:g} MB; {detail})"


def _classify(exc: Exception, timeout: float) -> WireFailure:
    """A urllib3/socket error as a WireFailure a user can read."""
    from urllib3.exceptions import (
        ConnectTimeoutError,
        NameResolutionError,
        NewConnectionError,
        ReadTimeoutError,
    )

    if isinstance(exc, NameResolutionError):
        return WireFailure("connect", f"connection failed: cannot resolve {exc.conn.host}")
    if isinstance(exc, NewConnectionError):
        reason = getattr(exc.__cause__, "strerror", None) or str(exc).rsplit(": ", 1)[-1]
        return WireFailure("connect", f"connection failed: {reason}")
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
        return WireFailure("timeout", f"no answer within {timeout:g}s")
    if isinstance(exc, OSError | HTTPException):
        return WireFailure("broken", f"connection failed: {str(exc) or type(exc).__name__}")
    return WireFailure("broken", f"connection failed: {type(exc).__name__}: {exc}")
