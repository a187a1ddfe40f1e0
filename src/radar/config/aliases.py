"""Edits `[follow.aliases]` in radar.toml: the other spellings a followed author signs with.

`radar follow alias NAME OTHER` / `radar unfollow alias NAME OTHER`; comments and order kept.
"""

from __future__ import annotations

from typing import Any

from radar.config.follows import FollowChange, _load, _save
from radar.config.schema import check_author
from radar.config.settings import Settings
from radar.errors import ConfigError
from radar.paper import normalize_name


def add_alias(settings: Settings, name: str, other: str) -> FollowChange:
    """Count papers signed `other` as `name`'s; an alias already there is reported, not doubled."""
    name, other = check_author(name), check_author(other)
    if normalize_name(name) == normalize_name(other):
        raise ConfigError(
            f"{other!r} is the same name as {name!r}", hint="an alias is another spelling"
        )
    doc, created = _load(settings)
    table = _aliases(doc)
    key = _key_of(table, name) or name
    if key not in table:
        import tomlkit

        table[key] = tomlkit.array()
    if any(normalize_name(str(a)) == normalize_name(other) for a in table[key]):
        return FollowChange((), (other,), None)
    table[key].append(other)
    _save(settings.config_path, doc)
    return FollowChange((other,), (), settings.config_path if created else None)


def remove_alias(settings: Settings, name: str, other: str) -> FollowChange:
    """Stop counting `other` as `name`'s; ConfigError (nothing written) if it is not an alias."""
    doc, created = _load(settings)
    table = _aliases(doc)
    key = _key_of(table, name)
    aliases = table[key] if key else []
    found = [i for i, a in enumerate(aliases) if normalize_name(str(a)) == normalize_name(other)]
    if key is None or not found:
        known = ", ".join(repr(str(a)) for a in aliases) or "none"
        raise ConfigError(
            f"{other!r} is not an alias of {name!r}",
            hint=f"aliases of {name!r}: {known} (see `radar follows --format json`)",
        )
    removed = str(aliases[found[0]])
    for index in reversed(found):
        del aliases[index]
    if not len(aliases):
        del table[key]
    _save(settings.config_path, doc)
    return FollowChange((removed,), (), settings.config_path if created else None)


def _aliases(doc: Any) -> Any:
    import tomlkit

    if "follow" not in doc:
        doc["follow"] = tomlkit.table()
    if "aliases" not in doc["follow"]:
        doc["follow"]["aliases"] = tomlkit.table()
    return doc["follow"]["aliases"]


def _key_of(table: Any, name: str) -> str | None:
    """The key `name` already has in the table, in any spelling ("del maestro, adrian")."""
    wanted = normalize_name(name)
    return next((str(k) for k in table if normalize_name(str(k)) == wanted), None)
