"""An authority file: one identifier per person and place across a whole corpus.

Readers give each document its own persons, with IDs made from the names the
document prints (``putin-vladimir``, or ``putin-v`` when only ``В.Путин`` is
known). An editor's authority file fixes this across the corpus: it names each
person or place once, under one ID, lists the variant spellings that mean it
(``В.Путин``, ``Владимир Путин``, ``Vladimir Putin``), and adds identifiers
from outside authorities (Wikidata, VIAF, GeoNames) that the encoder writes as
``<idno>`` and the HTML shows as links.

Two formats, the same content:

* TEI: any TEI file with ``listPerson/person`` and ``listPlace/place``; the
  ``xml:id`` is the ID, the first ``persName``/``placeName`` the name and every
  name a variant; ``<idno type="wikidata">Q7747</idno>`` an identifier.
* CSV (UTF-8, header row): ``kind,id,name,forename,surname,variants`` plus one
  column per identifier type (``wikidata``, ``viaf``, ``geonames``…); variants
  are separated by ``|``; ``kind`` is ``person`` (the default) or ``place``.

The authority is applied to the document model before encoding
(:meth:`Authority.apply`), so the TEI, the HTML and the corpus pages all agree.
TEI files given to ``build`` as sources are published as they are: their
persons keep the IDs and identifiers their editors gave them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from tei.errors import ReadError
from tei.ids import make_unique
from tei.model import Document, Idno, Mention, Paragraph, Person, Turn
from tei.readers.names.words import name_key
from tei.xmlio import parse_file, tei, xml

Kind = Literal["person", "place"]

IDNO_TYPES = ("wikidata", "viaf", "geonames", "gnd", "isni", "orcid", "lccn")
"""Identifier types a CSV authority may give as columns (the HTML links the first three)."""

CSV_COLUMNS = ("kind", "id", "name", "forename", "surname", "variants")
"""Columns of a CSV authority besides the identifier columns (named after ``IDNO_TYPES``)."""

NOTE_COLUMNS = ("check",)
"""Columns for the editor, ignored here (a drafted authority's ``check``: see
:mod:`tei.authority_draft`)."""

_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")


@dataclass(slots=True)
class Entry:
    """One person or place of the authority: its corpus-wide ID, name and identifiers."""

    id: str
    kind: Kind
    name: str
    forename: str | None = None
    surname: str | None = None
    variants: list[str] = field(default_factory=list)
    """Every spelling that means this entry (the name included)."""
    idnos: list[Idno] = field(default_factory=list)
    line: int = 0
    """Line of the authority file where the entry starts, for error messages."""


@dataclass(slots=True)
class Authority:
    """The entries of an authority file, looked up by ID or by any variant of their names."""

    entries: list[Entry]
    path: str | None = None
    _index: dict[tuple[Kind, str], Entry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._add_key(entry, (entry.kind, entry.id), entry.id)
            for variant in [entry.name, *entry.variants]:
                if name_key(variant):
                    self._add_key(entry, (entry.kind, f"name:{name_key(variant)}"), variant)

    def _add_key(self, entry: Entry, key: tuple[Kind, str], shown: str) -> None:
        """Index ``entry`` under ``key``; two entries claiming one key is an error."""
        other = self._index.get(key)
        if other is not None and other is not entry:
            what = "name" if key[1].startswith("name:") else "ID"
            raise ReadError(
                f"{entry.kind} {what} {shown!r} of {entry.id!r} is already used by {other.id!r} "
                f"(line {other.line}): each {what} must mean one {entry.kind}",
                path=self.path, line=entry.line)
        self._index[key] = entry

    def find(self, kind: Kind, ids: Iterable[str], names: Iterable[str]) -> Entry | None:
        """The entry with one of these IDs or one of these names (IDs first), if any."""
        for key in ids:
            if (entry := self._index.get((kind, key))) is not None:
                return entry
        for name in names:
            if (entry := self._index.get((kind, f"name:{name_key(name)}"))) is not None:
                return entry
        return None

    def apply(self, doc: Document) -> Document:
        """Give ``doc``'s persons and places their authority IDs, names and identifiers.

        Persons of one document that the authority says are one person are
        merged; every turn and mention follows its person's new ID.
        """
        person_ids = self._apply_persons(doc)
        place_ids = self._apply_places(doc)
        for turn in doc.turns():
            turn.who = person_ids.get(turn.who, turn.who)
        for paragraph in _paragraphs(doc):
            for item in paragraph.content:
                if isinstance(item, Mention):
                    table = person_ids if item.kind == "person" else place_ids
                    item.ref = table.get(item.ref, item.ref)
        return doc

    def _apply_persons(self, doc: Document) -> dict[str, str]:
        """Rename, merge and enrich ``doc.persons``; returns old ID -> new ID."""
        renamed: dict[str, str] = {}
        kept: dict[str, Person] = {}
        unmatched: list[Person] = []
        for person in doc.persons:
            entry = None if person.anonymous else self.find(
                "person", [person.id], [person.name, *person.labels, *_full_names(person)])
            if entry is None:
                unmatched.append(person)
                continue
            renamed[person.id] = entry.id
            if entry.id in kept:
                _merge_person(kept[entry.id], person)
            else:
                kept[entry.id] = _enrich_person(person, entry)
        taken = set(kept)
        for person in unmatched:
            new_id = make_unique(person.id, taken)
            renamed[person.id], person.id = new_id, new_id
        doc.persons = [p for p in doc.persons if p in unmatched or kept.get(p.id) is p]
        return renamed

    def _apply_places(self, doc: Document) -> dict[str, str]:
        """Rename and enrich ``doc.places`` (and ``doc.place``); returns old ID -> new ID."""
        renamed: dict[str, str] = {}
        for place in doc.places:
            entry = self.find("place", [place.id], [place.name])
            if entry is not None:
                renamed[place.id] = entry.id
                place.id, place.name = entry.id, entry.name
                place.idnos = _union_idnos(place.idnos, entry.idnos)
        return renamed


def _paragraphs(doc: Document) -> Iterable[Paragraph]:
    """Every paragraph of the lead and the transcript, where mentions live."""
    yield from (item for item in doc.lead if isinstance(item, Paragraph))
    for item in doc.transcript:
        if isinstance(item, Paragraph):
            yield item
        elif isinstance(item, Turn):
            yield from (block for block in item.blocks if isinstance(block, Paragraph))


def _full_names(person: Person) -> list[str]:
    """``Владимир Путин`` and ``Путин Владимир`` from forename and surname, when both are known."""
    if person.forename and person.surname:
        return [f"{person.forename} {person.surname}", f"{person.surname} {person.forename}"]
    return []


def _union_idnos(first: list[Idno], second: list[Idno]) -> list[Idno]:
    """Both lists of identifiers, each identifier once, in order."""
    seen: set[tuple[str, str]] = set()
    result = []
    for idno in [*first, *second]:
        if (idno.type, idno.value) not in seen:
            seen.add((idno.type, idno.value))
            result.append(idno)
    return result


def _enrich_person(person: Person, entry: Entry) -> Person:
    """``person`` under the authority's ID and name, with its identifiers."""
    person.id, person.name = entry.id, entry.name
    person.forename, person.surname = entry.forename, entry.surname
    person.idnos = _union_idnos(entry.idnos, person.idnos)
    return person


def _merge_person(target: Person, other: Person) -> None:
    """Fold ``other`` (another spelling of the same person) into ``target``."""
    target.labels.extend(label for label in other.labels if label not in target.labels)
    target.occupation = target.occupation or other.occupation
    target.idnos = _union_idnos(target.idnos, other.idnos)


# -- loading ----------------------------------------------------------------------------------


def load_authority(path: str | Path) -> Authority:
    """Read an authority file: TEI (``.xml``) or CSV (``.csv``); errors name the file and line."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return Authority(_read_csv(path), str(path))
    if path.suffix.lower() == ".xml":
        return Authority(_read_tei(path), str(path))
    raise ReadError("an authority file must be TEI (.xml) or CSV (.csv)", path=str(path))


def _check_id(value: str, path: Path, line: int) -> str:
    """``value`` if it can serve as an ``xml:id`` (an NCName), else a clear error."""
    value = value.strip()
    if not _NCNAME.match(value):
        raise ReadError(f"{value!r} cannot be an ID: use letters, digits, '-', '_' or '.', "
                        f"starting with a letter", path=str(path), line=line)
    return value


def _text(element: etree._Element) -> str:
    """The text of an element with whitespace collapsed: ``Владимир Путин``."""
    return " ".join("".join(element.itertext()).split())


def _read_tei(path: Path) -> list[Entry]:
    """The persons and places of a TEI authority file."""
    root = parse_file(path).getroot()
    entries = []
    kinds: tuple[tuple[Kind, str, str], ...] = (("person", "person", "persName"),
                                                ("place", "place", "placeName"))
    for kind, tag, name_tag in kinds:
        for element in root.iter(tei(tag)):
            entries.append(_tei_entry(element, kind, name_tag, path))
    if not entries:
        raise ReadError("no listPerson/person or listPlace/place in this TEI file",
                        path=str(path), line=root.sourceline)
    return entries


def _tei_entry(element: etree._Element, kind: Kind, name_tag: str, path: Path) -> Entry:
    """One ``<person>`` or ``<place>`` as an :class:`Entry`."""
    line = element.sourceline or 0
    ident = element.get(xml("id"))
    if not ident:
        raise ReadError(f"<{kind}> without xml:id: give it the corpus-wide ID", path=str(path),
                        line=line)
    names = element.findall(tei(name_tag))
    if not names:
        raise ReadError(f"<{kind} xml:id={ident!r}> has no <{name_tag}>", path=str(path), line=line)
    main = names[0]
    forename, surname = main.find(tei("forename")), main.find(tei("surname"))
    return Entry(
        id=_check_id(ident, path, line), kind=kind, name=_text(main),
        forename=_text(forename) if forename is not None else None,
        surname=_text(surname) if surname is not None else None,
        variants=[_text(name) for name in names],
        idnos=[Idno(idno.get("type", "URI"), _text(idno)) for idno in element.findall(tei("idno"))],
        line=line)


def _read_csv(path: Path) -> list[Entry]:
    """The rows of a CSV authority file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReadError(f"not UTF-8 ({error.reason})", path=str(path), line=1) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    unknown = [c for c in columns
               if c not in CSV_COLUMNS and c not in NOTE_COLUMNS and c.lower() not in IDNO_TYPES]
    if unknown or "id" not in columns or "name" not in columns:
        raise ReadError(
            f"header must have the columns id and name, optionally {', '.join(CSV_COLUMNS[3:])}, "
            f"kind, and identifier columns ({', '.join(IDNO_TYPES)}); got {', '.join(columns)}",
            path=str(path), line=1)
    return [_csv_entry(row, reader.line_num, path) for row in reader]


def _csv_entry(row: dict[str, str | None], line: int, path: Path) -> Entry:
    """One CSV row as an :class:`Entry`."""
    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    kind = cell("kind") or "person"
    if kind not in ("person", "place"):
        raise ReadError(f"kind must be person or place, not {kind!r}", path=str(path), line=line)
    name = cell("name")
    if not name:
        raise ReadError("the name column is empty", path=str(path), line=line)
    variants = [v.strip() for v in cell("variants").split("|") if v.strip()]
    idnos = [Idno(column.lower(), cell(column)) for column in row
             if column and column.lower() in IDNO_TYPES and cell(column)]
    return Entry(id=_check_id(cell("id"), path, line), kind=kind,  # type: ignore[arg-type]
                 name=name, forename=cell("forename") or None, surname=cell("surname") or None,
                 variants=[name, *variants], idnos=idnos, line=line)
