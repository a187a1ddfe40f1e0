"""radar.brief.grounding: every cited arXiv id is checked against the papers that were briefed."""

from __future__ import annotations

from radar.brief.grounding import ground

KNOWN = {"2602.22495", "2611.10001", "astro-ph/0601001"}


def test_known_citations_become_canonical_links() -> None:
    text = (
        "See [2602.22495](https://arxiv.org/abs/2602.22495), arXiv:2611.10001v2, "
        "https://arxiv.org/pdf/2602.22495v1.pdf and astro-ph/0601001."
    )
    result = ground(text, KNOWN)
    assert result.unknown == () and result.removed == 0
    assert result.cited == frozenset(KNOWN)
    assert result.markdown == (
        "See [2602.22495](https://arxiv.org/abs/2602.22495), "
        "[2611.10001](https://arxiv.org/abs/2611.10001), "
        "[2602.22495](https://arxiv.org/abs/2602.22495) and "
        "[astro-ph/0601001](https://arxiv.org/abs/astro-ph/0601001)."
    )


def test_unknown_ids_in_every_form_are_struck_and_counted() -> None:
    text = (
        "A [2611.99999](https://arxiv.org/abs/2611.99999), B 2612.00001, "
        "C arXiv:2699.99999, D [this work](https://arxiv.org/abs/2611.88888), "
        "E again [2611.99999](https://arxiv.org/abs/2611.99999v3)."
    )
    result = ground(text, KNOWN)
    assert result.unknown == ("2611.99999", "2612.00001", "2699.99999", "2611.88888")
    assert result.removed == 5
    assert "arxiv.org/abs/26" not in result.markdown
    assert result.markdown.count("(not in the briefed papers)") == 5


def test_descriptive_link_text_is_kept_and_other_links_untouched() -> None:
    text = "[this paper](https://arxiv.org/abs/2602.22495v2) and [docs](https://example.org/a)."
    result = ground(text, KNOWN)
    assert result.markdown == (
        "[this paper](https://arxiv.org/abs/2602.22495) and [docs](https://example.org/a)."
    )


def test_numbers_that_are_not_ids_are_left_alone() -> None:
    text = "Accuracy rose to 1234.5678 on v2.0; see 10.1234/abcd and 3.14159."
    result = ground(text, KNOWN)
    assert result.markdown == text and result.removed == 0


def test_every_form_of_citation_is_checked_and_shown_by_its_id() -> None:
    text = (
        "[arXiv:2602.22495v2](https://arxiv.org/abs/2602.22495v2), "
        "[](https://arxiv.org/abs/2611.10001), "
        "[2611.10001](https://example.org/mirror), "
        "[see](HTTPS://ArXiv.org/abs/2611.99999), "
        "[2611.77777](https://example.org/x), "
        "arXiv:Astro-Ph/0601001 and 2612.00001."
    )
    result = ground(text, KNOWN)
    assert result.markdown == (
        "[2602.22495](https://arxiv.org/abs/2602.22495), "
        "[2611.10001](https://arxiv.org/abs/2611.10001), "
        "[2611.10001](https://arxiv.org/abs/2611.10001), "
        "~~2611.99999~~ (not in the briefed papers), "
        "~~2611.77777~~ (not in the briefed papers), "
        "[astro-ph/0601001](https://arxiv.org/abs/astro-ph/0601001) and "
        "~~2612.00001~~ (not in the briefed papers)."
    )
    assert result.unknown == ("2611.99999", "2611.77777", "2612.00001")
    assert result.cited == frozenset(KNOWN)
