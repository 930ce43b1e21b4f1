"""Inline TEI content (inside a paragraph, label or heading) into view pieces.

One small function per TEI element kind, registered in :data:`INLINE` by
element name, as markdown-it-py's renderer registers one rule per token type.
An element without a rule keeps its text as a ``span`` piece: nothing a TEI
file says is ever dropped. Comments and processing instructions are skipped
(their tails, which are text of the parent, are kept).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import filterfalse
from operator import methodcaller

from lxml import etree

from tei.render.view import Piece
from tei.xmlio import local_name



def is_element(node: object) -> bool:
    """True for elements; False for comments, processing instructions and entities."""
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


class LinkRegistry:
    """Internal links met while building, checked against the page's anchors at the end."""

    def __init__(self) -> None:
        self.pending: list[Piece] = []

    def internal(self, piece: Piece) -> Piece:
        """Remember a ``#id`` link so that it can be unlinked if ``id`` is not in the page."""
        self.pending.append(piece)
        return piece

    def resolve(self, anchors: set[str]) -> None:
        """Unlink every internal link whose target is not an anchor of the page."""
        for piece in self.pending:
            if piece.href is not None and piece.href[1:] not in anchors:
                piece.href = None


Handler = Callable[[etree._Element, LinkRegistry], list[Piece]]


def pieces_of(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """The inline content of ``el``: its text, each child's pieces, each child's tail."""
    found: list[Piece] = []
    if text := el.text:  # each text read once: lxml decodes it at every reading
        found.append(Piece("text", text))
    for child in el:
        if is_element(child):
            found.extend(inline(child, links))
        if tail := child.tail:
            found.append(Piece("text", tail))
    return found


def content_of(el: etree._Element, links: LinkRegistry) -> tuple[list[Piece], int]:
    """A paragraph's or line's pieces, tidied, and the words said in them. One of text alone
    (most of a transcript's paragraphs, most lines of a play in verse) skips the general
    inline walk: its text collapsed is what ``tidy(pieces_of(el))`` makes of it."""
    if len(el):
        pieces = tidy(pieces_of(el, links))
        return pieces, count_words(pieces)
    if text := el.text:  # read once: lxml decodes the text at every reading
        text = collapse(text)
        return [Piece("text", text)], words_in(text)
    return [], 0


def inline(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """The pieces of one inline element, by the rule registered for its name."""
    return INLINE.get(local_name(el), span)(el, links)


def _wrap(kind: str, el: etree._Element, links: LinkRegistry,
          type_: str | None = None) -> list[Piece]:
    """A piece of ``kind`` around the element's content (nothing when it has no content)."""
    children = pieces_of(el, links)
    return [Piece(kind, children=children, type=type_)] if children else []


def span(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """Any element without a rule of its own: kept for its text, named for styling."""
    local = local_name(el)
    return _wrap("span", el, links, local if local.isidentifier() else "foreign")


def supplied(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<supplied>``: words the editors supplied, shown in square brackets."""
    return [Piece("supplied", children=pieces_of(el, links), type=el.get("reason"))]


def gap(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<gap>``: a passage left out; its ``<desc>`` (or any text) describes it."""
    return [Piece("gap", text=collapse(text_of(el)), type=el.get("reason"))]


def ellipsis(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<ellipsis>``: the source's own omission mark, as printed in its ``<metamark>``."""
    return [Piece("omission", children=pieces_of(el, links))]


def event(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<stage>``, ``<kinesic>``, ``<vocal>``, ``<incident>``: what happened, in parentheses."""
    return [Piece("event", children=pieces_of(el, links), type=el.get("type"))]


def note(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<note>`` inside running text: kept in place, marked as a note."""
    return _wrap("note", el, links, el.get("type"))


def emph(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<hi>``, ``<emph>``, ``<foreign>``, ``<title>``, ``<term>``: emphasised."""
    return _wrap("emph", el, links, el.get("rend"))


def line_break(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<lb/>``: a line break (and whatever an ill-advised ``<lb>`` holds)."""
    return [Piece("break"), *pieces_of(el, links)]


def silent(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<pb/>``, ``<cb/>``, ``<milestone/>``, ``<anchor/>``: markers without text of their own."""
    return pieces_of(el, links)


def target(value: str | None) -> str | None:
    """A usable link target: ``#id`` of this document or an http(s) address; else None.

    Only the first of several space-separated pointers is used. Anything else
    (``javascript:``, relative paths, other schemes) is refused.
    """
    if not value:
        return None
    first = value.split()[0] if value.split() else ""
    if first.startswith("#") and len(first) > 1:
        return first
    if re.match(r"https?://[^\s\"'<>]+$", first, re.IGNORECASE):
        return first
    return None


def _link(href: str | None, children: list[Piece], links: LinkRegistry) -> list[Piece]:
    """A link piece (an internal one is checked against the page later); plain when no target."""
    if not children:
        return []
    if href is None:
        return [Piece("span", children=children, type="ref")]
    _unlink(children)
    piece = Piece("link", children=children, href=href)
    return [links.internal(piece) if href.startswith("#") else piece]


def _unlink(pieces: list[Piece]) -> None:
    """Links inside a link become plain spans (HTML cannot nest links)."""
    for piece in pieces:
        if piece.kind == "link":
            piece.kind, piece.type = "span", "ref"
        _unlink(piece.children)


def name_ref(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<persName ref>``, ``<placeName ref>``, ``<name ref>``, ``<rs ref>``: a link to the entry."""
    return _link(target(el.get("ref")), pieces_of(el, links), links)


def term(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<term ref>``: a link to the glossary entry; a term without one is emphasised."""
    return name_ref(el, links) if el.get("ref") else emph(el, links)


def ref(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<ref target>``: a link."""
    return _link(target(el.get("target")), pieces_of(el, links), links)


def ptr(el: etree._Element, links: LinkRegistry) -> list[Piece]:
    """``<ptr target>``: a link showing its own address."""
    href = target(el.get("target"))
    children = pieces_of(el, links) or ([Piece("text", el.get("target", ""))] if href else [])
    return _link(href, children, links)


INLINE: dict[str, Handler] = {
    "supplied": supplied,
    "gap": gap,
    "ellipsis": ellipsis,
    "stage": event,
    "kinesic": event,
    "vocal": event,
    "incident": event,
    "note": note,
    "hi": emph,
    "emph": emph,
    "foreign": emph,
    "title": emph,
    "term": term,
    "mentioned": emph,
    "lb": line_break,
    "pb": silent,
    "cb": silent,
    "milestone": silent,
    "anchor": silent,
    "persName": name_ref,
    "placeName": name_ref,
    "orgName": name_ref,
    "name": name_ref,
    "rs": name_ref,
    "ref": ref,
    "ptr": ptr,
}
"""The inline rules, by TEI element name. Add or replace an entry to change one construct."""


_SPACE = re.compile(r"[ \t\r\n]+")
_WORD = re.compile(r"\w+", re.UNICODE)


def collapse(text: str) -> str:
    """XML white space (not no-break spaces) collapsed to single spaces, stripped at both ends."""
    if "\n" in text or "\t" in text or "\r" in text or "  " in text:  # else nothing to collapse
        text = _SPACE.sub(" ", text)
    return text.strip(" ")


def blank(text: str | None) -> bool:
    """True for no text or XML white space only (a no-break space is text)."""
    return not text or not text.strip(" \t\r\n")


def has_own_text(el: etree._Element) -> bool:
    """True when an element holds text directly (mixed content): it reads as a paragraph."""
    return not blank(el.text) or any(not blank(child.tail) for child in el)


def text_of(el: etree._Element) -> str:
    """All text inside ``el`` in reading order, comments and processing instructions left out."""
    parts: list[str] = []
    if text := el.text:
        parts.append(text)
    for child in el:
        if is_element(child):
            parts.append(text_of(child))
        if tail := child.tail:
            parts.append(tail)
    return "".join(parts)


def _leaves(pieces: list[Piece]) -> Iterator[Piece]:
    """Text, gap and break pieces in reading order (containers are transparent)."""
    for piece in pieces:
        if piece.kind in ("text", "gap", "break"):
            yield piece
        else:
            yield from _leaves(piece.children)


def tidy(pieces: list[Piece]) -> list[Piece]:
    """Collapse XML white space across piece boundaries, as a browser would, in place.

    Runs of spaces, tabs and newlines become one space; spaces at the start,
    at the end and around line breaks go. No-break spaces are kept.
    """
    previous: Piece | None = None
    at_line_start = True
    for leaf in _leaves(pieces):
        if leaf.kind == "break":
            if previous is not None and previous.kind == "text":
                previous.text = previous.text.rstrip(" ")
            at_line_start, previous = True, leaf
            continue
        if leaf.kind == "gap":
            at_line_start, previous = False, leaf
            continue
        text = leaf.text
        if "\n" in text or "\t" in text or "\r" in text or "  " in text:
            text = _SPACE.sub(" ", text)
        if text.startswith(" ") and (at_line_start or (
                previous is not None and previous.kind == "text" and previous.text.endswith(" "))):
            text = text[1:]
        leaf.text = text
        if text:
            at_line_start, previous = False, leaf
    if previous is not None and previous.kind == "text":
        previous.text = previous.text.rstrip(" ")
    return pieces


def gap_mark(desc: str) -> str:
    """How an omission is printed: ``<…>``, with its description if it has one."""
    return f"<… {desc}>" if desc else "<…>"


def has_parentheses(text: str) -> bool:
    """True when a stage direction already opens with a parenthesis (or is empty)."""
    return not text or text.lstrip().startswith("(")


SPOKEN_WRAPPERS = frozenset({"link", "emph", "span"})
"""Pieces whose children were said (besides ``text`` itself); supplied text, events and
notes were not."""


def count_words(pieces: list[Piece]) -> int:
    """Words spoken: text, links and emphasis counted; supplied text, events and notes not."""
    total = 0
    for piece in pieces:
        if piece.kind == "text":
            total += words_in(piece.text)
        elif piece.kind in SPOKEN_WRAPPERS:
            total += count_words(piece.children)
    return total


def words_in(text: str) -> int:
    """Words in a run of text (as :func:`count_words` counts them in a text piece): its runs
    of word characters (``\\w+``).

    Counted without making a string of each word, for text whose characters are ASCII,
    Cyrillic letters (U+0400-U+047F) or the marks of :data:`NON_WORD_MARKS`: those marks
    become spaces, and in its UTF-8 each character becomes one byte of its class
    (:data:`_BYTE_CLASSES`), so the words are the runs of ``a`` the bytes count. Other text
    is counted word by word (:func:`_words_by_tokens`). Three times faster than that on a
    transcript's paragraphs."""
    for mark in NON_WORD_MARKS:
        if mark in text:
            text = text.replace(mark, " ")
    classes = text.encode("utf-8", "surrogatepass").translate(_BYTE_CLASSES, _CONTINUATION)
    if b"?" in classes:  # a character of another script or mark: word by word
        return _words_by_tokens(text)
    return classes.count(b" a") + classes.startswith(b"a")


NON_WORD_MARKS = "\u00a0\u2019\u2013\u201c\u201d\u2026\u00ab\u00bb\u2014\u2018\u201e"
"""The characters beyond ASCII, none a word character, that transcripts use most (a no-break
space, quotation marks, dashes, an ellipsis): counted as the spaces they are for words."""


def _byte_class(byte: int) -> int:
    """What a byte of UTF-8 counts as for words: ``a`` a word character (an ASCII letter,
    digit or ``_``; the lead byte of U+0400-U+047F, every one a letter), a space any other
    ASCII character, ``?`` the lead byte of any other character."""
    if byte < 0x80:
        return ord("a") if chr(byte).isalnum() or byte == ord("_") else ord(" ")
    return ord("a") if byte in (0xD0, 0xD1) else ord("?")


_BYTE_CLASSES = bytes(_byte_class(byte) for byte in range(256))
_CONTINUATION = bytes(range(0x80, 0xC0))
"""The continuation bytes of UTF-8, left out: one byte of its class per character."""


def _words_by_tokens(text: str) -> int:
    """Words in any text, as ``\\w+`` counts them, by the string methods where they can tell,
    each over the whole run at once: a token between white space that is all letters and
    digits is one word, and so is one that is once :data:`PUNCTUATION` is stripped from its
    ends (a non-word character taken away splits no word and joins none), one of punctuation
    only none; the few others (``Санкт-Петербург``, ``т.е.``) by the expression."""
    tokens = text.split()
    rest = list(filterfalse(str.isalnum, tokens))
    if not rest:
        return len(tokens)
    stripped = list(filter(None, map(_STRIP, rest)))
    odd = list(filterfalse(str.isalnum, stripped))
    words = len(tokens) - len(rest) + len(stripped) - len(odd)
    return words + sum(map(len, map(_WORD.findall, odd))) if odd else words


PUNCTUATION = ",.:;!?«»()[]—–-\"…'“”„/*%"
"""Marks that stand at the ends of words in running text; none of them a word character."""
_STRIP = methodcaller("strip", PUNCTUATION)


def spoken_text(pieces: list[Piece]) -> str:
    """The text said in a paragraph: the pieces :func:`count_words` counts, joined (one of
    text alone, most of a transcript's paragraphs, is its text)."""
    if len(pieces) == 1 and pieces[0].kind == "text":
        return pieces[0].text
    return "".join([p.text if p.kind == "text" else spoken_text(p.children)
                    for p in pieces if p.kind == "text" or p.kind in SPOKEN_WRAPPERS])
