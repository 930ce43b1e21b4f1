"""What a saved kremlin.ru page says about its item: title, date-time, place, address, language.

The site's layout (stable since 2013) puts these in the article's header:
``h1.entry-title``, ``time.read__published[datetime]`` with ``.read__time``,
``.read__place``; the address comes from the page's canonical link, a browser's
``saved from url`` comment, or the path ``wget`` saved the page under.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from lxml.html import HtmlElement

from tei.errors import ReadError
from tei.readers.kremlin.dom import attribute_values, element_text, find_first, has_class, squeeze
from tei.readers.kremlin.site import PUBLISHERS, english_site
from tei.readers.metadata import is_language_tag, parse_when

SITE_SUFFIXES = tuple(f" • {publisher}" for publisher in PUBLISHERS.values())
"""What the site appends to ``<title>``."""

_CLOCK = re.compile(r"\b(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)\b")

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(?P<url>https?://[^\s>]+?)\s*-->")

_SAVED_PATH = re.compile(r"(?:^|[/\\])(?P<url>(?:www\.)?(?:en\.)?kremlin\.ru[/\\].*?)(?:\.html?)?$")


def page_title(root: HtmlElement, article: HtmlElement) -> str:
    """The ``h1`` of the article; else ``og:title``; else ``<title>`` without the site's name."""
    heading = element_text(find_first(article, ".//h1", "//h1"))
    if heading:
        return heading
    og_title = attribute_values(root, "//meta[@property='og:title']/@content")
    if og_title and og_title[0]:
        return squeeze(og_title[0])
    title = element_text(find_first(root, "//title"))
    for suffix in SITE_SUFFIXES:
        title = title.removesuffix(suffix)
    return title


def page_when(article: HtmlElement, name: str) -> datetime | date | None:
    """Date-time of the event: ``<time datetime>`` of the meta line, with ``.read__time``.

    The site gives the date in ``datetime`` and the clock time in a separate
    element (``<div class="read__time">16:20</div>``) or in the text of a
    ``<time>`` (``December 19, 2019, 16:20``). A time without an offset is
    Moscow time. Without any clock time it is the date alone (no midnight is made up).
    """
    stamp = find_first(article, f".//*[{has_class('read__meta')}]//time[@datetime]",
                       ".//time[@datetime]")
    if stamp is None:
        return None
    value = stamp.get("datetime", "").strip()
    clock = None if "T" in value or " " in value else page_clock(article, stamp)
    when = parse_when(f"{value[:10]}T{clock}" if clock else value)
    if when is None:
        raise ReadError(f"the page's date {value!r} is not an ISO date", path=name,
                        line=stamp.sourceline)
    return when


def page_clock(article: HtmlElement, stamp: HtmlElement) -> str | None:
    """``HH:MM`` of the event: ``.read__time``, else the text of the date element itself."""
    for candidate in (find_first(article, f".//*[{has_class('read__time')}]"), stamp):
        match = _CLOCK.search(element_text(candidate))
        if match:
            return f"{int(match['hour']):02d}:{match['minute']}"
    return None


def page_place(article: HtmlElement) -> str | None:
    """The place line (``The Kremlin, Moscow``; ``Московская область, Ново-Огарёво``)."""
    return element_text(find_first(article, f".//*[{has_class('read__place')}]")) or None


def page_url(root: HtmlElement, article: HtmlElement, data: bytes, name: str) -> str | None:
    """The canonical URL: ``og:url`` or an absolute canonical link, else where it was saved from.

    ``wget --convert-links`` rewrites the canonical link to a local file name
    (``62366.html``), so a relative link is ignored; the folders ``wget`` saves
    into (``en.kremlin.ru/events/president/news/62366.html``) still give the
    URL, as does the ``<!-- saved from url=… -->`` comment browsers write.
    """
    for path in ("//meta[@property='og:url']/@content", "//link[@rel='canonical']/@href"):
        for value in attribute_values(root, path):
            if value.startswith(("http://", "https://")):
                return value
    saved_from = _SAVED_FROM.search(data[:4096])
    if saved_from:
        return saved_from["url"].decode("ascii", "replace")
    match = _SAVED_PATH.search(name)
    if match:
        return "http://" + match["url"].replace("\\", "/")
    short = attribute_values(article, f".//a[{has_class('print_link')}]/@href")
    return short[0] if short else None


def page_language(root: HtmlElement, url: str | None) -> str:
    """``en`` or ``ru``: the page's ``lang``, else the site (``en.kremlin.ru`` is English)."""
    declared = (root.get("lang") or "").strip().lower().split("-")[0]
    if declared and is_language_tag(declared):
        return declared
    return "en" if url and english_site(url) else "ru"
