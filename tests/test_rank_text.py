"""radar.rank.text: the features a paper gives the model, and how `why` shows them."""

from __future__ import annotations

from radar.rank.text import shown_term


def test_author_and_category_features_are_shown_as_words() -> None:
    assert shown_term("author:yantao li") == "author yantao li"
    assert shown_term("category:quant-ph") == "category quant-ph"
    assert shown_term("quantum error") == "quantum error"


def test_a_papers_features_are_its_words_word_pairs_authors_and_categories() -> None:
    from collections import Counter

    from radar.paper import Paper
    from radar.rank.text import feature_counts, features

    paper = Paper(
        id="1",
        title="All about a Theory of EVERYTHING",
        abstract="Yourselves: qubits, x qubits_2 - 42.",
        authors=("Li, Yantao", "  ", "Ann Other"),
        categories=("quant-ph", "cs.LG"),
    )
    # Function words ("about" and "yourselves" too, the list's first and last) are dropped
    # before pairs are formed; title words count twice; one-letter words are no words.
    expected = Counter(
        {"theory": 2, "everything": 2, "qubits": 1, "qubits_2": 1, "42": 1}
        | {"theory everything": 1, "everything qubits": 1, "qubits qubits_2": 1, "qubits_2 42": 1}
        | {"author:yantao li": 1, "author:ann other": 1}
        | {"category:quant-ph": 1, "category:cs.LG": 1}
    )
    assert feature_counts(paper) == expected
    assert sorted(features(paper)) == sorted(expected.elements())


def test_a_keyword_is_found_as_whole_words_wherever_the_text_starts_or_ends() -> None:
    from radar.rank.text import matched_phrases, phrase_patterns

    def found(phrase: str, text: str) -> set[str]:
        return matched_phrases(phrase_patterns((phrase,)), text)

    assert found("graph", "graph theory\nwe study it") == {"graph"}  # at the very start
    assert found("graph", "a graph") == {"graph"}  # at the very end
    assert found("graph", "x_graph and subgraph") == set()  # "_" and letters join words
    assert found("graph", "x_graph, then graph") == {"graph"}
    assert found("--", "a---") == {"--"}  # after a miss inside a word, one character on
