"""radar.rank.train: what a model is trained on (stars, followed authors, a sample of the rest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.paper import Paper
from radar.rank.interests import Interests
from radar.rank.model import Model
from radar.store import Store
from tests.rank_samples import about, fill_corpus, star


@pytest.fixture
def corpus(monkeypatch: pytest.MonkeyPatch) -> list[Paper]:
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    return fill_corpus()


def trained() -> tuple[Model, int]:
    """The model `radar rank` would train now, and how many papers the cache holds."""
    from radar.rank.train import train

    settings = load_settings()
    with Store.open(settings.db_path) as store:
        total = store.conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        return train(store, Interests.load(store, settings)), total


def test_fewer_than_three_positives_train_no_text_model(corpus: list[Paper]) -> None:
    entangled = about(corpus, "entangle")
    star(*entangled[:2])
    model, _ = trained()
    assert model.fallback and model.terms == {} and model.intercept == 0.0
    assert (model.positives, model.negatives) == (2, 0)
    star(entangled[2])
    model, total = trained()
    assert not model.fallback and model.intercept != 0.0
    assert (model.positives, model.negatives) == (3, total - 3)  # the rest, stars left out
    assert model.latest_day == date(2026, 11, 27)  # the cache's newest day (a reading sample)


def test_a_followed_authors_papers_are_positives(corpus: list[Paper], radar_home: Path) -> None:
    (radar_home / "radar.toml").write_text('[follow]\nauthors = ["Adrian Del Maestro"]\n')
    model, total = trained()
    assert model.positives >= 3 and model.negatives == total - model.positives
    assert model.authors == ("adrian del maestro",)
