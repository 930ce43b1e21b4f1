"""``corpus.xml``: the whole edition as one TEI ``teiCorpus``, each document included by XInclude.

Why members, not the documents themselves: every document of the edition is
self-contained, so each one lists its persons (``putin-vladimir`` in every
document where Putin speaks) and numbers its paragraphs ``p1``, ``p2``… In a
single XML document, which is what ``corpus.xml`` becomes once its XIncludes
are resolved, an ``xml:id`` may occur only once (the ``tei_all`` schema checks
this), so including the documents as they are could never be valid.

So the build also writes, for each document, a *corpus member*
(``corpus/<id>.xml``): the same TEI with every ``xml:id`` below the root
prefixed by the document ID, the ParlaMint convention
(``kremlin-64534.p12``, ``kremlin-64534.putin-vladimir``), every local pointer
(``who``, ``ref``…) following, and each person or place pointing with
``sameAs`` at its one entry in the corpus header (``#putin-vladimir``), where
the corpus lists every person and place once. Paragraph numbers (``@n``, the
citation scheme) are unchanged. An anonymous role (``Вопрос``) is not one
person across documents, so its group points with ``corresp`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from lxml import etree

from tei import ENCODER
from tei.encode import HEADER_TEXT
from tei.outputs import Artefacts, DocumentOutput
from tei.xmlio import TEI_NS, XI_NS, in_text, quote_attribute, tei, to_bytes, xml

if TYPE_CHECKING:
    from tei.corpus.rows import Entity
    from tei.render.view import Idno

_ENTITIES = {tei("person"): "sameAs", tei("place"): "sameAs", tei("personGrp"): "corresp"}
"""Elements that point at their corpus-wide entry, and the attribute they point with."""

XML_ID = xml("id")
_POINTERS = etree.XPath("//@*[contains(., '#')]")
_DESCENDANT_IDS = etree.XPath("descendant::*/@xml:id", smart_strings=False)
"""The ``xml:id`` of every element below one, in document order (found by libxml2)."""


def corpus_member(tree: etree._ElementTree, doc_id: str, indented: bool = False) -> bytes:
    """The TEI document as a corpus member: IDs prefixed, pointers followed, entities linked.

    ``indented``: the tree was parsed from :func:`~tei.xmlio.to_bytes` output (this
    tool's own encoding), so it is not indented again; a TEI source is indented as
    every file this tool writes.

    Changes ``tree`` in place, so call it last: a deep copy, changed, keeps memory that
    libxml2 never gives back (the workers would grow with the corpus), and a fresh parse
    costs as much again. The pointers and entities are changed in the tree; the IDs (a
    transcript has hundreds) in its bytes, by :func:`_prefixed`, unless those bytes could
    hold the mark of an ID elsewhere than in one (then in the tree too, and written again).
    """
    root = tree.getroot()
    ids = [value for value in _DESCENDANT_IDS(root) if value]
    renamed = {value: f"{doc_id}.{value}" for value in ids}
    for value in _POINTERS(root):  # attribute values holding a '#', found by libxml2
        if value.attrname != XML_ID:
            value.getparent().set(value.attrname, _follow(value, renamed))
    for element in root.iter(*_ENTITIES):
        original = element.get(XML_ID)
        if original and original in renamed and not in_text(element):
            element.set(_ENTITIES[element.tag], f"#{original}")
    data = to_bytes(root, indented=indented)
    member = _prefixed(data, len(ids), doc_id)
    if member is not None:
        return member
    for element in root.iterdescendants(etree.Element):
        if value := element.get(XML_ID):
            element.set(XML_ID, renamed[value])
    return to_bytes(root, indented=True)  # indented by the first writing


_ID_MARK = b' xml:id="'
"""How libxml2 starts every ``xml:id`` attribute it writes (a space before each attribute;
the prefix of the XML namespace is always ``xml``)."""
_ESCAPED = frozenset('&<>"\t\n\r')
"""What libxml2 escapes in an attribute's value."""


def _prefixed(data: bytes, count: int, doc_id: str) -> bytes | None:
    """The serialised TEI with ``doc_id`` and a dot put before each of the ``count``
    ``xml:id``s below its root, as setting each one in the tree and writing it again would
    write them; None when that cannot be told from the bytes alone: the mark of an ID met
    more often than there are IDs (a comment or text that writes one), or an ID that
    libxml2 would escape. An attribute's value never holds the mark (its quotes are
    escaped), nor the root's start tag's end (its ``>`` too)."""
    head = data.index(b">", data.index(b"?>") + 2) + 1  # the declaration, the root's start tag
    body = data[head:]
    if body.count(_ID_MARK) != count or not _ESCAPED.isdisjoint(doc_id):
        return None
    return data[:head] + body.replace(_ID_MARK, _ID_MARK + f"{doc_id}.".encode("utf-8"))


def member_bytes(artefacts: Artefacts) -> bytes:
    """The corpus member of one document (changes its tree: the last writer of a document)."""
    return corpus_member(artefacts.tree, artefacts.doc_id, indented=artefacts.ours)


MEMBER = DocumentOutput("member", "corpus", ".xml", member_bytes)
"""The corpus member of each document, ``corpus/<id>.xml``, included by ``corpus.xml``."""


def _follow(value: str, renamed: dict[str, str]) -> str:
    """A pointer attribute with each local ``#id`` renamed (external URLs untouched)."""
    tokens = value.split()
    followed = [f"#{renamed[t[1:]]}" if t.startswith("#") and t[1:] in renamed else t
                for t in tokens]
    return " ".join(followed) if followed != tokens else value


class BinaryWriter(Protocol):
    """Where ``corpus.xml`` is streamed: an open binary file, or anything with its ``write``."""

    def write(self, data: bytes, /) -> int: ...


@dataclass(slots=True)
class CorpusHeader:
    """What the ``teiCorpus`` header says about the whole edition."""

    title: str
    publisher: str
    lang: str
    documents: int
    turns: int
    words: int


def write_corpus_xml(handle: BinaryWriter, header: CorpusHeader,
                     persons: Iterable[Entity] | None, places: Iterable[Entity] | None,
                     members: Iterable[str]) -> None:
    """Stream ``corpus.xml``: the corpus header, then one XInclude per member file.

    ``persons`` and ``places`` are None when the corpus has none (the header then has no
    list of them); ``members`` are paths relative to ``corpus.xml``
    (``corpus/kremlin-64534.xml``). The frame of the document is made with lxml once;
    persons, places and includes are written into it one by one, each as soon as it is
    taken (so a caller may write runs of them), and memory does not grow with the corpus.
    """
    root = etree.Element(tei("teiCorpus"), nsmap={None: TEI_NS, "xi": XI_NS})
    root.set(xml("lang"), header.lang)
    root.append(_header(header, persons is not None, places is not None))
    root.append(etree.Comment("members"))
    includes = (f"<xi:include href={quote_attribute(href)}/>".encode("utf-8") for href in members)
    fill: dict[str, Iterator[bytes]] = {}
    if persons is not None:
        fill["persons"] = (_entity_xml(e, _person) for e in persons)
    if places is not None:
        fill["places"] = (_entity_xml(e, _place) for e in places)
    fill["members"] = includes
    frame = to_bytes(root)
    for name, items in fill.items():
        before, _, frame = frame.partition(f"<!--{name}-->".encode())
        indent = before[before.rfind(b"\n") + 1:]
        handle.write(before.rstrip())
        for item in items:
            handle.write(b"\n" + b"\n".join(indent + line for line in item.splitlines()))
    handle.write(frame)


def _entity_xml(entity: Entity,
                make: Callable[[etree._Element, Entity], None]) -> bytes:
    """One person or place of the header, serialised without repeating the namespace."""
    wrapper = etree.Element(tei("listPerson"), nsmap={None: TEI_NS})
    make(wrapper, entity)
    text: bytes = etree.tostring(wrapper[0], encoding="UTF-8", pretty_print=True)
    return text.replace(f' xmlns="{TEI_NS}"'.encode(), b"", 1).rstrip()


def _header(header: CorpusHeader, persons: bool, places: bool) -> etree._Element:
    """The corpus ``teiHeader``, with a place kept for the persons and places (if any)."""
    root = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(root, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = header.title
    resp_stmt = etree.SubElement(title_stmt, tei("respStmt"))  # says: held to the profile
    etree.SubElement(resp_stmt, tei("resp")).text = HEADER_TEXT.get(
        header.lang, HEADER_TEXT["en"])["resp"]
    etree.SubElement(resp_stmt, tei("name")).text = ENCODER
    extent = etree.SubElement(file_desc, tei("extent"))
    for unit, quantity in (("documents", header.documents), ("turns", header.turns),
                           ("words", header.words)):
        measure = etree.SubElement(extent, tei("measure"), unit=unit, quantity=str(quantity))
        measure.text = f"{quantity} {unit}"
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("publisher")).text = header.publisher
    source = etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p"))
    source.text = "Each document's own header describes its source."
    if persons or places:
        profile = etree.SubElement(root, tei("profileDesc"))
        if persons:
            list_person = etree.SubElement(etree.SubElement(profile, tei("particDesc")),
                                           tei("listPerson"))
            list_person.append(etree.Comment("persons"))
        if places:
            list_place = etree.SubElement(etree.SubElement(profile, tei("settingDesc")),
                                          tei("listPlace"))
            list_place.append(etree.Comment("places"))
    return root


def _person(parent: etree._Element, entity: Entity) -> None:
    """A ``<person>`` (or ``<personGrp>`` for a role) of the corpus header."""
    if entity.kind == "group":
        group = etree.SubElement(parent, tei("personGrp"), {xml("id"): entity.id},
                                 role=entity.role or "anonymous")
        etree.SubElement(group, tei("name"), type="role").text = entity.name
        return
    person = etree.SubElement(parent, tei("person"), {xml("id"): entity.id})
    if entity.listed:  # a speaker only pointed at has no name to give, only its identifier
        etree.SubElement(person, tei("persName")).text = entity.name
    for occupation in entity.details:  # a person's details are its occupations
        etree.SubElement(person, tei("occupation")).text = occupation
    _idnos(person, entity.idnos)


def _place(parent: etree._Element, entity: Entity) -> None:
    """A ``<place>`` of the corpus header."""
    place = etree.SubElement(parent, tei("place"), {xml("id"): entity.id})
    etree.SubElement(place, tei("placeName")).text = entity.name
    _idnos(place, entity.idnos)


def _idnos(parent: etree._Element, idnos: Iterable[Idno]) -> None:
    """Authority identifiers as ``<idno type>``."""
    for idno in idnos:
        etree.SubElement(parent, tei("idno"), type=idno.type).text = idno.value
