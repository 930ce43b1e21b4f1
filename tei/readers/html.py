"""Reader for saved kremlin.ru transcript pages (``kremlin.ru`` and ``en.kremlin.ru``).

Researchers mostly have the web page, saved by a browser or ``wget --mirror``,
not the site's text export. This module takes such a page apart with lxml's
HTML parser (no network, no external resources) and hands the shared
assembler (:mod:`tei.readers.assemble`) what the text reader hands it: title,
date-time, place line, canonical URL, lead paragraphs and body paragraphs, the
speaker labels already found (``detect_labels=False``), since on a web page a
label is *marked*: it is in bold.

Where things are on a page (the site's layout, stable since 2013)::

    article                       the page's one transcript or news item
      h1.entry-title              title
      .read__lead                 the editors' summary (first lead paragraph)
      .read__meta                 time.read__published[datetime], .read__time, .read__place
      [itemprop=articleBody]      the text: p elements, plus page furniture

Decisions, so that a user knows what to expect:

- **Furniture never enters the text.** Scripts, styles, media, photo
  sliders, "see also" boxes, tags and publication status, and the hover cards
  (tooltips) about people that the site nests *inside* names, even inside
  speaker labels, are removed before any text is read (see
  :data:`FURNITURE_TAGS` and :data:`FURNITURE_CLASSES`).
- **A speaker label** opens a paragraph in bold and ends with a colon:
  the colon may be inside or outside the bold element, the label may be split
  over several bold elements (``<b>Vladimir</b> <b>Putin</b>:``) or over a
  line break, and a no-break space may follow the colon. A parenthetical
  between name and colon (``<b>Xi Jinping</b> <i>(retranslated)</i><b>:</b>``)
  becomes the label's note (``retranslated``), never part of the name. Bold
  text followed by anything but a colon is emphasis, not a label
  (``<b>Remark</b> <i>from the audience.</i>`` stays text).
- **Lead and transcript.** The lead is the summary followed by the body
  paragraphs before the first ``* * *`` when that separator comes before the
  first label (as in the text export); without such a separator, the body
  paragraphs before the first label. Later ``* * *`` lines stay in the
  transcript as separators.
- **Editors' notes** printed after the separator, such as "Excerpts from
  transcript of the conference…", are kept word for word as a paragraph of
  the transcript before the first turn (a ``<p>`` of the transcript ``div``
  outside any ``<sp>``): they belong to the transcript, but to no speaker.
- **A page with a lead but no transcript** (no label and no separator, such
  as en.kremlin.ru 34018) is read, not refused: it gives a TEI with the lead
  and no turns. The page is a real publication a user may want in the
  edition; inventing turns or failing would both be worse.
- **Line breaks** (``<br>``) inside a paragraph split it into paragraphs,
  except inside a label; each part may open with a label of its own.
- Whitespace of the HTML source (line wrapping) becomes one space; no-break
  spaces, dashes and quotation marks are kept. Italics and links are reduced
  to their text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from tei.errors import ReadError
from tei.model import Normalization
from tei.readers.assemble import (
    SEPARATOR, RawDocument, RawParagraph, is_separator, split_lead,
)
from tei.readers.decode import binary_error, bom_encoding, decode_utf8
from tei.readers.metadata import PUBLISHERS, english_site, is_language_tag, parse_when
from tei.read_options import ReadOptions

FURNITURE_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "video", "audio",
    "source", "track", "picture", "img", "svg", "canvas", "map", "form", "button", "input",
    "select", "textarea", "nav", "aside", "figure", "meta", "link", "head",
})
"""Elements that never hold transcript text."""

FURNITURE_CLASSES = frozenset({
    "masha-ignore", "hidden", "hidden-copy", "read__tooltip", "tooltip_person", "read__bottommeta",
    "read__cut", "read__tags", "read__status", "slider", "media__container", "share",
})
"""Class names of the site's page furniture: sliders, tooltips, "see also", tags, status."""

PARAGRAPH_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "td", "th", "caption",
})
"""Elements read as one paragraph each."""

CONTAINER_TAGS = frozenset({
    "div", "section", "article", "main", "blockquote", "ul", "ol", "dl", "table", "thead",
    "tbody", "tfoot", "tr", "center",
})
"""Elements whose block children are read one by one (or, without any, as one paragraph)."""

BOLD_TAGS = frozenset({"b", "strong"})

BREAK = "\u2028"
"""Stands for ``<br>`` while a paragraph is taken apart (never left in the text)."""

SITE_SUFFIXES = tuple(f" • {publisher}" for publisher in PUBLISHERS.values())
"""What the site appends to ``<title>``."""

MAX_LABEL_WORDS = 16
"""Longest label accepted: ``chairman of the Russian Independent Trade Union of Coalminers
Ivan Mokhnachuk`` has 11 words; longer bold text before a colon is a bold sentence."""

_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_NOTE = re.compile(r"^(?P<name>.*?)\s*\((?P<note>[^()]*)\)\s*$", re.DOTALL)
_CLOCK = re.compile(r"\b(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)\b")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?(?P<name>[\w.:-]+)""", re.IGNORECASE)
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(?P<url>https?://[^\s>]+?)\s*-->")
_SAVED_PATH = re.compile(r"(?:^|[/\\])(?P<url>(?:www\.)?(?:en\.)?kremlin\.ru[/\\].*?)(?:\.html?)?$")


# -- the page ---------------------------------------------------------------------------------


def parse_html(data: bytes, name: str) -> tuple[HtmlElement, list[Normalization]]:
    """The page's root element, parsed by lxml's HTML parser without network or comments,
    and what decoding it changed (see :func:`decode_page`)."""
    text, notes = decode_page(data, name)
    if "\x00" in text:  # lxml would make it U+FFFD without a word
        raise binary_error(name, text.count("\n", 0, text.index("\x00")) + 1)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(text.lstrip("\ufeff"), parser=parser), notes
    except (etree.ParserError, ValueError) as error:
        raise ReadError(f"the page could not be parsed as HTML: {error}", path=name, line=1) from error


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
    name = _WEB_ALIASES.get(name, name)
    return name if name in WEB_ENCODINGS else None


WEB_ENCODINGS = frozenset(codecs.lookup(name).name for name in (
    "utf-8", "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6",
    "iso-8859-7", "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15",
    "iso-8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251",
    "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb18030",
    "big5", "euc-jp", "iso-2022-jp", "shift_jis", "euc-kr"))
"""The WHATWG Encoding Standard's encodings (Python's names), but UTF-16: see below."""

_WEB_ALIASES = {codecs.lookup(label).name: codecs.lookup(target).name for label, target in (
    ("iso-8859-1", "cp1252"), ("ascii", "cp1252"), ("iso-8859-9", "cp1254"),
    ("iso-8859-11", "cp874"), ("gb2312", "gbk"), ("utf-16", "utf-8"), ("utf-16-le", "utf-8"),
    ("utf-16-be", "utf-8"), ("utf-32", "utf-8"), ("utf-32-le", "utf-8"), ("utf-32-be", "utf-8"),
    ("utf-8-sig", "utf-8"))}
"""Labels the standard reads as another encoding (a declared UTF-16 page is ASCII-readable,
so it is not UTF-16; UTF-32 is no web encoding and is read the same way)."""


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


def find_article(root: HtmlElement, name: str) -> tuple[HtmlElement, HtmlElement]:
    """The article element and its text container; a clear error when the page has none."""
    body = find_first(root, "//*[@itemprop='articleBody']", f"//*[{has_class('entry-content')}]",
                      f"//*[{has_class('read__internal_content')}]")
    if body is None:
        raise ReadError(
            "no transcript text found: a saved kremlin.ru page has its text in an element with "
            "itemprop=\"articleBody\" (class \"entry-content\"); is this a kremlin.ru "
            "transcript page?", path=name, line=1)
    article = next((a for a in body.iterancestors("article")), None)
    return (article if article is not None else root), body


# -- metadata ---------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    """Source whitespace (line wrapping) as single spaces; no-break spaces are kept."""
    return _SPACES.sub(" ", text).strip()


def element_text(element: HtmlElement | None) -> str:
    """The squeezed text of ``element`` (empty for None)."""
    return squeeze(element.text_content()) if element is not None else ""


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


# -- text -------------------------------------------------------------------------------------


def remove_furniture(container: HtmlElement) -> None:
    """Drop what is not text (menus, media, tooltips, scripts), keeping the text around it."""
    doomed = [element for element in container.iterdescendants() if is_furniture(element)]
    for element in doomed:  # inside an element dropped before, this drops from the cut-off part
        element.drop_tree()


def is_furniture(element: HtmlElement) -> bool:
    """True for an element of the page's furniture (see :data:`FURNITURE_CLASSES`)."""
    if not isinstance(element.tag, str):
        return True
    if element.tag in FURNITURE_TAGS or classes(element) & FURNITURE_CLASSES:
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return (element.get("hidden") is not None or element.get("aria-hidden") == "true"
            or "display:none" in style)


@dataclass(slots=True)
class Styled:
    """A paragraph's text and, for each character, whether it was printed in bold."""

    text: str
    bold: list[bool]

    def append(self, text: str, bold: bool) -> None:
        """Add ``text`` printed in bold or not."""
        self.text += text
        self.bold.extend([bold] * len(text))


def styled_text(nodes: list[HtmlElement | str]) -> Styled:
    """The text of ``nodes`` (elements without their tails, or strings) with bold marked."""
    styled = Styled("", [])
    for node in nodes:
        if isinstance(node, str):
            styled.append(node, False)
        else:
            add_element(styled, node, False)
    return styled


def add_element(styled: Styled, element: HtmlElement, bold: bool) -> None:
    """Append the text of ``element`` (not its tail); ``<br>`` becomes :data:`BREAK`."""
    if not isinstance(element.tag, str):
        return
    if element.tag == "br":
        styled.append(BREAK, bold)
        return
    bold = bold or element.tag in BOLD_TAGS or is_bold_style(element)
    styled.append(element.text or "", bold)
    for child in element:
        add_element(styled, child, bold)
        styled.append(child.tail or "", bold)


def is_bold_style(element: HtmlElement) -> bool:
    """True for ``style="font-weight: bold"`` (or 600 and more), as some editors write."""
    match = re.search(r"font-weight\s*:\s*(\w+)", element.get("style") or "")
    weight = match[1] if match else "normal"
    return weight in ("bold", "bolder") or weight.isdigit() and int(weight) >= 600


def text_blocks(container: HtmlElement) -> Iterator[tuple[int, list[HtmlElement | str]]]:
    """The paragraphs of ``container`` in order, each as (source line, inline nodes).

    A paragraph element is one paragraph; a container is read through its
    block children; loose text and inline elements between blocks make a
    paragraph of their own, so no text of the page body is skipped.
    """
    pending: list[HtmlElement | str] = []
    line = container.sourceline or 0
    if container.text:
        pending.append(container.text)
    for child in container:
        if is_block(child):
            if pending:
                yield line, pending
                pending = []
            if child.tag in CONTAINER_TAGS and any(is_block(c) for c in child.iterdescendants()):
                yield from text_blocks(child)
            else:
                yield child.sourceline or line, [child]
        elif isinstance(child.tag, str):
            if not pending:
                line = child.sourceline or line
            pending.append(child)
        line = child.sourceline or line
        if child.tail:
            pending.append(child.tail)
    if pending:
        yield line, pending


def is_block(element: HtmlElement) -> bool:
    """True for an element that starts a paragraph of its own."""
    return isinstance(element.tag, str) and (element.tag in PARAGRAPH_TAGS
                                             or element.tag in CONTAINER_TAGS)


def split_label(styled: Styled, offset: int = 0) -> tuple[str, str | None, int] | None:
    """``(label, note, end)`` when ``styled`` opens at ``offset`` with a speaker label, the
    speech starting at ``end`` (after the colon); else None.

    A label starts with bold text and ends at a colon, in bold or right after
    the bold text. Between them only bold text, spaces and one parenthetical
    (the note) may stand; anything else means the bold was emphasis.
    """
    text = styled.text
    start = offset
    while start < len(text) and text[start].isspace():
        start += 1
    if start == len(text) or not styled.bold[start]:
        return None
    position = start
    while position < len(text):
        char = text[position]
        if char == ":":
            break
        if styled.bold[position] or char.isspace():
            position += 1
        elif char == "(" and text.find(")", position) > 0:
            position = text.find(")", position) + 1
        else:
            return None
    else:
        return None
    label, note = label_parts(text[start:position])
    if not plausible_label(label):
        return None
    return label, note, position + 1


def label_parts(printed: str) -> tuple[str, str | None]:
    """The label without its parenthetical, and the parenthetical's text (the note)."""
    printed = squeeze(printed.replace(BREAK, " ").replace("\u00a0", " "))
    match = _NOTE.match(printed)
    if match and match["name"]:
        return match["name"], squeeze(match["note"]) or None
    return printed, None


def plausible_label(label: str) -> bool:
    """A name or role: some letters, a few words, no question or exclamation."""
    return (any(char.isalpha() for char in label) and len(label.split()) <= MAX_LABEL_WORDS
            and not any(char in label for char in "?!"))


def paragraphs_of(styled: Styled, line: int, labels: bool = True) -> Iterator[RawParagraph]:
    """The paragraphs of one block: split at line breaks, each with its label if any.

    One walk along the block with an offset (a break inside a label belongs to
    the label, so the block cannot be split at its breaks first).
    """
    offset = 0
    while True:
        found = split_label(styled, offset) if labels else None
        label, note, start = found if found else (None, None, offset)
        cut = styled.text.find(BREAK, start)
        text = squeeze(styled.text[start:cut if cut >= 0 else None]).strip()
        if label is None and is_separator(text):
            text = SEPARATOR
        if text or label:
            yield RawParagraph(text, line, label=label, note=note)
        if cut < 0:
            return
        offset = cut + 1


def body_paragraphs(container: HtmlElement, labels: bool = True) -> list[RawParagraph]:
    """Every paragraph of ``container``, in order, furniture removed (the tree is changed)."""
    remove_furniture(container)
    return [paragraph for line, nodes in text_blocks(container)
            for paragraph in paragraphs_of(styled_text(nodes), line, labels)]


def lead_and_transcript(summary: list[RawParagraph], body: list[RawParagraph]
                        ) -> tuple[list[RawParagraph], list[RawParagraph]]:
    """The summary and the body's opening are the lead (see the module's docstring)."""
    intro, transcript = split_lead(body, lambda p: p.label is not None)
    return summary + intro, transcript


def read_kremlin_html(data: bytes, name: str, options: ReadOptions) -> RawDocument:
    """Take a saved kremlin.ru page apart: header strings, lead and body paragraphs.

    ``options`` are applied by :func:`tei.readers.assemble.assemble`; the page
    itself needs none.
    """
    root, notes = parse_html(data, name)
    article, container = find_article(root, name)
    url = page_url(root, article, data, name)  # before the furniture (holding a link) goes
    raw = RawDocument(path=name, title=page_title(root, article), when=page_when(article, name),
                      place_line=page_place(article), url=url,
                      language=page_language(root, url), detect_labels=False,
                      normalizations=notes)
    lead_element = find_first(article, f".//*[{has_class('read__lead')}]",
                              f".//*[{has_class('entry-summary')}]")
    summary = body_paragraphs(lead_element, labels=False) if lead_element is not None else []
    raw.lead, raw.body = lead_and_transcript(summary, body_paragraphs(container))
    return raw
