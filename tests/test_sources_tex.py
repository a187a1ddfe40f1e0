"""TeX accents and letter symbols in arXiv names, titles and abstracts, shown as Unicode."""

from __future__ import annotations

import unicodedata

import pytest

from radar.sources.tex import decode_tex


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        ("Hajdu\\v{s}ek", "Hajdušek"),  # a letter accent with braces
        ("S{\\o}ren Stobbe", "Søren Stobbe"),  # a letter symbol in a group
        ("Stanis\\l{}aw", "Stanisław"),  # closed by {}
        ("Gro\\ss e", "Große"),  # closed by one space
        ("Fran\\c cois", "François"),  # a letter accent before a space and its letter
        ("Mart\\'{\\i}n", "Martín"),  # a symbol accent on a dotless i
        ('Schr\\"odinger', "Schrödinger"),
        ("Ma\\~{n}ana \\k a", "Mañana ą"),
        ("Andr{ \\'{e} }", "André"),  # spaces inside the group are not letters of the name
    ],
)
def test_accents_and_letter_symbols_become_unicode(tex: str, shown: str) -> None:
    assert decode_tex(tex) == shown


def test_decoded_letters_are_composed_nfc() -> None:
    decoded = decode_tex("Caf\\'e")
    assert decoded == "Café" and len(decoded) == 4
    assert decoded == unicodedata.normalize("NFC", decoded)


@pytest.mark.parametrize(
    "text",
    [
        "$\\alpha$ and $\\'e$",  # inline math
        '$$\\"o + x$$',  # display math
        "\\(T_{\\'e}\\) and \\[\\~n\\]",  # LaTeX's math delimiters
        "50% of \\emph{things} at \\$5",  # commands that are no accent
        "\\t{oo} and \\d{ }",  # what pylatexenc would not decode: left as written
        "no backslash at all: {o} 'e",
    ],
)
def test_math_and_everything_else_is_left_exactly_as_written(text: str) -> None:
    assert decode_tex(text) == text


def test_accents_around_math_are_decoded_and_the_math_kept() -> None:
    assert decode_tex("\\'e $\\'e$ \\'e \\(\\'e\\) \\'e") == "é $\\'e$ é \\(\\'e\\) é"
    assert decode_tex("\\o  x") == "ø  x"  # only the one space that closes a symbol goes
