"""Which cached papers a reading command is about: the one `Filters` shape and its date rules.

list, search, shuffle and brief all build a `Filters`; `radar.store.queries` turns it into SQL.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from datetime import date, timedelta

from radar.errors import UsageError

# Tests and reproducible runs can pin "today" (YYYY-MM-DD); arXiv days do not follow the clock.
ENV_TODAY = "RADAR_TODAY"
_DATE_HINT = "use YYYY-MM-DD, e.g. 2026-11-20, or today / yesterday"


@dataclass(frozen=True)
class Filters:
    """Every filter shared by list, search, shuffle and brief.

    Values inside one kind are alternatives (two `--author`s: papers by either); different kinds
    all apply (an author AND a category). Dates are a paper's `day`: its arXiv announcement day
    when known, else its published date.

    - `authors`: names, matched after `normalize_name` (case, accents, spacing, "Li, Yantao").
    - `categories`: arXiv codes, primary or cross-listed.
    - `sources`: a source key ("arxiv-rss:cs.AI"), its kind ("arxiv", "arxiv-rss", "feed"),
      a feed name ("Nature") or a label ("arXiv (cs.AI)"); case-insensitive.
    - `announce`: arXiv announce types (new, cross, replace, replace-cross) of the latest
      announcement; papers radar never saw announced (API results, journal feeds) have none.
    - `today`: only the latest announcement day <= today, per source: arXiv papers on arXiv's
      latest day, each feed's items on that feed's latest day (see `resolve_dates`).
    - `latest_days`: what `today` resolved to, ("arxiv" | "feed:<name>", day) pairs.
    - `date` / `since` / `until`: one day, or an inclusive range.
    - `days`: the last N calendar days, today included.
    - `followed`: only papers matching a follow (author, alias, category or feed).
    - `unread` / `starred`: the user's marks.
    - `new`: only papers first seen during the last sync that finished (`radar list --new`).
    - `new_since`: only papers radar first saw on or after this day (local time).
    - `added`: what `new` resolved to (see `radar.store.queries.resolve`): the paper keys
      the last sync added, (after, up to] (keys only grow).
    - `seen_since`: what `new_since` resolved to: the UTC timestamp a paper's `first_seen`
      is at least.
    - `limit`: at most this many papers; None means no limit.
    """

    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    today: bool = False
    date: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    days: int | None = None
    followed: bool = False
    unread: bool = False
    starred: bool = False
    limit: int | None = None
    announce: tuple[str, ...] = ()
    latest_days: tuple[tuple[str, dt.date], ...] = ()
    new: bool = False
    new_since: dt.date | None = None
    added: tuple[int, int] | None = None
    seen_since: str | None = None

    def __post_init__(self) -> None:
        day_options = [
            name
            for name, given in (
                ("--today", self.today),
                ("--date", self.date is not None),
                ("--days", self.days is not None),
                ("--since/--until", self.since is not None or self.until is not None),
            )
            if given
        ]
        if len(day_options) > 1:
            raise UsageError(
                f"{' and '.join(day_options)} cannot be combined",
                hint="pick one way to give the dates",
            )
        if self.new and self.new_since is not None:
            raise UsageError(
                "--new and --new-since cannot be combined",
                hint="--new: the last sync's papers; --new-since DATE: those first seen since DATE",
            )
        if self.since and self.until and self.since > self.until:
            raise UsageError(
                f"--since {self.since} is after --until {self.until}",
                hint="swap the two dates",
            )
        if self.days is not None and self.days < 1:
            raise UsageError(f"--days must be at least 1, not {self.days}")
        if self.limit is not None and self.limit < 0:
            raise UsageError(f"--limit must be 0 or more, not {self.limit}")

    @property
    def is_empty(self) -> bool:
        """True when nothing but the limit narrows the selection."""
        return replace(self, limit=None) == Filters()


@dataclass(frozen=True)
class DateWindow:
    """Filters with `today`/`days`/`date` turned into a concrete since..until, and a note."""

    filters: Filters
    note: str | None = None


def parse_date(text: str, option: str = "date", *, today: date | None = None) -> date:
    """A command-line date: YYYY-MM-DD (also YYYYMMDD), `today` or `yesterday`.

    Raises UsageError naming the option, e.g. "invalid --since date '2026-13-01'".
    """
    value = text.strip().lower()
    now = today or current_day()
    if value == "today":
        return now
    if value == "yesterday":
        return now - timedelta(days=1)
    try:
        if len(value) == 8 and value.isdigit():
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"invalid {option} date {text!r}", hint=_DATE_HINT) from None


def day_start(day: date) -> str:
    """The UTC timestamp (as stored in `first_seen`) of the start of `day`, local time."""
    start = dt.datetime.combine(day, dt.time.min).astimezone(dt.UTC)
    return start.isoformat(timespec="seconds")


def current_day() -> date:
    """Today, unless $RADAR_TODAY pins it (for tests and reproducible scripts)."""
    pinned = os.environ.get(ENV_TODAY)
    if pinned:
        try:
            return date.fromisoformat(pinned.strip())
        except ValueError:
            raise UsageError(f"invalid ${ENV_TODAY} {pinned!r}", hint=_DATE_HINT) from None
    return date.today()


def resolve_dates(
    filters: Filters,
    *,
    today: date,
    latest: date | None,
    per_source: tuple[tuple[str, date], ...] = (),
) -> DateWindow:
    """Concrete since/until for `filters`; `latest` is the latest day <= today with papers.

    `--today` becomes that latest day (arXiv does not announce on weekends and holidays), with
    a note when it is not today itself; with `per_source` (each source's own latest day) it
    becomes those days, each for its own source. `--days N` becomes the N days ending today.
    """
    if filters.today:
        days = [day for _, day in per_source] or [latest or today]
        resolved = replace(
            filters, today=False, since=min(days), until=max(days), latest_days=per_source
        )
        return DateWindow(resolved, today_note(today, latest))
    if filters.days is not None:
        since = today - timedelta(days=filters.days - 1)
        return DateWindow(replace(filters, days=None, since=since, until=today))
    if filters.date is not None:
        return DateWindow(replace(filters, date=None, since=filters.date, until=filters.date))
    return DateWindow(filters)


def today_note(today: date, latest: date | None) -> str | None:
    """What to tell the user when --today is not today: weekend, holiday or an empty cache."""
    if latest is None:
        return f"note: no papers in the cache up to {today} (hint: run `radar sync`)"
    if latest == today:
        return None
    why = (
        f"{today:%A}: arXiv does not announce on weekends"
        if today.weekday() >= 5
        else "no announcement yet: a holiday, or the cache is not synced"
    )
    return (
        f"note: no papers for today, {today} ({why}); "
        f"showing {latest} ({latest:%A}), the latest day with papers"
    )
