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
- **The name may be a link** to the site's catalogue of persons, inside the
  bold or after it (``<b>Minister of Culture </b><a class="person_tag">Ivan
  Petrov</a>:``): a person link right after bold text continues the label.
- **Long labels**: up to 16 words are a label as printed; a longer one must
  have the shape of an office and a name (``Chairman of the National Council
  …, President of the Republic of Serbia (2012–2017) Tomislav Nikolic``),
  else it is a bold sentence.
- **A label alone in its paragraph** (the speech starts in the next one) must
  have the shape of a speaker (a name, an office and a name, a role); else
  the bold text ending in a colon is a heading (``Prizes for young culture
  professionals have been awarded to:``).
- **Headings**: a paragraph all in bold that is no label and no ``* * *``
  (``Statements for the press``) is a heading of the lead or the transcript;
  it ends the turn before it, and the paragraphs after it belong to no speaker
  until the next label. Italic lines (``Beginning of the meeting…``) stay
  paragraphs, as the site also prints stage directions and notes in italics.
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
  edition; inventing turns or failing would both be worse. A page with no
  text but its title (an announcement, a photo item: 42681) gives a TEI whose
  body is that title as a heading.
- **Line breaks** (``<br>``) inside a paragraph split it into paragraphs,
  except inside a label; each part may open with a label of its own.
- Whitespace of the HTML source (line wrapping) becomes one space; no-break
  spaces, dashes and quotation marks are kept. Italics and links are reduced
  to their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from tei.errors import ReadError
from tei.readers.assemble import (
    SEPARATOR, RawDocument, RawParagraph, SourceLink, is_separator, split_lead,
)
from tei.model import Normalization
from tei.readers.decode import binary_error
from tei.readers.kremlin.dom import classes, find_first, has_class, squeeze
from tei.readers.kremlin.encoding import decode_page, sniff
from tei.readers.kremlin.item import (page_language, page_place, page_title, page_url,
                                      page_when)
from tei.readers.options import ReadOptions
from tei.readers.rules.labels import label_rule

__all__ = ["read", "sniff"]  # sniff lives with the page's decoding: detection imports no lxml.html

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

CATALOGUE_LINKS: dict[str, Literal["person", "term", "place"]] = {
    "/catalog/persons/": "person", "/catalog/glossary/": "term",
    "/catalog/regions/": "place", "/catalog/countries/": "place",
}
"""Links into the site's catalogue, by the part of the address that says what they name: a
linked name in the text says who or what is meant (a mention, ``<persName ref>``)."""

_CATALOGUE_ENTRY = re.compile(r"^(?P<entry>(?:https?://(?:www\.)?(?:en\.)?kremlin\.ru)?"
                              r"/catalog/[a-z]+/\d+)")

LABEL_LINK_CLASSES = frozenset({"person_tag"})
"""Class names of links to the site's catalogue of persons. Such a link right after bold text
continues the bold: the site leaves a linked name out of the label's bold
(``<b>Minister of Culture </b><a class="person_tag">Ivan Petrov</a>:``)."""

BREAK = "\u2028"
"""Stands for ``<br>`` while a paragraph is taken apart (never left in the text)."""


MAX_LABEL_WORDS = 16
"""Longest label accepted without further evidence: ``chairman of the Russian Independent Trade
Union of Coalminers Ivan Mokhnachuk`` has 11 words. Longer bold text before a colon is a label
only in the shape of a speaker (an office of any length and a name, see
:func:`tei.readers.rules.labels.long_office`), else a bold sentence."""

_NOTE = re.compile(r"^(?P<name>.*?)\s*\((?P<note>[^()]*)\)\s*$", re.DOTALL)

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
    """A paragraph's text and, for each character, whether it was printed in bold; and the
    spans of its catalogue links."""

    text: str
    bold: list[bool]
    links: list[tuple[int, int, Literal["person", "term", "place"], str]] = field(
        default_factory=list)
    """``(start, end, kind, target)`` of each catalogue link (see :data:`CATALOGUE_LINKS`)."""

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
    bold = (bold or element.tag in BOLD_TAGS or is_bold_style(element)
            or continues_bold(styled, element))
    start = len(styled.text)
    styled.append(element.text or "", bold)
    for child in element:
        add_element(styled, child, bold)
        styled.append(child.tail or "", bold)
    link = catalogue_link(element) if element.tag == "a" else None
    if link is not None:
        styled.links.append((start, len(styled.text), *link))


def catalogue_link(element: HtmlElement) -> tuple[Literal["person", "term", "place"], str] | None:
    """``(kind, address)`` of a link to the site's catalogue (a person, a term, a place)."""
    match = _CATALOGUE_ENTRY.match(element.get("href") or "")
    if match is None:
        return None
    entry = match["entry"]
    kind = next((k for part, k in CATALOGUE_LINKS.items() if part in entry), None)
    if kind is None:
        return None
    return kind, entry if entry.startswith("http") else f"http://kremlin.ru{entry}"


def is_bold_style(element: HtmlElement) -> bool:
    """True for ``style="font-weight: bold"`` (or 600 and more), as some editors write."""
    match = re.search(r"font-weight\s*:\s*(\w+)", element.get("style") or "")
    weight = match[1] if match else "normal"
    return weight in ("bold", "bolder") or weight.isdigit() and int(weight) >= 600


def continues_bold(styled: Styled, element: HtmlElement) -> bool:
    """True for a person link (:data:`LABEL_LINK_CLASSES`) after bold text, spaces between."""
    if element.tag != "a" or not classes(element) & LABEL_LINK_CLASSES:
        return False
    end = len(styled.text.rstrip())
    return end > 0 and styled.bold[end - 1]


def all_bold(styled: Styled, start: int, end: int) -> bool:
    """True when some text stands from ``start`` to ``end`` and all of it is in bold.

    Most paragraphs are not: the first character not in bold that is no space tells, and a
    paragraph all in bold is told by the marks alone, without a look at every character."""
    text = styled.text[start:end]
    if not text.strip():
        return False
    marks = styled.bold[start:end]
    if False not in marks:
        return True
    return all(char.isspace() for char, bold in zip(text, marks) if not bold)


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
    (the note) may stand; anything else means the bold was emphasis. A label
    alone in its paragraph (the speech follows in the next) must have the
    shape of a speaker: bold text ending in a colon is also how the site
    prints a heading (``Prizes have been awarded to:``).
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
    cut = text.find(BREAK, position)
    alone = not text[position + 1:cut if cut >= 0 else None].strip()
    if not (label_rule(label) is not None if alone else plausible_label(label)):
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
    """A name or role: some letters, no question or exclamation, a few words (or more in the
    shape of a speaker, see :data:`MAX_LABEL_WORDS`)."""
    return (any(char.isalpha() for char in label) and not any(char in label for char in "?!")
            and (len(label.split()) <= MAX_LABEL_WORDS or label_rule(label) is not None))


def paragraphs_of(styled: Styled, line: int, labels: bool = True) -> Iterator[RawParagraph]:
    """The paragraphs of one block: split at line breaks, each with its label if any.

    One walk along the block with an offset (a break inside a label belongs to
    the label, so the block cannot be split at its breaks first). A part all
    in bold that is neither a label nor a separator is a heading.
    """
    offset = 0
    while True:
        found = split_label(styled, offset) if labels else None
        label, note, start = found if found else (None, None, offset)
        cut = styled.text.find(BREAK, start)
        end = cut if cut >= 0 else len(styled.text)
        text = squeeze(styled.text[start:end]).strip()
        if label is None and is_separator(text):
            text = SEPARATOR
        heading = label is None and text != SEPARATOR and all_bold(styled, start, end)
        if text or label:
            links = [SourceLink(squeeze(styled.text[s:e]).strip(), kind, target)
                     for s, e, kind, target in styled.links if start <= s and e <= end]
            yield RawParagraph(text, line, label=label, note=note, heading=heading,
                               links=[link for link in links if link.text])
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


def read(data: bytes, name: str, options: ReadOptions) -> RawDocument:
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
