"""`radar page`: papers (and a stored brief) as one self-contained HTML file, from one template.

Cards are plain records here; `templates/page.html.j2` prints them with jinja2's autoescaping,
and its inline script and style are allowed by hash in the page's Content-Security-Policy.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from radar import __version__
from radar.filters import Filters
from radar.paper import Paper, normalize_name, parse_arxiv_id
from radar.render.markdown import Block, Link, parse, safe_url

if TYPE_CHECKING:
    from jinja2 import Template

# What every page radar writes carries, so `radar page` knows which files it may overwrite.
GENERATOR_META = '<meta name="generator" content="radar">'
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SHOWN_AUTHORS = 25  # more become a "+N more" button (collaborations list thousands)
CLAMP_CHARS = 320  # abstracts longer than this get the "more" toggle
TOP_CATEGORIES = 12  # category chips shown before "all categories"
_ANNOUNCE = {
    "new": "new",
    "cross": "cross-list",
    "replace": "replaced",
    "replace-cross": "replaced",
}


@dataclass(frozen=True)
class Author:
    name: str
    followed: bool


@dataclass(frozen=True)
class Card:
    """What one paper's `<article class="paper">` shows, already chosen and made safe."""

    id: str
    anchor: str
    title: str
    url: str | None
    source: str
    day: str | None
    announce: str | None
    announce_kind: str | None
    authors: tuple[Author, ...]
    more_authors: tuple[str, ...]
    topics: tuple[str, ...]  # arXiv categories, or the journal of a feed paper
    abstract: str
    clamp: bool
    pdf: str | None
    doi: str | None
    doi_url: str | None
    journal_ref: str | None
    starred: bool
    read: bool
    note: str | None  # the user's own note on the paper
    score: float | None


@dataclass(frozen=True)
class BriefView:
    brief_id: int | None
    title: str
    created_at: str | None
    model: str | None
    blocks: tuple[Block, ...]


def anchor(paper_id: str) -> str:
    """The card's element id: `paper-` and the id (whitespace, which ids forbid, as `_`)."""
    return "paper-" + re.sub(r"\s", "_", paper_id)


def source_text(paper: Paper) -> str:
    """`arXiv (cs.AI)` for an arXiv paper, else its journal or the feed that saw it."""
    if paper.is_arxiv:
        return f"arXiv ({paper.primary_category})" if paper.primary_category else "arXiv"
    return paper.journal or next(iter(paper.source_labels), "") or "feed"


def announce_marker(paper: Paper) -> tuple[str | None, str | None]:
    """(marker text, kind) from the stored announce type: new, cross-list, replaced vN."""
    kind = paper.announce_type
    if kind is None:
        announced = [s for s in paper.sources if s.announce_type]
        announced.sort(key=lambda s: s.announced.isoformat() if s.announced else "")
        kind = announced[-1].announce_type if announced else None
    if not kind:
        return None, None
    text = _ANNOUNCE.get(kind, kind)
    if text == "replaced" and paper.version:
        text = f"replaced v{paper.version}"
    return text, kind


def make_card(paper: Paper, is_followed: Callable[[str], bool] = lambda name: False) -> Card:
    """The card of one paper; `is_followed(name)` says whether an author is followed."""
    text, kind = announce_marker(paper)
    authors = tuple(Author(n, is_followed(n)) for n in paper.authors)
    doi = paper.doi.strip() if paper.doi else None
    topics = paper.categories or ((source_text(paper),) if not paper.is_arxiv else ())
    return Card(
        id=paper.id,
        anchor=anchor(paper.id),
        title=paper.title or paper.id,
        url=safe_url(paper.abs_url or ""),
        source=source_text(paper),
        day=paper.day.isoformat() if paper.day else None,
        announce=text,
        announce_kind=kind,
        authors=authors[:SHOWN_AUTHORS],
        more_authors=tuple(a.name for a in authors[SHOWN_AUTHORS:]),
        topics=tuple(topics),
        abstract=paper.abstract,
        clamp=len(paper.abstract) > CLAMP_CHARS,
        pdf=safe_url(paper.pdf_link or ""),
        doi=doi,
        doi_url=f"https://doi.org/{quote(doi, safe='/:;()._-')}" if doi else None,
        journal_ref=paper.journal_ref,
        starred=paper.starred,
        read=paper.read,
        note=paper.note,
        score=paper.score,
    )


def brief_view(
    *,
    markdown: str,
    paper_ids: Collection[str],
    brief_id: int | None = None,
    title: str = "",
    created_at: str | None = None,
    model: str | None = None,
) -> BriefView:
    """A stored brief's markdown as blocks; citations of papers on the page link to their cards."""
    on_page = set(paper_ids)

    def resolve(target: str) -> Link | None:
        parsed = parse_arxiv_id(target) if "arxiv.org/" in target else None
        if parsed and parsed[0] in on_page:
            return Link("#" + quote(anchor(parsed[0]), safe="/.-_~:"), cite=parsed[0])
        url = safe_url(target)
        return Link(url) if url else None

    return BriefView(brief_id, title, created_at, model, tuple(parse(markdown, resolve)))


def describe(filters: Filters) -> str:
    """The selection in words for the page's header, from resolved filters."""
    parts = []
    if filters.since and filters.since == filters.until:
        parts.append(filters.since.isoformat())
    elif filters.since or filters.until:
        since = filters.since.isoformat() if filters.since else ""
        until = filters.until.isoformat() if filters.until else ""
        parts.append(
            f"{since} to {until}"
            if since and until
            else f"since {since}"
            if since
            else f"until {until}"
        )
    for label, values in (
        ("author", filters.authors),
        ("category", filters.categories),
        ("source", filters.sources),
    ):
        if values:
            parts.append(f"{label} {' or '.join(values)}")
    for label, flag in (
        ("followed", filters.followed),
        ("unread", filters.unread),
        ("starred", filters.starred),
    ):
        if flag:
            parts.append(label)
    return " · ".join(parts) or "all cached papers"


def category_counts(cards: Sequence[Card]) -> list[tuple[str, int]]:
    counts = Counter(topic for card in cards for topic in card.topics)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def render_page(
    papers: Sequence[Paper],
    *,
    followed: Collection[str] = (),
    selection: str = "",
    brief: BriefView | None = None,
    ranked: bool = False,
    generated: datetime,
) -> str:
    """The whole HTML document for `papers` (in the order given; `ranked`: by relevance, so
    the page offers a Relevance button beside Newest)."""
    is_followed = _follow_check(followed)
    cards = [make_card(p, is_followed) for p in papers]
    days = sorted(c.day for c in cards if c.day)
    context: dict[str, Any] = {
        "cards": cards,
        "total": len(cards),
        "categories": category_counts(cards),
        "top_categories": TOP_CATEGORIES,
        "selection": selection,
        "days": (days[0], days[-1]) if days else None,
        "brief": brief,
        "ranked": ranked,
        "generated": generated.strftime("%Y-%m-%d %H:%M %Z").strip(),
        "version": __version__,
        "followed": sorted(followed),
    }
    template = _template()
    context["csp"] = _csp(_block(template, "style"), _block(template, "script"))
    return template.render(context)


def _block(template: Template, name: str) -> str:
    """The text of one of the template's static blocks, exactly as the page will hold it."""
    return "".join(template.blocks[name](template.new_context({})))


def _follow_check(followed: Collection[str]) -> Callable[[str], bool]:
    """Whether a name is a followed author's; names repeat across cards, so each is folded once."""
    norms = {normalize_name(n) for n in followed}
    if not norms:
        return lambda name: False
    return functools.cache(lambda name: normalize_name(name) in norms)


def _csp(style: str, script: str) -> str:
    """Only the page's own inline style and script may run; nothing may load from anywhere."""

    def digest(text: str) -> str:
        value = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        return f"'sha256-{value}'"

    return (
        f"default-src 'none'; style-src {digest(style)}; script-src {digest(script)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _template() -> Template:
    import jinja2  # only `radar page` needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("page.html.j2")
