"""Field by field, what a feed entry says: authors, dates, text without HTML, journal details.

Pure functions over strings and feedparser's entry dicts; `radar.sources.feeds` assembles them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from time import struct_time
from typing import Any

# "M.", "A. K.", "J.-P.", "A.K.", "Ch.", "MA", "J": what bioRxiv-style "Surname, Initials" puts
# after the comma. A lower-case letter needs a dot, so given names such as "Bo" or "Yu" are not.
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.[\s-]*|[A-Z]{1,3}(?:[\s-]+|$))+$")
_SEPARATORS = re.compile(r"\s*;\s*|\s*\band\b\s*|\s*&\s*")
_MONTH_DATE = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def split_authors(values: list[str]) -> tuple[str, ...]:
    """Author names from one `dc:creator` per author or one joined string, "Given Surname" form.

    "Kaur, M., Shukla, A., Pandey, A. K." (bioRxiv: the comma both separates and inverts)
    gives ("M. Kaur", "A. Shukla", "A. K. Pandey"); "Ann Lee, Bo Chen and Cy Diaz" gives three.
    """
    names: list[str] = []
    for value in values:
        for line in html.unescape(value).splitlines():  # one author per line separates too
            text = " ".join(line.split())
            for part in _SEPARATORS.split(text):
                names.extend(_split_commas(part.strip(" ,")))
    return tuple(dict.fromkeys(n for n in names if n))


def _split_commas(text: str) -> list[str]:
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if len(pieces) == 2 and " " not in pieces[0] and not _INITIALS.match(pieces[0]):
        # "Li, Yantao" / "Kaur, M.": one inverted name, not two people.
        return [f"{pieces[1]} {pieces[0]}"]
    names, index = [], 0
    while index < len(pieces):
        current = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else ""
        if following and _INITIALS.match(following) and not _INITIALS.match(current):
            names.append(f"{following} {current}")
            index += 2
        else:
            names.append(current)
            index += 1
    return names


def entry_date(entry: Mapping[str, Any], *keys: str) -> date | None:
    """The first of `keys` that holds a readable date: as written, else feedparser's (UTC) parse."""
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str) and (found := parse_date(value)):
            return found
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, struct_time):
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def parse_date(text: str) -> date | None:
    """The calendar day a feed wrote: RFC 822 (any spacing), ISO 8601, "May 21 2021 ..."; else None.

    The day is the publisher's own (22:21 EST on 5 Nov is 5 Nov), not converted to UTC.
    """
    text = " ".join(text.split())
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    if match := _ISO_DATE.search(text):
        return _safe_date(*(int(g) for g in match.groups()))
    if match := _YEAR_MONTH.match(text):
        return _safe_date(int(match.group(1)), int(match.group(2)), 1)
    if match := _MONTH_DATE.search(text):
        month = _MONTHS.get(match.group(1)[:3].casefold())
        if month:
            return _safe_date(int(match.group(3)), month, int(match.group(2)))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class _TextExtractor(HTMLParser):
    """Visible text of an HTML fragment; script/style and FeedBurner "feedflare" dropped."""

    _BLOCKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = " ".join(v or "" for k, v in attrs if k == "class")
        if self.skipping or tag in self._SKIP or (tag == "div" and "feedflare" in classes):
            if tag not in ("br", "img"):
                self.skipping.append(tag)
            return
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str | None) -> str:
    """Plain one-line text of an HTML (or plain) fragment, entities decoded."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return " ".join(html.unescape(fragment).split())
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def journal_ref(journal: str | None, volume: str, issue: str, first: str, last: str) -> str | None:
    """ "Fluids 9(6): 120" style reference from PRISM fields; None when there is no volume."""
    if not volume and not issue:
        return None
    ref = " ".join(filter(None, [journal, volume]))
    if issue:
        ref += f"({issue})"
    pages = "-".join(filter(None, [first, last]))
    return f"{ref}: {pages}" if pages else ref
