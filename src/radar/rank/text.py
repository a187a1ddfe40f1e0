"""What the model reads of a paper: word 1-2-grams of title and abstract, authors, categories.

One analyzer for training (handed to scikit-learn) and scoring (plain Python), so both agree.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise

from radar.paper import Paper, normalize_name

# scikit-learn's default token pattern: words of two or more letters or digits.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
AUTHOR = "author:"
CATEGORY = "category:"

# Function words carry no topic; dropped before bigrams are formed (as scikit-learn does).
_FUNCTION_WORDS = """
about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how however if
in into is it its itself just may me might more most must my myself no nor not now of
off on once only or other our ours ourselves out over own same she should so some such
than that the their theirs them themselves then there these they this those through thus
to too under until up upon us very via was we were what when where which while who whom
why will with within without would yet you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_FUNCTION_WORDS.split())


def words(text: str) -> list[str]:
    """Lower-cased tokens of `text` without function words."""
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS]


def feature_counts(paper: Paper) -> Counter[str]:
    """Every feature of a paper and how often it occurs.

    Title words count twice: a title says what a paper is about (+0.01 to +0.02 average
    precision in benchmarks/bench_rank.py).
    """
    tokens = words(f"{paper.title} {paper.abstract}")
    counts = Counter(tokens)
    counts.update(map(" ".join, pairwise(tokens)))
    counts.update(words(paper.title))
    counts.update(author_feature(name) for name in paper.authors if name.strip())
    counts.update(CATEGORY + code for code in paper.categories)
    return counts


def features(paper: Paper) -> list[str]:
    """The analyzer scikit-learn trains with: the features, each as often as it occurs."""
    return list(feature_counts(paper).elements())


@lru_cache(maxsize=65536)
def author_feature(name: str) -> str:
    """`author:` and the normalised name (cached: the same names recur on every page)."""
    return AUTHOR + normalize_name(name)


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive whole-word pattern for any of `phrases` (spacing may vary)."""
    parts = [r"\s+".join(map(re.escape, p.split())) for p in phrases if p.split()]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def matched_phrases(pattern: re.Pattern[str] | None, paper: Paper) -> set[str]:
    """Which phrases of `pattern` occur in the paper's title or abstract (lower-cased)."""
    if pattern is None:
        return set()
    found = set(pattern.findall(f"{paper.title}\n{paper.abstract}"))
    return {" ".join(match.lower().split()) for match in found}


def shown_term(feature: str) -> str:
    """A feature as a user reads it: `author: Yantao Li`-like prefixes, else the words."""
    if feature.startswith(AUTHOR):
        return f"author {feature[len(AUTHOR) :]}"
    if feature.startswith(CATEGORY):
        return f"category {feature[len(CATEGORY) :]}"
    return feature
