"""The parts of a brief radar writes itself: title, followed-authors section, appendix, digest.

No model is involved here, so `radar brief --no-llm` is built from these alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from radar.config.settings import Follows
from radar.paper import Paper, collapse_whitespace, normalize_name

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")
MAX_AUTHORS = 6
REPLACED = ("replace", "replace-cross")  # announce types of a new version, not of news


@dataclass(frozen=True)
class FollowIndex:
    """Which follows each paper matches: authors by normalised name (and aliases), categories."""

    follows: Follows

    def authors_of(self, paper: Paper) -> list[str]:
        names = {normalize_name(a) for a in paper.authors}
        matched = []
        for author in self.authors:
            person = self.follows.people.get(author)
            if person is not None:  # followed as a person: their listing or pinned group
                if paper.id in person:
                    matched.append(author)
                continue
            spellings = [author, *self.follows.aliases.get(author, ())]
            if any(normalize_name(s) in names for s in spellings):
                matched.append(author)
        return matched

    @property
    def authors(self) -> list[str]:
        """Followed authors: by name, then people followed by identity alone."""
        named = list(self.follows.authors)
        return named + [n for n in self.follows.identities if n not in named]

    def categories_of(self, paper: Paper) -> list[str]:
        return [c for c in self.follows.categories if c in paper.categories]

    def feeds_of(self, paper: Paper) -> list[str]:
        seen = {s.source for s in paper.sources}
        return [f.name for f in self.follows.feeds if f"feed:{f.name}" in seen]

    def labels(self, paper: Paper) -> list[str]:
        return (
            [f"author {a}" for a in self.authors_of(paper)]
            + [f"category {c}" for c in self.categories_of(paper)]
            + [f"feed {f}" for f in self.feeds_of(paper)]
        )


def date_range(papers: Sequence[Paper]) -> str:
    days = sorted({p.day for p in papers if p.day})
    if not days:
        return "undated"
    first, last = days[0].isoformat(), days[-1].isoformat()
    return first if first == last else f"{first} to {last}"


def title(papers: Sequence[Paper], *, kind: str = "Research brief") -> str:
    count = len(papers)
    return f"{kind}: {date_range(papers)} · {count} paper{'s' if count != 1 else ''}"


def category_counts(papers: Sequence[Paper]) -> list[tuple[str, int]]:
    counts = Counter(p.primary_category or p.journal or "other" for p in papers)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def first_sentence(text: str, limit: int = 300) -> str:
    text = collapse_whitespace(text)
    if not text:
        return ""
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _authors(paper: Paper) -> str:
    names = list(paper.authors[:MAX_AUTHORS])
    if len(paper.authors) > MAX_AUTHORS:
        names.append(f"et al. ({len(paper.authors)} authors)")
    return ", ".join(names) or "unknown authors"


def _md(text: str) -> str:
    """Network text made inert in markdown (no links, html or emphasis can be injected)."""
    text = collapse_whitespace(text)
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _ref(paper: Paper) -> str:
    link = paper.abs_url
    if not link:
        return _md(paper.id)
    # Feed links are network text: no character may end the link target early.
    link = re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group()):02X}", link)
    return f"[{_md(paper.id)}]({link})"


def paper_line(paper: Paper, *, sentence: bool = False, note: str = "") -> str:
    where = paper.primary_category or paper.journal or "other"
    line = f"- {_ref(paper)} **{_md(paper.title)}**: {_md(_authors(paper))} · {where}{note}"
    first = first_sentence(paper.abstract) if sentence else ""
    return line + (f"\n  {_md(first)}" if first else "")


def followed_section(papers: Sequence[Paper], index: FollowIndex) -> str:
    """Papers by followed authors, grouped by author; empty when none."""
    lines: list[str] = []
    for author in index.authors:
        theirs = [p for p in papers if author in index.authors_of(p)]
        if theirs:
            lines.append(f"### {_md(author)}\n")
            lines.extend(paper_line(p, sentence=True) for p in theirs)
            lines.append("")
    if not lines:
        return ""
    return "## Papers by followed authors\n\n" + "\n".join(lines).rstrip() + "\n"


def appendix(papers: Sequence[Paper], cited: Collection[str] = ()) -> str:
    """Every included paper, in the order given; those the brief never cites are marked."""
    lines = [f"## Appendix: all {len(papers)} papers\n"]
    for paper in papers:
        note = " · *not discussed above*" if cited and paper.id not in cited else ""
        lines.append(paper_line(paper, note=note))
    return "\n".join(lines) + "\n"


def titles_appendix(papers: Sequence[Paper]) -> str:
    """The papers below a `--top N` cut, most relevant first, by title only."""
    lines = [f"## Also selected: {len(papers)} less relevant papers, by title\n"]
    lines.extend(paper_line(paper) for paper in papers)
    return "\n".join(lines) + "\n"


def split_updates(papers: Sequence[Paper]) -> tuple[list[Paper], list[Paper]]:
    """(the day's news, replacements of earlier papers); all news when nothing is new."""
    updated = [p for p in papers if p.announce_type in REPLACED]
    news = [p for p in papers if p.announce_type not in REPLACED]
    return (news, updated) if news else (list(papers), [])


def updated_section(updated: Sequence[Paper]) -> str:
    """Replaced papers apart from the news: "## Updated today", each with its new version."""
    if not updated:
        return ""
    days = {p.day for p in updated}
    heading = "Updated today" if len(days) == 1 else "Updated (new versions of earlier papers)"
    lines = [f"## {heading}\n"]
    for paper in updated:
        version = f" · replaced v{paper.version}" if paper.version else " · replaced"
        lines.append(paper_line(paper, note=version))
    return "\n".join(lines) + "\n"


def digest(papers: Sequence[Paper], follows: Follows) -> str:
    """A brief without a model: papers grouped by follow, then by category, each once; papers
    replaced by a new version come last, under "Updated today"."""
    index = FollowIndex(follows)
    parts = [f"# {title(papers, kind='Digest')}\n"]
    cats = ", ".join(f"{c} ({n})" for c, n in category_counts(papers))
    parts.append(f"Categories: {cats}.\n")
    listed: set[str] = set()
    for author in index.authors:
        theirs = [p for p in papers if author in index.authors_of(p)]
        if theirs:
            parts.append(_group(f"Followed author: {_md(author)}", theirs))
            listed.update(p.id for p in theirs)
    news, updated = split_updates([p for p in papers if p.id not in listed])
    rest = news
    groups: dict[str, list[Paper]] = {}
    for paper in rest:
        groups.setdefault(paper.primary_category or paper.journal or "other", []).append(paper)
    followed = set(follows.categories)
    order = sorted(groups, key=lambda c: (c not in followed, -len(groups[c]), c))
    for category in order:
        label = f"{category} (followed)" if category in followed else category
        parts.append(_group(_md(label), groups[category]))
    if updated:
        parts.append(updated_section(updated))
    return "\n".join(parts)


def _group(heading: str, papers: Sequence[Paper]) -> str:
    lines = [f"## {heading}\n"] + [paper_line(p, sentence=True) for p in papers]
    return "\n".join(lines) + "\n"
