"""Fitting the model with scikit-learn: tf-idf (1-2-grams, sublinear tf) and a linear SVM.

Positives are the reader's papers; negatives a bounded, seeded sample of the cache.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from radar.rank.interests import Interests
from radar.rank.model import Model
from radar.rank.text import features

if TYPE_CHECKING:
    from radar.paper import Paper
    from radar.store import Store

SEED = 20261201  # fixed: the same cache and interests always give the same model
NEGATIVES = 4000  # papers sampled as "the rest": training never grows with the cache
MAX_AUTHOR_PAPERS = 1000  # newest papers of followed authors taken as positives
MIN_POSITIVES = 3  # fewer: no text model, keywords and followed authors alone rank
NEGATIVE_DAYS = 365  # negatives come from the followed categories' last year, when enough
MAX_FEATURES = 200_000
C = 0.1  # the SVM's regularisation (benchmarks/bench_rank.py)


def train(store: Store, interests: Interests) -> Model:
    """Train on the store's papers for these interests (deterministic for a given cache)."""
    from radar.store import scores

    began = time.monotonic()
    latest = scores.latest_day(store)
    positive_pks = set(scores.pks_of(store, interests.starred).values())
    positive_pks |= set(scores.author_pks(store, interests.authors, limit=MAX_AUTHOR_PAPERS))
    since = latest - timedelta(days=NEGATIVE_DAYS) if latest else None
    sample = scores.sample_pks(
        store, categories=interests.categories, since=since, count=NEGATIVES, seed=SEED
    )
    negative_pks = [pk for pk in sample if pk not in positive_pks]
    positives = [p for _, p in scores.papers_by_pk(store, sorted(positive_pks))]
    negatives = [p for _, p in scores.papers_by_pk(store, negative_pks)]
    terms: dict[str, tuple[float, float]] = {}
    intercept = 0.0
    if len(positives) >= MIN_POSITIVES and negatives:
        terms, intercept = fit(positives, negatives)
    return Model(
        interests=interests.fingerprint,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        latest_day=latest,
        positives=len(positives),
        negatives=len(negatives) if terms else 0,
        keywords=interests.keywords,
        exclude=interests.exclude,
        authors=interests.authors,
        terms=terms,
        intercept=intercept,
        seconds=round(time.monotonic() - began, 3),
    )


def fit(
    positives: Sequence[Paper], negatives: Sequence[Paper], *, c: float = C
) -> tuple[dict[str, tuple[float, float]], float]:
    """Feature -> (idf, SVM weight), and the intercept, learned from the two sets."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    papers = [*positives, *negatives]
    labels = [1] * len(positives) + [0] * len(negatives)
    vectorizer = TfidfVectorizer(
        analyzer=features, sublinear_tf=True, min_df=2, max_features=MAX_FEATURES
    )
    matrix = vectorizer.fit_transform(papers)
    svm = LinearSVC(C=c, class_weight="balanced", random_state=SEED, max_iter=10_000, tol=1e-6)
    svm.fit(matrix, labels)
    weights = svm.coef_[0]
    idf = vectorizer.idf_
    terms = {
        term: (round(float(idf[i]), 6), round(float(weights[i]), 8))
        for term, i in vectorizer.vocabulary_.items()
    }
    return terms, round(float(svm.intercept_[0]), 8)
