"""The relevance model and scores in the cache (store/scores.py): what `radar rank`, `list
--rank` and training read back is exactly what was written, for the papers and model asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from radar.store import Store, scores
from tests.brief_data import make_papers


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "radar.db") as opened:
        opened.upsert_papers(make_papers(6))
        yield opened


def pks(store: Store) -> list[int]:
    return [pk for (pk,) in store.conn.execute("SELECT pk FROM papers ORDER BY pk")]


def test_scores_are_read_back_per_model_and_an_older_model_counts_as_stale(store: Store) -> None:
    a, b, c, *_ = pks(store)
    assert scores.write_scores(store, "v1", [(a, 0.5), (b, -1.0)]) == 2
    assert scores.write_scores(store, "v2", [(b, 2.0), (c, 0.25)]) == 2
    assert scores.scores_of(store, "v2", [a, b, c]) == {b: 2.0, c: 0.25}
    assert scores.scores_of(store, "v1", [a, b, c]) == {a: 0.5}
    assert scores.count_scores(store, "v2") == (2, 1)
