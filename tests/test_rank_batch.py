"""radar.rank.batch: a page's text scores as numpy arrays equal the plain Python sum of `why`."""

from __future__ import annotations

import pytest

from radar.paper import Paper
from radar.rank.model import Model, contributions
from radar.rank.text import feature_counts
from tests.rank_samples import quant_ph_day


@pytest.fixture
def day() -> list[Paper]:
    return quant_ph_day()


def trained(day: list[Paper]) -> Model:
    from radar.rank.train import fit

    entangled = [p for p in day if "entangle" in p.title.lower()]
    terms, intercept = fit(entangled, [p for p in day if p not in entangled])
    return Model(
        interests="x", trained_at="t", latest_day=None, positives=len(entangled),
        negatives=len(day) - len(entangled), terms=terms, intercept=intercept,
    )  # fmt: skip


def plain(model: Model, paper: Paper) -> float:
    """The SVM's decision value as `radar why` adds it up, one feature at a time."""
    return sum(c for _, c in contributions(feature_counts(paper), model.terms)) + model.intercept


def test_a_page_longer_than_a_chunk_scores_as_its_papers_alone(day: list[Paper]) -> None:
    from radar.rank.batch import _CHUNK

    model = trained(day)
    alone = {p.id: model.score(p) for p in day}
    # Pages cut into chunks of ~500,000 characters: one ending exactly at the page's last paper,
    # one a paper longer, so that a second chunk holds a single paper.
    page: list[Paper] = []
    size = 0
    while size <= _CHUNK:
        paper = day[len(page) % len(day)]
        page.append(paper)
        size += len(paper.title) + len(paper.abstract)
    for papers in (page, [*page, day[0]], page * 3):  # three chunks and a bit
        assert model.scores(papers) == [alone[p.id] for p in papers]
    texts = model._texts(page, [(p.title.lower(), p.abstract.lower()) for p in page])
    assert texts == pytest.approx([plain(model, p) for p in page], abs=1e-9)


def test_a_word_thousands_of_times_in_one_paper_counts_logarithmically(day: list[Paper]) -> None:
    model = trained(day)
    assert "qubit" in model.terms
    for times in (4095, 4096, 4097, 9000):  # sublinear tf from a table below 4,096, else log
        paper = Paper(id="1", title="Entanglement", abstract="qubit " * times)
        assert feature_counts(paper)["qubit"] == times
        assert model.explain(paper).text == pytest.approx(plain(model, paper), abs=1e-9)


def test_every_kind_of_feature_counts_in_any_column_of_a_hand_made_model() -> None:
    # The columns follow the features' sorted order; the first is an author, a category, a word
    # pair whose words are no features (a vocabulary cut at MAX_FEATURES), or a word.
    papers = [
        Paper(id="1", title="Quantum error correction", authors=("Ann Other",)),
        Paper(id="2", title="Qubit", categories=("quant-ph",)),
        Paper(id="3", title="Quantum error", abstract="qubit", categories=("cs.LG", "quant-ph")),
    ]
    models = [
        {"author:ann other": (1.0, 2.0), "qubit": (1.0, 0.5)},
        {"category:quant-ph": (1.0, -1.5), "qubit": (1.5, 0.5)},
        {"quantum error": (1.0, 1.0)},
        {"qubit": (1.0, 0.75)},  # one feature of idf 1, once: a norm of exactly 1
    ]
    for terms in models:
        model = Model(
            interests="x", trained_at="t", latest_day=None, positives=3, negatives=3,
            terms=terms, intercept=-0.25,
        )  # fmt: skip
        texts = [model.explain(p).text for p in papers]
        assert texts == pytest.approx([plain(model, p) for p in papers], abs=1e-12), terms
        assert any(t != model.intercept for t in texts)
