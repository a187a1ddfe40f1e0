"""What feedparser drops: every `dc:identifier`, `prism:doi` and `dc:source` of each item.

feedparser keeps only the last of repeated `dc:identifier`s, so Science's
`info:doi/...` (followed by `hwp:resource-id:...`) would be lost. Read them from the XML itself.
"""

from __future__ import annotations

from xml.etree import ElementTree

_WANTED = {"identifier", "doi", "source"}
_ITEMS = {"item", "entry"}
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"


def raw_identifiers(data: bytes) -> dict[str, list[str]]:
    """Item link / rdf:about / id -> its identifier-like texts, in document order.

    Empty for XML that is not well-formed (feedparser's loose parse is all there is then) and
    for documents declaring entities, which are never expanded here.
    """
    if b"<!ENTITY" in data:
        return {}
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return {}
    found: dict[str, list[str]] = {}
    for item in root.iter():
        if _local(item.tag) not in _ITEMS:
            continue
        values = [
            child.text.strip()
            for child in item
            if _local(child.tag) in _WANTED and child.text and child.text.strip()
        ]
        if values:
            for key in _keys(item):
                found.setdefault(key, values)
    return found


def _keys(item: ElementTree.Element) -> list[str]:
    keys = [item.get(_RDF_ABOUT) or ""]
    for child in item:
        name = _local(child.tag)
        if name in ("link", "id", "guid"):
            keys.append((child.text or child.get("href") or "").strip())
    return [k for k in keys if k]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
