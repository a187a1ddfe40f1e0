"""radar.sources.arxiv_api: recorded API pages (legacy and 2026 formats) become Papers."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from radar.paper import Sighting
from radar.sources import MalformedResponse, UpstreamError
from radar.sources.arxiv_api import (
    author_query,
    category_query,
    error_message,
    parse_page,
    query_url,
)
from tests.fake_arxiv import recorded

TESTING = "arxiv-api/api2026_query_testing_start{}_max10{}.json"


def test_query_url_uses_the_arxiv_package_format_at_the_configured_endpoint() -> None:
    url = query_url(
        "http://127.0.0.1:1/api/query", author_query("Yantao Li"), start=200, page_size=200
    )
    parts = urlsplit(url)
    assert parts.netloc == "127.0.0.1:1" and parts.path == "/api/query"
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    assert query == {
        "search_query": 'au:"Yantao Li"',
        "id_list": "",
        "sortBy": "submittedDate",
        "sortOrder": "descending",
        "start": "200",
        "max_results": "200",
    }


def test_author_query_is_an_ascii_phrase() -> None:
    assert author_query("Yantao Li") == 'au:"Yantao Li"'
    assert author_query("  Yàntao  Lí ") == 'au:"Yantao Li"'


def test_2026_page_fields_and_paging() -> None:
    sighting = Sighting("arxiv-api:author:X", "arXiv (X)")
    page = parse_page(recorded(TESTING.format(0, "")), sighting)
    assert (page.total, page.start, page.entries, len(page.papers)) == (214881, 0, 10, 10)
    first = page.papers[0]
    assert first.id == "2202.12139" and first.version == 1
    assert first.title.startswith("Testing Deep Learning Models")
    assert first.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert first.categories == ("cs.SE", "cs.LG")
    assert first.published == date(2022, 2, 24)
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert first.comment == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    assert first.sources == (sighting,)
    assert "\n" not in first.abstract and first.abstract.startswith("Deep Learning (DL)")
    assert {p.version for p in page.papers} == {1, 2, 3}


def test_versions_come_from_the_entry_id() -> None:
    page = parse_page(recorded(TESTING.format(20, "_has_v9")))
    paper = next(p for p in page.papers if p.id == "2409.05654")
    assert paper.version == 9
    assert (paper.published, paper.updated) == (date(2024, 9, 9), date(2025, 5, 8))


def test_legacy_page_with_old_style_ids_and_wrapped_text() -> None:
    page = parse_page(recorded("arxiv-api/legacy2016_author_au_del_maestro_10of31.xml"))
    assert (page.total, page.entries) == (31, 10)
    ids = [p.id for p in page.papers]
    assert "cond-mat/0412498" in ids and "1201.4869" in ids
    for paper in page.papers:
        assert "\n" not in paper.title and not paper.abstract.startswith(" ")
        assert paper.journal_ref and paper.doi


def test_primary_category_comes_first() -> None:
    page = parse_page(recorded("arxiv-api/legacy2025_cat_query_cs.RO_AND_neural_2of5619_6cats.xml"))
    assert page.papers[0].categories == ("cs.RO", "cs.AI", "cs.CV", "cs.LG", "cs.SY", "eess.SY")
    assert page.total == 5619


def test_empty_result_is_a_page_without_papers() -> None:
    page = parse_page(recorded("arxiv-api/api2026_empty_idlist_0000.0000_total0.json"))
    assert (page.total, page.entries, page.papers) == (0, 0, ())


def test_error_feed_raises_its_message() -> None:
    body = recorded("arxiv-api/api2026_error_idlist_abc_http400.json")
    with pytest.raises(UpstreamError, match="incorrect id format for abc"):
        parse_page(body)
    assert error_message(body) == "arXiv API error: incorrect id format for abc"
    assert error_message(recorded(TESTING.format(0, ""))) is None


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.9, 0.999])
def test_truncated_page_yields_nothing(cut: float) -> None:
    body = recorded(TESTING.format(10, ""))  # variation built here: the recorded page cut short
    with pytest.raises(MalformedResponse, match="not complete XML"):
        parse_page(body[: int(len(body) * cut)])


def test_non_atom_answer_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        parse_page(b"<html><body>proxy error</body></html>")


def test_a_title_that_is_literally_zero_is_kept() -> None:
    page = parse_page(recorded("arxiv-api/api2026_idlist_2104.12255v1_title_is_zero.json"))
    assert [(p.id, p.version, p.title) for p in page.papers] == [("2104.12255", 1, "0")]


def test_old_style_id_with_affiliations() -> None:
    name = "arxiv-api/api2026_idlist_astro-ph_0601001_oldstyle_affiliations.json"
    (paper,) = parse_page(recorded(name)).papers
    assert (paper.id, paper.version) == ("astro-ph/0601001", 1)
    assert len(paper.authors) == 4 and all("\n" not in a for a in paper.authors)
    assert paper.categories[0] == "astro-ph"
    assert not paper.abstract.startswith(" ")


def test_affiliations_are_kept_per_author_and_the_pdf_link_is_versioned() -> None:
    import json

    from tests.conftest import DATA

    name = "arxiv-api/api2026_idlist_astro-ph_0601001_oldstyle_affiliations.json"
    body = json.loads((DATA / name).read_text())["body"].encode()
    paper = parse_page(body).papers[0]
    assert paper.authors == ("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski")
    assert paper.affiliations == (
        ("Ohio State",),
        ("Ohio State",),
        ("CfA",),
        ("Warsaw University Observatory",),
    )
    assert paper.pdf_url == "https://arxiv.org/pdf/astro-ph/0601001v1"


def _feed(entries: str, head: str = "") -> bytes:
    """A small Atom answer built here (variations the recorded pages do not contain)."""
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" '
        f'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{head}{entries}</feed>'
    ).encode()


_ENTRY = (
    "<entry><id>http://arxiv.org/abs/{id}</id><title>T</title><summary>S</summary>"
    "<published>{published}</published><updated>2024-01-03T00:00:00Z</updated>"
    "<author><name>A B</name></author>"
    '<category term="cs.LG"/><category term="cs.AI"/>{extra}</entry>'
)


def _entry(
    paper_id: str = "2401.00001v2", published: str = "2024-01-02T00:00:00Z", extra: str = ""
) -> str:
    return _ENTRY.format(id=paper_id, published=published, extra=extra)


def test_an_entry_without_an_arxiv_id_is_skipped_but_counted() -> None:
    page = parse_page(_feed(_entry("not-an-id") + _entry()))
    assert [p.id for p in page.papers] == ["2401.00001"]
    assert page.entries == 2


def test_missing_or_garbled_totals_fall_back_to_the_page_itself() -> None:
    page = parse_page(_feed(_entry() + _entry("2401.00002v1")))
    assert (page.total, page.start) == (2, 0)
    head = (
        "<opensearch:totalResults>many</opensearch:totalResults>"
        "<opensearch:startIndex> 40 </opensearch:startIndex>"
    )
    page = parse_page(_feed(_entry(), head))
    assert (page.total, page.start) == (1, 40)


def test_a_garbled_or_missing_date_is_no_date_not_an_error() -> None:
    (paper,) = parse_page(_feed(_entry(published="yesterday"))).papers
    assert paper.published is None and paper.updated == date(2024, 1, 3)
    (paper,) = parse_page(_feed(_entry(published=""))).papers
    assert paper.published is None


def test_without_a_primary_category_the_listed_order_is_kept() -> None:
    (paper,) = parse_page(_feed(_entry())).papers
    assert paper.categories == ("cs.LG", "cs.AI")
    primary = '<arxiv:primary_category term="cs.AI"/>'
    (paper,) = parse_page(_feed(_entry(extra=primary))).papers
    assert paper.categories == ("cs.AI", "cs.LG")


def test_only_an_http_pdf_link_is_kept_and_it_is_made_https() -> None:
    links = (
        '<link href="http://arxiv.org/abs/2401.00001v2" rel="alternate" type="text/html"/>'
        '<link title="pdf" href="javascript:alert(1)" rel="related"/>'
        '<link title="pdf" href=" http://arxiv.org/pdf/2401.00001v2 " rel="related"/>'
    )
    (paper,) = parse_page(_feed(_entry(extra=links))).papers
    assert paper.pdf_url == "https://arxiv.org/pdf/2401.00001v2"
    only_bad = '<link type="application/pdf" href="ftp://arxiv.org/pdf/x"/>'
    (paper,) = parse_page(_feed(_entry(extra=only_bad))).papers
    assert paper.pdf_url is None


def test_a_body_that_is_not_xml_has_no_error_message() -> None:
    assert error_message(b"<html><body>Bad Gateway") is None


def test_quotes_in_an_author_name_cannot_break_the_phrase() -> None:
    assert author_query('Jean "JJ" Smith') == 'au:"Jean JJ Smith"'


def test_a_category_query_has_a_date_range_only_with_both_ends() -> None:
    start, end = date(2026, 11, 2), date(2026, 11, 27)
    assert category_query("cs.AI") == "cat:cs.AI"
    assert category_query("cs.AI", since=start) == "cat:cs.AI"
    assert category_query("cs.AI", until=end) == "cat:cs.AI"
    assert category_query("cs.AI", start, end) == (
        "cat:cs.AI AND submittedDate:[202611020000 TO 202611272359]"
    )


def test_an_endpoint_with_its_own_query_string_keeps_it() -> None:
    url = query_url("http://127.0.0.1:1/api/query?key=abc", "cat:cs.AI", start=0, page_size=50)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    assert parts.path == "/api/query" and query["key"] == "abc"
    assert query["search_query"] == "cat:cs.AI" and query["max_results"] == "50"


def test_a_non_atom_answer_says_what_came_instead() -> None:
    with pytest.raises(MalformedResponse, match="answered with <html>, not an Atom feed"):
        parse_page(b"<html><body>proxy error</body></html>")


def test_papers_without_a_sighting_have_no_sources_and_no_empty_affiliations() -> None:
    (paper,) = parse_page(_feed(_entry())).papers
    assert paper.sources == () and paper.affiliations == ()


def test_an_entry_without_title_or_abstract_has_empty_ones() -> None:
    bare = "<entry><id>http://arxiv.org/abs/2401.00003v1</id></entry>"
    (paper,) = parse_page(_feed(bare)).papers
    assert (paper.id, paper.title, paper.abstract, paper.authors) == ("2401.00003", "", "", ())


def test_a_pdf_link_is_found_by_its_type_alone() -> None:
    link = '<link type="application/pdf" href="http://arxiv.org/pdf/2401.00001v2" rel="related"/>'
    (paper,) = parse_page(_feed(_entry(extra=link))).papers
    assert paper.pdf_url == "https://arxiv.org/pdf/2401.00001v2"


def test_entities_in_a_response_are_never_expanded() -> None:
    body = _feed(_entry()).replace(b"<title>T</title>", b"<title>T &x;</title>")
    body = b'<!DOCTYPE feed [<!ENTITY x "EXPANDED">]>' + body
    (paper,) = parse_page(body).papers
    assert "EXPANDED" not in paper.title


def test_a_deeply_nested_response_still_parses() -> None:
    deep = "<arxiv:x>" * 300 + "</arxiv:x>" * 300
    (paper,) = parse_page(_feed(_entry(extra=deep))).papers
    assert paper.id == "2401.00001"


def test_an_error_entry_is_known_by_its_id_or_by_its_title() -> None:
    by_id = "<entry><id>https://arxiv.org/api/errors#bad</id><summary>bad  id</summary></entry>"
    with pytest.raises(UpstreamError) as error:
        parse_page(_feed(by_id))
    assert error.value.message == "arXiv API error: bad id"
    by_title = "<entry><id>https://arxiv.org/api/oops</id><title>Error</title></entry>"
    with pytest.raises(UpstreamError) as error:
        parse_page(_feed(by_title))
    assert error.value.message == "arXiv API error: unknown error"
