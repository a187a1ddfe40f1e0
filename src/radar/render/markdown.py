"""A stored brief's markdown as blocks and spans of plain text, for the page's template to print.

No HTML is made here: every text is printed by jinja2 with autoescaping, so markdown (or HTML)
from a model can only ever show as text; links keep only http(s) targets and card citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A link target -> the href to print ("#paper-ID" for a card on the page), or None for text.
Resolve = Callable[[str], "Link | None"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s{0,3}\d{1,9}[.)]\s+(.*)$")
_RULE = re.compile(r"^\s{0,3}(?:-\s*){3,}$|^\s{0,3}(?:\*\s*){3,}$|^\s{0,3}(?:_\s*){3,}$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_ESCAPABLE = set("\\`*_{}[]()#+-.!|<>~")
_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f-\x9f\"'<>\\]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    href: str
    cite: str | None = None  # the id of the card a citation points at


@dataclass(frozen=True)
class Span:
    """Inline text: kind is text, code, strong, em, del, group (children only) or link."""

    kind: str
    text: str = ""
    children: tuple[Span, ...] = ()
    link: Link | None = None


@dataclass(frozen=True)
class Block:
    """kind: heading (level), paragraph, list (items; ordered), quote, code (text), rule."""

    kind: str
    spans: tuple[Span, ...] = ()
    level: int = 0
    items: tuple[tuple[Span, ...], ...] = ()
    ordered: bool = False
    text: str = ""


def safe_url(url: str) -> str | None:
    """`url` when it is a plain http(s) URL (never javascript:, data: or a relative path)."""
    url = url.strip()
    return url if _SAFE_URL.match(url) else None


def parse(markdown: str, resolve: Resolve | None = None) -> list[Block]:
    """The blocks of `markdown`: ATX headings, lists, quotes, code fences, rules, paragraphs."""
    resolve = resolve or _external
    blocks: list[Block] = []
    lines = markdown.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif _FENCE.match(line):
            i = _code(lines, i, blocks)
        elif heading := _HEADING.match(line):
            blocks.append(
                Block("heading", inline(heading.group(2), resolve), level=len(heading.group(1)))
            )
            i += 1
        elif _RULE.match(line):
            blocks.append(Block("rule"))
            i += 1
        elif _BULLET.match(line) or _NUMBERED.match(line):
            i = _list(lines, i, blocks, resolve)
        elif _QUOTE.match(line):
            quoted = []
            while i < len(lines) and (match := _QUOTE.match(lines[i])):
                quoted.append(match.group(1))
                i += 1
            blocks.append(Block("quote", inline(" ".join(quoted), resolve)))
        else:
            text = []
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                text.append(lines[i].strip())
                i += 1
            blocks.append(Block("paragraph", inline(" ".join(text), resolve)))
    return blocks


def _starts_block(line: str) -> bool:
    return any(p.match(line) for p in (_FENCE, _HEADING, _RULE, _BULLET, _NUMBERED, _QUOTE))


def _code(lines: list[str], i: int, blocks: list[Block]) -> int:
    fence = _FENCE.match(lines[i])
    assert fence is not None
    body = []
    i += 1
    while i < len(lines) and not lines[i].lstrip().startswith(fence.group(1)):
        body.append(lines[i])
        i += 1
    blocks.append(Block("code", text="\n".join(body)))
    return i + 1


def _list(lines: list[str], i: int, blocks: list[Block], resolve: Resolve) -> int:
    ordered = _NUMBERED.match(lines[i]) is not None and _BULLET.match(lines[i]) is None
    marker = _NUMBERED if ordered else _BULLET
    items: list[str] = []
    while i < len(lines):
        line = lines[i]
        if match := marker.match(line):
            items.append(match.group(1).strip())
        elif line.strip() and line[:1].isspace() and items and not _starts_block(line):
            items[-1] += " " + line.strip()  # a continuation line, indented under the item
        else:
            break
        i += 1
    blocks.append(Block("list", items=tuple(inline(t, resolve) for t in items), ordered=ordered))
    return i


def inline(text: str, resolve: Resolve | None = None) -> tuple[Span, ...]:
    """Spans of one line: `code`, **strong**, *em* / _em_, ~~del~~, [text](url), \\escapes."""
    resolve = resolve or _external
    spans: list[Span] = []
    plain: list[str] = []
    i = 0

    def flush() -> None:
        if plain:
            spans.append(Span("text", "".join(plain)))
            plain.clear()

    while i < len(text):
        found = _inline_at(text, i, resolve)
        if found is None:
            step = 2 if text[i] == "\\" and text[i + 1 : i + 2] in _ESCAPABLE else 1
            plain.append(text[i + step - 1])
            i += step
            continue
        span, i = found
        flush()
        spans.append(span)
    flush()
    return tuple(spans)


def _inline_at(text: str, i: int, resolve: Resolve) -> tuple[Span, int] | None:
    """The span starting at text[i], and where it ends; None when text[i] is plain."""
    char = text[i]
    if char == "`":
        end = text.find("`", i + 1)
        return (Span("code", text[i + 1 : end]), end + 1) if end > i + 1 else None
    for mark, kind in (("**", "strong"), ("__", "strong"), ("~~", "del")):
        if text.startswith(mark, i):
            closed = _closing(text, mark, i + 2)
            if closed is not None:
                return Span(kind, children=inline(text[i + 2 : closed], resolve)), closed + 2
    if char in "*_" and _opens(text, i):
        closed = _closing(text, char, i + 1)
        if closed is not None and (char == "*" or not text[closed + 1 : closed + 2].isalnum()):
            return Span("em", children=inline(text[i + 1 : closed], resolve)), closed + 1
    if char == "[":
        return _link(text, i, resolve)
    return None


def _opens(text: str, i: int) -> bool:
    after = text[i + 1 : i + 2]
    before = text[i - 1 : i] if i else " "
    return bool(after) and not after.isspace() and not (text[i] == "_" and before.isalnum())


def _closing(text: str, mark: str, start: int) -> int | None:
    """Where `mark` closes an emphasis opened before `start` (not after a space, not escaped)."""
    i = start + 1
    while (i := text.find(mark, i)) != -1:
        if not text[i - 1].isspace() and text[i - 1] != "\\":
            return i
        i += 1
    return None


def _link(text: str, i: int, resolve: Resolve) -> tuple[Span, int] | None:
    depth, j = 0, i
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        depth += {"[": 1, "]": -1}.get(text[j], 0)
        if depth == 0:
            break
        j += 1
    if j >= len(text) or text[j + 1 : j + 2] != "(":
        return None
    close = _balanced_close(text, j + 1)
    if close is None:
        return None
    label = inline(text[i + 1 : j], resolve)
    target = text[j + 2 : close].strip().split(" ", 1)[0].strip("<>")
    link = resolve(target)
    if link is None:  # not a link we print: its text stays, the target goes
        return Span("group", children=label), close + 1
    return Span("link", children=label, link=link), close + 1


def _balanced_close(text: str, start: int) -> int | None:
    """The index of the `)` closing the `(` at `start`, parentheses inside counted."""
    depth = 0
    for k in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        if depth == 0:
            return k
    return None


def _external(target: str) -> Link | None:
    url = safe_url(target)
    return Link(url) if url else None
