"""The polite HTTP client every upstream shares: one request at a time, spaced, bounded, retried.

arXiv's terms ask for one request every few seconds over one connection; cron needs timeouts.
"""

from __future__ import annotations

import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from http.client import HTTPException, IncompleteRead
from typing import Any

from radar import __version__
from radar.errors import NetworkError

log = logging.getLogger(__name__)

USER_AGENT = f"radar/{__version__} (+https://github.com/radar-papers/radar)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A Retry-After beyond this is not waited for: cron would rather fail now and try next run.
MAX_RETRY_AFTER = 300.0


@dataclass(frozen=True)
class Response:
    """A finished request: final URL, status, headers (lower-case names) and the whole body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class HttpClient:
    """Sequential GETs with a global minimum spacing, a timeout, and bounded retries.

    `delay_seconds` separates the end of one request from the start of the next, for every
    request made through this client (retries included), so one client per run keeps API and
    RSS traffic together under arXiv's limit. `clock`, `sleep` and `jitter` are injectable so
    tests never wait for real.
    """

    delay_seconds: float = 3.0
    timeout_seconds: float = 30.0
    max_retries: int = 4
    backoff_seconds: float = 2.0  # first retry waits about this long, then doubles
    max_backoff_seconds: float = 120.0
    user_agent: str = USER_AGENT
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    requests: int = 0  # requests sent (attempts, retries included)
    _last_done: float | None = field(default=None, repr=False)

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        """GET `url`, retrying 429/5xx/connection errors; other statuses are returned as-is.

        Extra `headers` (e.g. If-None-Match, If-Modified-Since) are sent with every attempt.
        Raises NetworkError once the retries are used up.
        """
        attempt = 0
        while True:
            problem, wait_hint, response = self._attempt(url, headers or {})
            if response is not None and response.status not in RETRY_STATUSES:
                return response
            if attempt >= self.max_retries:
                raise NetworkError(
                    f"{url}: {problem} (gave up after {attempt + 1} attempts)",
                )
            pause = self._backoff(attempt, wait_hint)
            log.info("retrying %s in %.1fs after %s", url, pause, problem)
            self.sleep(pause)
            attempt += 1

    def _attempt(
        self, url: str, headers: Mapping[str, str]
    ) -> tuple[str, float | None, Response | None]:
        """One request: (problem description, Retry-After seconds, response or None)."""
        self._wait_turn()
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, **headers}, method="GET"
        )
        self.requests += 1
        try:
            deadline = time.monotonic() + self.timeout_seconds
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as raw:
                body = _read_until(raw, deadline)
                response = Response(raw.geturl(), raw.status, _headers(raw.headers), body)
        except urllib.error.HTTPError as exc:
            body = _read_quietly(exc)
            response = Response(url, exc.code, _headers(exc.headers), body)
        except TimeoutError:
            return f"no answer within {self.timeout_seconds:g}s", None, None
        except (urllib.error.URLError, HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                return f"no answer within {self.timeout_seconds:g}s", None, None
            return f"connection failed: {reason or type(exc).__name__}", None, None
        finally:
            self._last_done = self.clock()
        problem = f"HTTP {response.status}"
        return problem, retry_after(response.header("retry-after"), self._now()), response

    def _wait_turn(self) -> None:
        if self._last_done is None:
            return
        remaining = self._last_done + self.delay_seconds - self.clock()
        if remaining > 0:
            self.sleep(remaining)

    def _backoff(self, attempt: int, retry_after_seconds: float | None) -> float:
        exponential = min(self.max_backoff_seconds, self.backoff_seconds * 2**attempt)
        pause = exponential * (0.5 + self.jitter() / 2)  # "equal jitter": never below half
        if retry_after_seconds is not None:
            pause = max(pause, min(retry_after_seconds, MAX_RETRY_AFTER))
        return pause

    @staticmethod
    def _now() -> datetime:
        return datetime.now(UTC)


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), if valid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _read_until(raw: Any, deadline: float) -> bytes:
    """The whole body, or TimeoutError: a server trickling bytes must not outlast the timeout."""
    chunks = []
    while chunk := raw.read1(65536):  # read1: whatever has arrived, so the deadline is checked
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError("body not complete in time")
    body = b"".join(chunks)
    expected = raw.headers.get("Content-Length", "")
    if expected.isdigit() and int(expected) != len(body):  # no Accept-Encoding is sent
        raise IncompleteRead(body, int(expected) - len(body))
    return body


def _headers(message: Message | None) -> dict[str, str]:
    if message is None:
        return {}
    return {name.lower(): value for name, value in message.items()}


def _read_quietly(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read()
    except (OSError, HTTPException):
        return b""
