"""What the corpus index (:mod:`tei.corpus.index`) answers: documents, persons and places
with their occurrences, and what was said, as rows the corpus pages read.

Kept apart from the index's SQL so that the pages' code imports what it reads, not how it is
stored.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tei.corpus.years import years_in_order
from tei.outputs import HTML, TEI, TEXT
from tei.render.view import Idno

Links = list[tuple[str, str]]
"""Numbered links into one document page: ``(paragraph number, href)``."""
TurnLinks = list[tuple[str, str, str]]
"""Links to turns of one document page: ``(turn number, its paragraphs "12–15", href of the
first)``."""


@dataclass(slots=True)
class DocumentRow:
    """One document as the corpus pages list it (links relative to the build's top)."""

    id: str
    title: str
    lang: str
    when: str | None
    date: str
    place: str | None
    speakers: int
    turns: int
    words: int

    @property
    def html(self) -> str:
        """Link to the document's page."""
        return HTML.path(self.id)

    @property
    def tei(self) -> str:
        """Link to the document's TEI."""
        return TEI.path(self.id)

    @property
    def text(self) -> str:
        """Link to the document's plain text."""
        return TEXT.path(self.id)


@dataclass(slots=True)
class Occurrence:
    """Where one person or place occurs in one document: links to turns and mentions (read
    from the index's JSON when first asked for: a rebuild copies most occurrences of a
    person's page as they were, unread)."""

    document: DocumentRow
    turn_data: str
    mention_data: str
    setting: bool
    """True when the place is where the event of the document took place."""
    _turns: TurnLinks | None = field(default=None, repr=False)
    _mentions: Links | None = field(default=None, repr=False)
    texts: Callable[[], tuple[str, str]] | None = field(default=None, repr=False)
    """What reads ``turn_data`` and ``mention_data`` when first asked for (None: given):
    a rebuild copies most occurrences of a large page, and need not read their JSON."""

    @property
    def turns(self) -> TurnLinks:
        """Links to the turns of the person in the document."""
        if self._turns is None:
            self._read()
            self._turns = turn_links(self.turn_data)
        return self._turns

    @property
    def mentions(self) -> Links:
        """Links to the paragraphs that mention the person or place."""
        if self._mentions is None:
            self._read()
            self._mentions = links(self.mention_data)
        return self._mentions

    def _read(self) -> None:
        """Read the turns and mentions, if they were left to read (:attr:`texts`)."""
        if self.texts is not None:
            (self.turn_data, self.mention_data), self.texts = self.texts(), None


@dataclass(slots=True)
class Dated:
    """A document as a date of something: its ID (the link), its date for people and as data."""

    id: str
    date: str
    when: str | None

    @property
    def html(self) -> str:
        """Link to the document's page."""
        return HTML.path(self.id)


@dataclass(slots=True)
class Office:
    """One office (or location) of a person (or place), and the documents that give it."""

    text: str
    first: Dated
    last: Dated
    documents: int = 1


@dataclass(slots=True)
class Said:
    """One paragraph a person said: where (document, date, turn, paragraph) and its text."""

    document: str
    title: str
    date: str
    when: str | None
    turn: str
    paragraph: str
    n: str
    text: bytes
    """UTF-8, as the index keeps it (written as it is: never decoded)."""


@dataclass(slots=True)
class Entity:
    """A person, role or place across the corpus, with counts and, lazily, its occurrences."""

    id: str
    kind: str
    name: str
    details: list[str]
    """A person's offices, or where a place lies (region, country), as the documents give them."""
    offices: list[Office]
    """The same, each with the first and last documents that give it, in date order."""
    role: str | None
    idnos: list[Idno]
    listed: bool = True
    """False for a speaker no document describes, only points at: named by its identifier."""
    documents: int = 0
    turns: int = 0
    words: int = 0
    occurrences: Iterator[Occurrence] = field(default_factory=lambda: iter(()))
    said_years: list[str] = field(default_factory=list)
    """The years of the documents where it speaks, in date order (its downloads by year)."""


class Groups:
    """The rows of one query ordered by its first ``width`` columns (the key), handed out key
    by key (a merge join)."""

    def __init__(self, rows: Iterable[tuple[Any, ...]], width: int = 1) -> None:
        self._rows = iter(rows)
        self._width = width
        self._head: tuple[Any, ...] | None = None
        self._started = False
        """False until the first row is asked for (a lazy query is then run)."""

    def take(self, key: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        """The rows whose key is ``key`` (rows of smaller keys are skipped)."""
        if not self._started:
            self._head, self._started = next(self._rows, None), True
        width = self._width
        while self._head is not None and self._head[:width] < key:
            self._head = next(self._rows, None)
        while self._head is not None and self._head[:width] == key:
            row, self._head = self._head, next(self._rows, None)
            yield row


def links(text: str) -> Links:
    """Links as the index kept them."""
    return [(str(n), href) for n, href in json.loads(text)]


def turn_links(text: str) -> TurnLinks:
    """Links to turns as the index kept them, their paragraphs as shown (``12–15``, ``7``)."""
    return [(str(n), span_shown(span), href) for n, span, href in json.loads(text)]


def span_shown(span: str) -> str:
    """Paragraphs ``12-15`` as shown: ``12–15``; ``7-7`` as ``7``."""
    first, _, last = span.partition("-")
    return first if last in ("", first) else f"{first}\u2013{last}"


def entity_of(key: str, rows: list[tuple[Any, ...]]) -> Entity:
    """One entity from its rows (one per document, in date order), without its occurrences."""
    described = [row for row in rows if row[7]]
    names = Counter(row[1] for row in described or rows)
    idnos: dict[tuple[str, str], Idno] = {}
    for row in rows:
        for kind, value, url in json.loads(row[4]) if row[4] != "[]" else ():
            idnos.setdefault((kind, value), Idno(kind, value, url))
    return Entity(id=key, kind=rows[0][0], name=max(names, key=lambda n: (names[n], len(n), n)),
                  details=list(dict.fromkeys(row[2] for row in rows if row[2])),
                  offices=_offices(rows), role=rows[0][3],
                  idnos=list(idnos.values()), listed=bool(described), documents=len(rows),
                  turns=sum(row[5] for row in rows), words=sum(row[6] for row in rows),
                  said_years=years_in_order(row[10] for row in rows if row[5]))


def _offices(rows: list[tuple[Any, ...]]) -> list[Office]:
    """Each office (or location) of an entity's rows, with the first and last documents that
    give it, in the order of their first dates."""
    offices: dict[str, Office] = {}
    for row in rows:
        if not row[2]:
            continue
        dated = Dated(row[8], row[9], row[10])
        if (office := offices.get(row[2])) is None:
            offices[row[2]] = Office(row[2], dated, dated)
        else:
            office.last = dated
            office.documents += 1
    return list(offices.values())
