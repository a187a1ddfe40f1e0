"""Identity follows through `radar sync`: a person's arXiv listing, served over 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

from pytest_httpserver import HTTPServer

from radar.config.settings import Settings, load_settings
from radar.sources.http import HttpClient
from radar.store import Store, SyncState
from radar.sync.follows import select_follows
from radar.sync.run import SyncSummary, run_sync
from tests.author_feed import api_entries, author_feed
from tests.conftest import invoke
from tests.fake_arxiv import FakeArxiv

DEL_MAESTRO = ("arxiv-api/legacy2016_author_au_del_maestro_10of31.xml",)
MURRAY = "arxiv-api/legacy2016_idlist_1111.2011v2_doi_journalref_2cats.xml"


def configure(home: Path, author_feed_url: str, identities: dict[str, str]) -> Settings:
    people = "".join(f'"{name}" = "{pid}"\n' for name, pid in identities.items())
    (home / "radar.toml").write_text(
        "[arxiv]\ndelay_seconds = 0\ntimeout_seconds = 5\nmax_retries = 0\n"
        f'author_feed_url = "{author_feed_url}"\n'
        f"[follow]\ncategories = []\n[follow.identities]\n{people}"
    )
    return load_settings()


def sync(settings: Settings) -> SyncSummary:
    http = HttpClient(delay_seconds=0, timeout_seconds=5, max_retries=0, sleep=lambda s: None)
    return run_sync(settings, select_follows(settings), http=http)


def result(summary: SyncSummary, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in summary.results if r.follow.key == key)


def listing(person_id: str, name: str, *recorded: str, abstract: str | None = None) -> bytes:
    body = author_feed(person_id, name, api_entries(*recorded)).decode()
    if abstract is not None:  # the first entry's abstract, changed by its author
        body = re.sub(
            r"<summary>.*?</summary>", f"<summary>{abstract}</summary>", body, count=1, flags=re.S
        )
    return body.encode()


def test_identity_sync_stores_the_listing_with_its_sighting_and_state(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_author("delmaestro_a_1", listing("delmaestro_a_1", "A. D. M.", *DEL_MAESTRO))
    fake_arxiv.add_author("murray_j_1", listing("murray_j_1", "J. M.", MURRAY))
    settings = configure(
        radar_home,
        fake_arxiv.author_feed_url,
        {"Adrian Del Maestro": "delmaestro_a_1", "James M. Murray": "murray_j_1"},
    )
    earlier = SyncState(  # a failed attempt last week, after a sync that had seen a 2099 paper
        "identity:James M. Murray",
        high_water="2099-01-01",
        last_attempt="2026-11-20T06:00:00+00:00",
        last_success="2026-11-19T06:00:00+00:00",
        last_error="arXiv has no author listing for 'murray_j_1' (..., HTTP 400)",
    )
    with Store.open(settings.db_path) as store:
        store.save_sync_state(earlier)
    summary = sync(settings)
    assert summary.exit_code == 0 and summary.requests == 2
    counted = [(r.follow.key, r.new, r.updated, r.requests) for r in summary.results]
    assert counted == [
        ("identity:Adrian Del Maestro", 10, 0, 1),
        ("identity:James M. Murray", 1, 0, 1),
    ]
    with Store.open(settings.db_path) as store:
        paper = store.get_paper("1111.2011")
        assert paper is not None
        assert paper.source_labels == ("arXiv (James M. Murray, murray_j_1)",)
        first = store.sync_state("identity:Adrian Del Maestro")
        again = store.sync_state("identity:James M. Murray")
    assert first.high_water == "2014-12-19"  # the newest paper on the listing
    assert first.last_error is None and first.last_attempt == first.last_success is not None
    assert again.high_water == "2099-01-01"  # never moved back
    assert again.last_error is None and again.last_attempt == again.last_success
    assert again.last_success is not None and again.last_success > earlier.last_attempt  # type: ignore[operator]


def test_a_changed_listing_counts_its_updated_papers(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_author("murray_j_1", listing("murray_j_1", "J. M.", MURRAY))
    settings = configure(radar_home, fake_arxiv.author_feed_url, {"J. M. Murray": "murray_j_1"})
    sync(settings)
    fake_arxiv.add_author("murray_j_1", listing("murray_j_1", "J. M.", MURRAY, abstract="New."))
    feed = result(sync(settings), "identity:J. M. Murray")
    assert (feed.new, feed.updated, feed.requests) == (0, 1, 1)


def test_a_person_with_no_papers_yet_syncs_with_no_high_water(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_author("new_p_1", author_feed("new_p_1", "New Person", []))
    settings = configure(radar_home, fake_arxiv.author_feed_url, {"New Person": "new_p_1"})
    summary = sync(settings)
    assert summary.exit_code == 0 and result(summary, "identity:New Person").new == 0
    with Store.open(settings.db_path) as store:
        state = store.sync_state("identity:New Person")
    assert state.high_water is None and state.last_success is not None


def test_a_listing_refused_otherwise_names_its_url_and_arxivs_words(
    radar_home: Path, httpserver: HTTPServer
) -> None:
    page = "<html><head><title>Access Denied</title></head><body>Robots</body></html>"
    httpserver.expect_request("/a/li_y_1.atom").respond_with_data(page, status=403)
    settings = configure(radar_home, httpserver.url_for("/a/"), {"Yantao Li": "li_y_1"})
    feed = result(sync(settings), "identity:Yantao Li")
    assert feed.errors == [f"{httpserver.url_for('/a/li_y_1.atom')}: HTTP 403 (Access Denied)"]
    assert feed.requests == 1


def test_dry_run_names_the_persons_listing(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    configure(radar_home, fake_arxiv.author_feed_url, {"Yantao Li": "li_y_1"})
    planned = invoke("sync", "--dry-run")
    assert planned.exit_code == 0, planned.stderr  # type: ignore[attr-defined]
    assert planned.stdout == (  # type: ignore[attr-defined]
        f"GET {fake_arxiv.author_feed_url}li_y_1.atom  "
        "# identity:Yantao Li: the person's own arXiv listing\n"
    )
    assert fake_arxiv.requests() == []
