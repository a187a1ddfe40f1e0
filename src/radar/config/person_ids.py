"""Checks of the ids that name a person: arXiv author ids ("li_y_1"), ORCIDs (with their check
digit) and pinned arXiv ids. Pure functions, used by the schema and by `follow author`.
"""

from __future__ import annotations

import re

from radar.errors import ConfigError
from radar.paper import parse_arxiv_id

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
