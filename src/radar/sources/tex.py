"""TeX accents and letter symbols in arXiv text (`Hajdu\\v{s}ek`, `S{\\o}ren`) as Unicode.

Only accent and letter-symbol spans are decoded (by pylatexenc); everything else, math included, is
left exactly as written, so `$\\alpha$`, `50%` and `\\(T_w\\)` stay readable and unmangled.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# \'e  \"{o}  \'{\i}  \^ \~ \= \. : one letter (or dotless i/j) after a symbol accent.
_TARGET = r"(?:\{\s*(?:\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|\\[ij](?![A-Za-z])|[A-Za-z])"
_SYMBOL_ACCENT = rf"\\[`'^\"~=.]\s*{_TARGET}"
# \v{s}  \c{c}  \u a  \H{o}: a letter accent needs braces or a space before its letter.
_LETTER_ACCENT = r"\\[uvHckbdrt](?:\s*\{\s*(?:\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|\s+[A-Za-z])"
# \l \o \ss \ae \AA ...: letters of their own, optionally closed by {} or one space.
_LETTER = r"\\(?:ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s(?=[A-Za-z]))?"
_SPAN = rf"(?:{_SYMBOL_ACCENT}|{_LETTER_ACCENT}|{_LETTER})"
_TEX = re.compile(rf"\{{\s*{_SPAN}\s*\}}|{_SPAN}")
# Math is never touched: $...$, $$...$$, \(...\), \[...\].
_MATH = re.compile(r"(\$\$.+?\$\$|\$[^$]+\$|\\\(.+?\\\)|\\\[.+?\\\])", re.DOTALL)


def decode_tex(text: str) -> str:
    """`text` with TeX accents and letter symbols outside math turned into Unicode (NFC)."""
    if "\\" not in text:
        return text
    parts = _MATH.split(text)
    decoded = [part if index % 2 else _TEX.sub(_unicode, part) for index, part in enumerate(parts)]
    return "".join(decoded)


def _unicode(match: re.Match[str]) -> str:
    return _convert(match.group())


@lru_cache(maxsize=4096)
def _convert(span: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    text = LatexNodes2Text().latex_to_text(span.removesuffix(" ")).strip()
    return unicodedata.normalize("NFC", text) if text else span
