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
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = ["Adrian Del Maestro"]\n'
        '[interests]\nkeywords = ["Monte Carlo"]\nexclude = ["Survey"]\n'
    )
    model, total = trained()
    assert model.positives >= 3 and model.negatives == total - model.positives
    # The model scores with the reader's explicit signals too.
    assert (model.authors, model.keywords, model.exclude) == (
        ("adrian del maestro",),
        ("monte carlo",),
        ("survey",),
    )


def test_training_is_bounded_a_year_of_followed_categories_and_1000_author_papers(
    radar_home: Path,
) -> None:
    from datetime import datetime, timedelta

    latest = date(2026, 11, 27)
    topics = ["lattice", "spin", "glass", "boson", "fermion", "magnon", "phonon", "soliton"]

    def paper(
        n: int, title: str, *, days_ago: int, category: str, authors: tuple[str, ...]
    ) -> Paper:
        return Paper(
            id=f"2601.{n:05d}", title=title, abstract=f"{topics[n % 8]} {topics[n // 8 % 8]}",
            authors=authors, categories=(category,), published=latest - timedelta(days=days_ago),
        )  # fmt: skip

    # 1,003 papers of a followed author (the 1,000 newest are positives), then 4,001 papers of
    # the followed category within a year, two exactly a year old, two a day older.
    papers = [
        paper(n, f"Learning {topics[n % 8]} models", days_ago=n, category="cs.LG",
              authors=("Ann Author",))
        for n in range(1003)
    ]  # fmt: skip
    papers += [
        paper(2000 + n, f"Quantum {topics[n % 8]}", days_ago=n % 365, category="quant-ph",
              authors=("Bo Other",))
        for n in range(4001)
    ]  # fmt: skip
    papers += [
        paper(9000 + n, title, days_ago=days, category="quant-ph", authors=("Bo Other",))
        for n, (title, days) in enumerate([("Boundary twins", 365), ("Fossil twins", 366)] * 2)
    ]
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = ["Ann Author"]\ncategories = ["quant-ph"]\n'
    )
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(papers)
    model, total = trained()
    assert total == 1003 + 4001 + 4
    assert (model.positives, model.negatives) == (1000, 4000)
    assert model.latest_day == latest
    assert "fossil" not in model.terms and "fossil twins" not in model.terms
    assert "boundary" in model.terms  # a year old still counts
    again, _ = trained()  # 4,000 of 4,003 drawn: the same draw every time
    assert again.version == model.version and again.terms == model.terms
    trained_at = datetime.fromisoformat(model.trained_at)
    assert trained_at.utcoffset() == timedelta(0) and trained_at.microsecond == 0


def test_a_keyword_reader_can_rank_an_empty_cache(radar_home: Path) -> None:
    (radar_home / "radar.toml").write_text('[interests]\nkeywords = ["qubits"]\n')
    model, total = trained()
    assert total == 0 and model.fallback and model.latest_day is None
    assert (model.positives, model.negatives, model.keywords) == (0, 0, ("qubits",))


def test_the_scores_rank_stores_are_those_its_stored_model_gives(corpus: list[Paper]) -> None:
    # `radar rank` scores with the model it just trained; later reads with the stored one.
    import sqlite3

    from radar.rank import engine

    star(*about(corpus, "entangle")[:4])
    settings = load_settings()
    with Store.open(settings.db_path) as store:
        report = engine.retrain(store, settings, everything=True)
    with sqlite3.connect(settings.db_path) as conn:
        first = dict(conn.execute("SELECT paper_pk, score FROM paper_scores").fetchall())
        conn.execute("DELETE FROM paper_scores")
    with Store.open(settings.db_path) as store:
        stored = engine.stored_model(store)
        assert stored is not None and stored.terms == report.model.terms
        assert stored.intercept == report.model.intercept
        engine.score_pks(store, stored, sorted(first))
    with sqlite3.connect(settings.db_path) as conn:
        assert dict(conn.execute("SELECT paper_pk, score FROM paper_scores").fetchall()) == first
