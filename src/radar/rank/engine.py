"""When to train and what to score: `radar rank`, its status, ranked reads and sync's scoring.

Reads by relevance use stored scores; papers a read meets without one are scored on the way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from radar.rank.interests import Interests
from radar.rank.model import VERSION_PREFIX, Model

if TYPE_CHECKING:
    from radar.config.settings import Follows, Settings
    from radar.filters import Filters
    from radar.paper import Paper
    from radar.store import Store

# `radar rank` rescores the cache's last 30 days; older papers are rescored when a read meets
# them (their scores of an older model do not count), so retraining never grows with the cache.
RESCORE_DAYS = 30
SCORE_ON_READ = 5000  # a read scores at most this many unscored papers before answering
_BATCH = 2000


@dataclass(frozen=True, kw_only=True)
class Status:
    """Whether the stored model matches the reader's current interests."""

    model: Model | None
    interests: Interests
    scored: int = 0
    stale_scores: int = 0

    @property
    def current(self) -> bool:
        return self.model is not None and self.model.interests == self.interests.fingerprint


@dataclass(frozen=True, kw_only=True)
class RankReport:
    model: Model
    scored: int
    seconds: float


def stored_model(store: Store) -> Model | None:
    from radar.store.scores import load_model

    row = load_model(store)
    return Model.from_json(row.body) if row else None


def status(store: Store, settings: Settings) -> Status:
    from radar.store.scores import count_scores

    model = stored_model(store)
    interests = Interests.load(store, settings)
    if model is None:  # none yet, or of an older format
        return Status(model=None, interests=interests)
    scored, stale = count_scores(store, model.version)
    return Status(model=model, interests=interests, scored=scored, stale_scores=stale)


def retrain(
    store: Store,
    settings: Settings,
    *,
    everything: bool = False,
    interests: Interests | None = None,
) -> RankReport:
    """Train on the current interests, store the model, rescore recent (or all) papers."""
    from radar.rank.train import train
    from radar.store import scores

    began = time.monotonic()
    interests = interests or Interests.load(store, settings)
    interests.require()
    model = train(store, interests)
    scores.save_model(
        store,
        scores.StoredModel(
            version=model.version,
            interests=model.interests,
            trained_at=model.trained_at,
            body=model.to_json(),
        ),
        model.terms,
    )
    since = None
    if not everything and model.latest_day is not None:
        since = model.latest_day - timedelta(days=RESCORE_DAYS - 1)
    pks = sorted(set(scores.recent_pks(store, since=since)))
    scored = score_pks(store, model, pks)
    return RankReport(model=model, scored=scored, seconds=time.monotonic() - began)


def score_pks(store: Store, model: Model, pks: Sequence[int]) -> int:
    """Score these papers with `model` and store the scores, a batch at a time."""
    from radar.store.scores import papers_by_pk, write_scores

    written = 0
    for start in range(0, len(pks), _BATCH):
        batch = papers_by_pk(store, pks[start : start + _BATCH])
        scores = model.scores([paper for _, paper in batch])
        written += write_scores(
            store, model.version, [(pk, s) for (pk, _), s in zip(batch, scores, strict=True)]
        )
    return written


@dataclass
class Current:
    """The stored model for a read: its version at once, its weights only when needed (parsing
    them costs more than a whole ranked list)."""

    store: Store
    version: str
    _model: Model | None = None

    def model(self) -> Model:
        if self._model is None:
            self._model = stored_model(self.store)
            assert self._model is not None and self._model.version == self.version
        return self._model


def model_for_reading(store: Store, settings: Settings, note: Callable[[str], None]) -> Current:
    """The model a ranked read uses: the stored one (saying when it is stale), else a new one."""
    from radar.store.scores import load_model

    interests = Interests.load(store, settings)
    interests.require()
    row = load_model(store, body=False)
    if row is None or not row.version.startswith(VERSION_PREFIX):  # none, or an older format
        report = retrain(store, settings, interests=interests)
        note(
            f"note: trained the relevance model ({_learned(report.model)}) in "
            f"{report.seconds:.1f}s; `radar rank` retrains it"
        )
        return Current(store, report.model.version, report.model)
    if row.interests != interests.fingerprint:
        note(
            "note: your interests changed since the model was trained; "
            "`radar rank` (or the next `radar sync`) brings the scores up to date"
        )
    return Current(store, row.version)


def score_unscored(
    store: Store,
    current: Current,
    unscored: Callable[[int], list[int]],
    note: Callable[[str], None],
) -> None:
    """Score the papers a read matched that have no score yet (up to SCORE_ON_READ)."""
    pks = unscored(SCORE_ON_READ)
    if len(pks) > SCORE_ON_READ:
        note(
            f"note: more than {SCORE_ON_READ:,} matching papers have no score yet and are left "
            "out (hint: narrow the dates, or `radar rank --all` scores every paper)"
        )
        pks = pks[:SCORE_ON_READ]
    if pks:
        score_pks(store, current.model(), pks)


def select_ranked(
    store: Store,
    settings: Settings,
    filters: Filters,
    follow: Follows,
    note: Callable[[str], None],
    *,
    query: str | None = None,
    by_date: bool = False,
    min_score: float | None = None,
    draw: int | None = None,
    seed: int | None = None,
    terms: bool = False,
) -> list[Paper]:
    """The papers `filters` (and `query`) select, by stored score (training on first use).

    `by_date`: newest first, the score only filters (`--min-score` without `--sort relevance`);
    `draw`: that many papers drawn at random in proportion to their score (`shuffle --weighted`);
    `terms`: each paper with the two terms that weighed most for it (`Paper.terms`).
    """
    from radar.store.ranked import Ranked

    current = model_for_reading(store, settings, note)
    ranked = Ranked(
        version=current.version,
        filters=filters,
        follow=follow,
        query=query,
        min_score=min_score,
        by_date=by_date,
    )
    score_unscored(store, current, lambda cap: ranked.unscored(store, cap), note)
    if draw is not None:
        return ranked.draw(store, count=draw, seed=seed)
    papers = ranked.select(store)
    return with_terms(store, papers) if terms and not by_date else papers


def with_terms(store: Store, papers: Sequence[Paper], count: int = 2) -> list[Paper]:
    """`papers` with the `count` terms that weighed most for each (`radar why`'s first ones).

    Reads the weights of these papers' features only (table rank_terms), not the whole model.
    """
    from dataclasses import replace

    from radar.rank.model import contributions, strongest
    from radar.rank.text import feature_counts
    from radar.store.scores import term_weights

    counts = [feature_counts(p) for p in papers]
    weights = term_weights(store, sorted(set().union(*counts)))
    return [
        replace(p, terms=tuple(strongest(contributions(c, weights), count)))
        for p, c in zip(papers, counts, strict=True)
    ]


def by_relevance(
    store: Store, settings: Settings, papers: Sequence[Paper], note: Callable[[str], None]
) -> list[Paper]:
    """`papers` with their scores, best first (stored scores; missing ones computed and stored)."""
    from dataclasses import replace

    from radar.store.scores import pks_of, scores_of, write_scores

    current = model_for_reading(store, settings, note)
    pk_of = pks_of(store, [p.id for p in papers])
    stored = scores_of(store, current.version, list(pk_of.values()))
    unscored = [p for p in papers if pk_of.get(p.id) not in stored]
    if unscored:
        model = current.model()
        unscored = [p for p in unscored if p.id in pk_of]
        missing = list(zip([pk_of[p.id] for p in unscored], model.scores(unscored), strict=True))
        write_scores(store, current.version, missing)
        stored.update(missing)
    scored = [replace(p, score=stored[pk_of[p.id]]) for p in papers if p.id in pk_of]
    return sorted(scored, key=lambda p: -(p.score or 0.0))


def _learned(model: Model) -> str:
    if model.fallback:
        return f"{model.positives} positives: too few for a text model, keywords and authors rank"
    return f"{model.positives} positives, {model.negatives} negatives"


# --- sync -----------------------------------------------------------------------------------


class SyncScorer:
    """Scores each page `radar sync` stores while the model is current; retrains after if not.

    Does nothing for a reader who never ranked (no stored model): ranking is opt-in.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.model = stored_model(store)
        self.current = False
        if self.model is not None:
            interests = Interests.load(store, settings)
            self.current = self.model.interests == interests.fingerprint

    def page(self, papers: Sequence[Paper]) -> None:
        """Score a page of papers just upserted (inside the page's transaction)."""
        if self.model is None or not self.current or not papers:
            return
        from radar.store.scores import pks_of, write_scores

        pk_of = pks_of(self.store, [p.id for p in papers])
        stored = [p for p in papers if p.id in pk_of]
        scores = self.model.scores(stored)  # the whole page at once (radar.rank.batch)
        write_scores(
            self.store, self.model.version, zip([pk_of[p.id] for p in stored], scores, strict=True)
        )

    def finish(self) -> str | None:
        """After the sync: retrain a stale model (new stars, keywords, authors); what it did."""
        if self.model is None:
            return None
        interests = Interests.load(self.store, self.settings)
        if self.current and self.model.interests == interests.fingerprint:
            return None
        if interests.empty:
            return None
        report = retrain(self.store, self.settings, interests=interests)
        return (
            f"retrained the relevance model ({_learned(report.model)}) and rescored "
            f"{report.scored:,} papers in {report.seconds:.1f}s"
        )
