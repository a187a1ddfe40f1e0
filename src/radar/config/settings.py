"""radar.toml + environment + flags -> one frozen `Settings`, and where each value came from.

Precedence is flag > environment variable > radar.toml > built-in default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radar.config.schema import DATA, validate_text
from radar.errors import ConfigError

CONFIG_NAME = "radar.toml"
DB_NAME = "radar.db"
DEFAULT_CATEGORIES = ("cs.AI", "cs.CV")

ENV_CONFIG = "RADAR_CONFIG"
ENV_HOME = "RADAR_HOME"
ENV_DB = "RADAR_DB"


@dataclass(frozen=True, kw_only=True)
class ArxivSettings:
    api_url: str = "https://export.arxiv.org/api/query"
    rss_url: str = "https://rss.arxiv.org/rss/"
    author_feed_url: str = "https://arxiv.org/a/"  # + "<author id or ORCID>.atom"
    delay_seconds: float = 3.0
    timeout_seconds: float = 30.0
    backfill_days: int = 30
    author_max_papers: int = 1000
    page_size: int = 200  # an author's pages: most authors fit in one
    backfill_page_size: int = 2000  # a category's backfill: arXiv's largest page, fewest requests
    max_retries: int = 4
    max_retry_wait_seconds: float = 60.0
    max_response_mb: float = 50.0


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class UISettings:
    pager: bool = True  # long output on a terminal goes through $PAGER / less -R


@dataclass(frozen=True, kw_only=True)
class FeedSettings:
    name: str
    url: str
    kind: str | None = None


@dataclass(frozen=True, kw_only=True)
class Follows:
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    feeds: tuple[FeedSettings, ...] = ()
    identities: Mapping[str, str] = field(default_factory=dict)  # name -> arXiv id or ORCID
    pins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # name -> paper ids
    # Not from radar.toml: filled from the cache where it matters (the brief), the ids of the
    # papers that count as a person's (identity, pins); names absent here match by name.
    people: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.authors or self.categories or self.feeds or self.identities)

    @property
    def author_names(self) -> list[str]:
        """Every followed author's name and each of their aliases."""
        names = list(self.authors)
        for name, aliases in self.aliases.items():
            names += [name, *aliases]
        return names


@dataclass(frozen=True, kw_only=True)
class Interests:
    """[interests]: phrases that pull papers up (`keywords`) or push them down (`exclude`)."""

    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Settings:
    config_path: Path
    config_exists: bool
    db_path: Path
    follow: Follows
    arxiv: ArxivSettings
    llm: LLMSettings
    origins: Mapping[str, str]  # dotted key -> "default", "radar.toml", "env RADAR_DB", "--db"
    interests: Interests = field(default_factory=Interests)
    ui: UISettings = field(default_factory=UISettings)

    @property
    def using_default_follows(self) -> bool:
        return not self.config_exists

    @property
    def state_dir(self) -> Path:
        """Where radar keeps files beside the database (sync lock, one-time notices)."""
        return self.db_path.parent


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
    if config_flag is not None and not exists:
        # a mistyped --config must not quietly sync the default follows into the real cache
        what = "is a folder, not a config file" if path.is_dir() else "does not exist"
        raise ConfigError(
            f"--config {path} {what}",
            hint="fix the path; without --config radar reads $RADAR_CONFIG, "
            "$RADAR_HOME/radar.toml or the file `radar path` shows",
        )
    if path.exists() and not exists:
        # a folder (or a socket...) where radar.toml should be is a mistake, not "no config yet"
        raise ConfigError(
            f"{path} ({_config_origin(config_flag, env)}) is not a file",
            hint="remove or rename it, or point $RADAR_CONFIG at your radar.toml",
        )
    if exists:
        data = parse_config(path)
        origins.update(_origins_of(data))
    follow = _follows(data, exists, origins)
    db_path = _db_path(data, path, db_flag, env, origins)
    origins["config_path"] = _config_origin(config_flag, env)
    arxiv = ArxivSettings(**data.get("arxiv", {}))
    llm = LLMSettings(**_resolve_prompt(data.get("llm", {}), path))
    ui = UISettings(**data.get("ui", {}))
    sections = (("arxiv", ArxivSettings), ("llm", LLMSettings), ("ui", UISettings))
    for section, cls in sections:
        for name in cls.__dataclass_fields__:
            origins.setdefault(f"{section}.{name}", "default")
    return Settings(
        config_path=path,
        config_exists=exists,
        db_path=db_path,
        follow=follow,
        arxiv=arxiv,
        llm=llm,
        origins=origins,
        interests=Interests(**data.get("interests", {})),
        ui=ui,
    )


def parse_config(path: Path) -> dict[str, Any]:
    """Parse and validate one radar.toml; raise ConfigError naming file, line and key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read {path}: {exc}",
            hint="check the file's permissions, or point --config / $RADAR_CONFIG elsewhere",
        ) from exc
    return validate_text(text, path)


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
        identities=follow.get("identities", {}),
        pins=follow.get("pins", {}),
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


def example_text() -> str:
    """The annotated radar.toml.example shipped with radar."""
    return (DATA / "radar.toml.example").read_text("utf-8")


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
    if follow.identities:
        values["follow.identities"] = (dict(follow.identities), CONFIG_NAME)
    if follow.pins:
        values["follow.pins"] = ({n: list(ids) for n, ids in follow.pins.items()}, CONFIG_NAME)
    values["feeds"] = ([f.name for f in follow.feeds], origin.get("feeds", "default"))
    for key in ("keywords", "exclude"):
        phrases = list(getattr(settings.interests, key))
        values[f"interests.{key}"] = (phrases, origin.get(f"interests.{key}", "default"))
    for section in ("arxiv", "llm", "ui"):
        group = getattr(settings, section)
        for name in group.__dataclass_fields__:
            value = getattr(group, name)
            shown = str(value) if isinstance(value, Path) else value
            values[f"{section}.{name}"] = (shown, origin.get(f"{section}.{name}", "default"))
    return values
