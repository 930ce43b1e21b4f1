"""Small lookups in a saved page's HTML tree: classes, first matches, text with spaces squeezed."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_SPACES = re.compile(r"[ \t\n\r\f\v]+")


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

    Text with only single spaces between words (most of a page's) is left as it is without
    the pattern, which would replace every space of it by a space."""
    if ("  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text
            or "\v" in text):
        text = _SPACES.sub(" ", text)
    return text.strip()


def element_text(element: HtmlElement | None) -> str:
    """The squeezed text of ``element`` (empty for None)."""
    return squeeze(element.text_content()) if element is not None else ""
