"""Papers an author search returned under another spelling of a followed name ("A. Del Maestro"
for "Adrian Del Maestro"): not counted as theirs, but reported once per spelling after a sync.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from radar.paper import Paper, normalize_name


def signed_like(followed: str, name: str) -> bool:
    """True when `name` may be `followed` signing differently: the same surname and each given
    name the same or its initial ("A. Del Maestro", "Del Maestro, A." for "Adrian Del Maestro")."""
    mine, theirs = normalize_name(followed).split(), normalize_name(name).split()
    if mine == theirs or len(mine) != len(theirs) or not mine or mine[-1] != theirs[-1]:
        return False
    return all(
        a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
        for a, b in zip(mine, theirs, strict=True)
    )


@dataclass
class Signatures:
    """Counts, per other spelling, the papers a follow's walk left out."""

    name: str
    aliases: Sequence[str] = ()
    papers: dict[str, set[str]] = field(default_factory=dict)

    def add(self, skipped: list[Paper]) -> None:
        known = {normalize_name(a) for a in self.aliases}
        for paper in skipped:
            for author in paper.authors:
                if normalize_name(author) not in known and signed_like(self.name, author):
                    self.papers.setdefault(author, set()).add(paper.id)

    def notes(self) -> list[str]:
        """One line per spelling, most papers first, with the command that counts them."""
        lines = []
        for other, ids in sorted(self.papers.items(), key=lambda item: (-len(item[1]), item[0])):
            count = len(ids)
            noun = "paper" if count == 1 else "papers"
            verb = "was" if count == 1 else "were"
            lines.append(
                f"{count} {noun} signed {other!r} {verb} not counted as {self.name}'s; "
                f"if they are theirs: radar follow alias {_quoted(self.name)} {_quoted(other)}"
            )
        return lines


def _quoted(text: str) -> str:
    """Shell-quoted for the hint: 'A. Del Maestro'."""
    import shlex

    return shlex.quote(text)
