"""Feed bytes -> UTF-8 bytes: the one place radar decides which character encoding a feed uses.

feedparser trusts declarations and, when they fail, falls back to windows-1252 without guessing
(it only guesses with `chardet`, which radar does not install), so undeclared, wrongly declared
and mixed encodings come out as mojibake. This module picks the encoding from the bytes first.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_UTF8_BOM = b"\xef\xbb\xbf"
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The declaration may (illegally) follow a comment, so look for it near the start, not at 0.
_XML_DECL = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.IGNORECASE)
_XML_DECL_TEXT = re.compile(r"<\?xml[^>]*?\?>")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
# Declarations that are really "some Latin-1 superset": UTF-8 bytes under them are mojibake.
_LATIN = {"ascii", "latin_1", "cp1252", "iso8859_15"}


@dataclass(frozen=True)
class Decoded:
    """The feed as UTF-8 bytes, the encoding it was read in, and what was odd about it."""

    data: bytes
    encoding: str
    note: str | None = None  # e.g. "no encoding declared; read as koi8_r"


def to_utf8(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode feed bytes in the most plausible encoding and re-encode them as UTF-8.

    Order: a byte-order mark, else the HTTP charset, else the XML declaration, each only if
    the bytes actually decode in it; valid UTF-8 under a Latin-1/windows-1252/ASCII label is
    UTF-8; undeclared non-UTF-8 bytes are identified with charset-normalizer; UTF-8 with a few
    stray bytes keeps its UTF-8 and reads the strays as windows-1252.
    """
    for bom, codec in _OTHER_BOMS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")  # the codec consumes the BOM
            return _done(text.encode("utf-8"), codec)
    body = data.removeprefix(_UTF8_BOM)
    declared, where = _declared(data, content_type)
    utf8_ok = _is_utf8(body)
    if declared == "utf_8" or (declared is None and where == "bom"):
        if utf8_ok:
            return _done(body, "utf_8")
        return _done(_repair_utf8(body), "utf_8", "invalid UTF-8 bytes read as windows-1252")
    if declared is not None:
        if declared in _LATIN and utf8_ok and not body.isascii():
            return _done(body, "utf_8", f"declared {declared} but the bytes are UTF-8")
        try:
            return _done(body.decode(declared).encode("utf-8"), declared)
        except UnicodeDecodeError:
            pass
    if utf8_ok:
        note = None if where == "none" else _undeclared_note(where, "utf_8")
        return _done(body, "utf_8", note)
    guess = _guess(body)
    if guess is not None:
        return _done(guess[1].encode("utf-8"), guess[0], _undeclared_note(where, guess[0]))
    return _done(_repair_utf8(body), "utf_8", "unknown encoding; read as UTF-8 and windows-1252")


def _declared(data: bytes, content_type: str | None) -> tuple[str | None, str]:
    """The canonical codec name a feed declares (None if none or unknown) and where it did."""
    if data.startswith(_UTF8_BOM):
        return "utf_8", "bom"
    labels = []
    if content_type and (charset := _CHARSET.search(content_type)):
        labels.append((charset.group(1), "http"))
    if declaration := _XML_DECL.search(data[:1024]):
        labels.append((declaration.group(1).decode("ascii"), "xml"))
    for label, where in labels:
        codec = _codec(label)
        # Without a BOM, UTF-16/32 text has NUL bytes in its markup; ASCII-readable markup
        # (a declaration we could read at all) proves such a label wrong.
        if (
            codec is not None
            and codec.startswith(("utf-16", "utf-32"))
            and b"\x00" not in data[:64]
        ):
            codec = None
        if codec is not None:
            return codec, where
    return None, labels[0][1] if labels else "none"


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return {"utf-8": "utf_8", "iso8859-1": "latin_1", "us-ascii": "ascii"}.get(name, name)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _repair_utf8(data: bytes) -> bytes:
    """UTF-8 where the bytes are UTF-8, windows-1252 (else Latin-1) for each stray byte."""

    def stray(error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        raw = error.object[error.start : error.end]
        return raw.decode("cp1252", errors="ignore") or raw.decode("latin_1"), error.end

    codecs.register_error("radar-cp1252", stray)
    return data.decode("utf-8", errors="radar-cp1252").encode("utf-8")


def _guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best reading of bytes that are not UTF-8: (codec, text)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    codec = _codec(best.encoding)
    return (codec, str(best)) if codec else None


def _undeclared_note(where: str, used: str) -> str:
    if where == "none":
        return f"no encoding declared; read as {used}"
    return f"the declared encoding is wrong or unknown; read as {used}"


def _done(utf8: bytes, encoding: str, note: str | None = None) -> Decoded:
    """UTF-8 bytes whose XML declaration says so, so feedparser does not decode them again.

    A document without a declaration gets one on its first line, so that feedparser does not
    add a line of its own and the line numbers in its error messages stay the file's.
    """
    text = utf8.decode("utf-8")
    if match := _XML_DECL_TEXT.search(text[:1024]):
        fixed = re.sub(r"encoding\s*=\s*[\"'][^\"']*[\"']", 'encoding="utf-8"', match.group(0))
        text = text[: match.start()] + fixed + text[match.end() :]
    else:
        text = '<?xml version="1.0" encoding="utf-8"?>' + text
    return Decoded(text.encode("utf-8"), encoding, note)
