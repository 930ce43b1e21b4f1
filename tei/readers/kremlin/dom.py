"""Small lookups in a saved page's HTML tree: classes, first matches, text with spaces squeezed."""

from __future__ import annotations

from lxml.html import HtmlElement

_OTHER_SPACES = "\t\n\r\f\v"
"""Source white space besides the space (a no-break space is none)."""


def classes(element: HtmlElement) -> set[str]:
    """The class names of ``element``."""
    return set((element.get("class") or "").split())


def find_first(root: HtmlElement, *paths: str) -> HtmlElement | None:
    """The first element matched by the first XPath (tried in order) that matches any."""
    for path in paths:
        found = [item for item in root.xpath(path) if isinstance(item, HtmlElement)]
        if found:
            return found[0]
    return None


def attribute_values(root: HtmlElement, path: str) -> list[str]:
    """The stripped values of the attributes an XPath selects (``//meta/@content``)."""
    return [str(value).strip() for value in root.xpath(path) if isinstance(value, str)]


def has_class(name: str) -> str:
    """An XPath predicate for an element carrying class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def squeeze(text: str) -> str:
    """Source whitespace (line wrapping) as single spaces; no-break spaces are kept.

    Each run of spaces, tabs, line ends, form feeds and vertical tabs becomes one space, by
    replacing (each of the others by a space, then two spaces by one until none are left):
    a pattern of those runs replaced every single space of a page's text by a space."""
    for space in _OTHER_SPACES:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip()


def element_text(element: HtmlElement | None) -> str:
    """The squeezed text of ``element`` (empty for None)."""
    return squeeze(element.text_content()) if element is not None else ""
