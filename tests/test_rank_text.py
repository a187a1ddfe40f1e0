"""radar.rank.text: the features a paper gives the model, and how `why` shows them."""

from __future__ import annotations

from radar.rank.text import shown_term


def test_author_and_category_features_are_shown_as_words() -> None:
    assert shown_term("author:yantao li") == "author yantao li"
    assert shown_term("category:quant-ph") == "category quant-ph"
    assert shown_term("quantum error") == "quantum error"
