"""The profile's integrity rules: what the XSD 1.0 schema cannot say.

An XSD checks each element against its declaration; it cannot check that an
identifier is used once, that ``who="#putin-vladimir"`` leads to a person of
the same document, or that paragraph numbers increase. These rules do, on
the parsed tree, after the schema. Each is a small function over a
:class:`DocumentIndex` (one pass over the tree, shared by all rules) that
yields :class:`Violation` s; :data:`RULES` lists them in order, by the names
that messages and ``schema/README.md`` use.

The rules read only what the schema guarantees loosely (a value that fails
its datatype is left to the schema's message), so one mistake gives one
finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

from tei.xmlio import NSMAP, local_name, tei, xml

_XML_ID = xml("id")
_BODY = f"{tei('text')}/{tei('body')}"
_P = tei("p")
_SP = tei("sp")

POINTER_ATTRIBUTES = ("who", "ref", "corresp", "resp", "source", "target", "facs")
"""Attributes whose values are pointers (URIs); ``#id`` points into the same document."""
_POINTER_SET = frozenset(POINTER_ATTRIBUTES)

PEOPLE = frozenset({"person", "personGrp"})
PLACES = frozenset({"place"})
ORGS = frozenset({"org"})
AGENTS = PEOPLE | ORGS | {"respStmt"}

TARGET_KINDS: dict[tuple[str, str], frozenset[str]] = {
    ("sp", "who"): PEOPLE,
    ("change", "who"): AGENTS,
    ("persName", "ref"): PEOPLE,
    ("placeName", "ref"): PLACES,
    ("settlement", "ref"): PLACES,
    ("district", "ref"): PLACES,
    ("region", "ref"): PLACES,
    ("country", "ref"): PLACES,
    ("orgName", "ref"): ORGS,
    ("author", "ref"): PEOPLE | ORGS,
    ("name", "ref"): PEOPLE | PLACES | ORGS,
}
"""What a local pointer must lead to, by (element, attribute); ``@resp`` leads to an agent."""

LOCAL_ONLY = frozenset({"who"})
"""Attributes that must point into the document itself (a speaker is listed in its header)."""

_CITE_NUMBER = re.compile(r"[1-9][0-9]*(?:\.[1-9][0-9]*)*")


@dataclass(slots=True)
class Violation:
    """One broken rule, at an element (and one of its attributes)."""

    rule: str
    message: str
    element: etree._Element
    attribute: str | None = None


@dataclass(slots=True)
class Pointer:
    """One token of a pointer attribute: ``#putin-vladimir`` of ``<sp who="…">``."""

    element: etree._Element
    attribute: str
    value: str


class Numbered(NamedTuple):
    """A paragraph or turn of the body, with its citation number (None: absent or malformed)."""

    element: etree._Element
    number: tuple[int, ...] | None


@dataclass(slots=True)
class DocumentIndex:
    """What the rules need from a document, gathered in one pass over the tree."""

    ids: dict[str, etree._Element] = field(default_factory=dict)
    duplicates: list[tuple[str, etree._Element]] = field(default_factory=list)
    pointers: list[Pointer] = field(default_factory=list)
    id_prefix: str = ""
    """What every identifier below the root begins with: ``kremlin-64534.`` in a corpus
    member (``corpus/kremlin-64534.xml``), nothing in a document."""
    body: etree._Element | None = None
    """The ``text/body`` whose paragraphs and turns the numbering rules read."""
    numbered: dict[str, list[Numbered]] = field(default_factory=dict)
    """The body's paragraphs and turns by tag, with their numbers, found when first asked."""
    counted: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    """By tag, what :meth:`counting` told."""

    @classmethod
    def of(cls, root: etree._Element, id_prefix: str = "") -> DocumentIndex:
        """Index ``root``: identifiers, pointers, and the body's paragraphs and turns.

        Attributes are listed by name and only pointers' values read: lxml finds each
        value by a search through the element's attributes, so reading them all
        (``attrib.items()``) takes time quadratic in their number.
        """
        index = cls(id_prefix=id_prefix)
        for element in root.iter(etree.Element):
            attributes = element.attrib
            if not attributes:
                continue
            identifier = attributes.get(_XML_ID)
            if identifier is not None:
                if identifier in index.ids:
                    index.duplicates.append((identifier, element))
                else:
                    index.ids[identifier] = element
            for attribute in attributes.keys():
                if attribute in _POINTER_SET:
                    index.pointers.extend(Pointer(element, attribute, token)
                                          for token in attributes[attribute].split())
        index.body = root.find(_BODY)
        return index

    @property
    def paragraphs(self) -> list[Numbered]:
        """The body's paragraphs, with their citation numbers."""
        return self.units(_P)

    @property
    def turns(self) -> list[Numbered]:
        """The body's turns, with their citation numbers."""
        return self.units(_SP)

    def units(self, tag: str) -> list[Numbered]:
        """The body's elements ``tag`` with their citation numbers, found once."""
        found = self.numbered.get(tag)
        if found is None:
            found = self.numbered[tag] = [] if self.body is None else [
                Numbered(element, _citation_number(element)) for element in self.body.iter(tag)]
        return found

    def counting(self, tag: str) -> tuple[bool, bool]:
        """Whether the body's elements ``tag`` (paragraphs or turns) are numbered ``1``, ``2``,
        ``3``… in document order, every one; and whether, so numbered, each has the
        ``xml:id`` of its number (:func:`citation_ids`). What every document this tool
        encodes is, told by libxml2's lists of the attributes and a comparison of lists,
        without a look at each element: then no numbering rule can be broken."""
        if (told := self.counted.get(tag)) is not None:
            return told
        counted = cited = True
        if self.body is not None:
            numbers, identifiers, count = _NUMBERING[tag]
            values: list[str] = numbers(self.body)
            counted = len(values) == int(count(self.body)) and values == list(
                map(str, range(1, len(values) + 1)))
            prefix = f"{self.id_prefix}{_CITED_AS[tag]}"
            cited = counted and identifiers(self.body) == [prefix + value for value in values]
        self.counted[tag] = told = (counted, cited)
        return told


_CITED_AS = {_P: "p", _SP: "sp"}
"""How the ``xml:id`` of a paragraph and of a turn starts (before its number)."""
_NUMBERING = {tag: (etree.XPath(f"descendant::tei:{name}/@n", namespaces=NSMAP,
                                smart_strings=False),
                    etree.XPath(f"descendant::tei:{name}/@xml:id", namespaces=NSMAP,
                                smart_strings=False),
                    etree.XPath(f"count(descendant::tei:{name})", namespaces=NSMAP))
              for tag, name in ((_P, "p"), (_SP, "sp"))}
"""By tag: the numbers (``@n``) and identifiers of the body's elements, and how many they are."""


def line_of(element: etree._Element) -> int | None:
    """The source line where ``element`` starts; None for trees built in memory."""
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else None


def _line_note(element: etree._Element) -> str:
    """`` (line 12)`` when the element's line is known."""
    line = line_of(element)
    return f" (line {line})" if line else ""


def _article(kinds: frozenset[str]) -> str:
    """``<person> or <personGrp>``: the kinds a pointer may lead to, for a message."""
    names = sorted(kinds)
    listed = ", ".join(f"<{name}>" for name in names[:-1])
    return f"{listed} or <{names[-1]}>" if listed else f"<{names[-1]}>"


def unique_ids(index: DocumentIndex) -> Iterator[Violation]:
    """Every xml:id is used once, so that every pointer and citation has one target."""
    for identifier, element in index.duplicates:
        first = index.ids[identifier]
        yield Violation(
            "unique-ids",
            f'xml:id="{identifier}" is already used by <{local_name(first)}>{_line_note(first)}: '
            "identifiers must be unique in a document",
            element, "xml:id")


def pointers_resolve(index: DocumentIndex) -> Iterator[Violation]:
    """Every pointer into the document (``#id``) leads to an element that has that xml:id."""
    for pointer in index.pointers:
        if pointer.value.startswith("#"):
            target = pointer.value[1:]
            if target not in index.ids:
                yield Violation("pointers-resolve",
                                f"{_where(pointer)} points to nothing: no element has "
                                f"xml:id=\"{target}\""
                                + _suggestion(target, _candidates(index, pointer)),
                                pointer.element, pointer.attribute)
        elif pointer.value in index.ids:
            yield Violation("pointers-resolve",
                            f"{_where(pointer)} lacks its '#': write \"#{pointer.value}\" to "
                            f"point to the <{local_name(index.ids[pointer.value])}> with that "
                            "xml:id", pointer.element, pointer.attribute)
        elif pointer.attribute in LOCAL_ONLY:
            yield Violation("pointers-resolve",
                            f"{_where(pointer)} must point into this document: '#' and the "
                            "xml:id of a <person> or <personGrp> listed in the header",
                            pointer.element, pointer.attribute)


def _where(pointer: Pointer) -> str:
    """``@who="#x" on <sp>``: a pointer, as a message names it (made for a violation only)."""
    return f'@{pointer.attribute}="{pointer.value}" on <{local_name(pointer.element)}>'


def _candidates(index: DocumentIndex, pointer: Pointer) -> list[str]:
    """The identifiers a pointer could have meant: those of the right kind, else all."""
    kinds = _expected_kinds(pointer)
    if kinds is None:
        return list(index.ids)
    return [key for key, element in index.ids.items() if local_name(element) in kinds]


def _suggestion(target: str, candidates: list[str]) -> str:
    """`` (did you mean "#putin-vladimir"?)`` for a near miss, else nothing."""
    import difflib  # here: only a broken pointer needs it
    close = difflib.get_close_matches(target, candidates, n=1, cutoff=0.75)
    return f' (did you mean "#{close[0]}"?)' if close else ""


def _expected_kinds(pointer: Pointer) -> frozenset[str] | None:
    """The kinds of element a pointer may lead to; None when any element will do."""
    if pointer.attribute == "resp":
        return AGENTS
    return TARGET_KINDS.get((local_name(pointer.element), pointer.attribute))


def pointer_kinds(index: DocumentIndex) -> Iterator[Violation]:
    """A pointer leads to the right kind of element: a speaker to a person, a place to a place."""
    for pointer in index.pointers:
        kinds = _expected_kinds(pointer)
        if kinds is None or not pointer.value.startswith("#"):
            continue
        target = index.ids.get(pointer.value[1:])
        if target is not None and local_name(target) not in kinds:
            yield Violation(
                "pointer-kinds",
                f'@{pointer.attribute}="{pointer.value}" on <{local_name(pointer.element)}> points to '
                f"a <{local_name(target)}>{_line_note(target)}; it must point to {_article(kinds)}",
                pointer.element, pointer.attribute)


def _citation_number(element: etree._Element) -> tuple[int, ...] | None:
    """``n="4.1"`` as (4, 1); None when absent or malformed (the schema reports that)."""
    value = element.get("n") or ""
    if value.isdigit() and value.isascii() and value[0] != "0":  # most: n="12", told at once
        return (int(value),)
    value = value.strip()
    if not _CITE_NUMBER.fullmatch(value):
        return None
    return tuple(map(int, value.split(".")))


def _increasing(elements: list[Numbered], rule: str, unit: str) -> Iterator[Violation]:
    """Numbers of ``elements`` strictly increase in document order (4 < 4.1 < 5)."""
    previous: etree._Element | None = None
    previous_number: tuple[int, ...] | None = None
    for element, number in elements:
        if number is None:
            continue
        if previous is not None and previous_number is not None and number <= previous_number:
            relation = "repeats" if number == previous_number else "comes after"
            yield Violation(
                rule,
                f'{unit} n="{element.get("n")}" {relation} n="{previous.get("n")}"'
                f"{_line_note(previous)}: {unit} numbers must increase through the body "
                f"(a {unit} inserted after n=\"{previous.get('n')}\" is numbered "
                f"{previous.get('n')}.1)",
                element, "n")
        previous, previous_number = element, number


def paragraph_numbers(index: DocumentIndex) -> Iterator[Violation]:
    """Paragraph numbers strictly increase through the body, lead and transcript together."""
    if index.counting(_P)[0]:
        return iter(())
    return _increasing(index.paragraphs, "paragraph-numbers", "paragraph")


def turn_numbers(index: DocumentIndex) -> Iterator[Violation]:
    """Turn numbers strictly increase through the transcript."""
    if index.counting(_SP)[0]:
        return iter(())
    return _increasing(index.turns, "turn-numbers", "turn")


def citation_ids(index: DocumentIndex) -> Iterator[Violation]:
    """A paragraph's xml:id is ``p`` + its number, a turn's ``sp`` + its number (in a corpus
    member, after the member's prefix)."""
    for tag in (_P, _SP):
        if index.counting(tag)[1]:
            continue
        prefix = _CITED_AS[tag]
        for element, cited in index.units(tag):
            number = element.get("n")
            identifier = element.get(_XML_ID)
            if cited is None or identifier is None:
                continue
            expected = f"{index.id_prefix}{prefix}{str(number).strip()}"
            if identifier != expected:
                yield Violation(
                    "citation-ids",
                    f'<{local_name(element)} n="{number}"> has xml:id="{identifier}": it must be '
                    f'xml:id="{expected}", so that citations by number and by identifier agree',
                    element, "xml:id")


class Rule(NamedTuple):
    """A named integrity rule: ``check`` yields the violations found in an index."""

    name: str
    check: Callable[[DocumentIndex], Iterator[Violation]]


RULES: tuple[Rule, ...] = (
    Rule("unique-ids", unique_ids),
    Rule("pointers-resolve", pointers_resolve),
    Rule("pointer-kinds", pointer_kinds),
    Rule("paragraph-numbers", paragraph_numbers),
    Rule("turn-numbers", turn_numbers),
    Rule("citation-ids", citation_ids),
)
"""The rule layer, in the order its findings are reported."""

MEMBER_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES if rule.name in
                                       ("paragraph-numbers", "turn-numbers", "citation-ids"))
"""The rules a corpus member is held to on its own; identifiers and pointers are checked
across the corpus it belongs to (:mod:`tei.validation.documents`)."""


def check(root: etree._Element, rules: tuple[Rule, ...] = RULES,
          id_prefix: str = "") -> list[Violation]:
    """Run ``rules`` over the document ``root``; violations in rule order."""
    index = DocumentIndex.of(root, id_prefix)
    return [violation for rule in rules for violation in rule.check(index)]
