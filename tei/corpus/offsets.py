"""Where each element of an XML document's bytes starts and ends, for passages cut out of it.

The DTS data of a document (:mod:`tei.corpus.citations`) keeps the byte range of each
citable unit of its published TEI, so that ``tei-edition serve`` answers the Document
endpoint by slicing the file. The ranges come from a scan of the tags by one regular
expression, several times faster than expat's callbacks, in well-formed XML exact: every
``<`` outside a comment, CDATA section or processing instruction begins a tag. Expat reads
the documents the scan cannot: a DOCTYPE (its internal subset may hold what looks like
tags, and declare entities that hold elements) or an encoding other than UTF-8, ASCII and
Latin-1. ``tests/dts/test_citation_offsets.py`` holds the two to the same answers.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

_MARKUP = re.compile(rb"""<(?:
    /[^>]*>                                        # an end tag
  | [^!?/"'>][^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>  # a start tag (">" may be quoted)
  | !--.*?-->                                      # a comment
  | !\[CDATA\[.*?\]\]>                             # a CDATA section
  | \?.*?\?>                                       # a processing instruction
  | !                                              # a DOCTYPE
)""", re.DOTALL | re.VERBOSE)
"""The markup of a document: in well-formed XML every ``<`` outside comments, CDATA
sections and processing instructions begins a tag (an internal DTD subset aside)."""
_DECLARED = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_SCANNED = frozenset({b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1",
                      b"latin1"})
"""Encodings whose bytes ``_MARKUP`` reads as expat does (an ASCII byte is that character)."""


def element_offsets(data: bytes) -> list[tuple[int, int]] | None:
    """``(start, end)`` in ``data`` of every element, in document order, or None when the
    document's encoding is not ASCII-compatible (or expat cannot read it); scanned, or read
    by expat (see the module's docstring)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return None
    declared = _DECLARED.match(data)
    if declared is not None and declared.group(1).lower() not in _SCANNED:
        return _expat_offsets(data)
    return _scanned_offsets(data)


def _scanned_offsets(data: bytes) -> list[tuple[int, int]] | None:
    """Offsets of the elements of a well-formed ``data`` by its tags (expat's, if it has a
    DOCTYPE; None if its tags do not nest)."""
    starts: list[int] = []
    ends: list[int] = []
    stack: list[int] = []
    for match in _MARKUP.finditer(data):
        start, end = match.span()
        kind = data[start + 1]
        if kind == 0x2F:  # "</"
            if not stack:
                return None
            ends[stack.pop()] = end
        elif kind == 0x21:  # "<!": a comment, a CDATA section, or a DOCTYPE ("<!" alone)
            if end - start == 2:
                return _expat_offsets(data)
        elif kind != 0x3F:  # not "<?": a start tag
            if data[end - 2] != 0x2F:  # not "/>": its end tag comes later
                stack.append(len(starts))
            starts.append(start)
            ends.append(end)
    if stack or not starts:
        return None
    return list(zip(starts, ends))


def _expat_offsets(data: bytes) -> list[tuple[int, int]] | None:
    """Offsets of the elements of ``data`` as expat reports their tags (None: it cannot read
    ``data``): an element is empty when its start and end tags are one tag, ``<x/>``."""
    starts: list[int] = []
    ends: list[int] = []
    stack: list[int] = []
    parser = expat.ParserCreate()

    def start(name: str, attributes: Any) -> None:
        stack.append(len(starts))
        starts.append(parser.CurrentByteIndex)
        ends.append(0)

    def end(name: str) -> None:
        index = stack.pop()
        at = parser.CurrentByteIndex
        empty = data[at - 2:at] == b"/>" and (  # and its start tag ends there
            data.find(b">", starts[index], at - 1) < 0 or start_tag_end(data, starts[index]) == at)
        ends[index] = at if empty else data.index(b">", at) + 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, ValueError):
        return None
    return list(zip(starts, ends))


def start_tag_end(data: bytes, start: int) -> int:
    """Where the start tag that begins at ``start`` ends (after its ``>``; quotes respected)."""
    quote = 0
    for index in range(start, len(data)):
        byte = data[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return index + 1
    return len(data)
