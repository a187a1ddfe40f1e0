"""radar.sources.http: spacing, timeouts, retries, backoff and Retry-After, over loopback."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest

from radar import __version__
from radar.errors import NetworkError
from radar.sources.http import USER_AGENT, HttpClient, retry_after
from tests.fake_arxiv import FakeArxiv, recorded

RSS = "arxiv-rss/rss2024_quant-ph_2025-04-28_81items_new_cross_replace.xml"


class FakeTime:
    """A clock that only moves when the client sleeps: backoff is recorded, never waited."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client(fake_time: FakeTime, **options: object) -> HttpClient:
    values: dict[object, object] = {
        "delay_seconds": 3.0,
        "timeout_seconds": 5.0,
        "max_retries": 3,
        "clock": fake_time.clock,
        "sleep": fake_time.sleep,
        "jitter": lambda: 0.0,
        **options,
    }
    return HttpClient(**values)  # type: ignore[arg-type]


@pytest.fixture
def feed(fake_arxiv: FakeArxiv) -> str:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    return fake_arxiv.rss_url + "quant-ph"


def test_get_returns_status_headers_body_and_sends_user_agent(
    fake_arxiv: FakeArxiv, feed: str
) -> None:
    response = client(FakeTime()).get(feed, headers={"If-None-Match": '"abc"'})
    assert response.status == 200 and response.ok
    assert response.body == recorded(RSS)
    assert (
        response.header(
            "Content-Type",
        )
        == "application/rss+xml; charset=utf-8"
    )
    sent = fake_arxiv.requests()[0].headers
    assert (
        sent["User-Agent"]
        == USER_AGENT
        == f"radar/{__version__} (+https://github.com/radar-papers/radar)"
    )
    assert sent["If-None-Match"] == '"abc"'


def test_a_sub_second_delay_is_kept_too(fake_arxiv: FakeArxiv, feed: str) -> None:
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=0.5)
    http.get(feed)
    http.get(feed)
    assert fake_time.sleeps == [0.5]


def test_requests_are_spaced_by_delay_seconds_including_retries(
    fake_arxiv: FakeArxiv, feed: str
) -> None:
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=3.0)
    fake_arxiv.fail_next("503")
    http.get(feed)  # 503, backoff, retry
    http.get(feed)
    assert http.requests == 3
    # the first request never waits; the retry waits its backoff (already > 3 s of spacing
    # would be topped up); the third waits the full spacing since nothing else passed
    assert fake_time.sleeps[0] == pytest.approx(1.0)  # backoff 2 s * (0.5 + 0 jitter)
    assert fake_time.sleeps[1] == pytest.approx(2.0)  # topped up to 3 s after the backoff
    assert fake_time.sleeps[2] == pytest.approx(3.0)


def test_503_then_success_is_retried_with_exponential_backoff(
    fake_arxiv: FakeArxiv, feed: str
) -> None:
    fake_time = FakeTime()
    fake_arxiv.fail_next("503", "503", "503")
    response = client(fake_time, delay_seconds=0).get(feed)
    assert response.status == 200
    assert len(fake_arxiv.requests()) == 4
    assert fake_time.sleeps == pytest.approx([1.0, 2.0, 4.0])  # 2 * 2**n, halved by jitter 0


def test_jitter_spreads_the_backoff(fake_arxiv: FakeArxiv, feed: str) -> None:
    fake_time = FakeTime()
    fake_arxiv.fail_next("503")
    client(fake_time, delay_seconds=0, jitter=lambda: 1.0).get(feed)
    assert fake_time.sleeps == pytest.approx([2.0])


def test_gives_up_after_max_retries_with_a_clear_error(fake_arxiv: FakeArxiv, feed: str) -> None:
    fake_arxiv.fail_next("503", "503", "503")
    http = client(FakeTime(), delay_seconds=0, max_retries=2)
    with pytest.raises(NetworkError, match=r"HTTP 503 \(gave up after 3 attempts\)"):
        http.get(feed)
    assert len(fake_arxiv.requests()) == 3


@pytest.mark.parametrize(
    ("failure", "timeout"),
    [("hang", 0.2), ("trickle", 0.3)],  # no answer at all; a body sent a byte at a time
)
def test_a_hung_or_trickling_server_times_out_instead_of_hanging(
    fake_arxiv: FakeArxiv, feed: str, failure: str, timeout: float
) -> None:
    fake_arxiv.fail_next(failure)
    began = time.monotonic()
    with pytest.raises(NetworkError, match=re.escape(f"no answer within {timeout}s")):
        client(FakeTime(), timeout_seconds=timeout, max_retries=0).get(feed)
    assert time.monotonic() - began < 5


def test_cut_connection_is_retried(fake_arxiv: FakeArxiv, feed: str) -> None:
    fake_arxiv.fail_next("cut")
    response = client(FakeTime(), delay_seconds=0).get(feed)
    assert response.body == recorded(RSS)
    assert len(fake_arxiv.requests()) == 2


def test_connection_refused_is_retried_then_reported() -> None:
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=0, max_retries=1)
    with pytest.raises(NetworkError, match="connection failed"):
        http.get("http://127.0.0.1:9/nothing")
    assert http.requests == 2 and len(fake_time.sleeps) == 1


def test_client_errors_are_returned_not_retried(fake_arxiv: FakeArxiv, feed: str) -> None:
    fake_arxiv.fail_next("400")
    response = client(FakeTime()).get(feed)
    assert response.status == 400 and b"incorrect id format" in response.body
    assert len(fake_arxiv.requests()) == 1


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after("120", now) == 120.0
    assert retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after("Thu, 01 Jan 2026 12:00:30 -0000", now) == 30.0  # "-0000": no zone given
    assert retry_after("Thu, 01 Jan 2026 14:00:30 +0200", now) == 30.0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None
