"""radar.toml + environment + flags -> one frozen `Settings`, and where each value came from.

Precedence is flag > environment variable > radar.toml > built-in default.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from radar.errors import ConfigError

CONFIG_NAME = "radar.toml"
DB_NAME = "radar.db"
DEFAULT_CATEGORIES = ("cs.AI", "cs.CV")

ENV_CONFIG = "RADAR_CONFIG"
ENV_HOME = "RADAR_HOME"
ENV_DB = "RADAR_DB"


@dataclass(frozen=True)
class ArxivSettings:
    api_url: str = "https://export.arxiv.org/api/query"
    rss_url: str = "https://rss.arxiv.org/rss/"
    delay_seconds: float = 3.0
    timeout_seconds: float = 30.0
    backfill_days: int = 30
    author_max_papers: int = 1000
    page_size: int = 200
    max_retries: int = 4


@dataclass(frozen=True)
class LLMSettings:
    model: str = "gpt-4o-mini"
    api_base: str | None = None
    temperature: float = 0.2
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    concurrency: int = 4
    prompt_file: Path | None = None
    timeout_seconds: float = 120.0
    max_retries: int = 3


@dataclass(frozen=True)
class FeedSettings:
    name: str
    url: str
    kind: str | None = None


@dataclass(frozen=True)
class Follows:
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    feeds: tuple[FeedSettings, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.authors or self.categories or self.feeds)


@dataclass(frozen=True)
class Settings:
    config_path: Path
    config_exists: bool
    db_path: Path
    follow: Follows
    arxiv: ArxivSettings
    llm: LLMSettings
    origins: Mapping[str, str]  # dotted key -> "default", "radar.toml", "env RADAR_DB", "--db"

    @property
    def using_default_follows(self) -> bool:
        return not self.config_exists

    @property
    def state_dir(self) -> Path:
        """Where radar keeps files beside the database (sync lock, one-time notices)."""
        return self.db_path.parent


# --- schema ---------------------------------------------------------------------------------

Check = Callable[[Any], Any]  # returns the converted value or raises ValueError(expected type)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a string")
    return value


def _nonempty_str(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a non-empty string")
    return value.strip()


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("a whole number >= 0")
    return value


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("a whole number >= 1")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError("a number >= 0")
    return float(value)


def _str_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("a list of strings")
    return tuple(value)


def _path(value: Any) -> Path:
    return Path(os.path.expanduser(_nonempty_str(value)))


SCHEMA: dict[str, dict[str, Check]] = {
    "": {"db_path": _path},
    "follow": {"authors": _str_list, "categories": _str_list},
    "arxiv": {
        "api_url": _nonempty_str,
        "rss_url": _nonempty_str,
        "delay_seconds": _float,
        "timeout_seconds": _float,
        "backfill_days": _positive_int,
        "author_max_papers": _positive_int,
        "page_size": _positive_int,
        "max_retries": _int,
    },
    "llm": {
        "model": _nonempty_str,
        "api_base": _nonempty_str,
        "temperature": _float,
        "max_input_tokens": _positive_int,
        "max_output_tokens": _positive_int,
        "concurrency": _positive_int,
        "prompt_file": _path,
        "timeout_seconds": _float,
        "max_retries": _int,
    },
}
FEED_SCHEMA: dict[str, Check] = {"name": _nonempty_str, "url": _nonempty_str, "kind": _str}
FEED_KINDS = ("rss", "atom")
TABLES = ("follow", "arxiv", "llm", "feeds")


# --- paths ----------------------------------------------------------------------------------


def _platform_dir(kind: str) -> Path:
    import platformdirs

    if kind == "config":
        return Path(platformdirs.user_config_dir("radar", appauthor=False))
    return Path(platformdirs.user_data_dir("radar", appauthor=False))


def config_path(flag: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The radar.toml radar reads: --config, RADAR_CONFIG, $RADAR_HOME, platform config dir."""
    env = os.environ if env is None else env
    if flag is not None:
        return flag.expanduser()
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]).expanduser()
    if env.get(ENV_HOME):
        return Path(env[ENV_HOME]).expanduser() / CONFIG_NAME
    return _platform_dir("config") / CONFIG_NAME


# --- loading --------------------------------------------------------------------------------


def load_settings(
    *,
    config_flag: Path | None = None,
    db_flag: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Read and validate radar.toml (if any) and apply environment and flag overrides."""
    env = os.environ if env is None else env
    path = config_path(config_flag, env)
    origins: dict[str, str] = {}
    data: dict[str, Any] = {}
    exists = path.is_file()
    if exists:
        data = parse_config(path)
        origins.update(_origins_of(data))
    follow = _follows(data, exists, origins)
    db_path = _db_path(data, path, db_flag, env, origins)
    origins["config_path"] = _config_origin(config_flag, env)
    arxiv = ArxivSettings(**data.get("arxiv", {}))
    llm = LLMSettings(**_resolve_prompt(data.get("llm", {}), path))
    for section, cls in (("arxiv", ArxivSettings), ("llm", LLMSettings)):
        for name in cls.__dataclass_fields__:
            origins.setdefault(f"{section}.{name}", "default")
    return Settings(path, exists, db_path, follow, arxiv, llm, origins)


def parse_config(path: Path) -> dict[str, Any]:
    """Parse and validate one radar.toml; raise ConfigError naming file, line and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    return validate_text(text, path)


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
            elif key in SCHEMA[table]:
                out[key] = self.value(table, key, value, SCHEMA[table][key])
            else:
                extra = ["aliases"] if table == "follow" else []
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
        close = difflib.get_close_matches(key, known, n=1)
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


def _origins_of(data: dict[str, Any]) -> dict[str, str]:
    origins = {}
    for section, values in data.items():
        if isinstance(values, dict):
            origins.update({f"{section}.{key}": CONFIG_NAME for key in values})
        else:
            origins[section] = CONFIG_NAME
    return origins


def _follows(data: dict[str, Any], exists: bool, origins: dict[str, str]) -> Follows:
    feeds = tuple(FeedSettings(**feed) for feed in data.get("feeds", ()))
    if not exists:
        origins["follow.categories"] = "default (no config file)"
        return Follows(categories=DEFAULT_CATEGORIES)
    follow = data.get("follow", {})
    return Follows(
        authors=tuple(follow.get("authors", ())),
        categories=tuple(follow.get("categories", ())),
        aliases=follow.get("aliases", {}),
        feeds=feeds,
    )


def _db_path(
    data: dict[str, Any],
    config: Path,
    flag: Path | None,
    env: Mapping[str, str],
    origins: dict[str, str],
) -> Path:
    if flag is not None:
        origins["db_path"] = "--db"
        return flag.expanduser()
    if env.get(ENV_DB):
        origins["db_path"] = f"env {ENV_DB}"
        return Path(env[ENV_DB]).expanduser()
    if "db_path" in data:
        path: Path = data["db_path"]
        return path if path.is_absolute() else config.parent / path
    if env.get(ENV_HOME):
        origins["db_path"] = f"env {ENV_HOME}"
        return Path(env[ENV_HOME]).expanduser() / DB_NAME
    origins["db_path"] = "default"
    return _platform_dir("data") / DB_NAME


def _config_origin(flag: Path | None, env: Mapping[str, str]) -> str:
    if flag is not None:
        return "--config"
    for name in (ENV_CONFIG, ENV_HOME):
        if env.get(name):
            return f"env {name}"
    return "default"


def _resolve_prompt(llm: dict[str, Any], config: Path) -> dict[str, Any]:
    prompt = llm.get("prompt_file")
    if prompt is not None and not prompt.is_absolute():
        return {**llm, "prompt_file": config.parent / prompt}
    return llm


# --- follow values --------------------------------------------------------------------------


@cache
def arxiv_categories() -> dict[str, str]:
    """Every arXiv category code, keyed by its case-folded form."""
    text = resources.files("radar").joinpath("data/arxiv_categories.txt").read_text("utf-8")
    codes = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return {code.casefold(): code for code in codes}


def check_category(code: str) -> str:
    """The canonical spelling of an arXiv category code, or ConfigError with a suggestion."""
    known = arxiv_categories()
    canonical = known.get(code.strip().casefold())
    if canonical:
        return canonical
    close = difflib.get_close_matches(code.strip(), list(known.values()), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else "see https://arxiv.org/category_taxonomy"
    raise ConfigError(f"{code!r} is not an arXiv category", hint=hint)


def check_author(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("an author name is empty", hint='give a full name, e.g. "Yantao Li"')
    return " ".join(name.split())


def example_text() -> str:
    """The annotated radar.toml.example shipped with radar."""
    return resources.files("radar").joinpath("data/radar.toml.example").read_text("utf-8")


def effective_values(settings: Settings) -> dict[str, tuple[Any, str]]:
    """Every effective setting as dotted key -> (JSON-friendly value, where it came from)."""
    origin = settings.origins
    values: dict[str, tuple[Any, str]] = {
        "config_path": (str(settings.config_path), origin.get("config_path", "default")),
        "db_path": (str(settings.db_path), origin.get("db_path", CONFIG_NAME)),
    }
    follow = settings.follow
    for key in ("authors", "categories"):
        default = "default (no config file)" if not settings.config_exists else "default"
        values[f"follow.{key}"] = (list(getattr(follow, key)), origin.get(f"follow.{key}", default))
    if follow.aliases:
        aliases = {name: list(names) for name, names in follow.aliases.items()}
        values["follow.aliases"] = (aliases, CONFIG_NAME)
    values["feeds"] = ([f.name for f in follow.feeds], origin.get("feeds", "default"))
    for section in ("arxiv", "llm"):
        group = getattr(settings, section)
        for name in group.__dataclass_fields__:
            value = getattr(group, name)
            shown = str(value) if isinstance(value, Path) else value
            values[f"{section}.{name}"] = (shown, origin.get(f"{section}.{name}", "default"))
    return values
