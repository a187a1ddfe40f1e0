"""Stored briefs (store/briefs.py): what `radar brief` reuses, `radar briefs` lists and
`radar brief --show ID` reprints is the brief as written, grounding notes included."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from radar.errors import NotFoundError
from radar.store import Store
from radar.store.briefs import find_brief, get_brief, list_briefs, save_brief
from radar.store.records import Brief


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "radar.db") as opened:
        yield opened


def brief(key: str = "k1", **fields: object) -> Brief:
    values: dict[str, object] = {
        "markdown": "# Brief\n\nText [2611.10000].",
        "title": "Brief of 20 November",
        "model": "openai/gpt-test",
        "paper_ids": ("2611.10000", "2611.10001"),
        "calls": 3,
        "input_tokens": 1200,
        "output_tokens": 340,
        "cost": 0.0125,
        "unknown_ids": ("2611.99999",),
        "removed": 2,
        "key": key,
        "params": {"style": "digest", "filters": {"today": True}},
    }
    return Brief(**{**values, **fields})  # type: ignore[arg-type]


def test_a_saved_brief_reads_back_whole_and_marked_cached(store: Store) -> None:
    written = brief()
    saved = save_brief(store, written)
    assert saved.brief_id == 1 and saved.cached is False
    stamp = datetime.fromisoformat(saved.created_at or "")
    assert stamp.tzinfo == UTC and stamp.microsecond == 0
    back = get_brief(store, 1)
    assert back == Brief(
        markdown=written.markdown,
        title=written.title,
        model="openai/gpt-test",
        paper_ids=("2611.10000", "2611.10001"),
        calls=3,
        input_tokens=1200,
        output_tokens=340,
        cost=0.0125,
        unknown_ids=("2611.99999",),
        removed=2,
        cached=True,
        brief_id=1,
        key="k1",
        params={"style": "digest", "filters": {"today": True}},
        created_at=saved.created_at,
    )
    assert find_brief(store, "k1") == back
    assert find_brief(store, "k2") is None
    assert list_briefs(store) == [back]


def test_the_grounding_notes_are_kept_apart_from_the_parameters(store: Store) -> None:
    save_brief(store, brief(unknown_ids=(), removed=0, params={"b": 1, "a": 2}))
    stored = store.conn.execute("SELECT params FROM briefs").fetchone()[0]
    assert stored == '{"a": 2, "b": 1, "grounding": {"removed": 0, "unknown_ids": []}}'
    back = get_brief(store, 1)
    assert back.params == {"a": 2, "b": 1} and back.unknown_ids == () and back.removed == 0


def test_a_brief_stored_without_grounding_or_lists_reads_back_empty(store: Store) -> None:
    store.conn.execute(
        "INSERT INTO briefs (key, created_at, title, markdown, params) VALUES (?, ?, ?, ?, ?)",
        ("old", "2026-01-01T00:00:00+00:00", "Old", "text", '{"style": "digest"}'),
    )
    back = get_brief(store, 1)
    assert (back.paper_ids, back.unknown_ids, back.removed) == ((), (), 0)
    assert (back.model, back.cost, back.calls) == (None, None, 0)
    assert back.params == {"style": "digest"} and back.created_at == "2026-01-01T00:00:00+00:00"


def test_saving_under_the_same_key_replaces_that_brief(store: Store) -> None:
    save_brief(store, brief("k1"))
    save_brief(store, brief("k2", title="Other"))
    again = save_brief(store, brief("k1", title="Rewritten", markdown="new text", cost=None))
    assert again.brief_id == 1
    back = get_brief(store, 1)
    assert (back.title, back.markdown, back.cost) == ("Rewritten", "new text", None)
    assert store.conn.execute("SELECT count(*) FROM briefs").fetchone()[0] == 2


def test_briefs_are_listed_newest_first_up_to_the_limit(store: Store) -> None:
    for key in ("a", "b", "c", "d"):
        save_brief(store, brief(key))
    days = {"a": "2026-11-03", "b": "2026-11-01", "c": "2026-11-03", "d": "2026-11-02"}
    for key, day in days.items():
        store.conn.execute("UPDATE briefs SET created_at = ? WHERE key = ?", (day, key))
    assert [b.key for b in list_briefs(store)] == ["c", "a", "d", "b"]  # same day: later id
    assert [b.key for b in list_briefs(store, limit=2)] == ["c", "a"]
    assert [b.key for b in list_briefs(store, limit=0)] == []


def test_an_unknown_brief_id_is_an_error_naming_it_and_the_listing_command(store: Store) -> None:
    save_brief(store, brief())
    with pytest.raises(NotFoundError) as raised:
        get_brief(store, 7)
    assert raised.value.message == "no stored brief with id 7"
    assert raised.value.hint == "`radar briefs` lists the stored briefs"


def test_paper_ids_are_stored_as_a_json_list(store: Store) -> None:
    save_brief(store, brief(paper_ids=("2611.10001", "doi:10.1/x")))
    (stored,) = store.conn.execute("SELECT paper_ids FROM briefs").fetchone()
    assert json.loads(stored) == ["2611.10001", "doi:10.1/x"]
