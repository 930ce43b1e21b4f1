"""The encoder: document model -> one TEI P5 document (an lxml tree).

One small ``encode_<kind>`` function per model kind, registered in a table
(markdown-it-py's renderer rules), so changing how one construct is encoded
touches one function. lxml builds every element; nothing is concatenated as
text, so nothing can escape its element.

The shape follows ``schema/README.md``: header (title, responsibility,
publication with licence, source with canonical and print URLs), encoding
description (editorial declaration, citation scheme), profile (date-time with
the Moscow offset of that day, language, persons, setting and places), then a
body of ``div type="summary"`` (the lead) and ``div type="transcript"`` (turns
as ``sp``). Paragraph and turn identifiers depend only on position in the
document, so they stay the same from build to build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from lxml import etree

from tei import DEFAULT_PUBLISHER as DEFAULT_PUBLISHER
from tei import ENCODER
from tei.model import (
    CC_BY_4, Document, Heading, Idno, Mention, Omission, Paragraph, Person, Place, Separator, Stage,
    Supplied, Turn,
)
from tei.xmlio import TEI_NS, tei, xml

LICENCE_NAMES = {CC_BY_4: "CC BY 4.0"}

HEADER_TEXT: dict[str, dict[str, str]] = {
    "ru": {
        "language": "русский",
        "no_licence": "Лицензия источника не указана.",
        "resp": "кодирование в TEI P5",
        "offset": ("Смещение от UTC {exact} (до 1919 года в Москве действовало среднее местное "
                   "время) записано в @when с округлением до минуты: {rounded}, так как дата-время "
                   "TEI допускает только целые минуты; время суток — как в источнике."),
    },
    "en": {
        "language": "English",
        "no_licence": "The licence of the source was not stated.",
        "resp": "TEI P5 encoding",
        "offset": ("The UTC offset {exact} (Moscow kept local mean time until 1919) is written in "
                   "@when rounded to the minute, {rounded}, since a TEI date-time allows whole "
                   "minutes only; the time of day is as in the source."),
    },
}
"""The words the encoder itself adds to a header, by language (the editorial declaration
comes with the document: :attr:`tei.model.Document.editorial`)."""


@dataclass(slots=True)
class Counter:
    """Running numbers of paragraphs and turns: positions, hence stable identifiers."""

    paragraphs: int = 0
    turns: int = 0


Encoder = Callable[[Any, etree._Element, Counter], None]


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a TEI element with optional text and attributes (``xml_id`` -> ``xml:id``)."""
    element = etree.SubElement(parent, tei(tag))
    for name, value in attrs.items():
        key = xml(name[4:]) if name.startswith("xml_") else name
        element.set(key, value)
    if text is not None:
        element.text = text
    return element


def append_text(parent: etree._Element, text: str) -> None:
    """Append text at the end of ``parent``'s content (its text or its last child's tail)."""
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# -- inline and block rules -------------------------------------------------------------------


def encode_text(item: str, parent: etree._Element, counter: Counter) -> None:
    """Running text."""
    append_text(parent, item)


def encode_supplied(item: Supplied, parent: etree._Element, counter: Counter) -> None:
    """``[на период]`` -> ``<supplied reason="editorial">на период</supplied>``."""
    sub(parent, "supplied", item.text, reason="editorial")


def encode_omission(item: Omission, parent: etree._Element, counter: Counter) -> None:
    """``<…>`` -> ``<ellipsis><metamark function="omission"><…></metamark></ellipsis>``.

    The source's own mark, kept as printed: TEI's ``ellipsis`` is a
    "deliberately marked omission" in the source (Guidelines 3.5.3), where
    ``gap`` is for what the encoder leaves out.
    """
    sub(sub(parent, "ellipsis"), "metamark", item.mark, function="omission")


def encode_omission_paragraph(item: Omission, parent: etree._Element, counter: Counter) -> None:
    """An omission mark printed as a paragraph of its own: a numbered ``<p>`` holding it."""
    encode_paragraph(Paragraph([item]), parent, counter)


def encode_stage(item: Stage, parent: etree._Element, counter: Counter) -> None:
    """``(Смех.)`` -> ``<stage type="laughter">Смех.</stage>``."""
    attrs = {"type": item.type} if item.type else {}
    sub(parent, "stage", item.text, **attrs)


def encode_mention(item: Mention, parent: etree._Element, counter: Counter) -> None:
    """A name in the text -> ``<persName ref="#id">``, ``<placeName ref>`` or ``<term ref>``
    (an address is a catalogue entry's: written as it is)."""
    tag = {"person": "persName", "place": "placeName", "term": "term"}[item.kind]
    ref = item.ref if item.ref.startswith(("http://", "https://")) else f"#{item.ref}"
    sub(parent, tag, item.text, ref=ref)


def encode_paragraph(item: Paragraph, parent: etree._Element, counter: Counter) -> None:
    """A paragraph with its stable number: ``<p xml:id="p12" n="12">``."""
    counter.paragraphs += 1
    n = str(counter.paragraphs)
    p = sub(parent, "p", xml_id=f"p{n}", n=n)
    for inline in item.content:
        ENCODERS[type(inline)](inline, p, counter)


def encode_separator(item: Separator, parent: etree._Element, counter: Counter) -> None:
    """``* * *`` inside the transcript -> ``<milestone unit="section" rend="* * *"/>``."""
    sub(parent, "milestone", unit="section", rend=item.mark)


def encode_heading(item: Heading, parent: etree._Element, counter: Counter) -> None:
    """A heading -> the ``<head>`` of a division: of ``parent`` while that is still empty,
    else of a new ``<div>`` of the same type after it (divisions do not nest).

    TEI's heading of a part of the text is a ``head`` first in its ``div``
    (Guidelines 4.2.1); what follows the heading goes into that division.
    """
    division = parent
    if len(parent):
        division = sub(parent.getparent(), "div", type=parent.get("type", "transcript"))
    sub(division, "head", item.content)


def encode_turn(item: Turn, parent: etree._Element, counter: Counter) -> None:
    """A turn -> ``<sp who>`` with the label as printed in ``<speaker>`` and its blocks (an
    empty ``<p>`` when the label stands alone)."""
    counter.turns += 1
    n = str(counter.turns)
    sp = sub(parent, "sp", xml_id=f"sp{n}", n=n, who=f"#{item.who}")
    sub(sp, "speaker", item.label)
    if item.note:
        sub(sp, "note", item.note, type="speaker")
    for block in item.blocks:
        BLOCK_ENCODERS[type(block)](block, sp, counter)


ENCODERS: dict[type, Encoder] = {
    str: encode_text,
    Supplied: encode_supplied,
    Omission: encode_omission,
    Stage: encode_stage,
    Mention: encode_mention,
    Paragraph: encode_paragraph,
    Separator: encode_separator,
    Heading: encode_heading,
    Turn: encode_turn,
}
"""Model kind -> encoder function: one place to change how a construct is written."""

BLOCK_ENCODERS: dict[type, Encoder] = {**ENCODERS, Omission: encode_omission_paragraph}
"""The same at block level (in a turn or between turns), where an omission is a paragraph."""


# -- header -----------------------------------------------------------------------------------


_MINUTE = timedelta(minutes=1)


def when_text(doc: Document) -> str | None:
    """The event's date-time with its UTC offset (``2020-12-02T13:15:00+03:00``), or its date.

    An offset with seconds (Moscow's local mean time before 1919, +02:30:17) is
    rounded to the minute, the clock time kept: TEI's date-time has ``±hh:mm``
    offsets only. :func:`rounded_offset` tells when that happened.
    """
    if isinstance(doc.when, datetime):
        rounded = rounded_offset(doc.when)
        when = doc.when.replace(tzinfo=timezone(rounded[1])) if rounded else doc.when
        return when.isoformat(timespec="seconds")
    return doc.when.isoformat() if doc.when else None


def rounded_offset(when: datetime) -> tuple[timedelta, timedelta] | None:
    """``(offset, offset rounded to the minute)`` when ``when``'s UTC offset has seconds."""
    offset = when.utcoffset()
    if offset is None or not offset % _MINUTE:
        return None
    return offset, round(offset / _MINUTE) * _MINUTE


def offset_text(offset: timedelta) -> str:
    """``+02:30:17``, ``+02:30``, ``-05:00``: an offset as ISO 8601 writes it."""
    sign, seconds = ("-", -offset) if offset < timedelta(0) else ("+", offset)
    hours, rest = divmod(int(seconds.total_seconds()), 3600)
    minutes, seconds_left = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds_left:02d}" if seconds_left else "")


def encode_idnos(parent: etree._Element, idnos: list[Idno]) -> None:
    """Authority identifiers (Wikidata, GeoNames, VIAF) as ``<idno type>``."""
    for idno in idnos:
        sub(parent, "idno", idno.value, type=idno.type)


def encode_person(person: Person, parent: etree._Element) -> None:
    """A ``<person>``, or a ``<personGrp role>`` for an anonymous label such as ``Вопрос``."""
    if person.anonymous:
        group = sub(parent, "personGrp", xml_id=person.id, role=person.role or "anonymous")
        sub(group, "name", person.name, type="role")
        return
    element = sub(parent, "person", xml_id=person.id)
    pers_name = sub(element, "persName")
    if person.surname and person.forename and person.name.split()[0] == person.surname.split()[0]:
        # printed surname first (Xi Jinping): the name's parts in the order printed
        sub(pers_name, "surname", person.surname).tail = " "
        sub(pers_name, "forename", person.forename)
    elif person.surname:
        initials = person.name.removesuffix(person.surname).strip()
        if person.forename:
            sub(pers_name, "forename", person.forename).tail = " "
        elif initials and person.name.endswith(person.surname):
            sub(pers_name, "forename", initials, full="init")
        sub(pers_name, "surname", person.surname)
    else:
        pers_name.text = person.name
    if person.occupation:
        sub(element, "occupation", person.occupation)
    encode_idnos(element, person.idnos)


def encode_place(place: Place, parent: etree._Element) -> None:
    """A ``<place>`` with its name and, as data, settlement, region and country."""
    element = sub(parent, "place", xml_id=place.id)
    sub(element, "placeName", place.name)
    location = sub(element, "location")
    sub(location, "settlement", place.name)
    if place.region:
        sub(location, "region", place.region)
    encode_idnos(element, place.idnos)


def encode_file_desc(doc: Document, header: etree._Element, publisher: str, words: dict[str, str]) -> None:
    """``fileDesc``: title, responsibility, publication with licence, and the source."""
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", doc.title)
    resp_stmt = sub(title_stmt, "respStmt")
    sub(resp_stmt, "resp", words["resp"])
    sub(resp_stmt, "name", ENCODER)
    publication = sub(file_desc, "publicationStmt")
    sub(publication, "publisher", publisher)
    sub(publication, "idno", doc.id, type="local")
    licence = doc.source.licence
    if licence:
        availability = sub(publication, "availability", status="free")
        sub(availability, "licence", LICENCE_NAMES.get(licence, licence), target=licence)
    else:
        sub(sub(publication, "availability", status="unknown"), "p", words["no_licence"])
    bibl = sub(sub(file_desc, "sourceDesc"), "bibl")
    sub(bibl, "title", doc.title)
    if doc.source.publisher:
        sub(bibl, "publisher", doc.source.publisher)
    when = when_text(doc)
    if when:
        sub(bibl, "date", when.replace("T", " ")[:19], when=when)
    if doc.source.url:
        sub(bibl, "ref", doc.source.url, target=doc.source.url)
    if doc.source.print_url:
        sub(bibl, "idno", doc.source.print_url, type="URI")
    if doc.source.number:
        sub(bibl, "idno", doc.source.number, type=doc.source.number_type or "local")
    for url in doc.source.other_languages.values():
        sub(bibl, "relatedItem", type="otherLanguage", target=url)


def encode_encoding_desc(doc: Document, header: etree._Element, words: dict[str, str]) -> None:
    """``encodingDesc``: how the source's conventions were treated, and how to cite.

    The editorial declaration is the reader's (:attr:`tei.model.Document.editorial`); the
    encoder adds only what it changed itself: a UTC offset rounded to the minute.
    """
    encoding = sub(header, "encodingDesc")
    if doc.editorial:
        editorial = sub(encoding, "editorialDecl")
        for part, paragraphs in doc.editorial.items():
            element = sub(editorial, part)
            for text in paragraphs:
                sub(element, "p", text)
            if part == "normalization" and (sentence := offset_note(doc, words)):
                sub(element, "p", sentence)
    refs = sub(encoding, "refsDecl")
    sub(refs, "citeStructure", unit="turn", match="/TEI/text/body/div/sp", use="@n")
    sub(refs, "citeStructure", unit="paragraph", match="/TEI/text/body//p", use="@n")


def offset_note(doc: Document, words: dict[str, str]) -> str | None:
    """The sentence that says the UTC offset was rounded (:func:`when_text`), if it was."""
    rounded = rounded_offset(doc.when) if isinstance(doc.when, datetime) else None
    if rounded is None:
        return None
    return words["offset"].format(exact=offset_text(rounded[0]), rounded=offset_text(rounded[1]))


def encode_profile_desc(doc: Document, header: etree._Element, words: dict[str, str]) -> None:
    """``profileDesc``: when and where, the language, the persons and the places."""
    profile = sub(header, "profileDesc")
    when = when_text(doc)
    creation = sub(profile, "creation")
    if when:
        sub(creation, "date", when=when)
    if doc.place:
        sub(creation, "placeName", doc.place.name, ref=f"#{doc.place.id}")
    language_usage = sub(profile, "langUsage")
    sub(language_usage, "language", words["language"], ident=doc.language)
    if doc.persons:
        persons = sub(sub(profile, "particDesc"), "listPerson")
        for person in doc.persons:
            encode_person(person, persons)
    if doc.place or doc.places or when:
        setting_desc = sub(profile, "settingDesc")
        setting = sub(setting_desc, "setting")
        if doc.place:
            sub(setting, "placeName", doc.place.name, ref=f"#{doc.place.id}")
        if when:
            sub(setting, "date", when=when)
        if doc.places:
            places = sub(setting_desc, "listPlace")
            for place in doc.places:
                encode_place(place, places)


def encode_header(doc: Document, root: etree._Element, publisher: str) -> None:
    """The ``teiHeader``, with generated prose in the document's language."""
    words = HEADER_TEXT.get(doc.language, HEADER_TEXT["en"])
    header = sub(root, "teiHeader")
    encode_file_desc(doc, header, publisher, words)
    encode_encoding_desc(doc, header, words)
    encode_profile_desc(doc, header, words)


# -- body -------------------------------------------------------------------------------------


def encode_body(doc: Document, root: etree._Element) -> None:
    """``<div type="summary">`` for the lead, ``<div type="transcript">`` for the turns.

    Each item goes into the body's last division: a heading opens a new one
    (:func:`encode_heading`), of the same type, and what follows goes there.
    """
    body = sub(sub(root, "text"), "body")
    counter = Counter()
    for kind, items in (("summary", doc.lead), ("transcript", doc.transcript)):
        if items:
            sub(body, "div", type=kind)
            for item in items:
                BLOCK_ENCODERS[type(item)](item, body[-1], counter)


def encode(doc: Document, publisher: str = DEFAULT_PUBLISHER) -> etree._ElementTree:
    """Encode one document as a TEI P5 tree (no validation: see :mod:`tei.pipeline`)."""
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.set(xml("id"), doc.id)
    root.set(xml("lang"), doc.language)
    encode_header(doc, root, publisher)
    encode_body(doc, root)
    return root.getroottree()
