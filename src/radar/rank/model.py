"""A trained relevance model: tf-idf weights of a linear SVM plus the reader's explicit signals.

Scoring and explaining are plain Python over the stored weights: no scikit-learn needed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import pairwise

from radar.paper import Paper
from radar.rank.text import (
    AUTHOR,
    CATEGORY,
    author_feature,
    feature_counts,
    matched_phrases,
    phrase_pattern,
    shown_term,
    words,
)

# Bump when features or the blend change: every stored score then belongs to an old model.
FORMAT = 2
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

    @property
    def strongest(self) -> list[str]:
        """The two terms that pulled the paper up most (for a table column)."""
        return [term for term, _ in self.terms_for[:2]]


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
        self._keywords = phrase_pattern(self.keywords)
        self._exclude = phrase_pattern(self.exclude)
        self._authors = frozenset(AUTHOR + name for name in self.authors)
        # Per feature: idf squared and idf x weight, what scoring a paper multiplies out; word
        # pairs keyed by their first word, so scoring never builds "a b" strings to look up.
        self._table = {t: (i * i, i * w) for t, (i, w) in self.terms.items()}
        self._pairs: dict[str, dict[str, tuple[float, float]]] = {}
        for term, entry in self._table.items():
            first, space, second = term.partition(" ")
            if space and ":" not in first:
                self._pairs.setdefault(first, {})[second] = entry
        if not self.version:
            self.version = self._digest()

    @property
    def fallback(self) -> bool:
        """True when there were too few positives for a text model."""
        return not self.terms

    def score(self, paper: Paper) -> float:
        return squash(self._parts(paper, explain=False).decision)

    def explain(self, paper: Paper, *, top: int = 6) -> Explanation:
        return self._parts(paper, explain=True, top=top)

    def top_terms(self, count: int = 10) -> tuple[list[str], list[str]]:
        """The features with the largest weights for and against (what it learned)."""
        ranked = sorted(self.terms.items(), key=lambda item: (-item[1][1], item[0]))
        best = [shown_term(t) for t, (_, w) in ranked[:count] if w > 0]
        worst = [shown_term(t) for t, (_, w) in reversed(ranked[-count:]) if w < 0]
        return best, worst

    def _parts(self, paper: Paper, *, explain: bool, top: int = 6) -> Explanation:
        text, contributions = self._text(paper, explain=explain)
        keywords = sorted(matched_phrases(self._keywords, paper))
        excluded = sorted(matched_phrases(self._exclude, paper))
        authors = [a for a in paper.authors if author_feature(a) in self._authors]
        recency = self._recency(paper)
        decision = (
            text
            + KEYWORD_WEIGHT * min(len(keywords), 2)
            - EXCLUDE_WEIGHT * min(len(excluded), 2)
            + (AUTHOR_WEIGHT if authors else 0.0)
            - recency
        )
        ranked = sorted(contributions, key=lambda item: (-item[1], item[0]))
        return Explanation(
            score=squash(decision),
            decision=decision,
            text=text,
            terms_for=[(shown_term(t), c) for t, c in ranked[:top] if c > 0],
            terms_against=[(shown_term(t), c) for t, c in reversed(ranked[-top:]) if c < 0],
            keywords=keywords,
            excluded=excluded,
            authors=authors,
            recency=recency,
        )

    def _text(self, paper: Paper, *, explain: bool) -> tuple[float, list[tuple[str, float]]]:
        """The SVM decision value of the paper's l2-normalised sublinear tf-idf vector."""
        if not self.terms:
            return FALLBACK_BASE, []
        if explain:
            return self._text_explained(paper)
        table, pairs = self._table, self._pairs
        tokens = words(f"{paper.title} {paper.abstract}")
        counts = Counter(tokens)
        counts.update(words(paper.title))
        counts.update(author_feature(name) for name in paper.authors if name.strip())
        counts.update(CATEGORY + code for code in paper.categories)
        found_pairs: dict[tuple[str, str], int] = {}
        for first, second in pairwise(tokens):
            seconds = pairs.get(first)
            if seconds is not None and second in seconds:
                key = (first, second)
                found_pairs[key] = found_pairs.get(key, 0) + 1
        squares = dot = 0.0
        for term, count in counts.items():
            entry = table.get(term)
            if entry is None:
                continue
            tf = 1.0 if count == 1 else 1.0 + math.log(count)  # sublinear tf
            squares += tf * tf * entry[0]
            dot += tf * entry[1]
        for (first, second), count in found_pairs.items():
            entry = pairs[first][second]
            tf = 1.0 if count == 1 else 1.0 + math.log(count)
            squares += tf * tf * entry[0]
            dot += tf * entry[1]
        if not squares:
            return self.intercept, []
        return dot / math.sqrt(squares) + self.intercept, []

    def _text_explained(self, paper: Paper) -> tuple[float, list[tuple[str, float]]]:
        """`_text` feature by feature (slower): each feature's part of the decision value."""
        squares = dot = 0.0
        found: list[tuple[str, float]] = []
        counts = feature_counts(paper)
        table = self._table
        for term, count in counts.items():
            entry = table.get(term)
            if entry is None:
                continue
            idf2, idf_weight = entry
            tf = 1.0 + math.log(count)  # sublinear tf
            squares += tf * tf * idf2
            dot += tf * idf_weight
            found.append((term, tf * idf_weight))
        if not squares:
            return self.intercept, []
        norm = math.sqrt(squares)
        return dot / norm + self.intercept, [(t, c / norm) for t, c in found]

    def _recency(self, paper: Paper) -> float:
        day = paper.day
        if self.latest_day is None or day is None or day >= self.latest_day:
            return 0.0
        return RECENCY_WEIGHT * min((self.latest_day - day).days, 365) / 365

    # --- storage ----------------------------------------------------------------------------

    def to_json(self) -> str:
        data = asdict(self)
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
