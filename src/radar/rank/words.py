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
_EMPTY = -(2**63)  # the value of an empty slot of a Table (no value is this)


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

        # A space before, between and after the texts: no word runs into the next text, and
        # every word both starts and ends where a word character meets a space or other.
        joined = " " + " ".join(texts) + " "
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
        edges = np.flatnonzero(word[1:] != word[:-1]) + 1
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
        # Where each text's successor begins; a text's words are those starting before that.
        following = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1) + 1
        counts = np.diff(np.searchsorted(starts, following), prepend=0)
        return np.repeat(np.arange(len(texts)), counts), hashes

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
    known absent at an empty slot) in one or two probes; each probe is one array gather, of a
    slot's key and value side by side (one memory access).
    """

    def __init__(self, keys: Hashes, values: Ints) -> None:
        import numpy as np

        bits = max(4, int(len(keys) * 4 - 1).bit_length())
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._slots = np.zeros((1 << bits, 2), dtype=np.int64)  # (key as int64, value)
        self._slots[:, 1] = _EMPTY
        self._probes = 0
        signed = keys.view(np.int64)
        pending = np.arange(len(keys))
        while len(pending):  # place every key in its slot or the next free one after it
            slots = (self._slot(signed[pending]) + self._probes) & self._mask
            free = self._slots[slots, 1] == _EMPTY
            # one key per free slot this round (the first of any that want the same slot)
            _, first = np.unique(slots[free], return_index=True)
            placed = pending[free][first]
            taken = slots[free][first]
            self._slots[taken, 0] = signed[placed]
            self._slots[taken, 1] = values[placed]
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            self._probes += 1

    def _slot(self, keys: Ints) -> Ints:
        import numpy as np

        # The top bits of the key times an odd constant (which mixes low bits up into them).
        mixed = keys.view(np.uint64) * np.uint64(_MULTIPLIER)
        return (mixed >> self._shift).astype(np.int64)

    def get(self, keys: Hashes, default: int) -> Ints:
        """The value of each key, `default` for keys not in the table."""
        import numpy as np

        if not self._probes:
            return np.full(len(keys), default, dtype=np.int64)
        wanted = keys.view(np.int64)
        slots = self._slot(wanted)
        found = self._slots[slots]  # the first probe finds most keys
        used = found[:, 1] != _EMPTY
        hit = used & (found[:, 0] == wanted)
        values = np.where(hit, found[:, 1], default)
        pending = np.flatnonzero(used & ~hit)  # an empty slot ends the search: absent
        for _ in range(1, self._probes):
            if not len(pending):
                break
            at = (slots[pending] + 1) & self._mask
            slots[pending] = at
            found = self._slots[at]
            used = found[:, 1] != _EMPTY
            hit = used & (found[:, 0] == wanted[pending])
            values[pending[hit]] = found[hit, 1]
            pending = pending[used & ~hit]
        return values
