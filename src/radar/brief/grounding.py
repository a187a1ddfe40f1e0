"""Grounding a model's markdown: every arXiv id it cites is checked against the input set.

Known ids become canonical links; unknown ones are struck through and counted.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from radar.paper import ARXIV_ABS_URL

# In a link, a URL or after "arXiv:" any new-style (NNNN.NNNNN) or old-style (archive/NNNNNNN)
# id counts; a bare number must also have a plausible YYMM to be taken for an id.
_OLD = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ID = rf"(?:\d{{4}}\.\d{{4,5}}|{_OLD})(?:v\d+)?"
_BARE_ID = rf"(?:\d{{2}}(?:0[1-9]|1[0-2])\.\d{{4,5}}|{_OLD})(?:v\d+)?"
_URL = rf"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<url_id>{_ID})(?:\.pdf)?/?"
_CITATION = re.compile(
    rf"\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]*)\)"  # a markdown link
    rf"|(?P<url>{_URL})"  # a bare arXiv URL
    rf"|(?<![\w./-])arXiv:(?P<prefixed>{_ID})(?![\w/])"  # arXiv:ID
    rf"|(?<![\w./-])(?P<bare>{_BARE_ID})(?![\w/])",  # a bare id
    re.IGNORECASE,
)
_ONE_ID = re.compile(rf"(?:arXiv:)?({_ID})", re.IGNORECASE)


@dataclass(frozen=True)
class Grounded:
    markdown: str
    cited: frozenset[str]  # input ids the text cites
    unknown: tuple[str, ...]  # cited ids that were not in the input, once each, in order
    removed: int  # how many citations of unknown ids were struck out


def _base(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id)


def _link(arxiv_id: str) -> str:
    return f"[{arxiv_id}]({ARXIV_ABS_URL.format(id=arxiv_id)})"


def _mark(arxiv_id: str) -> str:
    return f"~~{arxiv_id}~~ (not in the briefed papers)"


def ground(markdown: str, known: Collection[str]) -> Grounded:
    """Check every arXiv id cited in `markdown` against `known` (base ids)."""
    known_set = set(known)
    cited: set[str] = set()
    unknown: dict[str, None] = {}
    removed = 0

    def check(arxiv_id: str) -> str | None:
        """The canonical base id if known; else record it as unknown and return None."""
        nonlocal removed
        base = _base(arxiv_id)
        for candidate in (base, base.lower()):
            if candidate in known_set:
                cited.add(candidate)
                return candidate
        unknown.setdefault(base, None)
        removed += 1
        return None

    def replace(match: re.Match[str]) -> str:
        if match.group("target") is not None:
            return _ground_link(match, check)
        found = match.group("url_id") or match.group("prefixed") or match.group("bare")
        base = check(found)
        return _link(base) if base else _mark(_base(found))

    text = _CITATION.sub(replace, markdown)
    return Grounded(text, frozenset(cited), tuple(unknown), removed)


def _ground_link(match: re.Match[str], check: object) -> str:
    """A markdown link: arXiv targets are verified; other links are left as they are."""
    text, target = match.group("text"), match.group("target")
    url = re.fullmatch(_URL, target, re.IGNORECASE)
    in_text = _ONE_ID.fullmatch(text.strip())
    found = url.group("url_id") if url else in_text.group(1) if in_text else None
    if found is None:
        return match.group(0)
    base = check(found)  # type: ignore[operator]
    if base is None:
        return _mark(_base(found))
    if in_text or not text.strip():
        return _link(base)
    # A descriptive link text ("[this paper](...abs/ID)") stays, pointed at the verified paper.
    return f"[{text}]({ARXIV_ABS_URL.format(id=base)})"
