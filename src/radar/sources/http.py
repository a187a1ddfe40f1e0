"""The polite HTTP client every upstream shares: one request at a time, spaced, bounded, retried.

arXiv's terms ask for one request every few seconds over one connection; cron needs a run that
gives up fast: a total deadline per request, a size cap, and a per-host circuit breaker.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from radar import __version__
from radar.errors import NetworkError
from radar.sources.http_wire import Answer, WireFailure, get_once

if TYPE_CHECKING:
    from urllib3.util import Retry

log = logging.getLogger(__name__)

USER_AGENT = f"radar/{__version__} (+https://github.com/radar-papers/radar)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


class HostDown(NetworkError):
    """A host failed a request after its retries, or was skipped because it had."""

    default_hint = "check your network or the site's status; the next sync tries again"

    def __init__(self, message: str, *, host: str, skipped: bool = False) -> None:
        super().__init__(message)
        self.host = host
        self.skipped = skipped


@dataclass
class Breaker:
    """Hosts that stopped answering during this run; shared by every client of one run."""

    down: dict[str, str] = field(default_factory=dict)  # host -> what went wrong
    answered: int = 0  # requests that got any HTTP answer this run
    answered_hosts: set[str] = field(default_factory=set)  # hosts that answered at least once
    unreachable: set[str] = field(default_factory=set)  # down hosts that never gave an answer

    def network_suspect(self) -> bool:
        """Nothing answered yet and a host failed to connect: later hosts get one attempt."""
        return self.answered == 0 and bool(self.down)


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
    """Sequential GETs with a minimum spacing, a total deadline, a size cap, bounded retries.

    `delay_seconds` separates the end of one request from the start of the next, for every
    request made through this client (retries included). `breaker` is shared with clones
    (`dataclasses.replace`), so a host that stopped answering is skipped by every client of
    the run. `clock`, `sleep` and `jitter` are injectable so tests never wait for real.
    """

    delay_seconds: float = 3.0
    timeout_seconds: float = 30.0
    max_retries: int = 4
    backoff_seconds: float = 2.0  # first retry waits about this long, then doubles
    max_backoff_seconds: float = 120.0
    max_retry_wait_seconds: float = 60.0  # a longer Retry-After fails the request at once
    max_response_bytes: int = 50_000_000
    user_agent: str = USER_AGENT
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    announce: Callable[[str], None] | None = None  # told about each retry and each host given up
    breaker: Breaker = field(default_factory=Breaker)
    requests: int = 0  # requests sent (attempts, retries and redirects included)
    _last_done: float | None = field(default=None, repr=False)

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        """GET `url`, following up to 5 http(s) redirects and retrying 429/5xx/connection
        errors; other statuses are returned as they are.

        Extra `headers` (e.g. If-None-Match) go with every attempt. Raises NetworkError (a
        HostDown when the host is not answering) once the retries are used up.
        """
        current, policy = url, self._policy()
        while True:
            response = self._with_retries(current, headers or {})
            if response.status not in REDIRECT_STATUSES or not response.header("location"):
                return response
            target = urljoin(current, response.header("location") or "")
            if urlsplit(target).scheme not in ("http", "https"):
                raise NetworkError(
                    f"{url}: HTTP {response.status} redirects to {target}, which is not http(s)",
                    hint="radar only follows http and https redirects; fix the URL",
                )
            policy = policy.new(redirect=(policy.redirect or 0) - 1)
            if policy.is_exhausted():
                raise NetworkError(
                    f"{url}: more than {MAX_REDIRECTS} redirects (the last to {target})",
                    hint="open the URL in a browser and use the address it ends at",
                )
            current = target

    def _policy(self) -> Retry:
        """urllib3's retry rules: which statuses retry, how many times, Retry-After honoured."""
        from urllib3.util import Retry

        return Retry(
            total=self.max_retries,
            redirect=MAX_REDIRECTS,
            status_forcelist=RETRY_STATUSES,
            respect_retry_after_header=True,
            raise_on_status=False,
        )

    def _with_retries(self, url: str, headers: Mapping[str, str]) -> Response:
        host = host_of(url)
        if host in self.breaker.down:
            raise HostDown(f"skipped: {host} is not answering", host=host, skipped=True)
        policy = self._policy()
        if self.breaker.network_suspect():
            policy = policy.new(total=0)
        attempt = 0
        while True:
            outcome = self._attempt(url, headers)
            if isinstance(outcome, Response):
                if not policy.is_retry("GET", outcome.status, "retry-after" in outcome.headers):
                    return outcome
                problem, wait_hint = f"HTTP {outcome.status}", self._retry_after(outcome)
            else:
                problem, wait_hint = outcome.problem, None
                if outcome.kind in ("timeout", "too-large"):  # retrying would cost as much again
                    self._give_up(url, host, outcome, attempt)
            if wait_hint is not None and wait_hint > self.max_retry_wait_seconds:
                self._refuse_wait(url, host, problem, wait_hint)
            attempts = (policy.total or 0) + attempt + 1  # this one, the earlier, the left
            policy = policy.new(total=(policy.total or 0) - 1)
            if policy.is_exhausted():
                self._give_up(url, host, outcome, attempt)
            pause = self._backoff(attempt, wait_hint)
            self._say(
                f"{host}: {problem} (attempt {attempt + 1} of {attempts}); retrying in {pause:.0f}s"
            )
            log.info("retrying %s in %.1fs after %s", url, pause, problem)
            self.sleep(pause)
            attempt += 1

    def _give_up(self, url: str, host: str, outcome: Response | WireFailure, attempt: int) -> None:
        tries = f"gave up after {attempt + 1} attempt{'s' if attempt else ''}"
        if isinstance(outcome, Response):
            problem = f"HTTP {outcome.status}"
            if outcome.status < 500:  # 429: busy, not down
                raise NetworkError(f"{url}: {problem} ({tries})")
        else:
            problem = outcome.problem
            if outcome.kind == "too-large":
                raise NetworkError(
                    f"{url}: {problem}",
                    hint="raise [arxiv] max_response_mb if this source is really that large",
                )
        if host not in self.breaker.down:
            self.breaker.down[host] = problem
            if host not in self.breaker.answered_hosts:
                self.breaker.unreachable.add(host)
            self._say(f"{host}: {problem} ({tries}); skipping {host} for the rest of this run")
        raise HostDown(f"{url}: {problem} ({tries})", host=host)

    def _refuse_wait(self, url: str, host: str, problem: str, seconds: float) -> None:
        raise NetworkError(
            f"{url}: {problem}: the server asks to wait {seconds:.0f}s, more than "
            f"max_retry_wait_seconds ({self.max_retry_wait_seconds:g}s); not waiting",
            hint="the next sync tries again; raise [arxiv] max_retry_wait_seconds to wait longer",
        )

    def _say(self, message: str) -> None:
        if self.announce is not None:
            self.announce(message)

    def _attempt(self, url: str, headers: Mapping[str, str]) -> Response | WireFailure:
        """One request after the spacing: the response, or how it failed."""
        self._wait_turn()
        self.requests += 1
        sent = {"User-Agent": self.user_agent, **headers}
        try:
            answer: Answer = get_once(
                url, sent, timeout=self.timeout_seconds, max_bytes=self.max_response_bytes
            )
        except WireFailure as failure:
            return failure
        finally:
            self._last_done = self.clock()
        self.breaker.answered += 1
        self.breaker.answered_hosts.add(host_of(url))
        return Response(url, answer.status, answer.headers, answer.body)

    def _retry_after(self, response: Response) -> float | None:
        return retry_after(response.header("retry-after"), datetime.now(UTC))

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
            pause = max(pause, retry_after_seconds)
        return pause


def host_of(url: str) -> str:
    """What the circuit breaker counts as one host: the name, with a port if the URL gives one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


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
