"""The neutral view of a TEI document that both renderers read.

Plain slotted dataclasses, in the manner of markdown-it-py's tokens: no lxml,
no Jinja. ``tei.render.walk`` fills them from any TEI tree (ours, a DraCor
play, a ParlaMint sitting, a hand-corrected file); the HTML and text templates
only ever see these objects, so a template never needs to know TEI.

Blocks carry a class-level ``block`` name that templates dispatch on
(``{% if item.block == "turn" %}``), as markdown-it-py's renderer dispatches
on ``token.type``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Union


@dataclass(slots=True)
class Piece:
    """One run of inline content, in reading order.

    ``kind`` is one of: ``text`` (``text``), ``supplied`` (words the editors
    supplied), ``gap`` (an omission; ``text`` holds its description), ``event``
    (a stage direction, gesture, sound or incident; ``type`` as in the TEI),
    ``note``, ``link`` (``href`` internal ``#id`` or external http(s); None when
    its target is not in the page), ``emph``, ``break`` (a line break) and
    ``span`` (any other element, kept for its text; ``type`` is its TEI name).
    """

    kind: str
    text: str = ""
    children: list[Piece] = field(default_factory=list)
    href: str | None = None
    type: str | None = None


@dataclass(slots=True)
class Paragraph:
    """A block of running text: a ``<p>``, ``<seg>``, verse ``<l>``, ``<ab>``...

    ``id`` is the anchor in the page (the TEI ``xml:id``, or ``p{n}`` made up
    when the TEI has none, ``l{n}`` for a verse line); ``n`` the visible number
    (None: not numbered, as for a ``<head>`` met inside a section). Verse lines
    are numbered apart from paragraphs, as a play's lines are counted.
    """

    block: ClassVar[str] = "paragraph"
    id: str | None
    n: str | None
    pieces: list[Piece]
    kind: str = "p"
    """The TEI element name: ``p``, ``l``, ``seg``, ``head``, ``castItem``..."""
    words: int = 0
    """Words spoken in it: supplied text, stage directions and notes left out."""


@dataclass(slots=True)
class Event:
    """Something that happened rather than was said: a stage direction, gesture, sound."""

    block: ClassVar[str] = "event"
    id: str | None
    kind: str
    """The TEI element name: ``stage``, ``kinesic``, ``vocal``, ``incident``..."""
    type: str | None
    pieces: list[Piece]


@dataclass(slots=True)
class Gap:
    """A passage left out (``<gap>``), with its description if the TEI gives one."""

    block: ClassVar[str] = "gap"
    id: str | None
    reason: str | None
    desc: str


@dataclass(slots=True)
class Note:
    """A note standing as a block: an editor's remark, ``House adjourned.``"""

    block: ClassVar[str] = "note"
    id: str | None
    type: str | None
    pieces: list[Piece]


@dataclass(slots=True)
class Separator:
    """A section break inside running text (``<milestone unit="section" rend="* * *"/>``)."""

    block: ClassVar[str] = "separator"
    mark: str = "* * *"


Block = Union[Paragraph, Event, Gap, Note, Separator]
"""What stands in a turn, or between turns."""


@dataclass(slots=True)
class Speaker:
    """One person a turn is attributed to (``who="#a #b"`` names two)."""

    id: str
    """The anchor of the person's entry in the page."""
    name: str


@dataclass(slots=True)
class Turn:
    """A speech: ``<sp>`` (ours, DraCor) or ``<u>`` (ParlaMint)."""

    block: ClassVar[str] = "turn"
    id: str
    n: str
    label: str
    """The label as printed (``<speaker>``), else the speakers' names."""
    speakers: list[Speaker]
    note: list[Piece] | None
    """A note on the label, such as «как переведено»."""
    blocks: list[Item]
    """Paragraphs, events, gaps, notes; a turn inside a turn (well-formed, if odd) stays one."""

    @property
    def words(self) -> int:
        """Words spoken in the turn."""
        return sum(b.words for b in self.blocks if isinstance(b, Paragraph))


Item = Union[Turn, Paragraph, Event, Gap, Note, Separator]
"""What a section (or a turn) holds."""


@dataclass(slots=True)
class Section:
    """A run of a ``<div>`` (or ``<front>``, ``<castList>``...) up to its next nested division.

    Nested divisions are flattened into a list in reading order; ``level``
    (1 for a top-level division) keeps their depth for the heading levels.
    """

    id: str | None
    type: str | None
    level: int
    heading: list[Piece] | None
    items: list[Item] = field(default_factory=list)
    continued: bool = False
    """True for the part of a division that follows a nested division."""

    @property
    def turns(self) -> list[Turn]:
        """The turns of this section."""
        return [item for item in self.items if isinstance(item, Turn)]


@dataclass(slots=True)
class TurnRef:
    """A link from a person's entry to one of their turns."""

    id: str
    n: str


@dataclass(slots=True)
class Idno:
    """An identifier of a person or place, with a web address when one is known."""

    type: str
    value: str
    url: str | None


@dataclass(slots=True)
class Person:
    """An entry of the list of persons.

    ``listed`` is False for speakers the TEI points at but does not describe
    (ParlaMint keeps persons in another file): their name is the pointer.
    """

    id: str
    name: str
    occupation: str | None = None
    role: str | None = None
    group: bool = False
    listed: bool = True
    idnos: list[Idno] = field(default_factory=list)
    turns: list[TurnRef] = field(default_factory=list)
    words: int = 0


@dataclass(slots=True)
class Place:
    """An entry of the list of places."""

    id: str
    name: str
    parts: list[str] = field(default_factory=list)
    """Where it lies, from the TEI ``<location>``: settlement, region, country."""
    idnos: list[Idno] = field(default_factory=list)


@dataclass(slots=True)
class Date:
    """A date for people (``text``) and as data (``iso``, valid for ``<time datetime>``)."""

    text: str
    iso: str | None


@dataclass(slots=True)
class Link:
    """A web address and the words to show for it."""

    url: str
    text: str


@dataclass(slots=True)
class Version:
    """The same source item in another language: another page of the edition."""

    lang: str
    page: str
    """Its page's path in the edition (``html/kremlin-en-73411.html``)."""


@dataclass(slots=True)
class DocumentView:
    """Everything the renderers show of one TEI document."""

    id: str
    lang: str
    title: str
    subtitles: list[str]
    authors: list[str]
    """The work's authors (``titleStmt/author``): a play's playwright; none for a transcript."""
    date: Date | None
    place: str | None
    place_id: str | None
    source: Link | None
    source_publisher: str | None
    licence: Link | None
    licence_text: str | None
    """The licence statement as written, when the TEI gives no ``<licence>``."""
    persons: list[Person]
    places: list[Place]
    sections: list[Section]
    ids: dict[str, str]
    """Ids of the page's own parts (``cite``, ``persons``...), chosen not to clash with the TEI's."""
    versions: list[Version] = field(default_factory=list)
    """Documents of the same source item in other languages, as the corpus knows them (set
    by whoever renders several documents together: see :mod:`tei.render.versions`)."""

    @property
    def turns(self) -> list[Turn]:
        """All turns, in reading order."""
        return [turn for section in self.sections for turn in section.turns]

    @property
    def paragraphs(self) -> list[Paragraph]:
        """All numbered paragraphs, in reading order (inside turns or not)."""
        found: list[Paragraph] = []
        for section in self.sections:
            for item in section.items:
                blocks = item.blocks if isinstance(item, Turn) else [item]
                found.extend(b for b in blocks if isinstance(b, Paragraph) and b.n is not None)
        return found

    @property
    def lead(self) -> list[Paragraph]:
        """The paragraphs of the summary division (the editors' lead), if any."""
        return [item for section in self.sections if section.type == "summary"
                for item in section.items if isinstance(item, Paragraph)]
