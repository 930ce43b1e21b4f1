"""TEI from other corpora in an edition: its documents, and their check against tei_all.

A TEI source that does not claim the profile (:func:`~tei.validation.documents.claims_profile`:
a DraCor play, a ParlaMint sitting, a TEI Publisher document, a ``teiCorpus`` such as
the Parla-CLARIN exemplar) is published when it is valid TEI. In the worker
(:func:`documents_of`):

* its XIncludes are resolved safely (:mod:`tei.xinclude`: files under the source's own
  folder only); one that cannot be is left out and told as a note;
* each TEI document in it is one document of the edition: the source itself, or
  every member of a ``teiCorpus``, which becomes a TEI file of its own;
* persons and places kept outside a document, in the header of its ``teiCorpus`` or
  in a list it XIncludes (ParlaMint keeps every speaker of a parliament in one
  ``listPerson``), are shared lists: the document gets the entries it points at
  (``who="#LindsayHoyle"``), no others, so each page lists its own speakers;
* the profile's findings are a note (how far the document is from the profile).

A source published as it is keeps its bytes; one rewritten (a member, XIncludes
resolved) is written as tei-edition writes TEI. Whether it is TEI is checked in the
build's own process (:class:`TeiAllCheck`), against tei_all cut to each document's
elements (milliseconds, :mod:`tei.validation.prepared`); the whole schema, 6-12 s to
compile, only for a document that the cut one refuses, once per build.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei.errors import TeiEditionError
from tei.validation.documents import distance
from tei.validation.report import Distance
from tei.validation.documents import members as corpus_members
from tei.validation.schema import Validator
from tei.xinclude import has_includes, resolve
from tei.xmlio import TEI_NS, in_text, local_name, parse_bytes, tei, to_bytes, xml

ENTRIES = {tei("person"): "listPerson", tei("personGrp"): "listPerson", tei("place"): "listPlace"}
"""Entries a document may take from a shared list, and the list they go into."""
SHARED_LISTS = frozenset({tei("listPerson"), tei("listPlace")})
"""Lists that, XIncluded, are shared by many documents: pruned to what each points at."""
_HOLDERS = {"listPerson": "particDesc", "listPlace": "settingDesc"}


@dataclass(slots=True)
class ForeignDocument:
    """One document of a source from another corpus, ready to be published."""

    tree: etree._ElementTree
    tei: bytes
    name: str
    """What identifies it when it has no ``xml:id`` (the file's stem, ``-2`` for a second member)."""
    rewritten: bool
    """True when ``tei`` is not the source's bytes (a corpus member; XIncludes resolved)."""
    distance: Distance | None = None


@dataclass(slots=True)
class ForeignSource:
    """The documents of one source, and what its reading noted."""

    documents: list[ForeignDocument] = field(default_factory=list)
    notes: list[TeiEditionError] = field(default_factory=list)
    included: list[Path] = field(default_factory=list)
    """The files it XIncludes, resolved or not: a change to any of them rebuilds it."""


def documents_of(tree: etree._ElementTree, data: bytes, path: str,
                 validator: Validator) -> ForeignSource:
    """The documents of the TEI source at ``path`` (parsed as ``tree`` from ``data``)."""
    source = ForeignSource()
    shared: set[etree._Element] = set()
    includes = has_includes(tree)
    if includes:
        resolution = resolve(tree, path, len(data))
        source.notes += [problem.error() for problem in resolution.problems]
        source.included = resolution.files
        shared = {i.element for i in resolution.inclusions
                  if i.element is not None and i.element.tag in SHARED_LISTS}
    root = tree.getroot()
    stem = Path(path).stem
    if etree.QName(root).namespace == TEI_NS and local_name(root) not in ("TEI", "teiCorpus"):
        source.notes.append(TeiEditionError(
            f"a part of TEI (<{local_name(root)}>), not a document: not published on its own "
            f"(documents may XInclude it)", path=path, line=root.sourceline))
        return source
    if root.tag != tei("teiCorpus"):
        if includes:
            prune(root, pointed_at(root, shared), shared)
        kept = None if includes else data
        source.documents.append(_document(tree, kept, stem, path, validator))
        return source
    members = list(corpus_members(root))
    if not members:
        raise TeiEditionError("a teiCorpus without TEI documents in it: nothing to publish",
                              path=path, line=root.sourceline)
    for number, member in enumerate(members, start=1):
        document = standalone(member, shared)
        name = stem if len(members) == 1 else f"{stem}-{number}"
        source.documents.append(_document(etree.ElementTree(document), None, name, path,
                                          validator))
    return source


def _document(tree: etree._ElementTree, data: bytes | None, name: str, path: str,
              validator: Validator) -> ForeignDocument:
    """A document with its profile distance; ``data``: its bytes as published, None to write
    them as this tool writes TEI."""
    findings = validator.validate_tree(tree, path, source=data)  # before to_bytes re-indents
    root = tree.getroot()
    label = f"{path} (document {root.get(xml('id')) or name})"
    note = distance(findings, label, "TEI from another corpus")
    if data is None:
        etree.cleanup_namespaces(tree)  # the XInclude namespace, once its includes are resolved
    return ForeignDocument(tree, data if data is not None else to_bytes(tree), name,
                           rewritten=data is None, distance=note)


def pointed_at(document: etree._Element, shared: set[etree._Element]) -> set[str]:
    """The identifiers ``document`` points at (``#x`` in any attribute), shared lists aside."""
    found: set[str] = set()
    skipped = set(_descendants_of(shared))
    for element in document.iter(etree.Element):
        if element in skipped:
            continue
        for value in element.attrib.values():
            found.update(token[1:] for token in value.split() if token.startswith("#"))
    return found


def _descendants_of(elements: Iterable[etree._Element]) -> Iterator[etree._Element]:
    """Every element in ``elements`` and below them."""
    for element in elements:
        yield from element.iter(etree.Element)


def prune(document: etree._Element, wanted: set[str], shared: set[etree._Element]) -> bool:
    """Keep of the shared lists in ``document`` the entries it points at; True if any went.
    Lists and their holders left empty go too (see :func:`drop_empty_holders`)."""
    changed = False
    for shared_list in [s for s in shared if _within(s, document)]:
        for entry in [e for e in shared_list.iter(*ENTRIES) if e.get(xml("id")) not in wanted]:
            _remove(entry)
            changed = True
    return drop_empty_holders(document) or changed


def drop_empty_holders(document: etree._Element) -> bool:
    """Take out the lists of entries and their holders (``particDesc``, ``settingDesc``) left
    with no entry, by pruning or by an XInclude that could not be resolved: TEI wants them
    filled. True if any went."""
    empty_lists = [listing for listing in document.iter(*SHARED_LISTS)
                   if not in_text(listing) and next(listing.iter(*ENTRIES), None) is None]
    for listing in empty_lists:
        _remove(listing)
    empty_holders = [holder for holder in document.iter(*(tei(h) for h in _HOLDERS.values()))
                     if next(holder.iterchildren(etree.Element), None) is None
                     and not (holder.text or "").strip()]
    for holder in empty_holders:
        _remove(holder)
    return bool(empty_lists or empty_holders)


def standalone(member: etree._Element, shared: set[etree._Element]) -> etree._Element:
    """A member of a ``teiCorpus`` as a document of its own: the entries of the corpus
    headers it points at copied into its header, its language made explicit."""
    wanted = pointed_at(member, shared)
    own = {e.get(xml("id")) for e in member.iter(*ENTRIES)}
    borrowed = [entry for header in _corpus_headers(member) for entry in header.iter(*ENTRIES)
                if entry.get(xml("id")) in wanted - own]
    document = copy.deepcopy(member)
    document.tail = None
    lang = next((a.get(xml("lang")) for a in member.iterancestors() if a.get(xml("lang"))), None)
    if document.get(xml("lang")) is None and lang:
        document.set(xml("lang"), lang)
    inner_shared = {c for s, c in zip(_descendants_of([member]), document.iter(etree.Element))
                    if s in shared}
    prune(document, wanted, inner_shared)
    _add_entries(document, borrowed)
    return document


def _corpus_headers(member: etree._Element) -> Iterator[etree._Element]:
    """The headers of the corpora ``member`` stands in, innermost first."""
    for ancestor in member.iterancestors(tei("teiCorpus")):
        header = ancestor.find(tei("teiHeader"))
        if header is not None:
            yield header


def _add_entries(document: etree._Element, entries: list[etree._Element]) -> None:
    """Copy ``entries`` into the header of ``document``: persons into a new
    ``particDesc/listPerson``, places into a new ``settingDesc/listPlace``."""
    if not entries:
        return
    header = document.find(tei("teiHeader"))
    if header is None:
        return
    profile = header.find(tei("profileDesc"))
    if profile is None:
        profile = etree.Element(tei("profileDesc"))
        revision = header.find(tei("revisionDesc"))
        if revision is not None:
            revision.addprevious(profile)
        else:
            header.append(profile)
    for list_name, holder_name in _HOLDERS.items():
        chosen = [e for e in entries if ENTRIES[e.tag] == list_name]
        if chosen:
            holder = etree.SubElement(profile, tei(holder_name))
            listing = etree.SubElement(holder, tei(list_name))
            for entry in chosen:
                entry_copy = copy.deepcopy(entry)
                entry_copy.tail = None
                listing.append(entry_copy)


def _within(element: etree._Element, document: etree._Element) -> bool:
    """True when ``element`` is ``document`` or stands in it."""
    return element is document or any(a is document for a in element.iterancestors())


def _remove(element: etree._Element) -> None:
    """Take ``element`` out of its parent, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# -- the build's check against tei_all -------------------------------------------------------


class TeiAllCheck:
    """Checks what is published of other corpora's TEI against tei_all, in the build's process.

    tei_all is compiled the first time a source needs it (never, for a corpus of
    transcripts), once per build; each check then takes milliseconds.
    """

    def __init__(self) -> None:
        self._validator: Validator | None = None

    def error(self, path: str, published: Iterable[tuple[Path, bool]]) -> TeiEditionError | None:
        """Why what the source at ``path`` gives is not valid TEI, if it is not: the TEI of
        each document ``published`` (the file, and whether tei-edition rewrote the source's
        bytes: a corpus member, XIncludes resolved)."""
        validator = self._validator = self._validator or Validator(tei_all=True)
        for part, rewritten in published:
            data = part.read_bytes()
            tree = parse_bytes(data, path)
            findings = validator.findings(path, tree.getroot(),
                                          validator.tei_all_explanations(tree), data)
            if findings:
                first = findings[0]
                more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
                where = (f"; in the document {_id_of(tree)} made from it, at line {first.line} "
                         f"of its TEI" if rewritten else "")
                return TeiEditionError(
                    f"not valid TEI: {first.message}{more}{where}: run tei-edition validate "
                    f"--tei-all {path}", path=path, line=None if rewritten else first.line)
        return None


def _id_of(tree: etree._ElementTree) -> str:
    """A document's ``xml:id``, for messages."""
    return tree.getroot().get(xml("id")) or "without xml:id"
