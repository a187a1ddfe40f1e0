"""Filters: date parsing, conflicting options, and how --today/--days/--date resolve."""

from __future__ import annotations

from datetime import date

import pytest

from radar.commands.filter_options import build_filters
from radar.errors import UsageError
from radar.filters import Filters, current_day, parse_date, resolve_dates, today_note

SATURDAY = date(2026, 11, 28)
FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("20261120", date(2026, 11, 20)),
        (" today ", SATURDAY),
        ("Yesterday", FRIDAY),
    ],
)
def test_parse_date_accepts_iso_compact_and_words(text: str, expected: date) -> None:
    assert parse_date(text, "--since", today=SATURDAY) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "20/11/2026", "soon", "2026-02-30"])
def test_invalid_date_names_the_option(text: str) -> None:
    with pytest.raises(UsageError, match=r"invalid --since date") as info:
        parse_date(text, "--since")
    assert "YYYY-MM-DD" in str(info.value)


def test_radar_today_pins_the_current_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    assert current_day() == SATURDAY
    monkeypatch.setenv("RADAR_TODAY", "tomorrow")
    with pytest.raises(UsageError, match="RADAR_TODAY"):
        current_day()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"today": True, "date": FRIDAY}, "--today and --date cannot be combined"),
        ({"days": 3, "since": FRIDAY}, "--days and --since/--until cannot be combined"),
        ({"since": SATURDAY, "until": FRIDAY}, "is after --until"),
        ({"days": 0}, "--days must be at least 1"),
        ({"limit": -1}, "--limit must be 0 or more"),
    ],
)
def test_conflicting_or_impossible_filters_are_usage_errors(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        Filters(**kwargs)  # type: ignore[arg-type]


def test_build_filters_parses_and_cleans_option_values() -> None:
    filters = build_filters(
        author=["Yantao Li", " "],
        category=[" cs.AI "],
        source=["arxiv"],
        since="2026-11-01",
        until="2026-11-20",
        unread=True,
        limit=0,
    )
    assert filters == Filters(
        authors=("Yantao Li",),
        categories=("cs.AI",),
        sources=("arxiv",),
        since=date(2026, 11, 1),
        until=date(2026, 11, 20),
        unread=True,
        limit=None,
    )
    with pytest.raises(UsageError, match="invalid --until date '2026-11-31'"):
        build_filters(until="2026-11-31")


def test_is_empty_ignores_the_limit_only() -> None:
    assert Filters(limit=5).is_empty
    assert not Filters(unread=True).is_empty
    assert not Filters(today=True).is_empty


def test_today_on_a_weekend_resolves_to_the_latest_day_with_a_note() -> None:
    window = resolve_dates(Filters(today=True, unread=True), today=SATURDAY, latest=FRIDAY)
    assert window.filters == Filters(since=FRIDAY, until=FRIDAY, unread=True)
    assert window.note is not None
    assert "Saturday" in window.note and "weekends" in window.note
    assert "showing 2026-11-27" in window.note


def test_today_on_an_announcement_day_has_no_note() -> None:
    window = resolve_dates(Filters(today=True), today=FRIDAY, latest=FRIDAY)
    assert window.filters.since == window.filters.until == FRIDAY
    assert window.note is None


def test_today_on_a_weekday_without_papers_mentions_a_holiday() -> None:
    thursday = date(2026, 11, 26)
    note = today_note(thursday, date(2026, 11, 25))
    assert note is not None and "holiday" in note and "2026-11-25" in note


def test_today_with_an_empty_cache_suggests_sync() -> None:
    window = resolve_dates(Filters(today=True), today=SATURDAY, latest=None)
    assert window.filters.since == SATURDAY
    assert window.note is not None and "radar sync" in window.note


def test_days_and_date_become_an_inclusive_range() -> None:
    days = resolve_dates(Filters(days=3), today=SATURDAY, latest=None).filters
    assert (days.since, days.until, days.days) == (date(2026, 11, 26), SATURDAY, None)
    one = resolve_dates(Filters(date=FRIDAY), today=SATURDAY, latest=None).filters
    assert (one.since, one.until, one.date) == (FRIDAY, FRIDAY, None)
    plain = Filters(since=FRIDAY)
    assert resolve_dates(plain, today=SATURDAY, latest=None).filters is plain
