"""The text part of many papers' scores at once: the model's weights as numpy arrays.

Finding the words (radar.rank.words), dropping function words, forming word pairs, counting,
tf-idf and the l2-normalised dot product with the SVM's weights are array operations over the
whole page; Python touches each paper only to look up its authors and categories. Sync scores
each page it stores this way, `radar rank` its batches: the same paper gets the same score from
either (each paper's sums run over its own features in one fixed order, whatever else is in the
page).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING

from radar.rank.text import AUTHOR, CATEGORY, STOP_WORDS, author_feature
from radar.rank.words import Hasher, Table

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from radar.paper import Paper

    Ints = npt.NDArray[np.int64]

_STOP = -2  # a function word: dropped before word pairs are formed
_UNKNOWN = -1  # a word of no feature: it still separates its neighbours
_TF_TABLE = 4096  # sublinear tf of counts below this from a table (log once per count)
_CHUNK = 500_000  # characters handled at once (~400 papers): bounded arrays, whatever the page


class Weights:
    """A model's features as arrays: word ids, the columns of words, word pairs and the rest."""

    def __init__(self, terms: Mapping[str, tuple[float, float]]) -> None:
        import numpy as np

        words: dict[str, int] = {}
        singles: dict[int, int] = {}
        pairs: dict[int, int] = {}
        self.authors: dict[str, int] = {}  # author: features -> column
        self.categories: dict[str, int] = {}  # category codes -> column
        idf2 = np.empty(len(terms))
        idf_weight = np.empty(len(terms))
        pending: list[tuple[str, str, int]] = []
        for column, (term, (idf, weight)) in enumerate(sorted(terms.items())):
            idf2[column] = idf * idf
            idf_weight[column] = idf * weight
            if term.startswith(AUTHOR):
                self.authors[term] = column
                continue
            if term.startswith(CATEGORY):
                self.categories[term[len(CATEGORY) :]] = column
                continue
            first, space, second = term.partition(" ")
            if space:
                pending.append((first, second, column))
            else:
                singles[words.setdefault(first, len(words))] = column
        for first, second, column in pending:
            a = words.setdefault(first, len(words))
            b = words.setdefault(second, len(words))
            pairs[a * (len(terms) * 2 + 1) + b] = column
        self.size = len(terms) * 2 + 1  # more than any word id: a pair's key is first*size+second
        # Every word a feature uses, and the function words, by hash (see radar.rank.words).
        self.hasher = Hasher()
        known = [*words, *STOP_WORDS]
        ids = np.concatenate([np.arange(len(words)), np.full(len(STOP_WORDS), _STOP)])
        owners, hashes = self.hasher.words(known)
        # Each is one `\w\w+` word when the model came from radar.rank.train; anything else
        # (a hand-made "odd-term", "x") is no word of any page: left out.
        one = np.bincount(owners, minlength=len(known)) == 1
        self.word_ids = Table(hashes[one[owners]], ids[one].astype(np.int64))
        self.single = np.full(len(words) + 1, -1, dtype=np.int64)  # the last: unknown words
        for word_id, column in singles.items():
            self.single[word_id] = column
        self.pairs = Table(
            np.array(list(pairs), dtype=np.uint64), np.array(list(pairs.values()), dtype=np.int64)
        )
        self.idf2 = idf2
        self.idf_weight = idf_weight
        self.tf = np.array([0.0] + [1.0 + math.log(c) for c in range(1, _TF_TABLE)])

    def decisions(
        self, papers: Sequence[Paper], lowered: Sequence[tuple[str, str]], intercept: float
    ) -> list[float]:
        """The SVM's decision value of each paper's l2-normalised sublinear tf-idf vector.

        `lowered` holds each paper's title and abstract in lower case.
        """
        found: list[float] = []
        start = size = 0
        for end, (title, abstract) in enumerate(lowered):
            size += len(title) + len(abstract)
            if size > _CHUNK:
                found += self._decisions(papers[start : end + 1], lowered[start : end + 1])
                start, size = end + 1, 0
        found += self._decisions(papers[start:], lowered[start:])
        return [d + intercept for d in found]

    def _decisions(
        self, papers: Sequence[Paper], lowered: Sequence[tuple[str, str]]
    ) -> list[float]:
        import numpy as np

        if not papers:
            return []
        count = len(papers)
        texts = [text for pair in lowered for text in pair]  # title, abstract, title, ...
        segment, hashes = self.hasher.words(texts)
        token = self.word_ids.get(hashes, _UNKNOWN)
        kept = token != _STOP
        token, segment = token[kept], segment[kept]
        owner, in_title = segment >> 1, (segment & 1) == 0
        # Single words (a title's twice: listed again), then pairs of neighbours in one paper.
        single = self.single[token]  # -1 (the last entry) for unknown words
        hit = single >= 0
        again = hit & in_title
        rows = [owner[hit], owner[again]]
        columns = [single[hit], single[again]]
        first, second = token[:-1], token[1:]
        both = (first >= 0) & (second >= 0) & (owner[:-1] == owner[1:])
        pair = self.pairs.get((first[both] * self.size + second[both]).astype(np.uint64), -1)
        hit = pair >= 0
        rows.append(owner[:-1][both][hit])
        columns.append(pair[hit])
        # Authors and categories: a few per paper, looked up by name.
        author, category = self.authors.get, self.categories.get
        other: list[int] = []
        lengths: list[int] = []
        for paper in papers:
            other += map(author, map(author_feature, paper.authors), repeat(-1))
            other += map(category, paper.categories, repeat(-1))
            lengths.append(len(paper.authors) + len(paper.categories))
        other_columns = np.array(other, dtype=np.int64)
        hit = other_columns >= 0
        rows.append(np.repeat(np.arange(count), lengths)[hit])
        columns.append(other_columns[hit])
        return self._dot(np.concatenate(rows), np.concatenate(columns), count)

    def _dot(self, rows: Ints, columns: Ints, papers: int) -> list[float]:
        """Sublinear tf-idf . weights / norm per paper, from every occurrence of a feature."""
        import numpy as np

        # Each (paper, feature) once, sorted by paper then column: the sums below run in that
        # order for every paper, whichever page it is scored in. (Sorting the occurrences is
        # most of this; 32-bit keys when they fit sort faster.)
        size = len(self.idf2)
        occurrences = rows * size + columns
        if papers * size < 2**32:
            occurrences = occurrences.astype(np.uint32)
        occurrences.sort(kind="stable")
        starts = np.flatnonzero(occurrences[1:] != occurrences[:-1]) + 1
        starts = np.concatenate([np.zeros(1 if len(occurrences) else 0, np.int64), starts])
        totals = np.diff(np.append(starts, len(occurrences)))
        keys = occurrences[starts].astype(np.int64)
        # (a count past the table, a word 4,096 times in one paper, takes the slow way)
        tf = self.tf[totals] if not totals.size or totals.max() < _TF_TABLE else 1 + np.log(totals)
        paper = keys // size
        column = keys % size
        squares = np.bincount(paper, weights=tf * tf * self.idf2[column], minlength=papers)
        dots = np.bincount(paper, weights=tf * self.idf_weight[column], minlength=papers)
        norms = np.sqrt(squares)
        safe = np.where(squares > 0, norms, 1.0)
        return [float(d) for d in np.where(squares > 0, dots / safe, 0.0)]
