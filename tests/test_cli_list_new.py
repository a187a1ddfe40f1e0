"""`radar list --new` (what the last sync added) and `--new-since DATE` (first seen since a day),
with the other filters, in JSON, and in the other reading commands."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.store import Store
from radar.store.runs import finish_run, last_finished_run, recorded_run, start_run
from tests.conftest import invoke
from tests.fake_arxiv import RSS_FILE, FakeArxiv, recorded
from tests.reading_samples import fill_cache, printed_ids, sample_papers
from tests.test_cli_sync import write_config
from tests.test_sync_run import exact_author_ids, serve_author_pages


def _ids(*args: str) -> list[str]:
    return printed_ids("list", *args)


def _cached_ids(home: Path) -> set[str]:
    with sqlite3.connect(home / "radar.db") as conn:
        return {paper_id for (paper_id,) in conn.execute("SELECT id FROM papers")}


def test_new_lists_what_the_last_sync_added_even_within_the_same_second(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    serve_author_pages(fake_arxiv)
    write_config(
        radar_home,
        fake_arxiv,
        authors=("Adrian Del Maestro",),
        page_size=10,
        author_max_papers=30,
    )
    assert invoke("sync", "--category", "quant-ph").exit_code == 0
    first = _cached_ids(radar_home)
    assert len(first) == 81
    assert set(_ids("--new", "--limit", "0")) == first

    assert invoke("sync", "--author", "Adrian Del Maestro").exit_code == 0
    added = _cached_ids(radar_home) - first
    assert added and added <= exact_author_ids()
    assert set(_ids("--new", "--limit", "0")) == added  # not the quant-ph papers of run one

    result = invoke("list", "--new", "--format", "json", "--limit", "0")
    assert {paper["id"] for paper in json.loads(result.stdout)} == added

    nothing = invoke("sync", "--author", "Adrian Del Maestro")  # the same pages: nothing new
    assert nothing.exit_code == 0
    result = invoke("list", "--new")
    assert result.stdout == ""
    assert result.stderr == "no new papers: the last sync added none\n"
    assert invoke("list", "--new", "--format", "json").stdout == "[]\n"


def test_new_before_any_sync_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    fill_cache()  # papers, but no sync recorded (a cache from before radar kept sync runs)
    result = invoke("list", "--new")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: no sync has finished yet, so no paper is new")
    assert "radar sync" in result.stderr


def _two_syncs(store: Store) -> tuple[list[str], list[str]]:
    """Papers of an older sync (first seen 2026-11-20) and of the last one (2026-11-27)."""
    papers = sample_papers()
    older, newer = papers[:6], papers[6:]
    run = start_run(store, started_at="2026-11-20T11:59:00+00:00")
    store.upsert_papers(older, seen_at="2026-11-20T12:00:00+00:00")
    finish_run(store, run, status="ok", new=len(older), finished_at="2026-11-20T12:01:00+00:00")
    run = start_run(store, started_at="2026-11-27T11:59:00+00:00")
    store.upsert_papers(newer, seen_at="2026-11-27T12:00:00+00:00")
    finish_run(store, run, status="ok", new=len(newer), finished_at="2026-11-27T12:01:00+00:00")
    return [p.id for p in older], [p.id for p in newer]


@pytest.fixture
def two_syncs() -> tuple[list[str], list[str]]:
    with Store.open(load_settings().db_path) as store:
        return _two_syncs(store)


def test_new_and_new_since_combine_with_the_other_filters(
    two_syncs: tuple[list[str], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    older, newer = two_syncs
    assert sorted(_ids("--new", "--limit", "0")) == sorted(newer)
    assert sorted(_ids("--new-since", "2026-11-24", "--limit", "0")) == sorted(newer)
    assert sorted(_ids("--new-since", "20261115", "--limit", "0")) == sorted(older + newer)
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    assert _ids("--new-since", "today") == []  # nothing first seen on the 28th
    # with an author filter: only the Del Maestro papers among the new ones
    his = set(_ids("--author", "Adrian Del Maestro", "--limit", "0"))
    by_him = _ids("--new", "--author", "Adrian Del Maestro", "--limit", "0")
    assert by_him and set(by_him) == his & set(newer) and his - set(newer)
    assert _ids("--new", "--category", "cs.RO") == []  # the cs.RO papers came in the older run
    assert sorted(_ids("--new-since", "2026-11-10", "--category", "cs.RO")) == sorted(
        p for p in older if p in _ids("--category", "cs.RO")
    )


def test_new_works_in_search_read_and_json(two_syncs: tuple[list[str], list[str]]) -> None:
    older, newer = two_syncs
    records = json.loads(invoke("list", "--new", "--format", "json", "--limit", "0").stdout)
    assert sorted(r["id"] for r in records) == sorted(newer)
    found = printed_ids("search", "Luttinger", "--new", "--limit", "0")
    assert found and set(found) <= set(newer)
    result = invoke("read", "--new", "--yes")
    assert result.exit_code == 0 and f"marked read {len(newer)} papers" in result.stderr
    assert _ids("--unread", "--limit", "0") == [p for p in _ids("--limit", "0") if p in older]


def test_new_and_new_since_together_and_a_bad_date_are_one_line_errors(
    two_syncs: tuple[list[str], list[str]],
) -> None:
    both = invoke("list", "--new", "--new-since", "2026-11-01")
    assert both.exit_code == 1  # as every conflict of filters (--today --date)
    assert "--new and --new-since cannot be combined" in both.stderr
    bad = invoke("list", "--new-since", "2026-13-01")
    assert bad.exit_code == 1 and "invalid --new-since date '2026-13-01'" in bad.stderr


def test_an_interrupted_run_is_the_last_sync_with_what_it_added() -> None:
    papers = sample_papers()
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(papers[:3])
        with pytest.raises(KeyboardInterrupt), recorded_run(store, lambda: (2, False)):
            store.upsert_papers(papers[3:5])
            raise KeyboardInterrupt
        run = last_finished_run(store)
        assert run is not None and (run.status, run.new) == ("interrupted", 2)
    assert sorted(_ids("--new")) == sorted(p.id for p in papers[3:5])


def test_a_run_with_a_failed_follow_is_recorded_as_failed() -> None:
    papers = [replace(p, id=f"2611.{i:05d}") for i, p in enumerate(sample_papers()[:2])]
    with Store.open(load_settings().db_path) as store:
        with recorded_run(store, lambda: (len(papers), True)):
            store.upsert_papers(papers)
        run = last_finished_run(store)
        assert run is not None and (run.status, run.new) == ("failed", 2)
        assert run.finished_at is not None and run.finished_at >= run.started_at


def test_help_lists_both_options_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = invoke("list", "--help").stdout
    assert "--new " in text and "--new-since" in text and "the last sync" in text
    assert "radar list --new" in text


def test_new_selects_in_shuffle_brief_and_page(
    two_syncs: tuple[list[str], list[str]], tmp_path: Path
) -> None:
    older, newer = two_syncs
    assert sorted(printed_ids("shuffle", "--new", "-n", "0")) == sorted(newer)
    digest = invoke("brief", "--new", "--no-llm").stdout
    assert all(paper_id in digest for paper_id in newer)
    assert not any(paper_id in digest for paper_id in older)
    page = tmp_path / "new.html"
    assert invoke("page", "--new", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert all(paper_id in html for paper_id in newer)
    assert not any(paper_id in html for paper_id in older)
