"""`radar sync` as a user and cron see it: output, exit codes, a real subprocess, kill -9, locks."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.sync.run import LOCK_NAME, sync_lock
from tests.conftest import SRC, invoke, run_radar
from tests.fake_arxiv import RSS_FILE, FakeArxiv, recorded
from tests.test_sync_run import AUTHOR_Q, DEL_MAESTRO, serve_author_pages


def write_config(
    home: Path,
    fake: FakeArxiv,
    *,
    authors: tuple[str, ...] = (),
    categories: tuple[str, ...] = ("quant-ph",),
    **arxiv: object,
) -> None:
    (home / "radar.toml").write_text(
        fake.config(**arxiv)
        + f"[follow]\nauthors = {json.dumps(list(authors))}\n"
        + f"categories = {json.dumps(list(categories))}\n"
    )


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    """Poll until the server has seen what the test waits for (an event, not a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


@pytest.fixture
def popen(radar_home: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        process = subprocess.Popen(
            [sys.executable, "-m", "radar", *args],
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_cron_run_is_silent_on_success(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    write_config(radar_home, fake_arxiv)
    result = invoke("sync")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout == "" and result.stderr == ""  # type: ignore[attr-defined]
    with sqlite3.connect(radar_home / "radar.db") as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 81


def test_verbose_prints_each_follow_and_the_summary(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    write_config(radar_home, fake_arxiv)
    result = invoke("sync", "--verbose")
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "category:quant-ph: 81 new, 0 updated, 2 requests, ok"
    assert lines[1].startswith("synced 1 follow: 81 new, 0 updated, 0 failed in ")


def test_json_summary(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.add_api(AUTHOR_Q, 0, recorded(DEL_MAESTRO))
    fake_arxiv.fail_next("400", where="search_query=au")
    write_config(radar_home, fake_arxiv, authors=("Adrian Del Maestro",))
    result = invoke("sync", "--json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert (data["ok"], data["new"], data["failed"], data["requests"]) == (False, 81, 1, 3)
    author, category = data["follows"]
    assert author == {
        "follow": "author:Adrian Del Maestro",
        "kind": "author",
        "name": "Adrian Del Maestro",
        "new": 0,
        "updated": 0,
        "requests": 1,
        "ok": False,
        "errors": ["arXiv API error: incorrect id format for abc"],
        "warnings": [],
        "notes": [],
    }
    assert (category["follow"], category["new"], category["ok"]) == ("category:quant-ph", 81, True)
    assert (
        "error: author:Adrian Del Maestro: arXiv API error: incorrect id format for abc"
        in result.stderr
    )  # type: ignore[attr-defined]


def test_failures_go_to_stderr_with_exit_1_even_under_quiet(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    write_config(radar_home, fake_arxiv, max_retries=0)  # no RSS route: the feed answers 404
    result = invoke("sync", "--quiet")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    assert "error: category:quant-ph:" in result.stderr and "HTTP 404" in result.stderr  # type: ignore[attr-defined]


def test_dry_run_lists_requests_without_fetching(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    write_config(radar_home, fake_arxiv, authors=("Yantao Li",), categories=("cs.AI", "cs.CV"))
    result = invoke("sync", "--dry-run")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith(f"GET {fake_arxiv.rss_url}cs.AI+cs.CV  # category:cs.AI")
    assert lines[1].startswith(f"GET {fake_arxiv.api_url}?search_query=cat%3Acs.AI+AND+")
    assert "max_results=2000  # category:cs.AI: backfill since " in lines[1]
    assert lines[-1].startswith(f"GET {fake_arxiv.api_url}?search_query=au%3A%22Yantao+Li%22")
    assert fake_arxiv.requests() == []


def test_one_follow_only(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    write_config(radar_home, fake_arxiv, authors=("Adrian Del Maestro",))
    assert invoke("sync", "--category", "quant-ph").exit_code == 0  # type: ignore[attr-defined]
    assert {r.path for r in fake_arxiv.requests()} == {"/api/query", "/rss/quant-ph"}
    assert all(r.query.get("search_query") != AUTHOR_Q for r in fake_arxiv.requests())


def test_usage_errors_exit_2(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    write_config(radar_home, fake_arxiv)
    unknown = invoke("sync", "--author", "Nobody Here")
    assert unknown.exit_code == 2  # type: ignore[attr-defined]
    assert "not following author 'Nobody Here'" in unknown.stderr  # type: ignore[attr-defined]
    bad_date = invoke("sync", "--since", "notadate")
    assert bad_date.exit_code == 2  # type: ignore[attr-defined]
    # radar's one line, as `radar list --since notadate` prints it; not Click's boxed error
    assert bad_date.stderr.startswith("error: invalid --since date 'notadate'")  # type: ignore[attr-defined]


def test_nothing_followed_says_how_to_follow(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    write_config(radar_home, fake_arxiv, categories=())
    result = invoke("sync")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "nothing is followed" in result.stderr and "radar follow" in result.stderr  # type: ignore[attr-defined]


def test_lock_held_exits_3(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    write_config(radar_home, fake_arxiv)
    with sync_lock(load_settings().state_dir / LOCK_NAME):
        result = invoke("sync")
    assert result.exit_code == 3  # type: ignore[attr-defined]
    assert "another radar sync is running" in result.stderr  # type: ignore[attr-defined]
    assert fake_arxiv.requests() == []


def test_real_subprocess_against_the_fake_server(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    write_config(radar_home, fake_arxiv)
    done = run_radar("sync", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 81
    agent = fake_arxiv.requests()[0].headers["User-Agent"]
    assert agent.startswith("radar/") and "github.com/radar-papers/radar" in agent


def test_kill_9_mid_sync_leaves_a_consistent_cache_and_the_next_sync_resumes(
    radar_home: Path, fake_arxiv: FakeArxiv, popen: Callable[..., subprocess.Popen[str]]
) -> None:
    serve_author_pages(fake_arxiv)
    fake_arxiv.fail_next("hang", where="start=20")
    write_config(
        radar_home,
        fake_arxiv,
        authors=("Adrian Del Maestro",),
        categories=(),
        page_size=10,
        author_max_papers=30,
        timeout_seconds=60,
    )
    process = popen("sync")
    wait_for(lambda: any(r.start == 20 for r in fake_arxiv.requests("/api")))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with sqlite3.connect(radar_home / "radar.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 6
        cursor = conn.execute("SELECT cursor FROM sync_state").fetchone()[0]
        assert json.loads(cursor)["start"] == 20
    fake_arxiv.log.clear()
    again = run_radar("sync", "--json")
    assert again.returncode == 0, again.stderr
    assert [r.start for r in fake_arxiv.requests()] == [20]
    with sqlite3.connect(radar_home / "radar.db") as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 6
        assert conn.execute("SELECT cursor FROM sync_state").fetchone()[0] is None


def test_ctrl_c_mid_backfill_keeps_the_days_papers_and_says_the_next_sync_resumes(
    radar_home: Path, fake_arxiv: FakeArxiv, popen: Callable[..., subprocess.Popen[str]]
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.fail_next("hang", where="/api/")
    write_config(radar_home, fake_arxiv, timeout_seconds=60)
    process = popen("sync")
    wait_for(lambda: bool(fake_arxiv.requests("/api/")))  # the day's RSS is in, the backfill hangs
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == (
        "interrupted: what was fetched so far is kept (the page in progress is not); "
        "the next `radar sync` continues where this one stopped"
    )
    listed = run_radar("list", "--today", "--limit", "0")
    assert len(listed.stdout.splitlines()) == 81


def test_concurrent_sync_exits_quickly_with_the_lock_code(
    radar_home: Path, fake_arxiv: FakeArxiv, popen: Callable[..., subprocess.Popen[str]]
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    fake_arxiv.fail_next("hang", where="/api/")
    write_config(radar_home, fake_arxiv, timeout_seconds=60)
    first = popen("sync")
    wait_for(lambda: bool(fake_arxiv.requests("/api/")))  # the RSS, then the hanging backfill
    second = run_radar("sync", timeout=30)
    assert second.returncode == 3
    assert f"another radar sync is running (pid {first.pid}" in second.stderr
    assert len(fake_arxiv.requests()) == 2  # the second sync sent nothing
    first.kill()
    first.wait(timeout=30)
    # the dead holder's lock is free again at once
    fake_arxiv.release.set()
    assert run_radar("sync").returncode == 0


def test_help_and_the_command_module_do_not_import_heavy_packages() -> None:
    code = (
        "import sys, radar.cli; heavy = {'arxiv', 'feedparser', 'lxml', 'requests', "
        "'radar.sync.run', 'radar.sources.http'} & set(sys.modules); print(sorted(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        check=True,
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("requests_seen", [1, 2, 3])
def test_kill_9_at_other_moments_never_corrupts_and_the_next_sync_finishes(
    radar_home: Path,
    fake_arxiv: FakeArxiv,
    popen: Callable[..., subprocess.Popen[str]],
    requests_seen: int,
) -> None:
    # No hang here: the process is killed while it parses or writes whatever it has received.
    serve_author_pages(fake_arxiv)
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    write_config(
        radar_home,
        fake_arxiv,
        authors=("Adrian Del Maestro",),
        page_size=10,
        author_max_papers=30,
    )
    process = popen("sync")
    wait_for(lambda: len(fake_arxiv.requests()) >= requests_seen or process.poll() is not None)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    database = radar_home / "radar.db"
    if database.exists():
        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = run_radar("sync", "--json")
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 6 + 81
        assert (
            conn.execute("SELECT count(*) FROM sync_state WHERE cursor IS NOT NULL").fetchone()[0]
            == 0
        )


def test_sync_of_an_unfollowed_category_is_refused_with_how_to_follow_it(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    write_config(radar_home, fake_arxiv, categories=("quant-ph",))
    result = invoke("sync", "--category", "hep-th")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr.strip().splitlines() == [  # type: ignore[attr-defined]
        "error: not following category 'hep-th' "
        "(hint: radar follow category hep-th first (see `radar follows`))"
    ]
    assert fake_arxiv.requests() == []
    assert not (radar_home / "radar.db").exists()  # nothing synced, nothing created
    typo = invoke("sync", "--category", "hep-thx")  # a typo is not something to follow
    assert typo.exit_code == 2  # type: ignore[attr-defined]
    assert typo.stderr.strip().splitlines() == [  # type: ignore[attr-defined]
        "error: 'hep-thx' is not an arXiv category (hint: did you mean 'hep-th'?)"
    ]


# --- an author's first sync that finds nothing ----------------------------------------------

TYPO = "Adrian Del Maestroo"


def test_an_author_first_sync_with_no_papers_says_so_with_a_hint(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    # The fake answers an unknown query with arXiv's empty page (totalResults 0).
    write_config(radar_home, fake_arxiv, authors=(TYPO,), categories=())
    result = invoke("sync")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert lines == [
        f"note: author:{TYPO}: the first sync found no papers signed '{TYPO}' on arXiv "
        f"(hint: check the spelling; `radar author '{TYPO}' --fetch` tries a spelling without "
        "following it)"
    ]
    assert result.stdout == ""  # type: ignore[attr-defined]
    # Said once: the next sync is not the first (a new author may simply have no paper yet).
    again = invoke("sync")
    assert again.exit_code == 0 and again.stderr == ""  # type: ignore[attr-defined]


def test_no_hint_for_an_author_with_papers_or_under_quiet(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    serve_author_pages(fake_arxiv)
    write_config(
        radar_home,
        fake_arxiv,
        authors=("Adrian Del Maestro", TYPO),
        categories=(),
        page_size=10,
        author_max_papers=30,
    )
    quiet = invoke("sync", "--quiet", "--author", TYPO)
    assert quiet.exit_code == 0 and quiet.stderr == ""  # type: ignore[attr-defined]
    result = invoke("sync", "--json")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert json.loads(result.stdout)["new"] > 0  # type: ignore[attr-defined]
    assert "no papers signed" not in result.stderr  # type: ignore[attr-defined]


def test_a_failed_first_sync_is_an_error_not_a_no_papers_note(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    write_config(radar_home, fake_arxiv, authors=(TYPO,), categories=())
    fake_arxiv.fail_next("400", where="search_query=au")
    result = invoke("sync")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "no papers signed" not in result.stderr  # type: ignore[attr-defined]
    assert result.stderr.startswith(f"error: author:{TYPO}: ")  # type: ignore[attr-defined]
    later = invoke("sync")  # the first sync that succeeds is the one that says it
    assert "the first sync found no papers" in later.stderr  # type: ignore[attr-defined]
