"""What the model reads of a paper: word 1-2-grams of title and abstract, authors, categories.

One analyzer for training (handed to scikit-learn) and scoring (plain Python), so both agree.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise

from radar.paper import Paper, normalize_name

# Words of two or more letters or digits: scikit-learn's default token pattern `\b\w\w+\b`
# finds exactly these runs, and without the `\b`s the search is a third faster.
TOKEN = re.compile(r"\w\w+")
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
    return [t for t in TOKEN.findall(text.lower()) if t not in STOP_WORDS]


def feature_counts(paper: Paper) -> Counter[str]:
    """Every feature of a paper and how often it occurs.

    The words of the title then of the abstract, and the pairs of consecutive ones; title words
    count twice: a title says what a paper is about (+0.01 to +0.02 average precision in
    benchmarks/bench_rank.py). `radar.rank.batch` computes the same features a page at a time.
    """
    title = words(paper.title)
    tokens = title + words(paper.abstract)
    counts = Counter(tokens)
    counts.update(map(" ".join, pairwise(tokens)))
    counts.update(title)
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


Phrase = tuple[str, str, re.Pattern[str]]  # (the phrase, its first word, its pattern)


def phrase_patterns(phrases: tuple[str, ...]) -> tuple[Phrase, ...]:
    """A pattern per phrase (lower-cased, spacing may vary) to find it in lower-cased text.

    Each must stand as whole words: `matched_phrases` checks the character before a match (a
    look-behind in the pattern would stop the regex engine from skipping ahead to the phrase's
    first letter, and cost several times the time); the one after is checked here.
    """
    found = []
    for phrase in phrases:
        parts = phrase.lower().split()
        if parts:
            pattern = re.compile(r"\s+".join(map(re.escape, parts)) + r"(?!\w)")
            found.append((" ".join(parts), parts[0], pattern))
    return tuple(found)


def matched_phrases(phrases: tuple[Phrase, ...], text: str) -> set[str]:
    """Which `phrases` occur as whole words in `text` (lower-cased already)."""
    found: set[str] = set()
    for phrase, first, pattern in phrases:
        if first not in text:  # a plain substring search rules most papers out at once
            continue
        search, position = pattern.search, 0
        while (match := search(text, position)) is not None:
            start = match.start()
            before = text[start - 1] if start else " "
            if not (before.isalnum() or before == "_"):
                found.add(phrase)
                break
            position = start + 1  # inside a word: look again one character on
    return found


def shown_term(feature: str) -> str:
    """A feature as a user reads it: `author: Yantao Li`-like prefixes, else the words."""
    if feature.startswith(AUTHOR):
        return f"author {feature[len(AUTHOR) :]}"
    if feature.startswith(CATEGORY):
        return f"category {feature[len(CATEGORY) :]}"
    return feature
