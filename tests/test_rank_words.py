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


def test_words_at_the_edge_of_the_basic_plane_are_found_as_the_tokeniser_finds_them() -> None:
    # U+FFFF is no letter, U+10000 (Linear B) the first letter past the 65,536-entry table.
    from radar.rank.words import Hasher

    hasher = Hasher()
    texts = ["\U00010000\U00010000 ab", "a\U00010000 \uffff\uffff b\U00010000c", "\uffffab"]
    texts += [
        "snake_case \U0001d400\U0001d401 _x __"
    ]  # "_" is a word character beside astral letters
    for text in texts:
        words = TOKEN.findall(text)
        owners, hashes = hasher.words([text])
        assert hashes.tolist() == [int(hasher.words([w])[1][0]) for w in words], text
        assert len(hashes) == len(words) and owners.tolist() == [0] * len(words)
