"""radar.sources.feed_fields: authors, dates, plain text and journal references of feed entries."""

from __future__ import annotations

import time
from datetime import date

import pytest

from radar.sources.feed_fields import (
    entry_date,
    html_to_text,
    journal_ref,
    parse_date,
    split_authors,
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Lee, MA"], ("MA Lee",)),
        (["Lee, J"], ("J Lee",)),
        (["Lee, Ch."], ("Ch. Lee",)),
        (["Smith, J., Doe"], ("J. Smith", "Doe")),
        (["A B, C D, E F"], ("A B", "C D", "E F")),
        (["Ann Lee &amp; Bo Chen"], ("Ann Lee", "Bo Chen")),
        (["Ann  Lee,  "], ("Ann Lee",)),
        (["  Ann Lee ; ; Bo Chen"], ("Ann Lee", "Bo Chen")),
        (["Xu Zhang; Max X"], ("Xu Zhang", "Max X")),
        (["Smith, John Paul"], ("John Paul Smith",)),
        (["Ann Lee\nBo Chen\r\n  Cy Diaz\n"], ("Ann Lee", "Bo Chen", "Cy Diaz")),
        (["Ann Lee,\n  Bo Chen and\n Cy Diaz"], ("Ann Lee", "Bo Chen", "Cy Diaz")),
    ],
)
def test_author_strings_in_other_shapes(values: list[str], expected: tuple[str, ...]) -> None:
    assert split_authors(values) == expected


def test_entry_date_takes_the_first_readable_key_else_feedparsers_parse() -> None:
    parsed = time.strptime("2020-01-02", "%Y-%m-%d")
    assert entry_date({"published": "soon", "published_parsed": parsed}, "published") == date(
        2020, 1, 2
    )
    entry = {"created": "x", "updated": "2020-03-04", "published": "2020-05-06"}
    assert entry_date(entry, "created", "updated", "published") == date(2020, 3, 4)
    assert entry_date({"created_parsed": "2020-01-01"}, "created") is None
    assert entry_date({}, "created") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Issue of 2021-05-06 (online)", date(2021, 5, 6)),
        ("20260101T233000Z", date(2026, 1, 1)),
        ("2026-01-01T23:30:00Z", date(2026, 1, 1)),
        ("Published 2021-13-45", None),
        ("2021-02", date(2021, 2, 1)),
        (" 2021-02 ", date(2021, 2, 1)),
        ("2021-13", None),
        ("Sept. 5, 2021", date(2021, 9, 5)),
        ("Foo 5 2021", None),
        ("Feb 30 2021", None),
    ],
)
def test_dates_written_in_other_ways(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>a</p><p>b</p>", "a b"),
        ("a<br>b", "a b"),
        ("<li>a</li><li>b</li>", "a b"),
        ("<h2>Title</h2>Body", "Title Body"),
        ("<span>a</span>b", "ab"),
        ("<script>x<b>y</b>z</script>w", "w"),
        ("<style>s</style>t", "t"),
        ('<div class="x feedflare"><p>s<br>t<img src=x></p></div>u', "u"),
        ('<div class="note">kept</div>', "kept"),
        ("a &amp; b &lt;c&gt;", "a & b <c>"),
        ("", ""),
        (None, ""),
    ],
)
def test_html_to_text(fragment: str | None, text: str) -> None:
    assert html_to_text(fragment) == text


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("J", "9", "", "", ""), "J 9"),
        (("J", "", "6", "1", "2"), "J(6): 1-2"),
        ((None, "9", "6", "", "7"), "9(6): 7"),
        (("J", "", "", "1", "2"), None),
    ],
)
def test_journal_reference_from_volume_issue_and_pages(
    parts: tuple[str | None, str, str, str, str], expected: str | None
) -> None:
    assert journal_ref(*parts) == expected
