"""A hung or hostile upstream cannot hold cron: deadline, breaker, Retry-After cap, size cap,
redirect rules, and the wire-level failures behind them, all over real loopback servers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.errors import NetworkError
from radar.sources.http import Breaker, HostDown, host_of
from tests.fake_arxiv import FakeArxiv, recorded
from tests.test_sources_http import RSS, FakeTime, client


def closed_port() -> int:
    """A port nothing listens on: connecting is refused at once (the network is 'down')."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Trickle(BaseHTTPRequestHandler):
    """Sends its status line and headers one byte at a time: every byte well within a
    socket timeout, the whole far beyond the request's deadline."""

    stop = threading.Event()

    def do_GET(self) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X-Pad: " + b"a" * 400
        for byte in head:
            if self.stop.wait(0.02):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def trickling_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed"
    finally:
        _Trickle.stop.set()
        server.shutdown()
        server.server_close()
        _Trickle.stop.clear()


# --- the deadline ---------------------------------------------------------------------------


def test_headers_trickling_a_byte_at_a_time_fail_at_the_deadline(trickling_server: str) -> None:
    # 400+ header bytes at 20 ms each would take 8 s; the deadline covers headers too.
    with pytest.raises(HostDown, match=r"no answer within 0\.3s \(gave up after 1 attempt\)"):
        client(FakeTime(), timeout_seconds=0.3, max_retries=3).get(trickling_server)


def test_a_timeout_is_not_retried_and_the_host_is_then_skipped(
    fake_arxiv: FakeArxiv,
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    fake_arxiv.fail_next("hang")
    http = client(FakeTime(), timeout_seconds=0.2, max_retries=4)
    with pytest.raises(HostDown, match=r"no answer within 0\.2s") as failed:
        http.get(fake_arxiv.rss_url + "quant-ph")
    host = host_of(fake_arxiv.rss_url)
    assert failed.value.message.startswith(fake_arxiv.rss_url + "quant-ph: ")
    assert (failed.value.host, failed.value.skipped) == (host, False)
    with pytest.raises(HostDown) as skipped:
        http.get(fake_arxiv.api_url + "?search_query=x")
    assert skipped.value.message == f"skipped: {host} is not answering"
    # sync counts the skipped follows of a down host under its first error
    assert (skipped.value.host, skipped.value.skipped) == (host, True)
    assert len(fake_arxiv.requests()) == 1  # one timed-out attempt, nothing after it
    assert http.breaker.down == {host: "no answer within 0.2s"}


# --- the circuit breaker --------------------------------------------------------------------


def test_a_refusing_host_is_retried_then_skipped_for_the_rest_of_the_run() -> None:
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=3.0, max_retries=4)
    url = f"http://127.0.0.1:{closed_port()}/rss/cs.AI"
    with pytest.raises(HostDown, match="connection failed") as failed:
        http.get(url)
    assert failed.value.message.startswith(f"{url}: connection failed")
    assert (failed.value.host, failed.value.skipped) == (host_of(url), False)
    assert http.requests == 5
    for _ in range(9):  # nine more follows on the same host cost nothing
        with pytest.raises(HostDown, match="is not answering"):
            http.get(url)
    assert http.requests == 5
    # Modelled time with the default backoff (1+2+4+8 s at the lowest jitter) stays far
    # below cron's two-minute budget; see docs/benchmarks.md for the worst case.
    assert sum(fake_time.sleeps) < 60


def test_a_host_is_its_lower_case_name_and_port() -> None:
    # what the breaker skips together: one server, whatever the case; other ports are others
    assert host_of("https://Export.ArXiv.org/api/query?x=1") == "export.arxiv.org"
    assert host_of("http://127.0.0.1:8080/rss/") == "127.0.0.1:8080"
    assert host_of("http://127.0.0.1:8081/rss/") == "127.0.0.1:8081"
    assert host_of("http://example.org:notaport/feed") == "example.org"


def test_with_nothing_answering_a_second_host_gets_one_attempt() -> None:
    breaker = Breaker()
    first = client(FakeTime(), delay_seconds=0, max_retries=2, breaker=breaker)
    with pytest.raises(HostDown):
        first.get(f"http://127.0.0.1:{closed_port()}/a")
    second = client(FakeTime(), delay_seconds=0, max_retries=2, breaker=breaker)
    with pytest.raises(HostDown, match=r"gave up after 1 attempt\)"):
        second.get(f"http://localhost:{closed_port()}/b")
    assert first.requests == 3 and second.requests == 1


def test_a_host_that_answered_keeps_its_retries_for_other_hosts(
    fake_arxiv: FakeArxiv,
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    breaker = Breaker()
    client(FakeTime(), breaker=breaker).get(fake_arxiv.rss_url + "quant-ph")
    other = client(FakeTime(), delay_seconds=0, max_retries=2, breaker=breaker)
    with pytest.raises(HostDown, match=r"gave up after 3 attempts"):
        other.get(f"http://127.0.0.1:{closed_port()}/b")


def test_a_client_error_does_not_trip_the_breaker(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    http = client(FakeTime())
    assert http.get(fake_arxiv.rss_url + "nope").status == 404
    assert http.get(fake_arxiv.rss_url + "quant-ph").status == 200
    assert http.breaker.down == {}


def test_a_server_error_that_persists_marks_the_host_down(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("oops", status=500)
    http = client(FakeTime(), delay_seconds=0, max_retries=1)
    url = httpserver.url_for("/feed")
    with pytest.raises(HostDown) as failed:
        http.get(url)
    assert failed.value.message == f"{url}: HTTP 500 (gave up after 2 attempts)"
    with pytest.raises(HostDown, match="is not answering"):
        http.get(httpserver.url_for("/other"))
    assert http.requests == 2


def test_a_busy_server_is_reported_but_not_marked_down(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data("busy", status=429)
    http = client(FakeTime(), delay_seconds=0, max_retries=1)
    url = httpserver.url_for("/feed")
    with pytest.raises(NetworkError) as failed:
        http.get(url)
    assert not isinstance(failed.value, HostDown)
    assert failed.value.message == f"{url}: HTTP 429 (gave up after 2 attempts)"
    assert http.breaker.down == {}


# --- Retry-After ----------------------------------------------------------------------------


def test_a_retry_after_beyond_the_cap_fails_at_once_with_the_servers_wait(
    fake_arxiv: FakeArxiv,
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    fake_arxiv.fail_next("429", retry_after="86400")
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=0, max_retry_wait_seconds=60)
    with pytest.raises(NetworkError, match=r"asks to wait 86400s, more than .*60s") as refused:
        http.get(fake_arxiv.rss_url + "quant-ph")
    assert fake_time.sleeps == [] and len(fake_arxiv.requests()) == 1
    assert refused.value.message == (
        f"{fake_arxiv.rss_url}quant-ph: HTTP 429: the server asks to wait 86400s, more than "
        "max_retry_wait_seconds (60s); not waiting"
    )
    assert refused.value.hint == (
        "the next sync tries again; raise [arxiv] max_retry_wait_seconds to wait longer"
    )


def test_a_retry_after_equal_to_the_cap_is_waited(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    fake_arxiv.fail_next("429", retry_after="60")
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=0, max_retry_wait_seconds=60)
    assert http.get(fake_arxiv.rss_url + "quant-ph").status == 200
    assert fake_time.sleeps == [60.0]


def test_a_retry_after_date_already_past_retries_after_the_usual_backoff(
    fake_arxiv: FakeArxiv,
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    fake_arxiv.fail_next("429", retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=0, backoff_seconds=2.0)
    assert http.get(fake_arxiv.rss_url + "quant-ph").status == 200
    assert fake_time.sleeps == [1.0]  # 2 s at the lowest jitter; the date asks for nothing


def test_a_413_is_retried_only_when_it_says_when(httpserver: HTTPServer) -> None:
    # urllib3's rule (RFC 9110): 413 with Retry-After is temporary; without it, final.
    httpserver.expect_oneshot_request("/later").respond_with_data(
        "", status=413, headers={"Retry-After": "7"}
    )
    httpserver.expect_request("/later").respond_with_data("<rss/>")
    httpserver.expect_request("/never").respond_with_data("too big", status=413)
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=0)
    assert http.get(httpserver.url_for("/later")).body == b"<rss/>"
    assert fake_time.sleeps == [7.0]
    assert http.get(httpserver.url_for("/never")).status == 413
    assert http.requests == 3


def test_a_long_wait_within_the_cap_is_waited_and_announced(fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    fake_arxiv.fail_next("429", "429", retry_after="30")
    fake_time, heard = FakeTime(), []
    http = client(fake_time, delay_seconds=0, announce=heard.append)
    assert http.get(fake_arxiv.rss_url + "quant-ph").status == 200
    assert fake_time.sleeps == [30.0, 30.0]
    host = host_of(fake_arxiv.rss_url)
    attempts = http.max_retries + 1
    assert heard == [
        f"{host}: HTTP 429 (attempt 1 of {attempts}); retrying in 30s",
        f"{host}: HTTP 429 (attempt 2 of {attempts}); retrying in 30s",
    ]


def test_every_retry_and_the_host_given_up_are_announced() -> None:
    # What a first sync without network says while it waits: host, attempt n of m, the wait.
    heard: list[str] = []
    fake_time = FakeTime()
    http = client(fake_time, delay_seconds=0, max_retries=2, announce=heard.append)
    url = f"http://127.0.0.1:{closed_port()}/rss/cs.AI"
    host = host_of(url)
    with pytest.raises(HostDown):
        http.get(url)
    waits = [f"{s:.0f}s" for s in fake_time.sleeps]
    assert len(heard) == 3, heard
    assert heard[0].startswith(f"{host}: connection failed: ")
    assert heard[0].endswith(f"(attempt 1 of 3); retrying in {waits[0]}")
    assert heard[1].endswith(f"(attempt 2 of 3); retrying in {waits[1]}")
    assert heard[2].endswith(
        f"(gave up after 3 attempts); skipping {host} for the rest of this run"
    )
    assert http.breaker.unreachable == {host} and http.breaker.answered_hosts == set()


# --- size cap -------------------------------------------------------------------------------


def test_an_announced_oversized_answer_is_refused_unread(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 3000)
    http = client(FakeTime(), max_response_bytes=1000)
    with pytest.raises(NetworkError, match=r"larger than max_response_mb .*3,000 bytes") as info:
        http.get(httpserver.url_for("/big"))
    assert info.value.hint == "raise [arxiv] max_response_mb if this source is really that large"
    assert http.requests == 1  # not retried: the same answer would come again


def test_a_streamed_answer_stops_at_the_cap(httpserver: HTTPServer) -> None:
    def endless(request: Request) -> Response:
        return Response((b"y" * 1000 for _ in range(100)), content_type="text/xml")

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(NetworkError, match=r"larger than max_response_mb"):
        client(FakeTime(), max_response_bytes=5000).get(httpserver.url_for("/stream"))


# --- redirects ------------------------------------------------------------------------------


def _redirect(httpserver: HTTPServer, path: str, target: str) -> None:
    httpserver.expect_request(path).respond_with_data("", status=302, headers={"Location": target})


def test_redirects_are_followed_up_to_five(httpserver: HTTPServer) -> None:
    for hop in range(5):
        _redirect(httpserver, f"/r{hop}", f"/r{hop + 1}")
    httpserver.expect_request("/r5").respond_with_data("<rss/>")
    response = client(FakeTime(), delay_seconds=0).get(httpserver.url_for("/r0"))
    assert response.status == 200 and response.body == b"<rss/>"
    assert response.url == httpserver.url_for("/r5")


def test_a_sixth_redirect_fails_naming_the_target(httpserver: HTTPServer) -> None:
    for hop in range(6):
        _redirect(httpserver, f"/r{hop}", f"/r{hop + 1}")
    with pytest.raises(
        NetworkError, match=r"more than 5 redirects \(the last to http.*/r6\)"
    ) as info:
        client(FakeTime(), delay_seconds=0).get(httpserver.url_for("/r0"))
    assert info.value.hint == "open the URL in a browser and use the address it ends at"


def test_a_redirect_to_another_scheme_is_refused_naming_it(httpserver: HTTPServer) -> None:
    _redirect(httpserver, "/feed", "ftp://files.example.org/feed.xml")
    with pytest.raises(
        NetworkError, match=r"redirects to ftp://files\.example\.org/feed\.xml"
    ) as info:
        client(FakeTime(), delay_seconds=0).get(httpserver.url_for("/feed"))
    assert info.value.hint == "radar only follows http and https redirects; fix the URL"


def test_a_redirect_to_file_is_refused(httpserver: HTTPServer) -> None:
    _redirect(httpserver, "/feed", "file:///etc/passwd")
    with pytest.raises(NetworkError, match=r"file:///etc/passwd, which is not http\(s\)"):
        client(FakeTime(), delay_seconds=0).get(httpserver.url_for("/feed"))


def test_a_redirect_from_http_to_https_is_followed(httpserver: HTTPServer) -> None:
    # the usual upgrade (arXiv, journals): followed, so the failure is the https host's own
    target = f"https://127.0.0.1:{closed_port()}/feed"
    _redirect(httpserver, "/feed", target)
    http = client(FakeTime(), delay_seconds=0, max_retries=0)
    with pytest.raises(HostDown) as failed:
        http.get(httpserver.url_for("/feed"))
    assert failed.value.message.startswith(f"{target}: connection failed")


def test_only_a_redirect_with_a_location_is_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        "<rss/>", headers={"Location": "/elsewhere"}
    )
    httpserver.expect_request("/moved").respond_with_data("", status=302)
    httpserver.expect_request("/elsewhere").respond_with_data("wrong")
    http = client(FakeTime(), delay_seconds=0)
    assert http.get(httpserver.url_for("/feed")).body == b"<rss/>"
    assert http.get(httpserver.url_for("/moved")).status == 302
    assert http.requests == 2


def test_a_host_that_answered_then_failed_is_down_but_not_unreachable(
    fake_arxiv: FakeArxiv,
) -> None:
    # sync says "could not be reached: check your network" only for hosts that never answered
    fake_arxiv.add_rss("quant-ph", recorded(RSS))
    http = client(FakeTime(), delay_seconds=0, max_retries=1)
    assert http.get(fake_arxiv.rss_url + "quant-ph").status == 200
    fake_arxiv.fail_next("503", "503")
    with pytest.raises(HostDown):
        http.get(fake_arxiv.rss_url + "quant-ph")
    host = host_of(fake_arxiv.rss_url)
    assert http.breaker.answered_hosts == {host} and http.breaker.unreachable == set()
    assert http.breaker.down == {host: "HTTP 503"}
