"""What the reader told radar: starred papers, followed authors, categories, keywords, exclusions.

Their fingerprint says whether the stored model is current: any change makes it stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar.errors import RadarError
from radar.paper import normalize_name

if TYPE_CHECKING:
    from radar.config.settings import Settings
    from radar.store import Store

START_HINT = 'star a few papers you liked (radar star ID), or radar follow keyword "your topic"'


class NoInterestsError(RadarError):
    """Relevance was asked for, but radar knows nothing the reader likes yet."""

    default_hint = START_HINT


@dataclass(frozen=True, kw_only=True)
class Interests:
    starred: tuple[str, ...]  # paper ids, sorted
    authors: tuple[str, ...]  # followed authors and their aliases, normalised, sorted
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    exclude: tuple[str, ...]

    @classmethod
    def load(cls, store: Store, settings: Settings) -> Interests:
        from radar.store.scores import starred_ids

        follow = settings.follow
        names = set(follow.authors)
        for name, aliases in follow.aliases.items():
            if normalize_name(name) in {normalize_name(a) for a in follow.authors}:
                names.update([name, *aliases])
        return cls(
            starred=tuple(sorted(starred_ids(store))),
            authors=tuple(sorted({normalize_name(n) for n in names} - {""})),
            categories=tuple(sorted(follow.categories)),
            keywords=_phrases(settings.interests.keywords),
            exclude=_phrases(settings.interests.exclude),
        )

    @property
    def empty(self) -> bool:
        """Nothing pulls a paper up: no star, followed author or keyword."""
        return not (self.starred or self.authors or self.keywords)

    @property
    def fingerprint(self) -> str:
        text = json.dumps(self.__dict__, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def require(self) -> None:
        if self.empty:
            raise NoInterestsError("radar does not know your interests yet: nothing to rank by")


def _phrases(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({" ".join(v.split()).lower() for v in values if v.strip()}))
