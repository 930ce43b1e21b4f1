"""Any TEI tree into a :class:`~tei.render.view.DocumentView`: the one place renderers read TEI.

Takes our own TEI, hand-corrected copies of it and other corpora's TEI:
DraCor plays (``<sp who="#a #b">``, ``<l>``, ``<stage>``, ``<castList>``),
ParlaMint sittings (``<u who>`` of ``<seg>``, ``<note type="speaker">``,
``<kinesic>``, ``<vocal>``, ``<incident>``, ``<gap>`` with ``<desc>``, persons
kept in another file) and elements it has never heard of, which are kept for
their text. Every word of the TEI's ``<text>`` ends up in the view, in order.

The header is read first (:mod:`tei.render.header`; persons and places, so
that turns can point at them), then the text, division by division; anchors are collected on the way
and internal links that point nowhere are unlinked at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeAlias

from lxml import etree

from tei.errors import RenderError
from tei.ids import make_unique
from tei.render import header
from tei.render.inline import (LinkRegistry, blank, collapse, content_of, count_words, has_own_text,
                               is_element, inline, pieces_of, text_of, tidy)
from tei.render.persons import PersonLists, affiliations, display_name
from tei.render.view import (DocumentView, Event, Gap, Item, Note, Paragraph, Person, Piece, Place,
                             Section, Separator, Speaker, Turn, TurnRef)
from tei.xmlio import NSMAP, TEI_NS, in_text, local_name, tei, xml

SECTIONS = frozenset({"div", "div1", "div2", "div3", "div4", "div5", "div6", "div7",
                      "front", "back", "castList"})
"""Elements that open a section of the page (with a heading if they start with ``<head>``)."""
TRANSPARENT = frozenset({"text", "body", "group"})
"""Elements whose children are read as if they stood in their place."""
TURNS = frozenset({"sp", "u"})
EVENTS = frozenset({"stage", "kinesic", "vocal", "incident", "move", "writing"})
PARAGRAPHS = frozenset({"p", "ab", "l", "seg", "castItem", "head", "speaker", "titlePart",
                        "docAuthor", "docDate", "docImprint", "byline", "dateline", "salute",
                        "signed", "trailer", "item", "label", "roleDesc", "quote", "q", "bibl"})
"""Elements read as one block of running text, whatever they contain."""
UNNUMBERED = frozenset({"head", "speaker"})
"""Paragraph-like blocks that get no number (a heading met mid-section, a stray label)."""
PAGE_PARTS = ("main", "cite", "citation", "contents", "persons", "places", "status")
"""Ids of the page's own parts, reserved before the text's."""

Node: TypeAlias = etree._Element | str
_WHITE_SPACE = re.compile(r"\s")
_XML_ID = xml("id")
_XML_IDS = etree.XPath("descendant-or-self::*/@xml:id", smart_strings=False)
"""Every ``xml:id`` of an element and those below it (found by libxml2, not per element)."""


def build_view(tree: etree._ElementTree | etree._Element, name: str | None = None,
               persons: PersonLists | None = None) -> DocumentView:
    """The view of a TEI document (``<TEI>`` or ``<teiCorpus>``) for the renderers.

    ``name`` (usually the input's file stem) identifies a document without an
    ``xml:id``; ``persons``: the persons of other files, for speakers the document points
    at but does not describe (ParlaMint). Raises :class:`RenderError` when the root is
    not TEI.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if root.tag not in (tei("TEI"), tei("teiCorpus")):
        raise RenderError(
            f"the root element is <{etree.QName(root).localname}>"
            f"{'' if etree.QName(root).namespace == TEI_NS else ' outside the TEI namespace'}, "
            "not <TEI> or <teiCorpus> in the TEI namespace",
            path=name, line=root.sourceline if isinstance(root.sourceline, int) else None)
    return _Walker(root, name, persons or PersonLists()).view()


class _Walker:
    """The state of one build: anchors taken, links to check, counters, persons by TEI id."""

    def __init__(self, root: etree._Element, name: str | None, lists: PersonLists) -> None:
        self.root = root
        self.name = name
        self.lists = lists
        self.headers = header.header_elements(root)
        self.lang = header.document_lang(root, self.headers)
        self.date = header.date(self.headers, self.lang)
        self.taken: set[str] = set(_XML_IDS(root))  # plain strings (smart_strings=False)
        self.taken.discard("")
        self.anchors: set[str] = set()
        self.links = LinkRegistry()
        self.sections: list[Section] = []
        self.paragraphs = 0
        self.lines = 0
        self.turns = 0
        self.persons: dict[str, Person] = {}
        self.others: dict[str, Person] = {}
        """Speakers the document points at but does not describe, by pointer."""
        self.elsewhere: set[str] = set()
        """Anchors of the speakers described in other files (``persons``)."""

    # -- ids ---------------------------------------------------------------

    def reserve(self, base: str) -> str:
        """A fresh anchor ``base`` (``base-2``, ``base-3``... if taken by the TEI or the page)."""
        candidate = make_unique(base, self.taken)
        self.anchors.add(candidate)
        return candidate

    def anchor(self, el: etree._Element) -> str | None:
        """The element's ``xml:id`` as an anchor (None when it has none).

        An ``xml:id`` used twice, or one no browser can target (white space),
        gets a fresh anchor instead, so the page's ids stay unique.
        """
        value: str | None = el.get(_XML_ID)
        if not value:
            return None
        if _WHITE_SPACE.search(value) or value in self.anchors:
            return self.reserve(_safe_id(value))
        self.anchors.add(value)
        return value

    def anchor_or(self, el: etree._Element, fallback: str) -> str:
        """The element's anchor, or a fresh one made from ``fallback`` (``p7``, ``sp3``)."""
        return self.anchor(el) or self.reserve(fallback)

    # -- the whole document ------------------------------------------------

    def view(self) -> DocumentView:
        """Read header and text into a view."""
        page_ids = {part: self.reserve(part) for part in PAGE_PARTS}
        places = self.read_places()
        self.read_persons()
        for text in _outer_texts(self.root):
            self.walk(text, 0)
        self.links.resolve(self.anchors)
        place, place_ref = header.setting_place(self.headers)
        if place_ref is not None:
            place = header.place_label(place_ref, places) or place
        source, publisher = header.source(self.headers)
        licence, licence_text = header.licence(self.headers)
        title, subtitles = header.titles(self.headers, self.lang)
        doc_id = header.document_id(self.root, self.headers, self.name)
        return DocumentView(
            id=doc_id, lang=self.lang, title=title or doc_id, subtitles=subtitles,
            authors=header.authors(self.headers, self.lang),
            date=self.date, place=place,
            place_id=place_ref if place_ref in self.anchors else None, source=source,
            source_publisher=publisher, licence=licence, licence_text=licence_text,
            persons=list(self.persons.values()) + list(self.others.values()),
            places=places, sections=[s for s in self.sections if s.items or s.heading],
            ids=page_ids)

    # -- persons and places --------------------------------------------------

    def read_persons(self) -> None:
        """Every ``<person>`` and ``<personGrp>`` outside the text, in document order."""
        for el in self.root.iter(tei("person"), tei("personGrp")):
            if in_text(el):
                continue
            tei_id = el.get(xml("id"))
            anchor = self.anchor_or(el, "person")
            person = Person(id=anchor, name=header.person_name(el, self.lang) or tei_id or anchor,
                            occupation=header.joined(el.findall("tei:occupation", NSMAP)) or None,
                            role=el.get("role"), group=local_name(el) == "personGrp",
                            idnos=header.idnos(el))
            self.persons[tei_id or anchor] = person

    def read_places(self) -> list[Place]:
        """Every ``<place>`` outside the text, in document order."""
        places: list[Place] = []
        for el in self.root.iter(tei("place")):
            if in_text(el):
                continue
            anchor = self.anchor_or(el, "place")
            name = header.preferred_text(el.findall("tei:placeName", NSMAP), self.lang)
            parts = [collapse(text_of(part)) for part in el.iterfind("tei:location/*", NSMAP)
                     if is_element(part) and local_name(part) != "geo"]
            name = name or (parts[0] if parts else anchor)
            places.append(Place(id=anchor, name=name,
                                parts=[p for p in dict.fromkeys(parts) if p and p != name],
                                idnos=header.idnos(el)))
        return places

    def speaker(self, pointer: str) -> Person:
        """The person a ``who`` pointer names (``#id``, or ``file.xml#id`` into a file of
        persons); one described nowhere is listed by its pointer."""
        file, _, key = pointer.rpartition("#") if "#" in pointer else ("", "", pointer)
        person = (None if file else self.persons.get(key)) or self.others.get(pointer)
        if person is None:
            person = self.described_elsewhere(key) or Person(
                id=self.reserve(_safe_id(key)), name=key, listed=False)
            self.others[pointer] = person
        return person

    def described_elsewhere(self, key: str) -> Person | None:
        """A speaker from the persons of other files, with their affiliations on the day."""
        el = self.lists.persons.get(key)
        if el is None:
            return None
        when = self.date.iso if self.date else None
        occupation = (affiliations(el, self.lists, when, self.lang)
                      or header.joined(el.findall("tei:occupation", NSMAP)) or None)
        person = Person(id=self.reserve(_safe_id(key)), name=display_name(el, self.lang) or key,
                        occupation=occupation, role=el.get("role"),
                        group=local_name(el) == "personGrp", idnos=header.idnos(el))
        self.elsewhere.add(person.id)
        return person

    # -- the text ------------------------------------------------------------

    def walk(self, el: etree._Element, level: int) -> None:
        """Read a section-level element: its heading, then its children into sections."""
        local = local_name(el)
        children = _children(el)
        heading_el = _first_head(children) if local in SECTIONS else None
        kind = el.get("type") or _section_type(el)
        section = Section(id=self.anchor_or(el, _safe_id(kind or "section"))
                          if local in SECTIONS else self.anchor(el), type=kind,
                          level=level, heading=tidy(pieces_of(heading_el, self.links))
                          if heading_el is not None else None)
        self.sections.append(section)
        nodes = children[1:] if heading_el is not None else children
        self.fill(nodes, section.items, section)

    def fill(self, nodes: Iterable[Node], items: list[Item],
             parent: Section | None) -> list[Item]:
        """Add the items of ``nodes`` to ``items``; return the list to go on adding to.

        In a section (``parent``), a nested division starts a new section and
        what follows it goes to a continuation of ``parent``; inside a turn
        (``parent`` None) divisions are read as plain containers.
        """
        nodes = nodes if isinstance(nodes, list) else list(nodes)  # read, never changed
        label: etree._Element | None = None
        for index, node in enumerate(nodes):
            if isinstance(node, str):
                items.append(self.paragraph_of_text(node))
                continue
            local = local_name(node)
            if local == "l":  # first, and straight to it: a play in verse is thousands of lines
                items.append(self.line(node))
            elif local == "p":  # next, as straight: a transcript is hundreds of paragraphs
                items.append(self.paragraph(node, local))
            elif parent is not None and (local in SECTIONS or local in TRANSPARENT):
                self.walk(node, parent.level + 1 if local in SECTIONS else parent.level)
                parent = Section(id=None, type=parent.type, level=parent.level, heading=None,
                                 continued=True)
                self.sections.append(parent)
                items = parent.items
            elif local == "note" and node.get("type") == "speaker" and _labels_next(nodes, index):
                label = node
            else:
                items = self.blocks(node, items, parent, label)
                label = None
        return items

    def blocks(self, el: etree._Element, items: list[Item], parent: Section | None,
               label: etree._Element | None = None) -> list[Item]:
        """Add the items one element stands for; return the list to go on adding to."""
        local = local_name(el)
        if local in TURNS:
            items.append(self.turn(el, label))
        elif local in EVENTS:
            items.append(Event(id=self.anchor(el), kind=local, type=el.get("type"),
                               pieces=tidy(pieces_of(el, self.links))))
        elif local == "gap":
            items.append(Gap(id=self.anchor(el), reason=el.get("reason"),
                             desc=collapse(text_of(el))))
        elif local == "ellipsis":
            items.append(Paragraph(id=self.anchor(el), n=None, kind=local,
                                   pieces=tidy(inline(el, self.links))))
        elif local == "note":
            items.append(Note(id=self.anchor(el), type=el.get("type"),
                              pieces=tidy(pieces_of(el, self.links))))
        elif local == "milestone" and (el.get("unit") == "section" or el.get("rend")):
            items.append(Separator(mark=el.get("rend") or "* * *"))
            items.extend(self.paragraph_of_text(t) for t in [text_of(el)] if t.strip())
        elif local in PARAGRAPHS or has_own_text(el):
            items.append(self.paragraph(el, local))
        else:
            items = self.fill(_children(el), items, parent)
        return items

    def paragraph(self, el: etree._Element, local: str) -> Paragraph:
        """A paragraph-like element (``local``: its name), numbered and anchored unless it is a
        heading or label."""
        if local == "l":
            return self.line(el)
        pieces, words = content_of(el, self.links)
        if local in UNNUMBERED:
            return Paragraph(id=self.anchor(el), n=None, pieces=pieces, kind=local)
        self.paragraphs += 1
        return Paragraph(self.anchor_or(el, f"p{self.paragraphs}"),
                         el.get("n") or str(self.paragraphs), pieces, local, words)

    def line(self, el: etree._Element) -> Paragraph:
        """A verse line, numbered as a line; the second and later parts of a line split
        between speakers (``part="M"``, ``"F"``) keep the number of its first part."""
        if el.get("part") not in ("M", "F") or not self.lines:
            self.lines += 1
        number = el.get("n") or str(self.lines)
        pieces, words = content_of(el, self.links)
        anchor = self.anchor(el) or self.reserve(
            f"l{number if number.isdigit() else _safe_id(number)}")
        return Paragraph(id=anchor, n=number, pieces=pieces, kind="l", words=words)

    def paragraph_of_text(self, text: str) -> Paragraph:
        """Text standing loose in a container (between elements): a paragraph of its own."""
        self.paragraphs += 1
        pieces = tidy([Piece("text", text)])
        return Paragraph(id=self.reserve(f"p{self.paragraphs}"), n=str(self.paragraphs),
                         pieces=pieces, kind="text", words=count_words(pieces))

    def turn(self, el: etree._Element, label_note: etree._Element | None) -> Turn:
        """A ``<sp>`` or ``<u>``: label, speakers, the note on the label, the blocks."""
        self.turns += 1
        persons = [self.speaker(p) for p in dict.fromkeys((el.get("who") or "").split())]
        speakers = [Speaker(id=person.id, name=person.name) for person in persons]
        nodes = _children(el)
        label_parts: list[str] = []
        notes: list[etree._Element] = []
        for node in nodes:  # the label's parts, at the start of the turn
            if isinstance(node, str):
                break
            local = local_name(node)
            if local == "speaker":
                label_parts.append(collapse(text_of(node)))
            elif local == "note" and node.get("type") == "speaker":
                notes.append(node)
            else:
                break
        nodes = nodes[len(label_parts) + len(notes):]
        if label_note is not None:
            label_parts.insert(0, collapse(text_of(label_note)))
        label = " ".join([p for p in label_parts if p]) or ", ".join([s.name for s in speakers])
        note = tidy([p for n in notes for p in pieces_of(n, self.links)]) if notes else None
        if not notes and not any(label_parts) and len(persons) == 1 and persons[0].occupation \
                and persons[0].id in self.elsewhere:  # a made-up label: say who they were
            note = [Piece("text", persons[0].occupation)]
        turn = Turn(self.anchor_or(el, f"sp{self.turns}"),
                    el.get("n") or str(self.turns), label, speakers, note, [])
        self.fill(nodes, turn.blocks, None)
        words = turn.words
        for person in persons:
            person.turns.append(TurnRef(id=turn.id, n=turn.n))
            person.words += words
        return turn


# -- helpers on elements ----------------------------------------------------------------


def _children(el: etree._Element) -> list[Node]:
    """Child elements and loose text (non-blank text or tails) in order; comments left out."""
    nodes: list[Node] = []
    if not blank(text := el.text):
        nodes.append(text)
    for child in el:  # a speech in verse has hundreds: each tail is read once
        if isinstance(child.tag, str):  # an element (a comment's or PI's tag is not a string)
            nodes.append(child)
        if not blank(tail := child.tail):
            nodes.append(tail)
    return nodes


def _first_head(nodes: list[Node]) -> etree._Element | None:
    """The ``<head>`` a division starts with (after nothing but comments and white space)."""
    first = nodes[0] if nodes else None
    return first if isinstance(first, etree._Element) and local_name(first) == "head" else None


def _section_type(el: etree._Element) -> str | None:
    """The kind of section for an element without ``@type``: ``front``, ``back``, ``castList``."""
    local = local_name(el)
    return local if local in ("front", "back", "castList") else None


def _labels_next(nodes: list[Node], index: int) -> bool:
    """True when a ``<note type="speaker">`` (ParlaMint) labels the turn right after it."""
    following = nodes[index + 1] if index + 1 < len(nodes) else None
    return (isinstance(following, etree._Element) and local_name(following) in TURNS
            and following.find("tei:speaker", NSMAP) is None)


def _outer_texts(root: etree._Element) -> list[etree._Element]:
    """The ``<text>`` elements not inside another one (a teiCorpus holds several)."""
    return [t for t in root.iter(tei("text")) if not in_text(t)]


def _safe_id(value: str) -> str:
    """An anchor made from any string: no white space, never empty."""
    cleaned = re.sub(r"[\s#]+", "-", value).strip("-")
    return cleaned or "id"


