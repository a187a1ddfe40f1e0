"""Feeds through `radar sync`: recorded feeds served over 127.0.0.1 into a real SQLite cache."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.config.settings import Settings, load_settings
from radar.filters import Filters
from radar.sources.http import HttpClient
from radar.store import Store
from radar.store.queries import select_papers
from radar.sync.follows import select_follows
from radar.sync.run import SyncSummary, run_sync
from tests.conftest import DATA, invoke
from tests.fake_arxiv import FakeArxiv, recorded
from tests.test_sync_run import NoSleep

BIORXIV = (DATA / "feeds/biorxiv_plant-biology_2019_rss1.0_rdf_prism_30items.rdf").read_bytes()
MEDSCAPE = (
    DATA / "feeds/medscape_family-medicine_2025_rss2_double-space-EST-pubdate.xml"
).read_bytes()
PCMAG = (DATA / "feeds-malformed/pcmag_feedburner_2018_illegally_nested_items.xml").read_bytes()
RSS_XML = "application/rss+xml; charset=utf-8"
ETAG = '"bio-v1"'
MODIFIED = "Tue, 27 Aug 2019 10:00:00 GMT"
TODAY = date(2026, 11, 27)
PRB_DOI = "10.1103/PhysRevB.85.115117"  # carried by the recorded arXiv record of 1111.2011


def rss_item_feed(title: str, items: str) -> bytes:
    """A small RSS 2.0 feed built in code (variations no recorded file has)."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"{items}</channel></rss>"
    ).encode()


def configure(home: Path, feeds: dict[str, str], *, extra: str = "", **arxiv: object) -> Settings:
    values = {"delay_seconds": 0, "timeout_seconds": 5, "max_retries": 1, **arxiv}
    text = "[arxiv]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()) + extra
    for name, url in feeds.items():
        text += f"\n[[feeds]]\nname = {json.dumps(name)}\nurl = {json.dumps(url)}\n"
    (home / "radar.toml").write_text(text, encoding="utf-8")
    return load_settings()


def sync(settings: Settings, *, sleep: NoSleep | None = None, **select: str) -> SyncSummary:
    arxiv = settings.arxiv
    sleep = sleep or NoSleep()
    http = HttpClient(
        delay_seconds=arxiv.delay_seconds,
        timeout_seconds=arxiv.timeout_seconds,
        max_retries=arxiv.max_retries,
        sleep=sleep,
        clock=sleep.clock,
        backoff_seconds=0.0,
    )
    return run_sync(settings, select_follows(settings, **select), http=http, today=TODAY)


def result(summary: SyncSummary, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in summary.results if r.follow.key == key)


@pytest.fixture
def store_of() -> Iterator[object]:
    opened: list[Store] = []

    def open_store(settings: Settings) -> Store:
        opened.append(Store.open(settings.db_path))
        return opened[-1]

    yield open_store
    for store in opened:
        store.close()


def conditional(body: bytes) -> object:
    """A handler answering 304 when the client sends back this ETag, else the feed."""

    def handle(request: Request) -> Response:
        if request.headers.get("If-None-Match") == ETAG:
            return Response(status=304, headers={"ETag": ETAG})
        return Response(
            body, headers={"Content-Type": RSS_XML, "ETag": ETAG, "Last-Modified": MODIFIED}
        )

    return handle


def test_feed_sync_stores_papers_and_validators(
    radar_home: Path, httpserver: HTTPServer, store_of
) -> None:
    httpserver.expect_request("/biorxiv").respond_with_handler(conditional(BIORXIV))
    settings = configure(radar_home, {"bioRxiv Plant Biology": httpserver.url_for("/biorxiv")})
    summary = sync(settings)
    feed = result(summary, "feed:bioRxiv Plant Biology")
    assert (feed.new, feed.updated, feed.requests, feed.errors) == (30, 0, 1, [])
    assert summary.requests == 1 and summary.exit_code == 0
    store = store_of(settings)
    assert store.count_papers() == 30
    paper = store.get_paper("10.1101/743294")
    assert paper is not None and paper.id == "doi:10.1101/743294"
    assert paper.source_labels == ("bioRxiv Plant Biology",)
    state = store.sync_state("feed:bioRxiv Plant Biology")
    assert (state.etag, state.last_modified) == (ETAG, MODIFIED)
    assert state.high_water == "2019-08-27" and state.last_error is None
    accept = httpserver.log[0][0].headers["Accept"]
    assert "application/rss+xml" in accept


def test_unchanged_feed_costs_one_304(radar_home: Path, httpserver: HTTPServer, store_of) -> None:
    httpserver.expect_request("/biorxiv").respond_with_handler(conditional(BIORXIV))
    settings = configure(radar_home, {"bioRxiv": httpserver.url_for("/biorxiv")})
    sync(settings)
    before = store_of(settings).sync_state("feed:bioRxiv").last_success
    again = sync(settings)
    feed = result(again, "feed:bioRxiv")
    assert (feed.new, feed.updated, feed.requests, feed.errors) == (0, 0, 1, [])
    request = httpserver.log[-1][0]
    assert request.headers["If-None-Match"] == ETAG
    assert request.headers["If-Modified-Since"] == MODIFIED
    assert httpserver.log[-1][1].status_code == 304
    state = store_of(settings).sync_state("feed:bioRxiv")
    assert state.etag == ETAG and state.last_success is not None and before is not None
    assert store_of(settings).count_papers() == 30


def test_a_new_url_for_a_feed_is_fetched_without_old_validators(
    radar_home: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/old").respond_with_handler(conditional(BIORXIV))
    httpserver.expect_request("/new").respond_with_handler(conditional(BIORXIV))
    settings = configure(radar_home, {"bioRxiv": httpserver.url_for("/old")})
    sync(settings)
    settings = configure(radar_home, {"bioRxiv": httpserver.url_for("/new")})
    summary = sync(settings)
    request, response = httpserver.log[-1]
    assert request.path == "/new" and "If-None-Match" not in request.headers
    assert response.status_code == 200
    assert result(summary, "feed:bioRxiv").updated == 0  # the same 30 papers, unchanged


def test_a_304_to_an_unconditional_request_is_an_error(
    radar_home: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/odd").respond_with_data("", status=304)
    settings = configure(radar_home, {"Odd": httpserver.url_for("/odd")})
    assert result(sync(settings), "feed:Odd").errors == [f"{httpserver.url_for('/odd')}: HTTP 304"]


def test_404_and_html_page_fail_alone_while_another_feed_succeeds(
    radar_home: Path, httpserver: HTTPServer, store_of
) -> None:
    httpserver.expect_request("/medscape").respond_with_data(MEDSCAPE, content_type=RSS_XML)
    httpserver.expect_request("/gone").respond_with_data("Not Found", status=404)
    page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Log in</body></html>"
    httpserver.expect_request("/wall").respond_with_data(page, content_type="text/html")
    settings = configure(
        radar_home,
        {
            "Gone": httpserver.url_for("/gone"),
            "Wall": httpserver.url_for("/wall"),
            "Medscape": httpserver.url_for("/medscape"),
        },
    )
    summary = sync(settings)
    assert summary.exit_code == 1 and len(summary.failed) == 2
    assert result(summary, "feed:Gone").errors == [f"{httpserver.url_for('/gone')}: HTTP 404"]
    assert result(summary, "feed:Wall").errors == [
        f"{httpserver.url_for('/wall')} is an HTML page, not an RSS or Atom feed"
    ]
    assert result(summary, "feed:Medscape").new == 20
    store = store_of(settings)
    assert store.count_papers() == 20
    assert store.sync_state("feed:Gone").last_error == f"{httpserver.url_for('/gone')}: HTTP 404"
    assert store.sync_state("feed:Medscape").last_error is None


def test_cli_reports_each_failing_feed_and_exits_1(
    radar_home: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/gone").respond_with_data("Not Found", status=404)
    httpserver.expect_request("/pcmag").respond_with_data(PCMAG, content_type=RSS_XML)
    configure(
        radar_home, {"Gone": httpserver.url_for("/gone"), "PCMag": httpserver.url_for("/pcmag")}
    )
    run = invoke("sync", "--verbose")
    assert run.exit_code == 1
    assert f"error: feed:Gone: {httpserver.url_for('/gone')}: HTTP 404" in run.stderr
    assert "warning: feed:PCMag: dropped 10 empty entries" in run.stderr  # once, for the feed
    assert run.stderr.count("warning:") == 1
    assert "feed:PCMag: 10 new" in run.stdout


def test_same_doi_in_two_feeds_is_one_paper(
    radar_home: Path, httpserver: HTTPServer, store_of
) -> None:
    # A second feed (built in code) links the same preprint through its DOI.
    other = rss_item_feed(
        "Plant picks",
        (
            "<item><title>Wheat inositol pyrophosphate kinase</title>"
            "<link>https://doi.org/10.1101/743294</link>"
            "<description>Our pick.</description></item>"
        ),
    )
    httpserver.expect_request("/biorxiv").respond_with_data(BIORXIV, content_type=RSS_XML)
    httpserver.expect_request("/picks").respond_with_data(other, content_type=RSS_XML)
    settings = configure(
        radar_home,
        {
            "bioRxiv": httpserver.url_for("/biorxiv"),
            "Picks": httpserver.url_for("/picks"),
        },
    )
    summary = sync(settings)
    assert result(summary, "feed:bioRxiv").new == 30
    assert (result(summary, "feed:Picks").new, result(summary, "feed:Picks").updated) == (0, 0)
    store = store_of(settings)
    assert store.count_papers() == 30
    paper = store.get_paper("doi:10.1101/743294")
    assert paper is not None and set(paper.source_labels) == {"bioRxiv", "Picks"}
    assert paper.abstract.startswith("Inositol pyrophosphates")  # a second feed fills gaps only
    assert paper.authors[0] == "M. Kaur"  # the fuller record's authors are kept
    picked = select_papers(store, Filters(sources=("picks",)))
    assert [p.id for p in picked] == ["doi:10.1101/743294"]


def test_journal_version_and_arxiv_paper_become_one(
    radar_home: Path, httpserver: HTTPServer, fake_arxiv: FakeArxiv, store_of
) -> None:
    body = recorded("arxiv-api/legacy2016_idlist_1111.2011v2_doi_journalref_2cats.xml")
    fake_arxiv.add_api('au:"Adrian Del Maestro"', 0, body)
    journal = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">'
        '<channel rdf:about="https://journals.aps.org/prb"><title>PRB</title></channel>'
        '<item rdf:about="https://journals.aps.org/prb/abstract/10.1103/PhysRevB.85.115117">'
        "<title>Quantum criticality for extended nodes on a Bethe lattice</title>"
        "<link>https://journals.aps.org/prb/abstract/10.1103/PhysRevB.85.115117</link>"
        f"<prism:doi>{PRB_DOI}</prism:doi><dc:creator>James M. Murray</dc:creator>"
        "<prism:publicationName>Physical Review B</prism:publicationName>"
        "<prism:volume>85</prism:volume><prism:number>11</prism:number>"
        "<dc:date>2012-03-16</dc:date></item></rdf:RDF>"
    ).encode()
    httpserver.expect_request("/prb").respond_with_data(journal, content_type=RSS_XML)
    extra = '[follow]\nauthors = ["Adrian Del Maestro"]\n'
    settings = configure(
        radar_home,
        {"Physical Review B": httpserver.url_for("/prb")},
        extra=extra,
        api_url=fake_arxiv.api_url,
        rss_url=fake_arxiv.rss_url,
    )
    summary = sync(settings)
    assert summary.exit_code == 0, summary.to_dict()
    store = store_of(settings)
    assert store.count_papers() == 1
    paper = store.get_paper("1111.2011")
    assert paper is not None and paper.doi == PRB_DOI
    assert paper.journal == "Physical Review B"
    assert {s.source for s in paper.sources} == {
        "arxiv-api:author:Adrian Del Maestro",
        "feed:Physical Review B",
    }
    assert store.get_paper(f"https://doi.org/{PRB_DOI}") == paper
    # The author follow matches the journal version too (its record carries the author).
    followed = select_papers(store, Filters(followed=True), follow=settings.follow)
    assert [p.id for p in followed] == ["1111.2011"]


def test_author_follow_matches_a_feed_only_paper(
    radar_home: Path, httpserver: HTTPServer, store_of
) -> None:
    httpserver.expect_request("/biorxiv").respond_with_data(BIORXIV, content_type=RSS_XML)
    settings = configure(
        radar_home,
        {"bioRxiv": httpserver.url_for("/biorxiv")},
        extra='[follow]\nauthors = ["Pandey, A. K."]\n',
    )
    sync(settings, feed="bioRxiv")  # the feed only: the author follow needs no arXiv here
    store = store_of(settings)
    mine = select_papers(store, Filters(authors=("A. K. Pandey",)))
    assert "doi:10.1101/743294" in [p.id for p in mine]
    followed = select_papers(store, Filters(followed=True), follow=settings.follow)
    assert "doi:10.1101/743294" in [p.id for p in followed]


def test_sync_feed_option_fetches_only_that_feed(radar_home: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data(MEDSCAPE, content_type=RSS_XML)
    httpserver.expect_request("/b").respond_with_data(BIORXIV, content_type=RSS_XML)
    settings = configure(radar_home, {"A": httpserver.url_for("/a"), "B": httpserver.url_for("/b")})
    summary = sync(settings, feed="b")  # any case
    assert [r.follow.key for r in summary.results] == ["feed:B"]
    assert [entry[0].path for entry in httpserver.log] == ["/b"]
    run = invoke("sync", "--feed", "Nope")
    assert run.exit_code == 2
    assert "not following a feed named 'Nope'" in run.stderr and "'A', 'B'" in run.stderr


def test_dry_run_plans_a_conditional_get(radar_home: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/biorxiv").respond_with_handler(conditional(BIORXIV))
    configure(radar_home, {"bioRxiv": httpserver.url_for("/biorxiv")})
    first = invoke("sync", "--dry-run")
    assert f"GET {httpserver.url_for('/biorxiv')}  # feed:bioRxiv: the whole feed" in first.stdout
    assert invoke("sync").exit_code == 0
    again = invoke("sync", "--dry-run")
    assert "If-None-Match and If-Modified-Since: one 304" in again.stdout
    assert len(httpserver.log) == 1  # dry runs fetch nothing


def test_requests_are_spaced_per_host(radar_home: Path, httpserver: HTTPServer) -> None:
    for path in ("/a", "/b", "/c"):
        httpserver.expect_request(path).respond_with_data(MEDSCAPE, content_type=RSS_XML)
    port = httpserver.port
    settings = configure(
        radar_home,
        {
            "A": f"http://127.0.0.1:{port}/a",
            "B": f"http://localhost:{port}/b",  # another host name: its own spacing
            "C": f"http://127.0.0.1:{port}/c",  # the same host as A: waits its turn
        },
        delay_seconds=60,
    )
    sleep = NoSleep()
    summary = sync(settings, sleep=sleep)
    assert summary.exit_code == 0 and summary.requests == 3
    assert sleep.sleeps == [60.0]  # only C waits, for A's turn on the same host; B does not


def test_server_errors_are_retried(radar_home: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/a").respond_with_data("busy", status=503)
    httpserver.expect_request("/a").respond_with_data(MEDSCAPE, content_type=RSS_XML)
    settings = configure(radar_home, {"A": httpserver.url_for("/a")}, max_retries=2)
    summary = sync(settings)
    feed = result(summary, "feed:A")
    assert (feed.new, feed.requests, feed.errors) == (20, 2, [])


def test_a_hung_feed_times_out(radar_home: Path, httpserver: HTTPServer) -> None:
    def hang(request: Request) -> Response:
        time.sleep(1.5)
        return Response(MEDSCAPE, headers={"Content-Type": RSS_XML})

    httpserver.expect_request("/slow").respond_with_handler(hang)
    settings = configure(
        radar_home, {"Slow": httpserver.url_for("/slow")}, timeout_seconds=0.3, max_retries=0
    )
    summary = sync(settings)
    assert result(summary, "feed:Slow").errors == [
        f"{httpserver.url_for('/slow')}: no answer within 0.3s (gave up after 1 attempt)"
    ]


def test_end_to_end_follow_sync_list_show(radar_home: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/biorxiv").respond_with_handler(conditional(BIORXIV))
    configure(radar_home, {})
    url = httpserver.url_for("/biorxiv")
    assert invoke("follow", "feed", url, "--name", "bioRxiv Plant Biology").exit_code == 0
    assert invoke("sync").exit_code == 0
    listed = invoke("list", "--source", "bioRxiv Plant Biology", "--format", "json", "-n", "0")
    assert listed.exit_code == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 30
    for ref in ("10.1101/743294", "doi:10.1101/743294", "https://doi.org/10.1101/743294"):
        shown = invoke("show", ref)
        assert shown.exit_code == 0, (ref, shown.stderr)
        assert "Wheat inositol pyrophosphate kinase" in shown.stdout
        assert "bioRxiv Plant Biology" in shown.stdout
    assert invoke("show", "10.1101/000000").exit_code == 1


# --- what a sync stores and counts, one detail at a time (mutation testing, issue 14) --------


def configure_feeds(
    home: Path, feeds: list[dict[str, str]], *, extra: str = "", **arxiv: object
) -> Settings:
    """radar.toml with feed tables that may carry more than a name and a URL (`kind`)."""
    values = {"delay_seconds": 0, "timeout_seconds": 5, "max_retries": 1, **arxiv}
    text = "[arxiv]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()) + extra
    for feed in feeds:
        text += "\n[[feeds]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in feed.items())
    (home / "radar.toml").write_text(text, encoding="utf-8")
    return load_settings()


class Verbatim(Response):
    """A response whose headers go out as given (werkzeug drops Last-Modified from a 304)."""

    def get_wsgi_headers(self, environ):  # type: ignore[no-untyped-def]
        return self.headers


def test_a_304_stores_the_validators_it_sends_and_keeps_the_others(
    radar_home: Path, httpserver: HTTPServer, store_of
) -> None:
    answers = [
        Response(
            BIORXIV, headers={"Content-Type": RSS_XML, "ETag": ETAG, "Last-Modified": MODIFIED}
        ),
        Response(status=304, headers={"ETag": '"bio-v2"'}),  # a new ETag, no Last-Modified
        # nginx and others send Last-Modified with a 304 (werkzeug would strip it)
        Verbatim(status=304, headers={"Last-Modified": "Wed, 28 Aug 2019 10:00:00 GMT"}),
    ]
    httpserver.expect_request("/biorxiv").respond_with_handler(lambda request: answers.pop(0))
    settings = configure(radar_home, {"bioRxiv": httpserver.url_for("/biorxiv")})
    sync(settings)
    sync(settings)
    state = store_of(settings).sync_state("feed:bioRxiv")
    assert (state.etag, state.last_modified) == ('"bio-v2"', MODIFIED)
    sync(settings)
    request = httpserver.log[-1][0]
    assert (request.headers["If-None-Match"], request.headers["If-Modified-Since"]) == (
        '"bio-v2"',
        MODIFIED,
    )
    state = store_of(settings).sync_state("feed:bioRxiv")
    assert (state.etag, state.last_modified) == ('"bio-v2"', "Wed, 28 Aug 2019 10:00:00 GMT")
    assert state.last_error is None and state.high_water == "2019-08-27"


def test_a_changed_item_counts_as_updated(radar_home: Path, httpserver: HTTPServer) -> None:
    def feed(abstract: str) -> bytes:
        return rss_item_feed(
            "Picks",
            "<item><title>A result</title><link>https://example.org/papers/1</link>"
            f"<description>{abstract}</description>"
            "<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate></item>",
        )

    bodies = [feed("First version."), feed("Corrected abstract.")]
    httpserver.expect_request("/picks").respond_with_handler(
        lambda request: Response(bodies.pop(0), headers={"Content-Type": RSS_XML})
    )
    settings = configure(radar_home, {"Picks": httpserver.url_for("/picks")})
    first = result(sync(settings), "feed:Picks")
    again = result(sync(settings), "feed:Picks")
    assert (first.new, first.updated) == (1, 0)
    assert (again.new, again.updated) == (0, 1)


def test_an_undated_item_is_dated_by_the_day_of_the_sync(
    radar_home: Path, httpserver: HTTPServer, store_of
) -> None:
    undated = rss_item_feed(
        "Picks", "<item><title>Undated</title><link>https://example.org/papers/2</link></item>"
    )
    httpserver.expect_request("/picks").respond_with_data(undated, content_type=RSS_XML)
    settings = configure(radar_home, {"Picks": httpserver.url_for("/picks")})
    sync(settings)  # today is TODAY, injected
    (paper,) = select_papers(store_of(settings), Filters())
    assert paper.published is None and paper.day == TODAY


def test_a_feed_of_another_kind_than_configured_is_read_with_a_warning(
    radar_home: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/medscape").respond_with_data(MEDSCAPE, content_type=RSS_XML)
    url = httpserver.url_for("/medscape")
    settings = configure_feeds(radar_home, [{"name": "Medscape", "url": url, "kind": "atom"}])
    feed = result(sync(settings), "feed:Medscape")
    assert feed.new == 20 and feed.errors == []
    assert feed.warnings == ["configured as kind = 'atom' but the feed is rss20"]


def test_a_page_served_as_html_is_refused_by_its_content_type(
    radar_home: Path, httpserver: HTTPServer
) -> None:
    # No tag a sniffer would recognise: only the Content-Type says it is a web page.
    httpserver.expect_request("/wall").respond_with_data(
        "Please sign in to continue.", content_type="text/html; charset=utf-8"
    )
    settings = configure(radar_home, {"Wall": httpserver.url_for("/wall")})
    assert result(sync(settings), "feed:Wall").errors == [
        f"{httpserver.url_for('/wall')} is an HTML page, not an RSS or Atom feed"
    ]


def test_requests_are_counted_per_feed_and_for_the_run_and_feeds_do_not_wait_for_arxiv(
    radar_home: Path, httpserver: HTTPServer, fake_arxiv: FakeArxiv
) -> None:
    from tests.author_feed import api_entries, author_feed

    listing = author_feed(
        "murray_j_1",
        "James M. Murray",
        api_entries("arxiv-api/legacy2016_idlist_1111.2011v2_doi_journalref_2cats.xml"),
    )
    fake_arxiv.add_author("murray_j_1", listing)
    for path in ("/a", "/b"):
        httpserver.expect_request(path).respond_with_data(MEDSCAPE, content_type=RSS_XML)
    settings = configure(
        radar_home,
        {"A": httpserver.url_for("/a"), "B": httpserver.url_for("/b")},  # one host
        extra='[follow.identities]\n"James M. Murray" = "murray_j_1"\n',
        author_feed_url=fake_arxiv.author_feed_url,
        delay_seconds=60,
    )
    sleep = NoSleep()
    summary = sync(settings, sleep=sleep)
    assert summary.exit_code == 0, summary.to_dict()
    assert [(r.follow.key, r.requests) for r in summary.results] == [
        ("identity:James M. Murray", 1),
        ("feed:A", 1),
        ("feed:B", 1),
    ]
    assert summary.requests == 3
    # The listing came from arXiv's client; feed A's host has its own spacing and does not
    # wait for arXiv's turn; feed B waits for A's.
    assert sleep.sleeps == [60.0]


def test_a_feed_that_answers_again_clears_its_error_and_records_the_attempt(
    radar_home: Path, httpserver: HTTPServer, store_of
) -> None:
    from radar.store import SyncState

    httpserver.expect_request("/medscape").respond_with_data(MEDSCAPE, content_type=RSS_XML)
    settings = configure(radar_home, {"Medscape": httpserver.url_for("/medscape")})
    url = httpserver.url_for("/medscape")
    failed = SyncState(
        "feed:Medscape",
        last_attempt="2026-11-20T06:00:00+00:00",
        last_success="2026-11-19T06:00:00+00:00",
        last_error=f"{url}: HTTP 503",
    )
    with Store.open(settings.db_path) as store:
        store.save_sync_state(failed)
    sync(settings)
    state = store_of(settings).sync_state("feed:Medscape")
    assert state.last_error is None
    assert state.last_success is not None and state.last_success > failed.last_attempt
    assert state.last_attempt == state.last_success


def test_feeds_served_by_arxiv_keep_arxivs_spacing_and_other_hosts_get_their_own() -> None:
    from radar.sync.feeds import HostClients

    base = HttpClient(delay_seconds=3)
    clients = HostClients(base)
    for url in (
        "https://arxiv.org/a/murray_j_1.atom",
        "https://rss.arxiv.org/rss/cs.AI",
        "https://ARXIV.ORG/list/cs.AI",
    ):
        assert clients.for_url(url) is base, url
    journal = clients.for_url("https://journals.aps.org/prb/feed")
    assert journal is not base and journal.delay_seconds == 3
    assert clients.for_url("https://JOURNALS.aps.org/prl/feed") is journal
    other = clients.for_url("https://notarxiv.org/feed")
    assert other is not base and other is not journal
    assert clients.for_url("https://arxiv.org.example.com/feed") is not base
