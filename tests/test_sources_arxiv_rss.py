"""radar.sources.arxiv_rss: the recorded quant-ph day becomes Papers with announce types."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from radar.sources import MalformedResponse, UpstreamError
from radar.sources.arxiv_rss import feed_url, parse_feed
from tests.fake_arxiv import RSS_FILE, recorded

EMPTY = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" version="2.0"><channel>
<title>cs.AI updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.AI</link>
<description>cs.AI updates</description>
<pubDate>Sun, 27 Apr 2025 00:00:00 -0400</pubDate>
</channel></rss>"""  # built here: no real empty feed was recorded (see SOURCES.md)


@pytest.fixture  # per test, not per module: mutmut links each test to the parsing
def feed():  # type: ignore[no-untyped-def]
    return parse_feed(recorded(RSS_FILE), ["quant-ph"])


def test_one_url_for_all_categories() -> None:
    assert feed_url("https://rss.arxiv.org/rss/", ["cs.AI", "cs.CV"]) == (
        "https://rss.arxiv.org/rss/cs.AI+cs.CV"
    )


def test_all_four_announce_types_and_the_announcement_day(feed) -> None:  # type: ignore[no-untyped-def]
    assert feed.day == date(2025, 4, 28)
    assert len(feed.papers) == 81
    kinds = Counter(p.sources[0].announce_type for p in feed.papers)
    assert kinds == {"new": 40, "replace": 22, "cross": 10, "replace-cross": 9}
    for paper in feed.papers:
        assert paper.announced == date(2025, 4, 28)  # arXiv's own day, not 04:00 UTC's
        assert [s.source for s in paper.sources] == ["arxiv-rss:quant-ph"]
        assert paper.sources[0].announced == date(2025, 4, 28)


def test_boilerplate_never_reaches_the_abstract(feed) -> None:  # type: ignore[no-untyped-def]
    first = feed.papers[0]
    assert first.abstract.startswith("We introduce a self-adjoint time operator")
    for paper in feed.papers:
        assert "Announce Type" not in paper.abstract
        assert not paper.abstract.startswith(("arXiv:", "Abstract:"))
        assert paper.abstract


def test_versions_come_from_the_guid(feed) -> None:  # type: ignore[no-untyped-def]
    by_id = {p.id: p for p in feed.papers}
    assert by_id["2504.17830"].version == 1
    replaced = [p for p in feed.papers if p.sources[0].announce_type == "replace-cross"]
    assert all(p.version and p.version > 1 for p in replaced)
    assert by_id["2312.01259"].version == 3


def test_authors_are_split_from_one_creator(feed) -> None:  # type: ignore[no-untyped-def]
    by_id = {p.id: p for p in feed.papers}
    assert by_id["2504.16299"].authors == (
        "Arick Grootveld",
        "Haodong Yang",
        "Biao Chen",
        "Venkata Gandikota",
        "Jason Pollack",
    )
    assert max(len(p.authors) for p in feed.papers) == 71


def test_categories_doi_and_journal_reference(feed) -> None:  # type: ignore[no-untyped-def]
    by_id = {p.id: p for p in feed.papers}
    assert by_id["2504.16299"].categories == ("cs.IT", "math.IT", "quant-ph")
    assert sum(1 for p in feed.papers if p.doi) == 10
    assert sum(1 for p in feed.papers if p.journal_ref) == 9


def test_combined_feed_gives_each_category_its_own_view() -> None:
    # Served for quant-ph+cs.IT, each paper carries one sighting per followed category it lists.
    combined = parse_feed(recorded(RSS_FILE), ["quant-ph", "cs.IT"])
    paper = next(p for p in combined.papers if p.id == "2504.16299")
    types = {s.source: s.announce_type for s in paper.sources}
    assert types == {"arxiv-rss:quant-ph": "cross", "arxiv-rss:cs.IT": "new"}
    # for quant-ph alone the derived types agree with the types arXiv reported
    single = {
        p.id: p.sources[0].announce_type
        for p in parse_feed(recorded(RSS_FILE), ["quant-ph"]).papers
    }
    derived = {
        p.id: s.announce_type
        for p in combined.papers
        for s in p.sources
        if s.source == "arxiv-rss:quant-ph"
    }
    assert derived == single


def test_empty_feed_is_normal() -> None:
    empty = parse_feed(EMPTY, ["cs.AI"])
    assert empty.papers == () and empty.day == date(2025, 4, 27)


def test_truncated_feed_yields_nothing() -> None:
    body = recorded(RSS_FILE)
    with pytest.raises(MalformedResponse):
        parse_feed(body[: len(body) // 2], ["quant-ph"])


# --- fidelity: authors, affiliations, TeX, versions, announce types -------------------------


def _raw_items() -> dict[str, object]:
    """The recorded items by arXiv id, read independently with ElementTree."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(recorded(RSS_FILE))
    return {(item.findtext("link") or "").rsplit("/", 1)[-1]: item for item in root.iter("item")}


def test_affiliations_in_dc_creator_stay_with_their_author(feed) -> None:  # type: ignore[no-untyped-def]
    paper = next(p for p in feed.papers if p.id == "2504.18264")
    assert paper.authors == (
        "M. R. Nirmal",
        "Ankit Khandelwal",
        "Manoj Nambiar",
        "Sharma S. R. K. C. Yamijala",
    )
    assert len(paper.affiliations) == 4
    assert paper.affiliations[0] == (
        "Department of Chemistry, Indian Institute of Technology Madras, Chennai, India, Centre "
        "for Quantum Information, Communication, and Computing, Indian Institute of Technology "
        "Madras, Chennai, India",
    )
    for other in feed.papers:  # no author anywhere is a piece of an address
        assert not any("(" in a or ")" in a or a == "India" for a in other.authors)


def test_tex_accents_in_names_and_titles_become_unicode(feed) -> None:  # type: ignore[no-untyped-def]
    names = {a for p in feed.papers for a in p.authors}
    assert {"Michal Hajdušek", "Stanisław Świerczewski", "Søren Stobbe", "György Frank"} <= names
    assert {"Dorival Gonçalves", "Juan Ramón Muñoz de Nova", "Patrik Öhberg"} <= names
    assert not any("\\" in a or "{" in a for a in names)
    titles = {p.title for p in feed.papers}
    assert (
        "Optical Schrödinger cat states generation using cubic phase resource state and "
        "beamsplitter"
    ) in titles
    assert not any('\\"' in t or "\\'" in t for t in titles)


def test_math_in_abstracts_is_kept_exactly(feed) -> None:  # type: ignore[no-untyped-def]
    import re

    raw = _raw_items()
    math = re.compile(r"\$[^$]+\$|\\\(.+?\\\)")
    checked = 0
    for paper in feed.papers:
        description = raw[paper.id].findtext("description") or ""  # type: ignore[attr-defined]
        spans = math.findall(" ".join(description.split()))
        for span in spans:
            assert span in paper.abstract
            checked += 1
    assert checked > 20  # the day has plenty of math: \(T_w = ...\), $\alpha$-style spans


def test_pdf_links_keep_the_announced_version(feed) -> None:  # type: ignore[no-untyped-def]
    by_id = {p.id: p for p in feed.papers}
    assert by_id["2312.01259"].pdf_url == "https://arxiv.org/pdf/2312.01259v3"
    assert by_id["2504.17830"].pdf_link == "https://arxiv.org/pdf/2504.17830v1"


def test_each_paper_carries_its_own_announce_type(feed) -> None:  # type: ignore[no-untyped-def]
    raw = _raw_items()
    for paper in feed.papers:
        item = raw[paper.id]
        assert paper.announce_type == item.findtext(  # type: ignore[attr-defined]
            "{http://arxiv.org/schemas/atom}announce_type"
        )
    assert Counter(p.announce_type for p in feed.papers)["replace"] == 22


def _feed(items: str, *, title: str = "cs.IT updates on arXiv.org", extra: str = "") -> bytes:
    """A small RSS 2.0 feed in arXiv's shape, built in code (variations no recorded day has)."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"{extra}"
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
        f"<title>{title}</title><description>updates</description>"
        "<pubDate>Mon, 28 Apr 2025 00:00:00 -0400</pubDate>"
        f"{items}</channel></rss>"
    ).encode()


def _item(guid: str, *, body: str = "", categories: tuple[str, ...] = ("cs.IT",)) -> str:
    cats = "".join(f"<category>{c}</category>" for c in categories)
    return f"<item><title>T</title><guid>{guid}</guid>{cats}{body}</item>"


def test_a_paper_keeps_every_field_of_its_item(feed) -> None:  # type: ignore[no-untyped-def]
    paper = next(p for p in feed.papers if p.id == "2504.18342")
    assert paper.title == (
        "Probing Quantum Phenomena through Photoproduction in Relativistic Heavy-Ion Collisions"
    )
    assert paper.abstract.startswith("Photoproduction in ultra-peripheral relativistic")
    assert paper.abstract.endswith("quantum nature of these high-energy nuclear collisions.")
    assert paper.authors == (
        "James Daniel Brandenburg", "Spencer R. Klein", "Zhangbu Xu", "Shuai Yang",
        "Wangmei Zha", "Jian Zhou",
    )  # fmt: skip
    assert paper.affiliations == ()  # none given: not six empty ones
    assert paper.categories == ("nucl-ex", "nucl-th", "quant-ph")
    assert (paper.version, paper.announce_type) == (1, "cross")
    assert paper.doi == "10.1016/j.ppnp.2025.104174"
    assert paper.journal_ref == "Progress in Particle and Nuclear Physics (2025)"
    assert paper.pdf_url == "https://arxiv.org/pdf/2504.18342v1"
    assert [(s.source, s.label) for s in paper.sources] == [
        ("arxiv-rss:quant-ph", "arXiv (quant-ph)")
    ]


def test_items_in_other_shapes_still_become_their_papers() -> None:
    items = "".join(
        [
            # no arXiv guid: the id and version come from the link
            _item("tag:example", body="<link>https://arxiv.org/abs/2504.00001v2</link>"),
            # the announce type only in the description's boilerplate; a day of its own
            _item(
                "oai:arXiv.org:2504.00002v1",
                body="<description>arXiv:2504.00002v1 Announce Type: replace-cross \n"
                "Abstract: The abstract.</description>"
                "<pubDate>Tue, 29 Apr 2025 00:00:00 -0400</pubDate>"
                "<arxiv:DOI>  </arxiv:DOI>",
            ),
            # no boilerplate, no type, no version, no date: the feed's day
            _item(
                "https://arxiv.org/abs/2504.00003",
                body="<description>Plain abstract.</description>"
                "<dc:creator>A. Kim (Univ. X, Seoul), Bo Li, C. Park (Dept. of Physics (KAIST), "
                "Daejeon) (IBS), D. Lee (Unclosed Inst</dc:creator>",
            ),
            "<item><guid>oai:arXiv.org:2504.00004v1</guid></item>",  # nothing but the id
            _item("not an id"),  # skipped
        ]
    )
    papers = {p.id: p for p in parse_feed(_feed(items), ["cs.IT"]).papers}
    assert list(papers) == ["2504.00001", "2504.00002", "2504.00003", "2504.00004"]
    assert papers["2504.00001"].version == 2
    second = papers["2504.00002"]
    assert (second.announce_type, second.abstract) == ("replace-cross", "The abstract.")
    assert second.announced == date(2025, 4, 29) and second.doi is None
    third = papers["2504.00003"]
    assert (third.abstract, third.announce_type, third.pdf_url) == ("Plain abstract.", None, None)
    assert third.announced == date(2025, 4, 28)
    assert third.authors == ("A. Kim", "Bo Li", "C. Park", "D. Lee")
    assert third.affiliations == (
        ("Univ. X, Seoul",), (), ("Dept. of Physics (KAIST), Daejeon", "IBS"), ("Unclosed Inst",)
    )  # fmt: skip
    bare = papers["2504.00004"]
    assert (bare.title, bare.abstract, bare.authors) == ("", "", ())


@pytest.mark.parametrize(
    ("reported", "primary", "cross"),
    [("new", "new", "cross"), ("replace", "replace", "replace-cross")],
)
def test_a_combined_feed_gives_the_cross_listed_category_its_view(
    reported: str, primary: str, cross: str
) -> None:
    # one type per paper in a combined feed: the primary category's; the others see a cross-list
    body = f"<arxiv:announce_type>{reported}</arxiv:announce_type>"
    item = _item("oai:arXiv.org:2504.00005v1", body=body, categories=("cs.IT", "quant-ph"))
    paper = parse_feed(_feed(item), ["quant-ph", "cs.IT"]).papers[0]
    assert {s.source: s.announce_type for s in paper.sources} == {
        "arxiv-rss:quant-ph": cross,
        "arxiv-rss:cs.IT": primary,
    }
    assert paper.announce_type == primary


def test_an_item_without_a_type_or_of_an_archive_follow_is_kept() -> None:
    item = _item("oai:arXiv.org:2504.00006v1", categories=("math.AG", "math.NT"))
    for followed in (["math"], ["math", "cs.IT"]):  # a single and a combined feed
        paper = parse_feed(_feed(item), followed).papers[0]
        assert [(s.source, s.announce_type) for s in paper.sources] == [
            (f"arxiv-rss:{c}", None) for c in followed
        ]


def test_arxivs_error_feed_is_one_error_naming_what_it_said() -> None:
    said = "Invalid archive or category: quant-phx"
    items = "<item><title>No such category</title></item>"
    body = _feed(items, title="Feed error for query: quant-phx").replace(
        b"<description>updates</description>", f"<description>{said}</description>".encode()
    )
    with pytest.raises(UpstreamError) as error:
        parse_feed(body, ["quant-phx"])
    assert error.value.message == (
        "arXiv's RSS feed answered with an error: "
        f"Feed error for query: quant-phx; {said}; No such category"
    )
    assert error.value.hint == (
        "check the followed category codes (radar follows); none of them was synced"
    )
    bare = _feed("", title="Feed error").replace(b"<description>updates</description>", b"")
    with pytest.raises(UpstreamError) as error:
        parse_feed(bare, ["cs.IT"])
    assert error.value.message == "arXiv's RSS feed answered with an error: Feed error"
    long = _feed("", title="Feed error: " + "x" * 400)
    with pytest.raises(UpstreamError) as error:
        parse_feed(long, ["cs.IT"])
    assert len(error.value.message) == len("arXiv's RSS feed answered with an error: ") + 300
    assert parse_feed(_feed("", title="Feeds about errors"), ["cs.IT"]).papers == ()


def test_entities_in_a_feed_are_never_expanded(tmp_path: Path) -> None:
    # a hostile feed can neither blow up memory (nested entities) nor read local files
    word = '<!DOCTYPE rss [<!ENTITY word "LAUGH">]>'
    item = _item("oai:arXiv.org:2504.00007v1", body="<description>a &word; b</description>")
    assert "LAUGH" not in parse_feed(_feed(item, extra=word), ["cs.IT"]).papers[0].abstract
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    file = f'<!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}">]>'
    item = _item("oai:arXiv.org:2504.00007v1", body="<description>a &file; b</description>")
    try:
        papers = parse_feed(_feed(item, extra=file), ["cs.IT"]).papers
    except MalformedResponse:
        return  # refusing the feed is as safe
    assert "SECRET" not in papers[0].abstract
