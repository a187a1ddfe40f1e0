"""What radar.toml may hold: every key, its type, and validation that names file, line and key.

Also the arXiv category list and author-name rules that follow edits share.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from radar.errors import ConfigError

# Files shipped with radar, read directly: importing importlib.resources costs ~10 ms a run.
DATA = Path(__file__).parent.parent / "data"  # src/radar/data, shipped as package data

Check = Callable[[Any], Any]  # returns the converted value or raises ValueError(expected type)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a string")
    return value


def _nonempty_str(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a non-empty string")
    return value.strip()


def shown(value: float) -> str:
    """A range end as the README and the errors write it: 3,600 and 0.1."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _whole(low: int, high: int) -> Check:
    """A whole number in [low, high] (README, "Configuration": every range is documented)."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"a whole number from {shown(low)} to {shown(high)}")
        return value

    return check


def _number(low: float, high: float) -> Check:
    """A number (whole or decimal) in [low, high]."""

    def check(value: Any) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise ValueError(f"a number from {shown(low)} to {shown(high)}")
        return float(value)

    return check


# The valid range of every numeric setting: a 0 s timeout or a billion retries is a typo.
RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "arxiv": {
        "delay_seconds": (0, 3600),
        "timeout_seconds": (0.1, 3600),
        "backfill_days": (1, 3650),
        "author_max_papers": (1, 100_000),
        "page_size": (1, 2000),  # arXiv's own maximum per request
        "backfill_page_size": (1, 2000),
        "max_retries": (0, 10),
        "max_retry_wait_seconds": (0, 86_400),
        "max_response_mb": (0.1, 1000),
    },
    "llm": {
        "temperature": (0, 2),
        "max_input_tokens": (256, 100_000_000),
        "max_output_tokens": (16, 10_000_000),
        "concurrency": (1, 64),
        "timeout_seconds": (0.1, 3600),
        "max_retries": (0, 10),
    },
}
_WHOLE = {
    "backfill_days",
    "author_max_papers",
    "page_size",
    "backfill_page_size",
    "max_retries",
    "max_input_tokens",
    "max_output_tokens",
    "concurrency",
}


def _ranged(table: str, key: str) -> Check:
    low, high = RANGES[table][key]
    return _whole(int(low), int(high)) if key in _WHOLE else _number(low, high)


def _str_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("a list of strings")
    return tuple(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _path(value: Any) -> Path:
    return Path(os.path.expanduser(_nonempty_str(value)))


SCHEMA: dict[str, dict[str, Check]] = {
    "": {"db_path": _path},
    "follow": {"authors": _str_list, "categories": _str_list},
    "interests": {"keywords": _str_list, "exclude": _str_list},
    "arxiv": {
        "api_url": _nonempty_str,
        "rss_url": _nonempty_str,
        "author_feed_url": _nonempty_str,
        "delay_seconds": _ranged("arxiv", "delay_seconds"),
        "timeout_seconds": _ranged("arxiv", "timeout_seconds"),
        "backfill_days": _ranged("arxiv", "backfill_days"),
        "author_max_papers": _ranged("arxiv", "author_max_papers"),
        "page_size": _ranged("arxiv", "page_size"),
        "backfill_page_size": _ranged("arxiv", "backfill_page_size"),
        "max_retries": _ranged("arxiv", "max_retries"),
        "max_retry_wait_seconds": _ranged("arxiv", "max_retry_wait_seconds"),
        "max_response_mb": _ranged("arxiv", "max_response_mb"),
    },
    "llm": {
        "model": _nonempty_str,
        "api_base": _nonempty_str,
        "temperature": _ranged("llm", "temperature"),
        "max_input_tokens": _ranged("llm", "max_input_tokens"),
        "max_output_tokens": _ranged("llm", "max_output_tokens"),
        "concurrency": _ranged("llm", "concurrency"),
        "prompt_file": _path,
        "timeout_seconds": _ranged("llm", "timeout_seconds"),
        "max_retries": _ranged("llm", "max_retries"),
    },
    "ui": {"pager": _bool},
}


def _person_id(value: Any) -> str:
    from radar.config.person_ids import check_person_id

    if not isinstance(value, str):
        raise ValueError('expected an arXiv author id or an ORCID, e.g. "li_y_1"')
    return check_person_id(value)


def _pinned_papers(value: Any) -> tuple[str, ...]:
    from radar.config.person_ids import check_pins

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('expected a list of arXiv ids, e.g. ["2301.01234"]')
    return check_pins(value)


# Tables inside [follow] keyed by author name: the check of one value, and an example.
PEOPLE_TABLES: dict[str, tuple[Check, str]] = {
    "identities": (_person_id, 'name = "arXiv author id or ORCID"'),
    "pins": (_pinned_papers, 'name = ["arXiv id", ...]'),
}
FEED_SCHEMA: dict[str, Check] = {"name": _nonempty_str, "url": _nonempty_str, "kind": _str}
FEED_KINDS = ("rss", "atom")
TABLES = ("follow", "interests", "arxiv", "llm", "ui", "feeds")


def validate_text(text: str, path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return _Validator(text, path).validate(raw)


class _Validator:
    def __init__(self, text: str, path: Path) -> None:
        self.lines = text.splitlines()
        self.path = path

    def fail(self, table: str, key: str, message: str, *, index: int | None = None) -> ConfigError:
        dotted = f"{table}.{key}" if table else key
        line = self.line_of(table, key, index)
        where = f"{self.path}, line {line}" if line else str(self.path)
        return ConfigError(f"{where}: {dotted}: {message}")

    def line_of(self, table: str, key: str, index: int | None = None) -> int | None:
        """The 1-based line where `key` is set inside `[table]` (or the index-th `[[table]]`)."""
        current, seen = "", -1
        key_re = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for number, line in enumerate(self.lines, 1):
            header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
            if header:
                current = header.group(1)
                seen += current == table
                if not key and current == table and (index is None or seen == index):
                    return number
                continue
            if current == table and key_re.match(line) and (index is None or seen == index):
                return number
        return None

    def validate(self, raw: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in raw.items():
            if key in TABLES:
                if key == "feeds":
                    out["feeds"] = self.feeds(value)
                elif not isinstance(value, dict):
                    raise self.fail("", key, "expected a table, e.g. [" + key + "]")
                else:
                    out[key] = self.table(key, value)
            elif key in SCHEMA[""]:
                out[key] = self.value("", key, value, SCHEMA[""][key])
            else:
                raise self.unknown("", key, [*SCHEMA[""], *TABLES])
        return out

    def table(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in values.items():
            if table == "follow" and key == "aliases":
                out["aliases"] = self.aliases(value)
            elif table == "follow" and key in PEOPLE_TABLES:
                out[key] = self.people(key, value)
            elif key in SCHEMA[table]:
                out[key] = self.value(table, key, value, SCHEMA[table][key])
            else:
                extra = ["aliases", *PEOPLE_TABLES] if table == "follow" else []
                raise self.unknown(table, key, [*SCHEMA[table], *extra])
        if table == "follow":
            out = self.follows(out)
        return out

    def value(
        self, table: str, key: str, value: Any, check: Check, index: int | None = None
    ) -> Any:
        try:
            return check(value)
        except ValueError as exc:
            shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
            raise self.fail(table, key, f"expected {exc}, got {shown}", index=index) from None

    def unknown(self, table: str, key: str, known: list[str]) -> ConfigError:
        from difflib import get_close_matches  # only on the error path

        close = get_close_matches(key, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
        return self.fail(table, key, "unknown key" + hint)

    def follows(self, values: dict[str, Any]) -> dict[str, Any]:
        for name in values.get("authors", ()):
            try:
                check_author(name)
            except ConfigError as exc:
                raise self.fail("follow", "authors", exc.message) from None
        try:
            values["categories"] = tuple(check_category(c) for c in values.get("categories", ()))
        except ConfigError as exc:
            raise self.fail("follow", "categories", exc.message) from None
        return values

    def aliases(self, value: Any) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict):
            raise self.fail("follow", "aliases", "expected a table of name = [aliases]")
        return {
            name: self.value("follow.aliases", name, names, _str_list)
            for name, names in value.items()
        }

    def people(self, key: str, value: Any) -> dict[str, Any]:
        """[follow.identities] name = author id or ORCID; [follow.pins] name = [paper ids]."""
        check, example = PEOPLE_TABLES[key]
        if not isinstance(value, dict):
            raise self.fail("follow", key, f"expected a table of {example}")
        out = {}
        for name, item in value.items():
            try:
                out[check_author(name)] = check(item)
            except (ValueError, ConfigError) as exc:
                message = exc.message if isinstance(exc, ConfigError) else str(exc)
                raise self.fail(f"follow.{key}", name, message) from None
        return out

    def feeds(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail("", "feeds", "expected [[feeds]] tables with name and url")
        feeds, names = [], set()
        for index, feed in enumerate(value):
            out = {}
            for key, item in feed.items():
                if key not in FEED_SCHEMA:
                    raise self.unknown("feeds", key, list(FEED_SCHEMA))
                out[key] = self.value("feeds", key, item, FEED_SCHEMA[key], index)
            for required in ("name", "url"):
                if required not in out:
                    line = self.line_of("feeds", "", index)
                    where = f"{self.path}, line {line}" if line else str(self.path)
                    raise ConfigError(f"{where}: feeds: a [[feeds]] table has no {required!r}")
            if out.get("kind") not in (None, *FEED_KINDS):
                raise self.fail("feeds", "kind", f"expected one of {FEED_KINDS}", index=index)
            if out["name"] in names:
                raise self.fail(
                    "feeds", "name", f"duplicate feed name {out['name']!r}", index=index
                )
            names.add(out["name"])
            feeds.append(out)
        return feeds


# --- follow values --------------------------------------------------------------------------


@cache
def arxiv_categories() -> dict[str, str]:
    """Every arXiv category code, keyed by its case-folded form."""
    text = (DATA / "arxiv_categories.txt").read_text("utf-8")
    codes = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return {code.casefold(): code for code in codes}


def check_category(code: str) -> str:
    """The canonical spelling of an arXiv category code, or ConfigError with a suggestion."""
    known = arxiv_categories()
    canonical = known.get(code.strip().casefold())
    if canonical:
        return canonical
    from difflib import get_close_matches  # only on the error path

    close = get_close_matches(code.strip(), list(known.values()), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else "see https://arxiv.org/category_taxonomy"
    raise ConfigError(f"{code!r} is not an arXiv category", hint=hint)


AUTHOR_MAX = 200


def check_author(name: str) -> str:
    """A followable author name, spaces tidied; ConfigError for what cannot be a name."""
    hint = 'give a full name, e.g. "Yantao Li"'
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("an author name is empty", hint=hint)
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        raise ConfigError(f"{name!r} contains control characters, not a name", hint=hint)
    clean = " ".join(name.split())
    if len(clean) > AUTHOR_MAX:
        raise ConfigError(f"an author name of {len(clean)} characters is not a name", hint=hint)
    if sum(ch.isalpha() for ch in clean) < 2:
        raise ConfigError(f"{clean!r} is too short for an author's name", hint=hint)
    return clean
