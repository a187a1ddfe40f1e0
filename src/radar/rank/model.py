"""A trained relevance model: tf-idf weights of a linear SVM plus the reader's explicit signals.

Scoring and explaining are plain Python over the stored weights: no scikit-learn needed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from radar.paper import Paper
from radar.rank.text import (
    AUTHOR,
    author_feature,
    feature_counts,
    matched_phrases,
    phrase_patterns,
    shown_term,
)

if TYPE_CHECKING:
    from radar.rank.batch import Weights

# Bump when features, the blend or how scores are computed change: every stored score then
# belongs to an old model. 3: scored a page at a time (radar.rank.batch).
FORMAT = 3
VERSION_PREFIX = f"v{FORMAT}-"  # every version starts so: an older format is seen without parsing

# The blend, in units of the SVM's decision value (its margin is 1).
KEYWORD_WEIGHT = 1.0  # per keyword found in title or abstract (at most two count)
EXCLUDE_WEIGHT = 1.5  # per excluded phrase found (at most two count)
AUTHOR_WEIGHT = 1.0  # a followed author (or alias) among the authors
RECENCY_WEIGHT = 0.25  # a year older than the cache's newest day costs this much
FALLBACK_BASE = -1.0  # without a text model (too few positives) every paper starts here
SCALE = 2.0  # score = 1 / (1 + exp(-SCALE * decision))


def squash(decision: float) -> float:
    """The [0, 1] score of a blended decision value: 0.5 on the model's boundary."""
    return 1.0 / (1.0 + math.exp(-SCALE * max(-30.0, min(30.0, decision))))


@dataclass(frozen=True, kw_only=True)
class Explanation:
    """Why a paper scored what it did, in the parts of its decision value."""

    score: float
    decision: float
    text: float  # the SVM's part (FALLBACK_BASE without a text model)
    terms_for: list[tuple[str, float]]
    terms_against: list[tuple[str, float]]
    keywords: list[str]
    excluded: list[str]
    authors: list[str]
    recency: float


def _blend(keywords: int, excluded: int, followed: bool, recency: float) -> float:
    """The reader's explicit say in a decision value (one expression: the same float always)."""
    return (
        KEYWORD_WEIGHT * min(keywords, 2)
        - EXCLUDE_WEIGHT * min(excluded, 2)
        + (AUTHOR_WEIGHT if followed else 0.0)
        - recency
    )


def contributions(
    counts: Mapping[str, int], terms: Mapping[str, tuple[float, float]]
) -> list[tuple[str, float]]:
    """Each feature's part of the SVM's decision value (what `why` shows), given a paper's
    feature counts and the weights (idf, weight) of at least its features; plain Python."""
    squares = 0.0
    found: list[tuple[str, float]] = []
    for term, count in counts.items():
        entry = terms.get(term)
        if entry is None:
            continue
        idf, weight = entry
        tf = 1.0 + math.log(count)  # sublinear tf
        squares += tf * tf * idf * idf
        found.append((term, tf * idf * weight))
    if not squares:
        return []
    norm = math.sqrt(squares)
    return [(t, c / norm) for t, c in found]


def strongest(found: list[tuple[str, float]], count: int) -> list[str]:
    """The `count` terms that pulled a paper up most, as `why` lists them first."""
    ranked = sorted((item for item in found if item[1] > 0), key=lambda i: (-i[1], i[0]))
    return [shown_term(t) for t, _ in ranked[:count]]


@dataclass(kw_only=True)
class Model:
    """What `radar rank` learned; `version` names it in every stored score."""

    interests: str  # fingerprint of the interests it was trained on
    trained_at: str
    latest_day: date | None
    positives: int
    negatives: int
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()  # followed names and aliases, normalised
    terms: dict[str, tuple[float, float]] = field(default_factory=dict)  # feature: (idf, weight)
    intercept: float = 0.0
    seconds: float = 0.0
    version: str = ""

    def __post_init__(self) -> None:
        self._keywords = phrase_patterns(self.keywords)
        self._exclude = phrase_patterns(self.exclude)
        self._authors = frozenset(AUTHOR + name for name in self.authors)
        self._weights: Weights | None = None  # the terms as arrays, built on first scoring
        if not self.version:
            self.version = self._digest()

    @property
    def fallback(self) -> bool:
        """True when there were too few positives for a text model."""
        return not self.terms

    def score(self, paper: Paper) -> float:
        return self.scores([paper])[0]

    def scores(self, papers: Sequence[Paper]) -> list[float]:
        """The scores of many papers at once (a page of sync, a batch of `radar rank`): the
        same paper gets the same score whatever it is scored with."""
        lowered = [(p.title.lower(), p.abstract.lower()) for p in papers]
        texts = self._texts(papers, lowered)
        keywords, exclude, followed = self._keywords, self._exclude, self._authors
        found: list[float] = []
        for paper, text, (title, abstract) in zip(papers, texts, lowered, strict=True):
            words = f"{title}\n{abstract}"  # what `_signals` searches, the same way (but faster)
            liked = len(matched_phrases(keywords, words)) if keywords else 0
            disliked = len(matched_phrases(exclude, words)) if exclude else 0
            by_followed = bool(followed) and not followed.isdisjoint(
                map(author_feature, paper.authors)
            )
            signals = _blend(liked, disliked, by_followed, self._recency(paper))
            found.append(squash(text + signals))
        return found

    def explain(self, paper: Paper, *, top: int = 6) -> Explanation:
        lowered = (paper.title.lower(), paper.abstract.lower())
        text = self._texts([paper], [lowered])[0]
        signals, keywords, excluded, authors, recency = self._signals(paper, "\n".join(lowered))
        contributions = self._contributions(paper)
        ranked = sorted(contributions, key=lambda item: (-item[1], item[0]))
        return Explanation(
            score=squash(text + signals),
            decision=text + signals,
            text=text,
            terms_for=[(shown_term(t), c) for t, c in ranked[:top] if c > 0],
            terms_against=[(shown_term(t), c) for t, c in reversed(ranked[-top:]) if c < 0],
            keywords=keywords,
            excluded=excluded,
            authors=authors,
            recency=recency,
        )

    def top_terms(self, count: int = 10) -> tuple[list[str], list[str]]:
        """The features with the largest weights for and against (what it learned)."""
        ranked = sorted(self.terms.items(), key=lambda item: (-item[1][1], item[0]))
        best = [shown_term(t) for t, (_, w) in ranked[:count] if w > 0]
        worst = [shown_term(t) for t, (_, w) in reversed(ranked[-count:]) if w < 0]
        return best, worst

    def _signals(
        self, paper: Paper, text: str
    ) -> tuple[float, list[str], list[str], list[str], float]:
        """The reader's explicit say in a paper's decision value, and what it matched.

        `text` is the paper's title and abstract, lower-cased, one line apart.
        """
        keywords = sorted(matched_phrases(self._keywords, text))
        excluded = sorted(matched_phrases(self._exclude, text))
        authors = [a for a in paper.authors if author_feature(a) in self._authors]
        recency = self._recency(paper)
        signals = _blend(len(keywords), len(excluded), bool(authors), recency)
        return signals, keywords, excluded, authors, recency

    def _texts(self, papers: Sequence[Paper], lowered: Sequence[tuple[str, str]]) -> list[float]:
        """The SVM's part of each paper's decision value (FALLBACK_BASE without a text model)."""
        if not self.terms:
            return [FALLBACK_BASE] * len(papers)
        if not papers:
            return []
        if self._weights is None:
            from radar.rank.batch import Weights

            self._weights = Weights(self.terms)
        return self._weights.decisions(papers, lowered, self.intercept)

    def _contributions(self, paper: Paper) -> list[tuple[str, float]]:
        return contributions(feature_counts(paper), self.terms) if self.terms else []

    def _recency(self, paper: Paper) -> float:
        day = paper.day
        if self.latest_day is None or day is None or day >= self.latest_day:
            return 0.0
        return RECENCY_WEIGHT * min((self.latest_day - day).days, 365) / 365

    # --- storage ----------------------------------------------------------------------------

    def to_json(self) -> str:
        # Field by field: dataclasses.asdict would deep-copy the ~100,000 terms first.
        data = {
            "interests": self.interests,
            "trained_at": self.trained_at,
            "positives": self.positives,
            "negatives": self.negatives,
            "keywords": list(self.keywords),
            "exclude": list(self.exclude),
            "authors": list(self.authors),
            "intercept": self.intercept,
            "seconds": self.seconds,
            "version": self.version,
        }
        data["format"] = FORMAT
        data["latest_day"] = self.latest_day.isoformat() if self.latest_day else None
        data["terms"] = {t: [round(i, 6), round(w, 8)] for t, (i, w) in sorted(self.terms.items())}
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Model | None:
        """The stored model, or None when it was written by another model format."""
        data = json.loads(text)
        if data.pop("format", None) != FORMAT:
            return None
        data["latest_day"] = date.fromisoformat(data["latest_day"]) if data["latest_day"] else None
        data["terms"] = {t: (i, w) for t, (i, w) in data["terms"].items()}
        for key in ("keywords", "exclude", "authors"):
            data[key] = tuple(data[key])
        return cls(**data)

    def _digest(self) -> str:
        """A short hash of what decides the scores (not when or how fast it was trained)."""
        data = json.loads(self.to_json())
        for key in ("trained_at", "seconds", "version"):
            data.pop(key)
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
        return VERSION_PREFIX + digest
