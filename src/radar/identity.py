"""A paper's identity across sources: DOIs, normalised links and the ids radar stores them under.

An arXiv paper's id is its base id; any other paper's id is `doi:<doi>` when its DOI is known,
else `url:<normalised link>`. `candidate_ids` maps what a user types to those ids.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from radar.paper import parse_arxiv_id

# A DOI is "10.<registrant>/<suffix>"; the suffix may hold almost anything but whitespace.
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>]+)", re.IGNORECASE)
_DOI_PREFIX = re.compile(
    r"^\s*(?:doi\s*:\s*|info:doi/|urn:doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE
)
# Publisher article URLs that carry the DOI: doi.org/10..., .../doi/10..., .../doi/abs/10...
_LINK_DOI = re.compile(
    r"(?:doi\.org/|/doi/(?:abs/|full/|pdf/|epdf/|epub/)?)(10\.\d{4,9}/[^?#\s]+)", re.IGNORECASE
)
# bioRxiv/medRxiv article URLs hold the DOI plus a version: .../content/10.1101/2021.03.20.436288v3
_RXIV_LINK_DOI = re.compile(
    r"(?:bio|med)rxiv\.org/content/(10\.\d{4,9}/[^?#\s]+?)"
    r"(?:v\d+)?(?:\.full(?:\.pdf)?|\.abstract|\.article-[a-z-]+)?(?:[?#]|$)",
    re.IGNORECASE,
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
# Query parameters that only track where a click came from; they never name a different page.
_TRACKING = {"rss", "src", "ref", "cmp", "feed", "fbclid", "gclid", "mc_cid", "mc_eid", "af"}
_TRACKING_PREFIXES = ("utm_",)
# A feed paper's short handle: "f:" + 8 characters of a hash of its id (Crockford's base32,
# no i/l/o/u to misread): as wide as an arXiv id, the same on every machine and every run.
_HANDLE_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_HANDLE = re.compile(r"^f:[0-9a-hjkmnp-tv-z]{8}$")
# The id prefixes of papers that have no arXiv id (see `paper_id`).
FEED_ID_PREFIXES = ("doi:", "url:", "item:")


def normalize_doi(text: str | None) -> str | None:
    """The bare DOI in `doi:10.x/y`, `info:doi/10.x/y`, `doi: 10.x/y`, a doi.org URL; else None."""
    if not text:
        return None
    stripped = _DOI_PREFIX.sub("", text.strip())
    match = _DOI.match(stripped)
    if not match:
        return None
    return _trim(match.group(1))


def _trim(doi: str) -> str:
    """Drop punctuation that ended the sentence around a DOI, keeping balanced brackets."""
    doi = doi.rstrip(".,;:/")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".,;:/")
    return doi


def doi_from_link(link: str | None) -> str | None:
    """The DOI inside a doi.org, publisher `/doi/` or bioRxiv/medRxiv article URL, if any."""
    if not link:
        return None
    match = _RXIV_LINK_DOI.search(link.strip()) or _LINK_DOI.search(link)
    return _trim(match.group(1)) if match else None


def clean_link(link: str | None) -> str | None:
    """A link without tracking parameters or fragment, for display and storage."""
    if not link or not link.strip():
        return None
    parts = urlsplit(link.strip())
    if not parts.scheme or not parts.netloc:
        return link.strip()
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.casefold() not in _TRACKING and not key.casefold().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(query), "")
    )


def normalize_link(link: str) -> str:
    """A link as an identity: no scheme, no `www.`, no tracking, no trailing slash."""
    cleaned = clean_link(link) or link.strip()
    parts = urlsplit(cleaned)
    if not parts.netloc:
        return cleaned
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def paper_id(doi: str | None, link: str | None) -> str | None:
    """The id radar stores a non-arXiv paper under; arXiv DOIs and links give the arXiv id."""
    if doi:
        arxiv = _ARXIV_DOI.match(doi)
        if arxiv and (parsed := parse_arxiv_id(arxiv.group(1))):
            return parsed[0]
        return f"doi:{doi.casefold()}"
    if link:
        if parsed := parse_arxiv_id(link):
            return parsed[0]
        return f"url:{normalize_link(link)}"
    return None


def candidate_ids(text: str) -> list[str]:
    """Ids a user's reference may mean: an arXiv id, `doi:...` for any DOI spelling, `url:...`."""
    text = text.strip()
    ids = [text]
    if parsed := parse_arxiv_id(text):
        ids.append(parsed[0])
    doi = normalize_doi(text) or doi_from_link(text)
    if doi:
        ids.append(paper_id(doi, None) or "")
    elif re.match(r"^https?://", text, re.IGNORECASE):
        ids.append(f"url:{normalize_link(text)}")
    elif text.casefold().startswith("url:"):
        ids.append(f"url:{normalize_link(text[4:])}")
    return [i for i in dict.fromkeys(ids) if i]


def short_handle(paper_id: str) -> str:
    """What tables show for a paper: its arXiv id, or for a feed paper a stable `f:xxxxxxxx`.

    Feed keys (`url:medscape.com/viewarticle/...`) can be 90 characters; the handle is 10 and
    every command that takes an id accepts it (`radar show f:3k9x2m7q`).
    """
    if parse_arxiv_id(paper_id) is not None:
        return paper_id
    number = int.from_bytes(hashlib.sha1(paper_id.encode("utf-8")).digest()[:5], "big")
    chars = [_HANDLE_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5)]
    return "f:" + "".join(chars)


def is_handle(text: str) -> bool:
    return bool(_HANDLE.match(text.strip().lower()))
