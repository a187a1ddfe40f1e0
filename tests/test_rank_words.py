"""radar.rank.words: the page's words as hashes and the hash table, against the plain tokeniser."""

from __future__ import annotations

from radar.rank.text import TOKEN


def test_one_hasher_gives_each_word_the_same_number_on_every_page() -> None:
    # A model's hasher scores every page of a sync: short pages, then longer ones that grow its
    # tables, then short ones again.
    from radar.rank.words import Hasher

    shared = Hasher()
    pages = [["qubit ab"], ["entanglement of qubit pairs " * 400, "qubit"], ["ab qubit"]]
    qubit: set[int] = set()
    for texts in pages:
        owners, hashes = shared.words(texts)
        fresh = Hasher().words(texts)
        assert hashes.tolist() == fresh[1].tolist() and owners.tolist() == fresh[0].tolist()
        words = [w for text in texts for w in TOKEN.findall(text)]
        assert hashes.tolist() == [int(Hasher().words([w])[1][0]) for w in words]
        qubit.add(int(shared.words(["qubit"])[1][0]))
    assert len(qubit) == 1
