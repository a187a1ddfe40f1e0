"""Following people rather than names: arXiv author ids and ORCIDs, and pinned papers.

Checks the values and edits `[follow.identities]` and `[follow.pins]` in radar.toml (tomlkit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from radar.config.follows import _load, _save
from radar.config.schema import check_author
from radar.config.settings import Settings
from radar.errors import ConfigError
from radar.paper import normalize_name, parse_arxiv_id

ORCID_RE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
# arXiv author ids: surname, initials, a number ("li_y_1", "grabec_i_1", "delmaestro_a_1").
ARXIV_AUTHOR_ID_RE = re.compile(r"^[a-z0-9]+(?:[_.-][a-z0-9]+)*_\d+$")
ID_HINT = "your arXiv author id is at the end of https://arxiv.org/a/..., e.g. li_y_1"
ORCID_HINT = "an ORCID is 16 characters, e.g. 0000-0002-1825-0097 (see https://orcid.org)"


def orcid_checksum(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 15 digits of an ORCID."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def check_orcid(text: str) -> str:
    """The ORCID in its 0000-0000-0000-0000 form, or ConfigError (shape or check digit)."""
    value = text.strip().upper().removesuffix("/")
    value = re.sub(r"^(?:HTTPS?://)?(?:WWW\.)?ORCID\.ORG/", "", value)
    match = ORCID_RE.match(value)
    if not match:
        raise ConfigError(f"{text!r} is not an ORCID", hint=ORCID_HINT)
    groups = match.groups()
    digits = "".join(groups)
    if orcid_checksum(digits[:15]) != digits[15]:
        raise ConfigError(
            f"{text!r} is not a valid ORCID: its check digit is wrong",
            hint="copy it from your ORCID record (https://orcid.org); a digit is mistyped",
        )
    return "-".join(groups)


def is_orcid(person_id: str) -> bool:
    return bool(ORCID_RE.match(person_id))


def check_arxiv_author_id(text: str) -> str:
    value = text.strip().lower()
    value = re.sub(r"^(?:https?://)?(?:www\.)?arxiv\.org/a/", "", value)
    value = re.sub(r"\.(?:html|atom2?|json)$", "", value.removesuffix("/"))
    if not ARXIV_AUTHOR_ID_RE.match(value):
        raise ConfigError(f"{text!r} is not an arXiv author id", hint=ID_HINT)
    return value


def check_person_id(text: str) -> str:
    """An arXiv author id ("li_y_1") or an ORCID, in the form radar stores."""
    stripped = text.strip()
    if re.match(r"^(?:https?://)?(?:www\.)?orcid\.org/|^[\d-]{16,19}X?$", stripped, re.I):
        return check_orcid(stripped)
    return check_arxiv_author_id(stripped)


def check_pins(values: list[str]) -> tuple[str, ...]:
    """Base arXiv ids (versions dropped), each once, or ConfigError naming the bad one."""
    ids: dict[str, None] = {}
    for value in values:
        parsed = parse_arxiv_id(value)
        if parsed is None:
            raise ConfigError(f"{value!r} is not an arXiv id", hint="e.g. 2301.01234")
        ids[parsed[0]] = None
    return tuple(ids)


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
