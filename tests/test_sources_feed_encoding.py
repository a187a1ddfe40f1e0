"""radar.sources.feed_encoding: which encoding a feed's bytes are read in, and what is noted."""

from __future__ import annotations

import pytest

from radar.sources.feed_encoding import to_utf8

TEXT = "Spørsmål “quoted”"
DECLARED = '<?xml version="1.0" encoding="utf-8"?>'


def doc(label: str | None, text: str = TEXT) -> str:
    head = f'<?xml version="1.0" encoding="{label}"?>' if label else ""
    return f"{head}<rss><title>{text}</title></rss>"


def utf8_doc(text: str = TEXT) -> bytes:
    return f"{DECLARED}<rss><title>{text}</title></rss>".encode()


@pytest.mark.parametrize(
    ("codec", "label", "encoding"),
    [
        ("utf-16-le", "utf-16", "utf-16"),
        ("utf-16-be", "utf-16", "utf-16"),
        ("utf-32-le", "utf-32", "utf-32"),
        ("utf-32-be", "utf-32", "utf-32"),
        ("utf-8", "utf-8", "utf_8"),
    ],
)
def test_a_byte_order_mark_decides_and_the_result_is_declared_utf8(
    codec: str, label: str, encoding: str
) -> None:
    decoded = to_utf8(("\ufeff" + doc(label)).encode(codec))
    assert (decoded.data, decoded.encoding, decoded.note) == (utf8_doc(), encoding, None)


def test_stray_bytes_in_utf8_are_read_as_windows_1252_with_a_note() -> None:
    # 0x93/0x94 are windows-1252 quotes; 0x81 has no windows-1252 letter, so it is Latin-1's.
    data = b"\xef\xbb\xbf" + doc("utf-8", "Spørsmål ").encode() + b"\x93q\x94 \x81"
    decoded = to_utf8(data)
    assert decoded.encoding == "utf_8"
    assert decoded.note == "invalid UTF-8 bytes read as windows-1252"
    assert decoded.data == utf8_doc("Spørsmål ") + "“q” \x81".encode()


@pytest.mark.parametrize("label", ["iso-8859-1", "latin-1", "us-ascii", "windows-1252"])
def test_utf8_bytes_under_a_latin_label_are_utf8(label: str) -> None:
    decoded = to_utf8(doc(label).encode())
    assert decoded.data == utf8_doc() and decoded.encoding == "utf_8"
    canonical = {"iso-8859-1": "latin_1", "latin-1": "latin_1", "us-ascii": "ascii"}
    name = canonical.get(label, "cp1252")
    assert decoded.note == f"declared {name} but the bytes are UTF-8"


def test_ascii_text_under_a_latin_label_is_read_as_declared_without_a_note() -> None:
    decoded = to_utf8(doc("iso-8859-1", "plain").encode())
    assert decoded.encoding == "latin_1" and decoded.note is None
    assert decoded.data == utf8_doc("plain")


def test_a_correct_declaration_is_followed() -> None:
    decoded = to_utf8(doc("koi8-r", "Как пережить ночь").encode("koi8-r"))
    assert (decoded.data, decoded.encoding, decoded.note) == (
        utf8_doc("Как пережить ночь"),
        "koi8-r",
        None,
    )


def test_the_http_charset_comes_before_the_xml_declaration() -> None:
    data = doc("utf-8").encode("cp1252")
    decoded = to_utf8(data, 'application/rss+xml; charset="windows-1252"')
    assert (decoded.data, decoded.encoding, decoded.note) == (utf8_doc(), "cp1252", None)
    decoded = to_utf8(doc(None).encode("cp1252"), "text/xml;CHARSET=cp1252")
    assert decoded.encoding == "cp1252" and decoded.data == utf8_doc()


def test_an_unknown_or_impossible_label_falls_back_to_the_bytes() -> None:
    decoded = to_utf8(doc("bogus-8").encode())
    assert decoded.data == utf8_doc() and decoded.encoding == "utf_8"
    assert decoded.note == "the declared encoding is wrong or unknown; read as utf_8"
    http = to_utf8(doc(None).encode(), "application/xml; charset=bogus-8")
    assert http.note == "the declared encoding is wrong or unknown; read as utf_8"
    # Bytes that are not ASCII cannot be ASCII: the label is dropped, the bytes guessed.
    guessed = to_utf8(doc("us-ascii", "Как пережить новогоднюю ночь").encode("koi8-r"))
    assert guessed.encoding != "ascii"
    assert guessed.note == f"the declared encoding is wrong or unknown; read as {guessed.encoding}"


def test_undeclared_utf8_has_no_note_and_undeclared_other_bytes_are_identified() -> None:
    plain = to_utf8(doc(None).encode())
    assert (plain.data, plain.encoding, plain.note) == (utf8_doc(), "utf_8", None)
    text = "Как пережить новогоднюю ночь и не сойти с ума"
    koi8 = to_utf8(doc(None, text).encode("koi8-r"))
    assert (koi8.data, koi8.encoding, koi8.note) == (
        utf8_doc(text),
        "koi8-r",
        "no encoding declared; read as koi8-r",
    )


@pytest.mark.parametrize("label", ["utf-16", "UTF-32", "utf-16le"])
def test_a_utf16_or_utf32_label_on_ascii_readable_bytes_is_ignored(label: str) -> None:
    decoded = to_utf8(doc(label).encode())
    assert decoded.data == utf8_doc() and decoded.encoding == "utf_8"
    assert decoded.note == "the declared encoding is wrong or unknown; read as utf_8"


def test_utf16_without_a_byte_order_mark_follows_its_label() -> None:
    decoded = to_utf8(doc("utf-16le").encode("utf-16-le"))
    assert decoded.data == utf8_doc() and decoded.encoding == "utf-16-le"


def test_the_declaration_is_rewritten_in_place_or_added_on_the_first_line() -> None:
    single = "<!-- c --><?xml version='1.0' encoding='latin-1'?><rss/>".encode("latin-1")
    assert to_utf8(single).data == b"<!-- c --><?xml version='1.0' encoding=\"utf-8\"?><rss/>"
    bare = b'<?xml version="1.0"?>\n<rss/>'
    assert to_utf8(bare).data == bare  # no encoding attribute: UTF-8 is XML's default
    assert to_utf8(b"<rss/>").data == DECLARED.encode() + b"<rss/>"
    late = b" " * 1100 + b'<?xml version="1.0" encoding="latin-1"?><rss/>'
    assert to_utf8(late).data == DECLARED.encode() + late


def test_bytes_no_encoding_explains_are_read_as_utf8_and_latin_1_with_a_note() -> None:
    junk = b"\x00\x81\x8d\x8f\x90\x9d" * 20  # not UTF-8, and no encoding reads it as text
    decoded = to_utf8(b"<rss><title>" + junk + b"</title></rss>")
    assert decoded.encoding == "utf_8"
    assert decoded.note == "unknown encoding; read as UTF-8 and windows-1252"
    text = junk.decode("latin-1")
    assert decoded.data == f"{DECLARED}<rss><title>{text}</title></rss>".encode()


def test_a_utf16_feed_cut_mid_character_is_read_with_a_replacement_character() -> None:
    data = ("\ufeff" + doc("utf-16")).encode("utf-16-le") + b"<"
    decoded = to_utf8(data)
    assert decoded.data == utf8_doc() + "\ufffd".encode() and decoded.encoding == "utf-16"


def test_utf16_without_a_byte_order_mark_follows_the_http_charset() -> None:
    # Plain-ASCII text in UTF-16 is also valid UTF-8 (with NULs): the label must win.
    data = doc(None, "plain text").encode("utf-16-le")
    decoded = to_utf8(data, "application/rss+xml; charset=utf-16le")
    assert (decoded.data, decoded.encoding, decoded.note) == (
        utf8_doc("plain text"),
        "utf-16-le",
        None,
    )


@pytest.mark.parametrize("label", ["utf-16", "utf-32"])
def test_a_wrong_utf16_or_utf32_http_charset_gives_way_to_the_xml_declaration(
    label: str,
) -> None:
    data = doc("koi8-r", "Как пережить ночь").encode("koi8-r")
    decoded = to_utf8(data, f"text/xml; charset={label}")
    assert (decoded.data, decoded.encoding, decoded.note) == (
        utf8_doc("Как пережить ночь"),
        "koi8-r",
        None,
    )
