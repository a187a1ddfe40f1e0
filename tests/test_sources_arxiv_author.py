"""A person's arXiv listing (arxiv.org/a/<id>.atom) read entry by entry, and arXiv's refusals."""

from __future__ import annotations

import pytest

from radar.paper import Sighting
from radar.sources import MalformedResponse
from radar.sources.arxiv_author import feed_url, not_found_error, parse_author_feed, sighting

URL = "https://arxiv.org/a/li_y_9.atom"
HINT = (
    "check the id at https://arxiv.org/a/ or your arXiv account page, then "
    'radar follow author "NAME" --arxiv-id ID (or --orcid)'
)


def listing(*entries: str, title: str | None = "Yantao Li's articles on arXiv") -> bytes:
    """An author feed in arxiv-browse's shape, with the entries given."""
    head = f"<title>{title}</title>" if title is not None else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"{head}<id>https://arxiv.org/a/li_y_1</id>{''.join(entries)}</feed>"
    ).encode()


def entry(arxiv_id: str, *links: str, published: str = "2024-01-02T00:00:00Z") -> str:
    return (
        f"<entry><id>{arxiv_id}</id><title>Paper {arxiv_id}</title><summary>About it.</summary>"
        f"<published>{published}</published><author><name>Yantao Li</name></author>"
        f"{''.join(links)}</entry>"
    )


def pdf(href: str, *, title: str | None = "pdf", kind: str | None = "application/pdf") -> str:
    attributes = f'href="{href}" rel="related"'
    attributes += f' title="{title}"' if title else ""
    attributes += f' type="{kind}"' if kind else ""
    return f"<link {attributes}/>"


HTML = '<link href="https://arxiv.org/abs/2401.00001v9" rel="alternate" type="text/html"/>'


def test_feed_url_is_the_base_and_the_quoted_id() -> None:
    assert feed_url("https://arxiv.org/a/", "li_y_1") == "https://arxiv.org/a/li_y_1.atom"
    assert feed_url("http://127.0.0.1:8000/a", "li_y_1") == "http://127.0.0.1:8000/a/li_y_1.atom"
    assert feed_url("https://arxiv.org/a/", "x/y z") == "https://arxiv.org/a/x%2Fy%20z.atom"


def test_a_listing_paper_is_sighted_as_the_persons_listing() -> None:
    seen = sighting("li_y_1", "Yantao Li")
    assert seen == Sighting(source="arxiv-author:li_y_1", label="arXiv (Yantao Li, li_y_1)")
    feed = parse_author_feed(listing(entry("https://arxiv.org/abs/2401.00001")), seen)
    assert [p.sources for p in feed.papers] == [(seen,)]
    unsighted = parse_author_feed(listing(entry("https://arxiv.org/abs/2401.00001")))
    assert [p.sources for p in unsighted.papers] == [()]


def test_the_version_comes_from_the_pdf_link_not_the_abstract_link() -> None:
    feed = parse_author_feed(
        listing(
            entry(
                "https://arxiv.org/abs/2401.00001", HTML, pdf("https://arxiv.org/pdf/2401.00001v3")
            ),
            # the PDF link known by its type alone, an old-style id
            entry(
                "https://arxiv.org/abs/cond-mat/0412498",
                pdf("http://arxiv.org/pdf/cond-mat/0412498v2", title=None),
            ),
            # or by its title alone; a mirror's path that is no arXiv id: the trailing vN
            entry(
                "https://arxiv.org/abs/2401.00003",
                pdf("https://mirror.example.org/files/2401.00003-v4.pdf", kind=None),
            ),
            entry("https://arxiv.org/abs/2401.00004", pdf("https://arxiv.org/pdf/2401.00004")),
            entry("https://arxiv.org/abs/2401.00005", HTML),  # no PDF link at all
            entry("2401.00006v7", pdf("https://arxiv.org/pdf/2401.00006v8")),  # the id's own
        )
    )
    versions = {p.id: p.version for p in feed.papers}
    assert versions == {
        "2401.00001": 3,
        "cond-mat/0412498": 2,
        "2401.00003": 4,
        "2401.00004": None,
        "2401.00005": None,
        "2401.00006": 7,
    }


def test_the_version_of_a_pdf_link_ending_in_a_slash_or_pdf() -> None:
    feed = parse_author_feed(
        listing(
            entry("https://arxiv.org/abs/2401.00001", pdf("https://m.example.org/p/x-v5/")),
            entry("https://arxiv.org/abs/2401.00002", pdf("https://m.example.org/p/x-v6.pdf")),
            entry("https://arxiv.org/abs/2401.00003", pdf("https://m.example.org/p/x-v6.pdf/x")),
            entry("https://arxiv.org/abs/2401.00004", pdf("")),
        )
    )
    assert [p.version for p in feed.papers] == [5, 6, None, None]


def test_the_version_of_a_pdf_link_with_spaces_around_it_on_arxiv_or_a_mirror() -> None:
    """An attribute value may carry spaces (XML turns a line break inside it into one)."""
    feed = parse_author_feed(
        listing(
            entry("https://arxiv.org/abs/2401.00001", pdf(" https://arxiv.org/pdf/2401.00001v3 ")),
            entry(
                "https://arxiv.org/abs/astro-ph/0601001",
                pdf("http://xxx.lanl.gov/pdf/astro-ph/0601001v2\n"),
            ),
            entry(
                "https://arxiv.org/abs/2401.00003",
                pdf("https://mirror.example.org/pdf/old/pdf/2401.00003v4 "),
            ),
        )
    )
    assert [p.version for p in feed.papers] == [3, 2, 4]


def test_entries_without_an_arxiv_id_are_skipped_and_the_name_is_the_title() -> None:
    feed = parse_author_feed(
        listing(
            entry("https://example.org/not-arxiv"),
            entry("https://arxiv.org/abs/2401.00002"),
            title="  Yantao\n   Li's articles on arXiv ",
        )
    )
    assert [p.id for p in feed.papers] == ["2401.00002"]
    assert feed.display_name == "Yantao Li"
    assert parse_author_feed(listing(title=None)).display_name == ""
    assert parse_author_feed(listing(title="Someone")).display_name == "Someone"


def test_a_listing_that_is_not_an_atom_feed_is_refused_by_its_root_element() -> None:
    with pytest.raises(MalformedResponse) as raised:
        parse_author_feed(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    assert raised.value.message == "the arXiv author listing is <rss>, not an Atom feed"


def test_an_unknown_id_is_refused_in_arxivs_words_with_the_hint() -> None:
    page = b"<html><head><title>arXiv</title></head><body><h1>Author li_y_9 not found</h1>"
    error = not_found_error(400, page, "li_y_9", URL)
    assert error.message == (
        "arXiv has no author listing for 'li_y_9' (Author li_y_9 not found, HTTP 400)"
    )
    assert error.hint == HINT
    # its title when there is no h1; entities decoded, spacing folded, any case
    titled = b"<title>\n  Author &lt;li_y_9&gt;\n  NOT FOUND </title>"
    assert not_found_error(404, titled, "li_y_9", URL).message == (
        "arXiv has no author listing for 'li_y_9' (Author <li_y_9> NOT FOUND, HTTP 404)"
    )


def test_an_unknown_id_without_arxivs_words_says_it_in_radars() -> None:
    for body in (b"", b"<h1>Oops</h1>", b"<TITLE>Bad request</TITLE>"):
        error = not_found_error(400, body, "li_y_9", URL)
        assert error.message == (
            "arXiv has no author listing for 'li_y_9' (Author li_y_9 not found, HTTP 400)"
        )
        assert error.hint == HINT


def test_other_refusals_name_the_url_the_status_and_the_page_title() -> None:
    page = b"<html><head><title>Service\n Unavailable</title></head><body>later</body></html>"
    error = not_found_error(503, page, "li_y_9", URL)
    assert error.message == f"{URL}: HTTP 503 (Service Unavailable)"
    assert error.hint == "check the follow's spelling and the endpoint URLs in radar.toml"
    assert not_found_error(500, b"", "li_y_9", URL).message == f"{URL}: HTTP 500"
    assert not_found_error(403, b"\xff\xfe<h1>Forbidden</h1>", "x", URL).message == (
        f"{URL}: HTTP 403 (Forbidden)"
    )


def test_only_the_start_of_a_huge_error_page_is_read() -> None:
    late = b" " * 30_000 + b"<title>Author li_y_9 not found</title>"
    assert not_found_error(500, late, "li_y_9", URL).message == f"{URL}: HTTP 500"
