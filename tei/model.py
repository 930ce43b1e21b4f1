"""The document model: what every reader produces and the encoder consumes.

Plain slotted dataclasses, in the manner of pandoc's AST and markdown-it-py's
tokens: no lxml, no Jinja, no I/O. Every reader (kremlin.ru text export, saved
web pages, headerless transcripts) fills the same model, so the encoder and
everything after it never need to know where a document came from.

Renderers never read this model: they read the TEI, so that hand-corrected TEI
and TEI from other corpora render too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, Literal, TypeVar, Union, dataclass_transform

from tei.errors import format_location

_Class = TypeVar("_Class")

_VALUES: dict[type, Callable[[Any], tuple[object, ...]]] = {}
"""Per model class, what gives an instance's field values as a tuple (made on first use)."""


def _values(cls: type) -> Callable[[Any], tuple[object, ...]]:
    """The function giving the field values of an instance of ``cls``, in field order."""
    values = _VALUES.get(cls)
    if values is None:
        names = [f.name for f in fields(cls)]
        if len(names) == 1:
            single = attrgetter(names[0])
            values = _VALUES[cls] = lambda instance: (single(instance),)
        else:
            values = _VALUES[cls] = attrgetter(*names)
    return values


def _equal(self: object, other: object) -> bool:
    """Equal when of the same class with equal fields, in order (dataclass's ``__eq__``)."""
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]
    values = _values(self.__class__)
    same: bool = values(self) == values(other)
    return same


@recursive_repr()
def _repr(self: object) -> str:
    """``Class(field=value, ...)`` (dataclass's ``__repr__``)."""
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}"
                      for f in fields(self))  # type: ignore[arg-type]
    return f"{self.__class__.__qualname__}({shown})"


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[_Class]) -> type[_Class]:
    """A slotted dataclass, with the ``__eq__`` and ``__repr__`` that ``@dataclass`` would
    write (same results, same unhashability), written once here: ``@dataclass`` compiles
    each method it writes from source when the class is made, and those two made importing
    this module, at every start of a command, cost 4.6 ms instead of 2.9."""
    made = dataclass(slots=True, repr=False, eq=False)(cls)
    made.__eq__ = _equal  # type: ignore[method-assign]
    made.__repr__ = _repr  # type: ignore[method-assign]
    made.__hash__ = None  # type: ignore[assignment]  # as for every unfrozen dataclass
    return made


@record
class Supplied:
    """Words the source's editors supplied, printed in square brackets: ``[на период]``."""

    text: str


@record
class Omission:
    """The source's own omission mark ``<…>``: a passage its editors left out."""

    mark: str = "<…>"
    """The mark as printed (after unescaping ``&lt;…&gt;``)."""


@record
class Stage:
    """A stage direction printed in parentheses, such as ``(Смех.)``.

    ``text`` is what stood inside the parentheses (``Смех.``); ``type`` is a
    normalised kind (``laughter``, ``applause``, ``silence``) or None.
    """

    text: str
    type: str | None = None


@record
class Mention:
    """A person, place or term named in running text, linked to what it means."""

    text: str
    """The words as printed, in whatever grammatical case: ``Владимира Путина``."""
    ref: str
    """The ``id`` of a :class:`Person` or :class:`Place` of the same document, or the address
    of a catalogue entry (a term, a place the source links: ``http://…/catalog/…``)."""
    kind: Literal["person", "place", "term"] = "person"


Inline = Union[str, Supplied, Omission, Stage, Mention]
"""What a paragraph is made of, in source order."""


@record
class Paragraph:
    """One paragraph of the source: text and inline events, in order."""

    content: list[Inline]
    line: int = 0
    """1-based line of the source where the paragraph starts (0: unknown)."""

    def text(self) -> str:
        """The paragraph's words as plain text (marks left out), for tests and counts."""
        parts: list[str] = []
        for item in self.content:
            if isinstance(item, str):
                parts.append(item)
            elif isinstance(item, (Supplied, Mention, Stage)):
                parts.append(item.text)
        return "".join(parts)


@record
class Separator:
    """A section break printed as ``* * *`` inside the transcript."""

    mark: str = "* * *"
    line: int = 0


@record
class Heading:
    """A heading the site printed in the lead or the transcript: ``Statements for the press``.

    It opens a part of the text (encoded as the ``<head>`` of a new division)
    and belongs to no speaker, so it ends the turn before it.
    """

    content: str
    """The heading's words as printed, source whitespace squeezed."""
    line: int = 0

    def text(self) -> str:
        """The heading's words, as :meth:`Paragraph.text` gives a paragraph's."""
        return self.content


Block = Union[Paragraph, Stage, Omission]
"""What a turn holds: paragraphs, and stage directions or omissions standing alone."""


@record
class Turn:
    """One speaker turn: a label and the paragraphs until the next label."""

    who: str
    """The ``id`` of the :class:`Person` speaking (one per label)."""
    label: str
    """The label as printed, without its colon and parenthetical: ``В.Путин``."""
    blocks: list[Block] = field(default_factory=list)
    note: str | None = None
    """A parenthetical of the label (``как переведено``), without the parentheses."""
    line: int = 0


TranscriptItem = Union[Turn, Paragraph, Stage, Omission, Separator, Heading]
"""What the transcript proper holds: turns, and blocks and headings that stand between turns."""

LeadItem = Union[Paragraph, Heading]
"""What the lead holds: paragraphs, and the headings printed among them."""


@record
class Idno:
    """An identifier of a person or place in an authority (Wikidata, GeoNames, VIAF)."""

    type: str
    value: str


@record
class Person:
    """A speaker or participant, listed once per document.

    Anonymous roles (``Вопрос:``, ``Question:``) are persons with ``anonymous``
    set: the encoder writes them as a ``personGrp`` with a ``role``, never as a
    made-up name.
    """

    id: str
    name: str
    """The fullest form known, in the nominative: ``Никол Пашинян`` or ``В.Путин``."""
    forename: str | None = None
    surname: str | None = None
    occupation: str | None = None
    """Office as given in the lead: ``Премьер-министр Армении``."""
    role: str | None = None
    """For anonymous entries: a role name such as ``questioner``."""
    anonymous: bool = False
    labels: list[str] = field(default_factory=list)
    """The speaker labels that refer to this person, as printed."""
    idnos: list[Idno] = field(default_factory=list)


@record
class Place:
    """A place of the setting: a settlement and the region it lies in."""

    id: str
    name: str
    region: str | None = None
    idnos: list[Idno] = field(default_factory=list)


CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
"""The licence of kremlin.ru texts (Creative Commons Attribution 4.0)."""


@record
class Source:
    """Where the transcript was published."""

    url: str | None = None
    """The canonical URL of the page: ``http://kremlin.ru/events/president/news/64534``."""
    print_url: str | None = None
    """The print view: ``http://kremlin.ru/events/president/news/copy/64534``."""
    number: str | None = None
    """The site's own document number: ``64534``."""
    number_type: str | None = None
    """What kind of number it is, the ``idno`` type in the TEI: ``kremlin``."""
    collection: str | None = None
    """The prefix of the document identifiers the site's numbers give: ``kremlin``,
    ``kremlin-en`` (``kremlin-en-64534``)."""
    publisher: str | None = None
    """The publishing body: ``Президент России``."""
    licence: str | None = None
    """URL of the licence of the source text (CC BY 4.0 for kremlin.ru)."""
    path: str | None = None
    """The file the document was read from, for error messages (never written to TEI)."""
    other_languages: dict[str, str] = field(default_factory=dict)
    """The same item of the site in other languages, by language, as far as the address
    alone says: an en.kremlin.ru item is the kremlin.ru item of the same number
    (``{"ru": "http://kremlin.ru/events/president/news/73411"}``); the Russian site's
    items are not all on the English one, so a Russian address says nothing."""


@record
class Normalization:
    """A change a reader made to the source while reading it, and the line where it made it.

    Readers never print: this is how they tell the user (the CLI prints each one
    as a warning, ``FILE:LINE: message``) and the reader of the TEI (the encoder
    records each one in the header's ``editorialDecl/normalization``).
    """

    kind: Literal["invalid-utf8", "charset", "address-moved", "address-joined"]
    """``invalid-utf8``: bytes that are not UTF-8 were replaced by U+FFFD;
    ``charset``: a page's declared charset is no encoding of web pages, UTF-8 was used;
    ``address-moved``: the source's address line (kremlin.ru's, which ends an export) has text
    after it, read as part of the transcript, the address as the source's; ``address-joined``:
    the same, the text joined onto the address line (no line break between them)."""
    detail: str
    """What the source had: the bytes (``0xE3 0x81``) or the declared name (``zlib``)."""
    line: int = 0
    """1-based line of the source (0: unknown)."""

    def located(self, path: str | None) -> str:
        """``FILE:LINE: message``: the warning as the command line prints it."""
        return f"{format_location(path, self.line)}: {self.message()}"

    def message(self) -> str:
        """What was done, for a warning on the command line."""
        if self.kind == "invalid-utf8":
            plural = "s" if " " in self.detail else ""
            return f"invalid UTF-8 byte{plural} {self.detail} replaced by U+FFFD"
        if self.kind == "address-moved":
            return (f"the source address {self.detail} is not the last line: the text after "
                    "it is read as part of the transcript (the address still gives the source "
                    "and the document's ID)")
        if self.kind == "address-joined":
            return (f"text is joined onto the source address {self.detail} (no line break "
                    "between them): it is read as part of the transcript (the address still "
                    "gives the source and the document's ID)")
        return (f"the declared charset {self.detail!r} is not a character encoding of web "
                "pages: read as UTF-8")


@record
class Document:
    """One transcript: header data, the lead and the transcript proper."""

    id: str
    """The document identifier (``kremlin-64534``): stable, NCName, cited by scholars."""
    title: str
    language: str = "ru"
    """BCP 47 tag of the text: ``ru`` or ``en``."""
    when: datetime | date | None = None
    """Date-time of the event, timezone-aware (Moscow time for kremlin.ru); a date when
    only the day is known."""
    place: Place | None = None
    """Where the event took place; also listed in ``places``."""
    source: Source = field(default_factory=Source)
    lead: list[LeadItem] = field(default_factory=list)
    """The editors' summary before ``* * *``."""
    transcript: list[TranscriptItem] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    editorial: dict[str, list[str]] = field(default_factory=dict)
    """How the source's conventions were treated, paragraph by paragraph, by part of the TEI
    editorial declaration (``correction``, ``normalization``, ``segmentation``,
    ``interpretation``), in the document's language: the reader knows, the encoder writes."""
    normalizations: list[Normalization] = field(default_factory=list)
    """What the reader changed in the source's characters (see :class:`Normalization`)."""

    @property
    def places(self) -> list[Place]:
        """The places of the setting (today: ``place``, if known)."""
        return [self.place] if self.place else []

    def turns(self) -> list[Turn]:
        """The speaker turns of the transcript, in order."""
        return [item for item in self.transcript if isinstance(item, Turn)]

    def person(self, person_id: str) -> Person | None:
        """The person listed under ``person_id``, if any."""
        return next((p for p in self.persons if p.id == person_id), None)
