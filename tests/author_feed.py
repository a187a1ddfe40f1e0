"""Builds arxiv.org/a/<id>.atom from recorded API entries, the way arXiv's own code does.

arXiv/arxiv-browse `browse/controllers/list_page/author.py` (`_get_atom_feed`,
`_add_atom_feed_entry`) writes one entry per claimed paper from its abs metadata. The recorded
API entries carry the same metadata, so each step below mirrors one of that code's: a versionless
canonical id, ISO datetimes of v1 and the latest version, the abstract with newlines folded,
one author element per author with `arxiv:affiliation`s, doi/comment/journal_ref, an html and a
versioned pdf link, `arxiv:primary_category`, then every category (primary first). Category
labels are the codes here (arXiv writes display names, e.g. "Quantum Physics (quant-ph)").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from tests.fake_arxiv import recorded

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
ORCID_URI_PREFIX = "https://orcid.org"
A = f"{{{ATOM_NS}}}"
X = f"{{{ARXIV_NS}}}"

ET.register_namespace("", ATOM_NS)
ET.register_namespace("arxiv", ARXIV_NS)


def api_entries(*names: str) -> list[ET.Element]:
    """The `<entry>` elements of recorded API responses in tests/data."""
    entries: list[ET.Element] = []
    for name in names:
        root = ET.fromstring(recorded(name))
        entries += root.findall(f"{A}entry")
    return entries


def renamed(entry: ET.Element, rename: Callable[[str], str]) -> ET.Element:
    """A copy of `entry` whose author names went through `rename` (a test's namesake case)."""
    copy = ET.fromstring(ET.tostring(entry))
    for name in copy.iter(f"{A}name"):
        name.text = rename(name.text or "")
    return copy


def author_feed(
    person_id: str,
    display_name: str,
    entries: Iterable[ET.Element],
    *,
    orcid: str | None = None,
    url_root: str = "https://arxiv.org/a/",
    today: datetime | None = None,
) -> bytes:
    """The feed `_get_atom_feed(person_id)` returns for a person who claimed `entries`."""
    is_orcid = bool(re.match(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", person_id))
    feed = ET.Element(f"{A}feed")
    ET.SubElement(feed, f"{A}title").text = f"{display_name}'s articles on arXiv"
    describes = f"{ORCID_URI_PREFIX}/{person_id}" if is_orcid else orcid_uri(orcid)
    ET.SubElement(feed, f"{A}link", attrib={"rel": "describes", "href": describes or ""})
    day = (today or datetime(2026, 12, 1, tzinfo=UTC)).replace(hour=0, minute=0, second=0)
    ET.SubElement(feed, f"{A}updated").text = day.isoformat()
    ET.SubElement(feed, f"{A}id").text = f"{url_root}{person_id}"
    self_link = {"href": f"{url_root}{person_id}.atom", "rel": "self"}
    ET.SubElement(feed, f"{A}link", attrib={**self_link, "type": "application/atom+xml"})
    ET.SubElement(feed, f"{A}link", attrib={"rel": "describes", "href": f"{url_root}{person_id}"})
    for entry in sorted(entries, key=_published, reverse=True):  # newest first
        _add_entry(feed, entry)
    ET.indent(feed, space="  ", level=0)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def orcid_uri(orcid: str | None) -> str | None:
    return f"{ORCID_URI_PREFIX}/{orcid}" if orcid else None


def _published(entry: ET.Element) -> str:
    return entry.findtext(f"{A}published") or ""


def _iso(text: str | None) -> str | None:
    """`str(datetime.isoformat())` of the API's `2012-01-23T20:41:12Z`."""
    if not text:
        return None
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).isoformat()


def _add_entry(feed: ET.Element, api: ET.Element) -> None:
    match = re.search(r"/abs/(.+?)v(\d+)$", api.findtext(f"{A}id") or "")
    assert match, "a recorded API entry id always carries its version"
    base, version = match.groups()
    canonical = f"https://arxiv.org/abs/{base}"
    entry = ET.SubElement(feed, f"{A}entry")
    ET.SubElement(entry, f"{A}id").text = canonical
    updated = _iso(api.findtext(f"{A}updated"))
    if updated is not None:
        ET.SubElement(entry, f"{A}updated").text = updated
    published = _iso(api.findtext(f"{A}published"))
    if published is not None:
        ET.SubElement(entry, f"{A}published").text = published
    ET.SubElement(entry, f"{A}title").text = api.findtext(f"{A}title")
    abstract = (api.findtext(f"{A}summary") or "").strip()
    ET.SubElement(entry, f"{A}summary").text = re.sub(r"\n+", " ", abstract)
    for author_in in api.findall(f"{A}author"):
        author = ET.SubElement(entry, f"{A}author")
        ET.SubElement(author, f"{A}name").text = author_in.findtext(f"{A}name")
        for affiliation in author_in.findall(f"{X}affiliation"):
            ET.SubElement(author, f"{X}affiliation").text = affiliation.text
    for field in ("doi", "comment", "journal_ref"):
        value = api.findtext(f"{X}{field}")
        if value:
            ET.SubElement(entry, f"{X}{field}").text = value
    html = {"href": canonical, "rel": "alternate", "type": "text/html"}
    ET.SubElement(entry, f"{A}link", attrib=html)
    pdf = f"https://arxiv.org/pdf/{base}v{version}"
    ET.SubElement(
        entry,
        f"{A}link",
        attrib={"title": "pdf", "href": pdf, "rel": "alternate", "type": "application/pdf"},
    )
    primary_el = api.find(f"{X}primary_category")
    primary = primary_el.get("term") if primary_el is not None else None
    if not primary:
        return
    terms = [c.get("term") for c in api.findall(f"{A}category")]
    secondary = [t for t in terms if t and t != primary]
    attrib = {"term": primary, "scheme": ARXIV_NS, "label": primary}
    ET.SubElement(entry, f"{X}primary_category", attrib=attrib)
    for term in [primary, *secondary]:
        ET.SubElement(
            entry, f"{A}category", attrib={"term": term, "scheme": ARXIV_NS, "label": term}
        )


def api_page(entries: list[ET.Element], template: str) -> bytes:
    """An API response holding `entries` (all results: totalResults = their count), built on a
    recorded response's feed element (`template`) so everything else is arXiv's own."""
    root = ET.fromstring(recorded(template))
    for old in root.findall(f"{A}entry"):
        root.remove(old)
    total = root.find("{http://a9.com/-/spec/opensearch/1.1/}totalResults")
    assert total is not None
    total.text = str(len(entries))
    root.extend(entries)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
