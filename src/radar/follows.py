"""Edits the follows in radar.toml in place, keeping the user's comments and ordering.

The file is created from radar.toml.example on the first edit; nothing invalid is ever written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from radar.config import (
    Settings,
    check_author,
    check_category,
    example_text,
    parse_config,
    validate_text,
)
from radar.errors import ConfigError
from radar.paper import normalize_name

Kind = Literal["author", "category"]
_KEYS: dict[str, str] = {"author": "authors", "category": "categories"}


@dataclass(frozen=True)
class FollowChange:
    changed: tuple[str, ...]  # added or removed
    unchanged: tuple[str, ...]  # already followed (add) / not followed (remove)
    created: Path | None = None  # the config file, when this edit created it


def add_follows(settings: Settings, kind: Kind, values: list[str]) -> FollowChange:
    """Follow authors or categories; values already followed are reported, not duplicated."""
    clean = _clean(kind, values)
    doc, created = _load(settings)
    array = _array(doc, kind)
    present = {_key(kind, str(v)) for v in array}
    added, already = [], []
    for value in clean:
        if _key(kind, value) in present:
            already.append(value)
        else:
            array.append(value)
            present.add(_key(kind, value))
            added.append(value)
    if added or created:
        _save(settings.config_path, doc)
    return FollowChange(tuple(added), tuple(already), settings.config_path if created else None)


def remove_follows(settings: Settings, kind: Kind, values: list[str]) -> FollowChange:
    """Unfollow; raises ConfigError (and writes nothing) if a value is not followed."""
    doc, created = _load(settings)
    array = _array(doc, kind)
    followed = {_key(kind, str(v)): i for i, v in enumerate(array)}
    missing = [v for v in values if _key(kind, v) not in followed]
    if missing:
        names = ", ".join(str(v) for v in array) or "nothing"
        raise ConfigError(
            f"not following {kind} {missing[0]!r}",
            hint=f"followed {_KEYS[kind]}: {names} (see `radar follows`)",
        )
    indexes = sorted({followed[_key(kind, v)] for v in values}, reverse=True)
    removed = [str(array[i]) for i in indexes][::-1]
    for index in indexes:
        del array[index]
    _save(settings.config_path, doc)
    return FollowChange(tuple(removed), (), settings.config_path if created else None)


def _clean(kind: Kind, values: list[str]) -> list[str]:
    if not values:
        raise ConfigError(f"no {kind} given", hint=f"e.g. radar follow {kind} ...")
    check = check_author if kind == "author" else check_category
    return [check(v) for v in values]


def _key(kind: Kind, value: str) -> str:
    return normalize_name(value) if kind == "author" else value.strip().casefold()


def _load(settings: Settings) -> tuple[Any, bool]:
    import tomlkit

    path = settings.config_path
    if path.is_file():
        parse_config(path)  # refuse to edit a file that is already invalid
        return tomlkit.parse(path.read_text(encoding="utf-8")), False
    doc = tomlkit.parse(example_text())
    doc["follow"]["authors"] = list(settings.follow.authors)
    doc["follow"]["categories"] = list(settings.follow.categories)
    return doc, True


def _array(doc: Any, kind: Kind) -> Any:
    import tomlkit

    if "follow" not in doc:
        doc["follow"] = tomlkit.table()
    table = doc["follow"]
    if _KEYS[kind] not in table:
        table[_KEYS[kind]] = tomlkit.array()
    return table[_KEYS[kind]]


def _save(path: Path, doc: Any) -> None:
    """Validate, then replace the file atomically: a crash never leaves half a config."""
    import tomlkit

    text = tomlkit.dumps(doc)
    validate_text(text, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".radar-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
