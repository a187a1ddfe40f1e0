"""radar.sources.feed_raw: the identifiers feedparser drops, read from the feed's XML itself."""

from __future__ import annotations

from radar.sources.feed_raw import raw_identifiers

RDF = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">'
    '<channel rdf:about="https://science.org/"><title>Science</title>'
    "<dc:source>The channel's own source</dc:source></channel>{items}</rdf:RDF>"
)


def rdf(items: str) -> bytes:
    return RDF.format(items=items).encode()


def test_every_identifier_of_an_rdf_item_in_document_order_by_about_and_link() -> None:
    item = (
        '<item rdf:about="https://science.org/doi/abs/1?rss=1">'
        "<link> https://science.org/doi/abs/1 </link><title>News</title>"
        "<dc:identifier> info:doi/10.1126/science.abj4606 </dc:identifier>"
        "<dc:identifier>hwp:resource-id:sci;372/6544/769</dc:identifier>"
        "<prism:doi>10.1126/science.abj4606</prism:doi>"
        "<dc:source>Science, 372, 769</dc:source><dc:creator>Ann Lee</dc:creator></item>"
    )
    expected = [
        "info:doi/10.1126/science.abj4606",
        "hwp:resource-id:sci;372/6544/769",
        "10.1126/science.abj4606",
        "Science, 372, 769",
    ]
    assert raw_identifiers(rdf(item)) == {
        "https://science.org/doi/abs/1?rss=1": expected,
        "https://science.org/doi/abs/1": expected,
    }


def test_rss2_and_atom_items_are_keyed_by_guid_id_and_link_href() -> None:
    rss = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        b'<item><guid isPermaLink="false">tag:j,1</guid><dc:identifier>doi:10.1/a</dc:identifier>'
        b"</item></channel></rss>"
    )
    assert raw_identifiers(rss) == {"tag:j,1": ["doi:10.1/a"]}
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<title>T</title><entry><id>urn:j:2</id>"
        b'<link rel="alternate" href="https://j.org/2"/><dc:identifier>doi:10.1/b</dc:identifier>'
        b"</entry></feed>"
    )
    assert raw_identifiers(atom) == {"urn:j:2": ["doi:10.1/b"], "https://j.org/2": ["doi:10.1/b"]}


def test_items_without_identifiers_or_keys_and_blank_values_are_left_out() -> None:
    items = (
        '<item rdf:about="https://j.org/1"><title>No ids</title></item>'
        '<item rdf:about="https://j.org/2"><dc:identifier>  </dc:identifier>'
        "<dc:identifier/><dc:source>Src</dc:source></item>"
        "<item><title>No key</title><dc:identifier>doi:10.1/c</dc:identifier>"
        "<link> </link><guid/></item>"
    )
    assert raw_identifiers(rdf(items)) == {"https://j.org/2": ["Src"]}


def test_the_first_item_with_a_key_keeps_it() -> None:
    items = (
        '<item rdf:about="https://j.org/1"><dc:identifier>first</dc:identifier></item>'
        '<item rdf:about="https://j.org/1"><dc:identifier>second</dc:identifier></item>'
    )
    assert raw_identifiers(rdf(items)) == {"https://j.org/1": ["first"]}


def test_malformed_xml_or_declared_entities_give_nothing() -> None:
    good = '<item rdf:about="https://j.org/1"><dc:identifier>doi:10.1/d</dc:identifier></item>'
    assert raw_identifiers(rdf(good)) == {"https://j.org/1": ["doi:10.1/d"]}
    assert raw_identifiers(rdf(good)[:-12]) == {}  # cut short
    with_entity = rdf(good).replace(
        b"<rdf:RDF", b'<!DOCTYPE rdf:RDF [<!ENTITY j "https://j.org">]><rdf:RDF', 1
    )
    assert raw_identifiers(with_entity) == {}
