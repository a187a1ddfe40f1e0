"""The text part of many papers' scores at once: the model's weights as numpy arrays.

Per paper, Python only finds the words (one regular expression) and looks each up in a dict;
dropping function words, forming word pairs, counting, tf-idf and the l2-normalised dot product
with the SVM's weights are array operations over the whole page. Sync scores each page it
stores this way, `radar rank` its batches: the same paper gets the same score from either
(each paper's sums run over its own features in one fixed order, whatever else is in the page).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING

from radar.rank.text import AUTHOR, CATEGORY, STOP_WORDS, TOKEN, author_feature

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from radar.paper import Paper

    Ints = npt.NDArray[np.int64]
    Floats = npt.NDArray[np.float64]

_STOP = -2  # a function word: dropped before word pairs are formed
_UNKNOWN = -1  # a word of no feature: it still separates its neighbours
_TF_TABLE = 4096  # sublinear tf of counts below this from a table (log once per count)


class Weights:
    """A model's features as arrays: word ids, the columns of words, word pairs and the rest."""

    def __init__(self, terms: Mapping[str, tuple[float, float]]) -> None:
        import numpy as np

        words: dict[str, int] = {}
        singles: dict[int, int] = {}
        pairs: dict[int, int] = {}
        self.others: dict[str, int] = {}  # author: and category: features -> column
        idf2 = np.empty(len(terms))
        idf_weight = np.empty(len(terms))
        pending: list[tuple[str, str, int]] = []
        for column, (term, (idf, weight)) in enumerate(sorted(terms.items())):
            idf2[column] = idf * idf
            idf_weight[column] = idf * weight
            if term.startswith((AUTHOR, CATEGORY)):
                self.others[term] = column
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
        self.words = {**dict.fromkeys(STOP_WORDS, _STOP), **words}
        self.single = np.full(len(words) + 1, -1, dtype=np.int64)  # the last: unknown words
        for word_id, column in singles.items():
            self.single[word_id] = column
        keys = np.array(sorted(pairs), dtype=np.int64)
        self.pair_keys = keys
        self.pair_columns = np.array([pairs[k] for k in keys.tolist()], dtype=np.int64)
        self.idf2 = idf2
        self.idf_weight = idf_weight
        self.tf = np.array([0.0] + [1.0 + math.log(c) for c in range(1, _TF_TABLE)])

    def decisions(
        self, papers: Sequence[Paper], lowered: Sequence[tuple[str, str]], intercept: float
    ) -> list[float]:
        """The SVM's decision value of each paper's l2-normalised sublinear tf-idf vector.

        `lowered` holds each paper's title and abstract in lower case.
        """
        import numpy as np

        get, findall, others = self.words.get, TOKEN.findall, self.others
        ids: list[int] = []
        lengths: list[int] = []
        title_lengths: list[int] = []
        other_rows: list[int] = []
        other_columns: list[int] = []
        for row, (paper, (title, abstract)) in enumerate(zip(papers, lowered, strict=True)):
            start = len(ids)
            ids += map(get, findall(title), repeat(_UNKNOWN))
            title_lengths.append(len(ids) - start)
            ids += map(get, findall(abstract), repeat(_UNKNOWN))
            lengths.append(len(ids) - start)
            found = [
                c for c in map(others.get, map(author_feature, paper.authors)) if c is not None
            ]
            found += [
                c
                for c in (others.get(CATEGORY + code) for code in paper.categories)
                if c is not None
            ]
            if found:
                other_rows += [row] * len(found)
                other_columns += found
        count = len(papers)
        token = np.array(ids, dtype=np.int64)
        owner = np.repeat(np.arange(count, dtype=np.int64), lengths)
        starts = np.cumsum(lengths) - lengths
        in_title = np.arange(len(token)) - starts[owner] < np.repeat(title_lengths, lengths)
        kept = token != _STOP
        token, owner, in_title = token[kept], owner[kept], in_title[kept]
        # Single words (a title's count twice), then pairs of neighbours within one paper.
        single = self.single[token]  # -1 (the last entry) for unknown words
        hit = single >= 0
        rows = [owner[hit]]
        columns = [single[hit]]
        counts = [np.where(in_title[hit], 2.0, 1.0)]
        first, second = token[:-1], token[1:]
        both = (first >= 0) & (second >= 0) & (owner[:-1] == owner[1:])
        if len(self.pair_keys) and both.any():
            keys = first[both] * self.size + second[both]
            where = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
            hit = self.pair_keys[where] == keys
            rows.append(owner[:-1][both][hit])
            columns.append(self.pair_columns[where[hit]])
            counts.append(np.ones(int(hit.sum())))
        rows.append(np.array(other_rows, dtype=np.int64))
        columns.append(np.array(other_columns, dtype=np.int64))
        counts.append(np.ones(len(other_rows)))
        return self._dot(
            np.concatenate(rows), np.concatenate(columns), np.concatenate(counts), count, intercept
        )

    def _dot(
        self, rows: Ints, columns: Ints, counts: Floats, papers: int, intercept: float
    ) -> list[float]:
        import numpy as np

        # Each (paper, feature) once, sorted by paper then column: the sums below run in that
        # order for every paper, whichever page it is scored in.
        keys, where = np.unique(rows * len(self.idf2) + columns, return_inverse=True)
        totals = np.bincount(where, weights=counts).astype(np.int64)
        # (a count past the table, a word 4,096 times in one paper, takes the slow way)
        tf = self.tf[totals] if not totals.size or totals.max() < _TF_TABLE else 1 + np.log(totals)
        paper = keys // len(self.idf2)
        column = keys % len(self.idf2)
        squares = np.bincount(paper, weights=tf * tf * self.idf2[column], minlength=papers)
        dots = np.bincount(paper, weights=tf * self.idf_weight[column], minlength=papers)
        norms = np.sqrt(squares)
        safe = np.where(squares > 0, norms, 1.0)
        return [float(d) for d in np.where(squares > 0, dots / safe + intercept, intercept)]
