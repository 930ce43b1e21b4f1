"""A saved page's bytes as text: by its byte-order mark, its ``<meta charset>``, else UTF-8.

Only the character encodings of web pages are used (those of the WHATWG
Encoding Standard, which browsers implement); a declared name that is none of
them is ignored with a note, as browsers ignore it.
"""

from __future__ import annotations

import codecs
import functools
import re

from tei.errors import ReadError
from tei.model import Normalization
from tei.readers.decode import bom_encoding, decode_utf8
from tei.readers.options import ReadOptions

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?(?P<name>[\w.:-]+)""", re.IGNORECASE)


def decode_page(data: bytes, name: str) -> tuple[str, list[Normalization]]:
    """The page as text: by its byte-order mark, else its ``<meta charset>``, else UTF-8.

    UTF-8 is read as every text is (:func:`tei.readers.decode.decode_utf8`: a
    few stray bytes are replaced and noted). A declared charset is used only if
    it is a character encoding of web pages (:func:`web_encoding`); any other
    name (``zlib``, ``rot13``, a misspelling) is ignored, as browsers do, with a
    note, and the page is read as UTF-8.
    """
    bom = bom_encoding(data)
    if bom == "utf-8":
        return decode_utf8(data[len(codecs.BOM_UTF8):], name)
    notes: list[Normalization] = []
    encoding = bom
    match = _CHARSET.search(data[:4096]) if bom is None else None
    if match:
        label = match["name"].decode("ascii")
        encoding = web_encoding(label)
        if encoding is None:
            line = data.count(b"\n", 0, match.start()) + 1
            notes.append(Normalization("charset", label, line=line))
    if encoding in (None, "utf-8"):
        text, replaced = decode_utf8(data, name)
        return text, notes + replaced
    try:
        return data.decode(encoding), notes
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReadError(f"the page is not valid {encoding}: {error.reason}", path=name,
                        line=line) from error


def web_encoding(label: str) -> str | None:
    """The Python codec for a page's declared charset, or None for no encoding of web pages.

    The encodings of the WHATWG Encoding Standard, which browsers implement, as
    it reads their labels: ``iso-8859-1`` and ``ascii`` mean windows-1252, and a
    page that declares UTF-16 in ASCII bytes is UTF-8. Python's other codecs are
    not for pages (``zlib``, ``base64``, ``rot13`` are not even text encodings;
    ``unicode_escape`` would rewrite the text).
    """
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name == "utf-8":  # most pages': a web encoding, the alias of none, no table needed
        return name
    encodings, aliases = _web_tables()
    name = aliases.get(name, name)
    return name if name in encodings else None


@functools.cache
def _web_tables() -> tuple[frozenset[str], dict[str, str]]:
    """The web's encodings and aliases below as Python names, looked up at the first page
    that declares a charset: each lookup imports a codec (some 8 ms for all of them)."""
    return (frozenset(codecs.lookup(name).name for name in WEB_ENCODINGS),
            {codecs.lookup(label).name: codecs.lookup(target).name
             for label, target in _WEB_ALIASES})


WEB_ENCODINGS = (
    "utf-8", "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6",
    "iso-8859-7", "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15",
    "iso-8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251",
    "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb18030",
    "big5", "euc-jp", "iso-2022-jp", "shift_jis", "euc-kr")
"""The WHATWG Encoding Standard's encodings (labels of Python codecs), but UTF-16: see below."""

_WEB_ALIASES = (
    ("iso-8859-1", "cp1252"), ("ascii", "cp1252"), ("iso-8859-9", "cp1254"),
    ("iso-8859-11", "cp874"), ("gb2312", "gbk"), ("utf-16", "utf-8"), ("utf-16-le", "utf-8"),
    ("utf-16-be", "utf-8"), ("utf-32", "utf-8"), ("utf-32-le", "utf-8"), ("utf-32-be", "utf-8"),
    ("utf-8-sig", "utf-8"))
"""Labels the standard reads as another encoding (a declared UTF-16 page is ASCII-readable,
so it is not UTF-16; UTF-32 is no web encoding and is read the same way)."""


def opening_bytes(data: bytes) -> bytes:
    """The first 2 KiB of ``data`` as UTF-8, without a byte-order mark (a UTF-16 or UTF-32
    page is told by its opening like any other)."""
    bom = bom_encoding(data)
    if bom in ("utf-16", "utf-32"):
        return data[:8192].decode(bom, "replace").encode("utf-8")[:2048]
    return data[:2048].removeprefix(codecs.BOM_UTF8)


_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<\?xml[^>]*>\s*<html)",
                   re.I | re.S)
"""A web page, also when a browser put ``<!-- saved from url=… -->`` before it."""


def sniff(data: bytes, name: str, options: ReadOptions) -> bool:
    """True for a web page (a saved kremlin.ru page is the only kind the reader
    :mod:`tei.readers.kremlin.html` knows); here, so that telling a text export from a page
    imports neither that reader nor lxml.html."""
    return bool(_HTML.match(opening_bytes(data)))
