"""Following people rather than names: arXiv author ids and ORCIDs, and pinned papers.

Checks the values and edits `[follow.identities]` and `[follow.pins]` in radar.toml (tomlkit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from radar.config.follows import _load, _save
from radar.config.person_ids import (
    check_person_id,
    check_pins,
)
from radar.config.schema import check_author
from radar.config.settings import Settings
from radar.paper import normalize_name


@dataclass(frozen=True, kw_only=True)
class PersonChange:
    name: str
    added: tuple[str, ...] = ()  # ids or papers now followed
    already: tuple[str, ...] = ()  # already there: nothing written for them
    replaced: str | None = None  # the identity this one replaced
    created: Any = None  # the config file, when this edit created it


def set_identity(settings: Settings, name: str, person_id: str) -> PersonChange:
    """Follow the person `name` by arXiv author id or ORCID; one identity per name."""
    name = check_author(name)
    person_id = check_person_id(person_id)
    doc, created = _load(settings)
    table = _people_table(doc, "identities")
    key = _existing_key(table, name) or name
    before = str(table[key]) if key in table else None
    if before == person_id:
        return PersonChange(name=key, already=(person_id,))
    if key in table:
        del table[key]
    table[name] = person_id
    _save(settings.config_path, doc)
    where = settings.config_path if created else None
    return PersonChange(name=name, added=(person_id,), replaced=before, created=where)


def add_pins(settings: Settings, name: str, paper_ids: list[str]) -> PersonChange:
    """Pin the person `name` to the papers they wrote (by arXiv id)."""
    import tomlkit

    name = check_author(name)
    wanted = check_pins(paper_ids)
    doc, created = _load(settings)
    table = _people_table(doc, "pins")
    key = _existing_key(table, name)
    if key is None:
        key = name
        table[key] = tomlkit.array()
    pins = table[key]
    present = {str(v) for v in pins}
    added = [p for p in wanted if p not in present]
    for paper_id in added:
        pins.append(paper_id)
    if added or created:
        _save(settings.config_path, doc)
    already = tuple(p for p in wanted if p in present)
    where = settings.config_path if created else None
    return PersonChange(name=key, added=tuple(added), already=already, created=where)


def forget_person(settings: Settings, name: str) -> PersonChange:
    """Drop `name`'s identity and pins (for `radar unfollow author`); nothing if it has none."""
    doc, _ = _load(settings)
    removed = []
    follow = doc.get("follow", {})
    for kind in ("identities", "pins"):
        table = follow.get(kind)
        key = _existing_key(table, name) if table is not None else None
        if key is not None:
            value = table[key]
            removed.append(str(value) if kind == "identities" else f"{len(value)} pinned papers")
            del table[key]
            if not len(table):
                del follow[kind]
    if removed:
        _save(settings.config_path, doc)
    return PersonChange(name=name, added=tuple(removed))


def _people_table(doc: Any, kind: str) -> Any:
    import tomlkit

    if "follow" not in doc:
        doc["follow"] = tomlkit.table()
    follow = doc["follow"]
    if kind not in follow:
        follow[kind] = tomlkit.table()
    return follow[kind]


def _existing_key(table: Any, name: str) -> str | None:
    wanted = normalize_name(name)
    return next((str(k) for k in table if normalize_name(str(k)) == wanted), None)
