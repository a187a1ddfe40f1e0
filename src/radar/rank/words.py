"""The words of many texts at once as numbers, without a Python string per word.

`radar.rank.text.TOKEN` makes one string object per word, and that was most of what scoring a
page cost. Here a page's lower-cased texts become one array of code points; word characters
(what `\\w` matches: `str.isalnum()` or `_`) come from a table, every run of two or more is a
word (what `TOKEN` finds), and a word is known by a 64-bit polynomial hash of its code points.
Two different words share a hash with odds of about 2**-64.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Hashes = npt.NDArray[np.uint64]

_MULTIPLIER = 0x9E3779B97F4A7C15  # odd: it has an inverse modulo 2**64
_BMP = 0x10000


class Hasher:
    """Finds the words of texts and hashes them (tables built once, grown as texts need)."""

    def __init__(self) -> None:
        import numpy as np

        self._word = np.array([chr(c).isalnum() or c == 0x5F for c in range(_BMP)] + [False])
        self._powers = np.ones(1, dtype=np.uint64)
        self._inverses = np.ones(1, dtype=np.uint64)

    def words(self, texts: Sequence[str]) -> tuple[Ints, Hashes]:
        """(index of the text, hash) of every word of `texts`, in order."""
        import numpy as np

        joined = " ".join(texts)  # a space ends every word: none runs into the next text
        if not joined:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
        codes: npt.NDArray[np.uint8 | np.uint16 | np.uint32]
        if joined.isascii():  # most pages: one byte a character, copied as it is stored
            codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
            word = self._word[codes]
        else:
            codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            if codes.max() < _BMP:
                word = self._word[codes]
            else:
                word = self._word[np.minimum(codes, _BMP)]
                beyond = codes >= _BMP  # astral letters (mathematical alphanumerics, ...)
                rare = np.unique(codes[beyond])
                known = np.array([chr(c).isalnum() for c in rare.tolist()])
                word[beyond] = known[np.searchsorted(rare, codes[beyond])]
        # Where runs of word characters start and end, alternately.
        edges = np.flatnonzero(np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0)))
        starts, ends = edges[0::2], edges[1::2]
        long = ends - starts >= 2  # `\w\w+`: one letter alone is no word
        starts, ends = starts[long], ends[long]
        # hash = sum of code * M**i over the word's code points i = 0, 1, ... (mod 2**64)
        powers, inverses = self._tables(len(codes) + 1)
        prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
        terms = codes.astype(np.uint64)
        np.multiply(terms, powers[: len(codes)], out=terms)
        np.cumsum(terms, out=prefix[1:])
        hashes = (prefix[ends] - prefix[starts]) * inverses[starts]
        # where each text's separator ends
        bounds = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1)
        return np.searchsorted(bounds, starts, side="right"), hashes

    def _tables(self, size: int) -> tuple[Hashes, Hashes]:
        """M**i and M**-i modulo 2**64 for i < size (numpy's uint64 products wrap around)."""
        import numpy as np

        if len(self._powers) < size:
            size = max(size, len(self._powers) * 2)
            factors = np.full(size - 1, _MULTIPLIER, dtype=np.uint64)
            self._powers = np.concatenate([[np.uint64(1)], np.cumprod(factors)])
            factors[:] = pow(_MULTIPLIER, -1, 1 << 64)
            self._inverses = np.concatenate([[np.uint64(1)], np.cumprod(factors)])
        return self._powers, self._inverses


class Table:
    """A hash table of uint64 keys to int64 values that looks many keys up at once.

    Open addressing with linear probing in a table at most a quarter full, so a key is found (or
    known absent at an empty slot) in one or two probes; each probe is one array gather.
    """

    def __init__(self, keys: Hashes, values: Ints) -> None:
        import numpy as np

        bits = max(4, int(len(keys) * 4 - 1).bit_length())
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.zeros(1 << bits, dtype=np.uint64)
        self._values = np.full(1 << bits, -1, dtype=np.int64)
        self._used = np.zeros(1 << bits, dtype=bool)
        self._probes = 0
        pending = np.arange(len(keys))
        while len(pending):  # place every key in its slot or the next free one after it
            slots = (self._slot(keys[pending]) + self._probes) & self._mask
            free = ~self._used[slots]
            # one key per free slot this round (the first of any that want the same slot)
            _, first = np.unique(slots[free], return_index=True)
            placed = pending[free][first]
            taken = slots[free][first]
            self._keys[taken] = keys[placed]
            self._values[taken] = values[placed]
            self._used[taken] = True
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            self._probes += 1

    def _slot(self, keys: Hashes) -> Ints:
        import numpy as np

        # The top bits of the key times an odd constant (which mixes low bits up into them).
        return ((keys * np.uint64(_MULTIPLIER)) >> self._shift).astype(np.int64)

    def get(self, keys: Hashes, default: int) -> Ints:
        """The value of each key, `default` for keys not in the table."""
        import numpy as np

        if not self._probes:
            return np.full(len(keys), default, dtype=np.int64)
        slots = self._slot(keys)
        used = self._used[slots]
        hit = used & (self._keys[slots] == keys)  # the first probe finds most keys
        found = np.where(hit, self._values[slots], default)
        pending = np.flatnonzero(used & ~hit)  # an empty slot ends the search: absent
        for _ in range(1, self._probes):
            if not len(pending):
                break
            at = (slots[pending] + 1) & self._mask
            slots[pending] = at
            used = self._used[at]
            hit = used & (self._keys[at] == keys[pending])
            found[pending[hit]] = self._values[at[hit]]
            pending = pending[used & ~hit]
        return found
