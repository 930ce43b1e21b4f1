"""Where in a document's text a finding lies: the column of an element or attribute on its
line, or, for a tree without lines, the element's path."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from tei.validation.integrity import line_of
from tei.xmlio import local_name

_ATTRIBUTE = re.compile(r"""\s+([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')""")
"""One attribute of a start tag, its name captured."""
_TAG_NAME = re.compile(r"<[^\s/>]*")

Text = bytes | Callable[[], bytes] | None
"""A document's bytes, a function that reads them when a column is wanted, or None."""


class SourceText:
    """The text of a document, to turn an element or attribute into a column.

    Each line, start tag and tag name is searched once and remembered, so that
    thousands of findings on one line (an element with 20,000 attributes) cost
    time linear in their number, not quadratic.
    """

    def __init__(self, data: Text, encoding: str | None = None) -> None:
        self._data = data
        self._encoding = encoding
        self._decoded: list[str] | None = None
        self._starts: dict[int, list[etree._Element]] | None = None
        self._tags: dict[tuple[int, str], tuple[list[int], dict[etree._Element, int]]] = {}
        self._attributes: dict[tuple[int, int], dict[str, int]] = {}

    @property
    def _lines(self) -> list[str] | None:
        """The lines of the text, decoded the first time a column is asked for (a valid
        document never needs them)."""
        if self._decoded is None and self._data is not None:
            data = self._data() if callable(self._data) else self._data
            self._decoded = _decode(data, self._encoding).split("\n") if data else None
            self._data = None
        return self._decoded

    def column(self, root: etree._Element, element: etree._Element | None,
               attribute: str | None = None, line: int | None = None,
               snippet: str | None = None) -> int | None:
        """1-based column of ``snippet``, ``attribute`` or the start tag of ``element``."""
        line = line or (line_of(element) if element is not None else None)
        if self._lines is None or not line or line > len(self._lines):
            return None
        text = self._lines[line - 1]
        if snippet:
            found = text.find(snippet)
            return found + 1 if found >= 0 else None
        if element is None:
            return None
        start = self._tag_column(root, element, text)
        if start is None:
            return None
        if attribute:
            named = self._attribute_columns(line, start, text).get(attribute)
            if named is not None:
                return named + 1
        return start + 1

    def _tag_column(self, root: etree._Element, element: etree._Element,
                    text: str) -> int | None:
        """0-based offset of ``element``'s start tag in its line ``text``."""
        if self._starts is None:
            self._starts = {}
            for node in root.iter(etree.Element):
                self._starts.setdefault(line_of(node) or 0, []).append(node)
        line = line_of(element) or 0
        name = etree.QName(element).localname
        if (line, name) not in self._tags:
            pattern = re.compile(rf"<(?:[\w.-]+:)?{re.escape(name)}(?=[\s/>])")
            same = [node for node in self._starts.get(line, [])
                    if etree.QName(node).localname == name]
            self._tags[line, name] = ([m.start() for m in pattern.finditer(text)],
                                      {node: position for position, node in enumerate(same)})
        matches, positions = self._tags[line, name]
        position = positions.get(element, 0)
        return matches[position] if position < len(matches) else None

    def _attribute_columns(self, line: int, start: int, text: str) -> dict[str, int]:
        """0-based offsets of the names of the attributes of the start tag at ``start``
        (as far as it goes on its line), by name as written (``xml:id``)."""
        if (line, start) not in self._attributes:
            found: dict[str, int] = {}
            tag = _TAG_NAME.match(text, start)
            position = tag.end() if tag else start
            while (match := _ATTRIBUTE.match(text, position)) is not None:
                found.setdefault(match[1], match.start(1))
                position = match.end()
            self._attributes[line, start] = found
        return self._attributes[line, start]


def _decode(data: bytes, encoding: str | None) -> str:
    """The text of a document in its declared encoding (UTF-8 when unknown or unusable)."""
    try:
        return data.decode(encoding or "utf-8", "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def readable_path(element: etree._Element) -> str:
    """``/TEI/text/body/div[2]/sp[3]``: where an element is, for trees without lines."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        step = local_name(node)
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))
