"""The SQLite cache: migrations, transactional upserts, and user state that no sync touches."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from radar.errors import StoreError
from radar.paper import Paper, Sighting
from radar.store import Store

RSS = Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)", "new", date(2026, 6, 19))
PAPER = Paper(
    id="2602.22495",
    version=1,
    title="Trust region distillation",
    abstract="We distil trust regions.",
    authors=("Yantao Li", "José García"),
    categories=("cs.AI", "cs.LG"),
    published=date(2026, 6, 17),
    announced=date(2026, 6, 19),
    sources=(RSS,),
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "radar.db") as opened:
        yield opened


def test_migrations_create_schema_and_reopen_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "radar.db"
    every = [
        "m001_initial",
        "m002_sync_cursor",
        "m003_doi_identity",
        "m004_relevance",
        "m005_affiliations_announce_type",
        "m006_sync_runs",
        "m007_rank_terms",
    ]
    with Store.open(path) as store:
        assert store.applied_migrations() == every
        journal = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert journal == "wal"
    with Store.open(path) as store:
        assert store.applied_migrations() == every
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"is damaged \(file is not a database\)"):
        Store.open(path)


def test_upsert_inserts_then_recognises_the_same_paper(store: Store) -> None:
    assert store.upsert_papers([PAPER]).new == 1
    assert store.upsert_papers([PAPER]).unchanged == 1
    stored = store.require_paper("2602.22495")
    assert stored.authors == ("Yantao Li", "José García")
    assert stored.categories == ("cs.AI", "cs.LG")
    assert stored.sources == (RSS,)
    assert stored.versions == (1,)
    assert stored.day == date(2026, 6, 19)


def test_new_version_updates_and_is_recorded_older_never_overwrites(store: Store) -> None:
    store.upsert_papers([PAPER])
    v2 = replace(PAPER, version=2, title="Trust region distillation, revised", sources=())
    assert store.upsert_papers([v2]).updated == 1
    assert store.upsert_papers([PAPER]).updated == 0
    stored = store.require_paper(PAPER.id)
    assert stored.version == 2
    assert stored.title == "Trust region distillation, revised"
    assert stored.versions == (1, 2)


def test_one_row_with_all_sources(store: Store) -> None:
    api = Sighting("arxiv-api:author:Yantao Li", "arXiv API (Yantao Li)")
    cross = Sighting("arxiv-rss:cs.LG", "arXiv (cs.LG)", "cross", date(2026, 6, 19))
    store.upsert_papers([PAPER, replace(PAPER, sources=(api,)), replace(PAPER, sources=(cross,))])
    assert store.count_papers() == 1
    assert {s.source for s in store.require_paper(PAPER.id).sources} == {
        "arxiv-rss:cs.AI",
        "arxiv-api:author:Yantao Li",
        "arxiv-rss:cs.LG",
    }


def test_user_state_survives_resync_and_new_versions(store: Store) -> None:
    store.upsert_papers([PAPER])
    store.set_user_state(PAPER.id, starred=True, note="read with coffee")
    store.set_user_state(PAPER.id, read=True)
    store.upsert_papers([replace(PAPER, version=3, abstract="New abstract.")])
    stored = store.require_paper(PAPER.id)
    assert (stored.starred, stored.read, stored.note) == (True, True, "read with coffee")


def test_fts_index_follows_updates(store: Store) -> None:
    store.upsert_papers([PAPER])
    store.upsert_papers([replace(PAPER, version=2, title="Completely different words")])

    def hits(term: str) -> list[int]:
        sql = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?"
        return [r[0] for r in store.conn.execute(sql, (term,))]

    assert hits("distillation") == []
    assert len(hits("different")) == 1
    assert len(hits("garcia")) == 1  # accents folded, authors indexed


def test_a_failed_batch_writes_nothing(store: Store) -> None:
    broken = replace(PAPER, id="2602.00001", title=None)  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        store.upsert_papers([replace(PAPER, id="2602.00002"), broken])
    assert store.count_papers() == 0


def test_user_state_needs_a_cached_paper(store: Store) -> None:
    from radar.errors import NotFoundError

    with pytest.raises(NotFoundError):
        store.set_user_state("2101.00001", starred=True)


def _cache_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    tables = ("papers", "paper_authors", "paper_categories", "paper_sources", "paper_versions")
    rows = {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    rows["fts"] = store.conn.execute(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'study OR li' ORDER BY rowid"
    ).fetchall()
    return rows


def _mixed_batch() -> list[Paper]:
    """New papers between papers that merge by id or DOI, one of which folds a new record."""

    def paper(paper_id: str, **fields: object) -> Paper:
        values = {"title": f"Study {paper_id}", "authors": ("Li, Yantao",), "sources": (RSS,)}
        return Paper(id=paper_id, **{**values, **fields})  # type: ignore[arg-type]

    feed = replace(RSS, source="feed:Nature", announce_type=None)
    return [
        paper("2601.00010", version=1, categories=("cs.AI", "cs.AI")),
        paper("doi:10.1/y", doi="10.1/y", sources=(feed,)),
        paper("doi:10.1/z", doi="10.1/z", sources=(feed,)),  # folded by the next paper
        paper("2601.00001", version=2, doi="10.1/Z"),  # cached; gains the DOI above
        paper("2601.00011", version=1),  # takes the pk the fold freed, as one by one
        paper("2601.00012", version=1, doi="10.1/X"),  # the cached feed record of its DOI
        paper("2601.00013", version=1),
        paper("2601.00013", version=2, title="Revised"),
        paper("2601.00014", version=3, authors=("Zoë Müller", "Li, Yantao")),
    ]


def test_new_papers_written_together_equal_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import radar.store.upsert as upsert

    cached = [
        replace(PAPER, id="2601.00001"),
        Paper(id="doi:10.1/x", title="Journal record", doi="10.1/x", sources=(RSS,)),
        Paper(id="2601.00099", title="Highest pk, deleted below"),
    ]
    written = []
    for name, plain in (
        ("together", upsert.new_ids_without_merges),
        ("one-by-one", lambda *_: set()),
    ):
        monkeypatch.setattr(upsert, "new_ids_without_merges", plain)
        with Store.open(tmp_path / f"{name}.db") as store:
            store.upsert_papers(cached, seen_at="2026-06-01T00:00:00+00:00")
            store.conn.execute("DELETE FROM papers WHERE id = '2601.00099'")
            counts = store.upsert_papers(_mixed_batch(), seen_at="2026-06-02T00:00:00+00:00")
            written.append((counts, _cache_rows(store)))

    together, one_by_one = written
    assert together[0] == one_by_one[0] == upsert.UpsertCounts(new=6, updated=3, unchanged=0)
    assert len(together[1]["papers"]) == 7
    assert together == one_by_one


def test_plain_new_papers_exclude_any_that_could_merge(store: Store) -> None:
    from radar.store.identity import DoiIndex
    from radar.store.inserts import new_ids_without_merges
    from radar.store.records import PAPER_COLUMNS
    from radar.store.upsert import rows_by_id

    store.upsert_papers([replace(PAPER, id="2601.00001"), replace(PAPER, id="x:1", doi="10.1/x")])
    batch = _mixed_batch()
    dois = DoiIndex(store.conn, PAPER_COLUMNS)
    assert new_ids_without_merges(batch, rows_by_id(store.conn, [p.id for p in batch]), dois) == {
        "2601.00010",
        "doi:10.1/y",
        "2601.00011",
        "2601.00014",
    }


# --- mutation survivors (store/core.py, docs/testing.md) ------------------------------------


def test_the_newer_radar_error_says_how_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('radar', 'm999_future', '2030-01-01')"
        )
    with pytest.raises(StoreError) as newer:
        Store.open(path)
    assert (
        newer.value.message
        == f"the cache at {path} was written by a newer radar (migration m999_future)"
    )
    assert newer.value.hint == "upgrade radar (pip install -U radar-papers)"


def test_a_cache_whose_migration_table_is_foreign_is_one_error_naming_it(tmp_path: Path) -> None:
    from radar.errors import RadarError

    path = tmp_path / "radar.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE _sqlite_migrations (name TEXT)")  # not sqlite-migrate's
    with pytest.raises(RadarError) as foreign:
        Store.open(path)
    assert str(path) in foreign.value.message and "migration_set" in foreign.value.message


def test_upgrading_an_older_cache_names_its_pending_steps_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from radar.store.migrations import migrations

    path = tmp_path / "radar.db"
    shutil.copy(Path(__file__).parent / "data" / "caches" / "cache-m005.db", path)
    pending = [name for name in migrations.names if name[:4] > "m005"]
    assert len(pending) >= 2
    heard: list[tuple[Path, list[str]]] = []
    for _ in range(2):  # the second open finds the cache current: nothing to say
        Store.open(path, on_upgrade=lambda p, names: heard.append((p, list(names)))).close()
    assert heard == [(path, pending)]
    # a new cache is created, not upgraded; and the store itself never prints
    Store.open(tmp_path / "new.db", on_upgrade=lambda p, names: heard.append((p, []))).close()
    assert len(heard) == 1
    assert capsys.readouterr() == ("", "")


def test_changed_authors_categories_and_day_move_the_paper_in_every_filter(store: Store) -> None:
    from radar.filters import Filters
    from radar.store import queries

    def found(**kwargs: object) -> list[str]:
        return [p.id for p in queries.select_papers(store, Filters(**kwargs))]  # type: ignore[arg-type]

    store.upsert_papers([PAPER])
    # One change at a time: each alone must rewrite the author and category lookups.
    store.upsert_papers([replace(PAPER, version=2, authors=("Ada Lovelace",))])
    assert found(authors=("Ada Lovelace",)) == [PAPER.id] and found(authors=("Yantao Li",)) == []
    store.upsert_papers(
        [replace(PAPER, version=3, authors=("Ada Lovelace",), categories=("math.CO",))]
    )
    assert found(categories=("math.CO",)) == [PAPER.id] and found(categories=("cs.AI",)) == []
    later = date(2026, 6, 26)
    store.upsert_papers(
        [
            replace(
                PAPER,
                version=3,
                authors=("Ada Lovelace",),
                categories=("math.CO",),
                announced=later,
                sources=(replace(RSS, announced=later),),
            )
        ]
    )
    assert store.require_paper(PAPER.id).day == later
    week = {"since": date(2026, 6, 22), "until": date(2026, 6, 28)}
    assert found(categories=("math.CO",), **week) == [PAPER.id]
    assert found(authors=("Ada Lovelace",), **week) == [PAPER.id]


def test_an_empty_note_removes_the_note(store: Store) -> None:
    store.upsert_papers([PAPER])
    store.set_user_state(PAPER.id, note="read section 3")
    store.set_user_state(PAPER.id, note="   ")
    assert store.require_paper(PAPER.id).note is None
    row = store.conn.execute("SELECT note FROM user_state WHERE paper_id = ?", (PAPER.id,))
    assert row.fetchone()[0] is None


def test_an_unknown_paper_error_names_it(store: Store) -> None:
    from radar.errors import NotFoundError

    with pytest.raises(NotFoundError) as missing:
        store.require_paper("2602.99999")
    assert missing.value.message == "paper 2602.99999 is not in the cache"


def test_a_feed_paper_is_found_by_its_short_handle_and_by_its_doi_link(store: Store) -> None:
    from radar.identity import short_handle

    feed = Paper(id="url:example.org/article/42", title="A feed article", doi="10.1000/xyz42")
    store.upsert_papers([PAPER, feed])
    handle = short_handle(feed.id)
    for spelling in (handle, handle.upper(), f" {handle} "):
        paper = store.get_paper(spelling)
        assert paper is not None and paper.id == feed.id, spelling
    assert store.get_paper("f:zzzzzzzz") is None
    by_link = store.get_paper("https://doi.org/10.1000/XYZ42")
    assert by_link is not None and by_link.id == feed.id


def test_each_written_batch_is_handed_to_the_after_upsert_hook(store: Store) -> None:
    seen: list[list[str]] = []
    store.after_upsert = lambda batch: seen.append([p.id for p in batch])
    store.upsert_papers([PAPER])
    assert seen == [[PAPER.id]]


def test_seeing_an_unchanged_paper_again_writes_only_the_sighting(store: Store) -> None:
    # a daily sync re-sees thousands of papers: rewriting their author and category rows and
    # re-indexing their text each time cost most of a re-sync's store time
    store.upsert_papers([PAPER])
    before = store.conn.total_changes
    api = Sighting("arxiv-api:author:Yantao Li", "arXiv API (Yantao Li)")
    store.upsert_papers([replace(PAPER, sources=(api,))])
    assert store.conn.total_changes - before == 2  # the new sighting and last_seen
    store.upsert_papers([replace(PAPER, authors=("Yantao Li",))])
    assert [r[0] for r in store.conn.execute("SELECT name FROM paper_authors")] == ["Yantao Li"]
