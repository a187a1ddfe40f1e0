"""Issue 17: names, affiliations and announcements as the source meant them, end to end.

Every test stores the recorded quant-ph day (tests/data/arxiv-rss) or a recorded API page and
looks at it through the CLI, as a user would.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.sources.arxiv_rss import parse_feed
from radar.store import Store
from tests.conftest import invoke
from tests.fake_arxiv import RSS_FILE, recorded
from tests.reading_samples import printed_ids

DAY = "2025-04-28"


def store_day() -> Path:
    """The recorded quant-ph announcement of 2025-04-28 in the test's cache."""
    path = load_settings().db_path
    with Store.open(path) as store:
        store.upsert_papers(parse_feed(recorded(RSS_FILE), ["quant-ph"]).papers)
    return path


def _raw_ids_with(creator_text: str) -> list[str]:
    """Ids of recorded items whose raw dc:creator holds `creator_text` (read independently)."""
    body = recorded(RSS_FILE).decode()
    ids = []
    for item in re.findall(r"<item>.*?</item>", body, re.S):
        creator = re.search(r"<dc:creator>(.*?)</dc:creator>", item, re.S)
        if creator and creator_text in creator.group(1):
            ids.append(re.search(r"<link>https://arxiv.org/abs/(.*?)</link>", item).group(1))
    return ids


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RADAR_TODAY", DAY)
    return store_day()


@pytest.mark.parametrize("spelling", ["Michal Hajdušek", "Michal Hajdusek", "hajdusek, michal"])
def test_tex_names_are_found_with_or_without_accents(day: Path, spelling: str) -> None:
    expected = _raw_ids_with("Hajdu\\v{s}ek")
    assert len(expected) >= 4
    assert sorted(printed_ids("list", "--author", spelling, "--limit", "0")) == sorted(expected)


def test_letters_without_a_decomposition_fold_too(day: Path) -> None:
    wanted = _raw_ids_with("Stanis{\\l}aw \\'Swierczewski")
    assert printed_ids("list", "--author", "Stanislaw Swierczewski") == wanted
    assert printed_ids("list", "--author", "Soren Stobbe") == _raw_ids_with("S{\\o}ren Stobbe")


def test_an_affiliation_is_not_an_author(day: Path) -> None:
    assert printed_ids("list", "--author", "M. R. Nirmal") == ["2504.18264"]
    assert printed_ids("list", "--author", "India") == []
    assert printed_ids("list", "--author", "Chennai") == []


def test_show_and_json_give_affiliations_and_the_announce_type(day: Path) -> None:
    shown = invoke("show", "2504.18264")
    assert "affiliations" in shown.stdout
    assert "M. R. Nirmal: Department of Chemistry, Indian Institute of Technology Madras" in (
        " ".join(shown.stdout.split())
    )
    record = json.loads(invoke("show", "2504.18264", "--format", "json").stdout)[0]
    assert record["authors"][0] == "M. R. Nirmal"
    assert record["affiliations"]["M. R. Nirmal"] == [
        "Department of Chemistry, Indian Institute of Technology Madras, Chennai, India, Centre "
        "for Quantum Information, Communication, and Computing, Indian Institute of Technology "
        "Madras, Chennai, India"
    ]
    assert record["announce_type"] == "new"
    replaced = json.loads(invoke("show", "2312.01259", "--format", "json").stdout)[0]
    assert replaced["announce_type"] == "replace-cross"
    assert replaced["pdf_url"] == "https://arxiv.org/pdf/2312.01259v3"


def test_replacements_and_cross_lists_are_marked_in_table_and_card(
    day: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    table = invoke("list", "--format", "table", "--limit", "0").stdout
    assert "[replaced v3]" in table and "[cross-list]" in table
    card = invoke("show", "2312.01259").stdout
    assert "replaced v3" in card


# --- upgrading a cache written by an older radar -------------------------------------------


def _old_cache(path: Path) -> None:
    """A cache as radar before issue 17 wrote it: migrations m001-m003 only, and the recorded
    item 2504.18264 stored the old way (dc:creator cut at every comma, TeX left as is)."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from radar.store import migrations as steps

    old = Migrations("radar")
    for step in (steps.m001_initial, steps.m002_sync_cursor, steps.m003_doi_identity):
        old(name=step.__name__)(step)
    db = Database(path)
    old.apply(db)
    body = recorded(RSS_FILE).decode()
    rows = []
    for arxiv_id in ("2504.18264", "2504.18121"):
        item = re.search(rf"<item>(?:(?!</item>).)*?abs/{arxiv_id}<.*?</item>", body, re.S)
        creator = re.search(r"<dc:creator>(.*?)</dc:creator>", item.group(0), re.S).group(1)
        title = re.search(r"<title>(.*?)</title>", item.group(0), re.S).group(1)
        rows.append((arxiv_id, title, [a.strip() for a in creator.split(",") if a.strip()]))
    for pk, (arxiv_id, title, authors) in enumerate(rows, 1):
        db.execute(
            "INSERT INTO papers (pk, id, version, title, authors, authors_text, categories, "
            "announced, day, first_seen, last_seen) VALUES (?, ?, 1, ?, ?, ?, '[\"quant-ph\"]', "
            "?, ?, 'then', 'then')",
            (pk, arxiv_id, title, json.dumps(authors), ", ".join(authors), DAY, DAY),
        )
        db.conn.executemany(
            "INSERT INTO paper_authors VALUES (?, ?, ?, ?, ?)",
            [(pk, i, a, a.casefold(), DAY) for i, a in enumerate(authors)],
        )
        db.execute(
            "INSERT INTO paper_sources VALUES (?, 'arxiv-rss:quant-ph', 'arXiv (quant-ph)', "
            "'new', ?, 'then', 'then')",
            (pk, DAY),
        )
    db.execute(
        "INSERT INTO user_state VALUES ('2504.18264', 1, 1, 'my note', 'then'), "
        "('2504.18121', 1, 0, NULL, 'then')"
    )
    db.conn.commit()
    db.conn.close()


def test_an_old_cache_upgrades_and_its_names_are_repaired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_TODAY", DAY)
    path = load_settings().db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    _old_cache(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM paper_authors").fetchone()[0] > 20
    assert printed_ids("list", "--author", "Michal Hajdusek") == ["2504.18121"]
    assert printed_ids("list", "--author", "India") == []
    record = json.loads(invoke("show", "2504.18264", "--format", "json").stdout)[0]
    assert record["authors"][0] == "M. R. Nirmal" and len(record["authors"]) == 4
    assert record["affiliations"]["Ankit Khandelwal"][0].startswith("Department of Chemistry")
    assert record["announce_type"] == "new"
    assert (record["starred"], record["read"], record["note"]) == (True, True, "my note")
    assert invoke("list", "--starred").stdout.count("\n") == 2


# --- announcements: --announce, --today per source, category codes --------------------------


def test_announce_filter_and_json_field(day: Path) -> None:
    replaced = printed_ids("list", "--today", "--announce", "replace,replace-cross", "--limit", "0")
    assert len(replaced) == 31
    assert "2112.14988" in replaced  # a 2021 paper replaced that day, not news
    fresh = printed_ids("list", "--today", "--announce", "new", "--announce", "cross", "-n", "0")
    assert len(fresh) == 50 and not set(fresh) & set(replaced)
    records = json.loads(invoke("list", "--today", "-n", "0", "--format", "json").stdout)
    assert {r["announce_type"] for r in records} == {"new", "cross", "replace", "replace-cross"}


def test_unknown_announce_type_is_a_usage_error_with_a_suggestion(day: Path) -> None:
    result = invoke("list", "--announce", "replaced")
    assert result.exit_code != 0
    assert "unknown announce type 'replaced'" in result.stderr
    assert "did you mean 'replace'" in result.stderr


@pytest.mark.parametrize("code", ["quant-ph", "QUANT-PH", "Quant-Ph"])
def test_category_codes_are_canonicalised(day: Path, code: str) -> None:
    assert len(printed_ids("list", "-c", code, "-n", "0")) == 81


def test_unknown_category_is_rejected_with_did_you_mean(day: Path) -> None:
    result = invoke("list", "-c", "cs.AII")
    assert result.exit_code != 0
    assert "'cs.AII' is not an arXiv category" in result.stderr
    assert "did you mean 'cs.AI'" in result.stderr
    assert "no papers match" not in result.stderr


def _store_journal_feed() -> list[str]:
    """The recorded Medscape feed in the cache; returns the ids of its latest day's items."""
    from radar.sources.feeds import parse_feed as parse_journal

    data = (Path(__file__).parent / "data" / "feeds").glob("medscape_*.xml")
    papers = parse_journal(next(data).read_bytes(), name="Medscape").papers
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(papers)
    latest = max(p.day for p in papers if p.day)
    return [p.id for p in papers if p.day == latest]


def test_today_is_each_sources_own_latest_day(monkeypatch: pytest.MonkeyPatch) -> None:
    store_day()
    latest_items = _store_journal_feed()  # dated up to 2025-11-05, long after arXiv's day
    monkeypatch.setenv("RADAR_TODAY", "2025-11-06")
    arxiv_day = printed_ids("list", "--today", "-c", "quant-ph", "-n", "0")
    assert len(arxiv_day) == 81
    everything = printed_ids("list", "--today", "-n", "0")
    journal = [i for i in everything if i.startswith("url:")]
    assert set(arxiv_day) <= set(everything) and sorted(journal) == sorted(latest_items)
    records = json.loads(invoke("list", "--today", "-n", "0", "--format", "json").stdout)
    assert {r["day"] for r in records if r["id"] in journal} == {"2025-11-05"}
    brief = invoke("brief", "--today", "--no-llm")
    assert brief.exit_code == 0
    assert f"{81 + len(latest_items)} papers" in brief.stdout


def test_an_author_with_no_match_suggests_the_followed_names_it_resembles(
    day: Path, radar_home: Path
) -> None:
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = ["Michal Hajdušek", "Rodney Van Meter"]\n', encoding="utf-8"
    )
    result = invoke("list", "--author", "Hajdusek")
    assert result.exit_code == 0 and result.stdout == ""
    assert "'Hajdusek' resembles the followed Michal Hajdušek" in result.stderr
    assert 'radar list --author "Michal Hajdušek"' in result.stderr
    nothing = invoke("list", "--author", "Nobody Known")
    assert "resembles" not in nothing.stderr


# --- authors who sign differently: the sync note and `radar follow alias` ------------------

DEL_MAESTRO = "arxiv-api/legacy2016_author_au_del_maestro_10of31.xml"


def _follow_del_maestro(radar_home: Path, fake_arxiv: object) -> None:
    fake_arxiv.add_api('au:"Adrian Del Maestro"', 0, recorded(DEL_MAESTRO))  # type: ignore[attr-defined]
    text = fake_arxiv.config(page_size=10)  # type: ignore[attr-defined]
    text += '# my follows\n[follow]\nauthors = ["Adrian Del Maestro"]\ncategories = []\n'
    (radar_home / "radar.toml").write_text(text, encoding="utf-8")


def test_sync_reports_papers_signed_differently_once_per_name(
    radar_home: Path, fake_arxiv: object
) -> None:
    _follow_del_maestro(radar_home, fake_arxiv)
    result = invoke("sync", "--json")
    follow = json.loads(result.stdout)["follows"][0]
    assert follow["new"] == 6  # the 4 signed "A. Del Maestro" are rightly not his, yet
    assert follow["notes"] == [
        "4 papers signed 'A. Del Maestro' were not counted as Adrian Del Maestro's; if they are "
        "theirs: radar follow alias 'Adrian Del Maestro' 'A. Del Maestro'"
    ]
    verbose = invoke("sync", "--verbose", "--since", "2000-01-01")
    assert verbose.stderr.count("signed 'A. Del Maestro'") == 1


def test_follow_alias_and_unfollow_alias_edit_follow_aliases(
    radar_home: Path, fake_arxiv: object
) -> None:
    _follow_del_maestro(radar_home, fake_arxiv)
    added = invoke("follow", "alias", "Adrian Del Maestro", "A. Del Maestro")
    assert added.exit_code == 0
    assert "papers signed 'A. Del Maestro' now count as 'Adrian Del Maestro'" in added.stderr
    config = (radar_home / "radar.toml").read_text(encoding="utf-8")
    assert "# my follows" in config and "[follow.aliases]" in config
    assert load_settings().follow.aliases == {"Adrian Del Maestro": ("A. Del Maestro",)}
    again = invoke("follow", "alias", "del maestro, adrian", "a. del maestro")
    assert "already an alias" in again.stderr
    assert load_settings().follow.aliases == {"Adrian Del Maestro": ("A. Del Maestro",)}
    synced = json.loads(invoke("sync", "--json").stdout)["follows"][0]
    assert synced["new"] == 10 and synced["notes"] == []
    assert len(printed_ids("list", "--author", "Adrian Del Maestro", "-n", "0")) == 10
    removed = invoke("unfollow", "alias", "Adrian Del Maestro", "A. Del Maestro")
    assert removed.exit_code == 0 and load_settings().follow.aliases == {}
    missing = invoke("unfollow", "alias", "Adrian Del Maestro", "A. Del Maestro")
    assert missing.exit_code != 0
    assert "'A. Del Maestro' is not an alias of 'Adrian Del Maestro'" in missing.stderr


# --- the brief: replacements are "Updated today", not the day's news ------------------------


def test_brief_keeps_replacements_apart_from_the_news(
    day: Path, radar_home: Path, fake_llm: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from radar.brief import llm

    monkeypatch.setattr(llm, "BACKOFF_BASE", 0.0)
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = []\ncategories = ["quant-ph"]\n\n'
        f'[llm]\nmodel = "{fake_llm.model}"\napi_base = "{fake_llm.api_base}"\n'  # type: ignore[attr-defined]
        "max_retries = 1\n"
    )
    result = invoke("brief", "--today")
    assert result.exit_code == 0, result.stderr
    seen = {i for call in fake_llm.calls for i in call.ids}  # type: ignore[attr-defined]
    assert "2504.17830" in seen and "2112.14988" not in seen  # a 2021 paper is not news
    markdown = result.stdout
    updated = markdown.split("## Updated today\n", 1)[1].split("\n## ", 1)[0]
    assert "2112.14988" in updated and "replaced v4" in updated
    assert updated.count("\n- ") + updated.startswith("- ") == 31
    appendix = markdown.split("## Appendix", 1)[1]
    assert "2112.14988" not in appendix and "2504.17830" in appendix
    digest = invoke("brief", "--today", "--no-llm").stdout
    assert "## Updated today" in digest
    assert digest.index("2112.14988") > digest.index("## Updated today")


def test_a_surname_alone_suggests_the_followed_full_name(radar_home: Path) -> None:
    from radar.sources.arxiv_api import parse_page

    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(parse_page(recorded(DEL_MAESTRO)).papers)
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = ["Adrian Del Maestro"]\n', encoding="utf-8"
    )
    result = invoke("list", "--author", "Del Maestro")
    assert result.stdout == ""
    assert "'Del Maestro' resembles the followed Adrian Del Maestro" in result.stderr
    assert len(printed_ids("list", "--author", "Adrian Del Maestro")) == 6
