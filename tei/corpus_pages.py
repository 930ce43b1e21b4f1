"""The corpus-wide pages: index, persons, places, ``turns.tsv`` and ``corpus.xml``.

Each document leaves a small JSON summary (:func:`summarise_document`, made
in the worker from the TEI and its view). Once every document is built, the
summaries are loaded into a throwaway SQLite database (:class:`CorpusIndex`)
and the pages are streamed out of ordered queries: the index of documents,
every person and place across the corpus with each of their turns and
mentions linked, one TSV row per turn, and the ``teiCorpus``. Nothing grows in
memory with the corpus: SQLite sorts on disk, Jinja's ``generate`` and lxml's
``xmlfile`` write as they go.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree
from markupsafe import Markup

from tei.corpus_tei import CorpusEntity, CorpusHeader, member_path, write_corpus_xml
from tei.render.labels import Labels, ui_lang
from tei.render.view import DocumentView, Paragraph, Piece
from tei.xmlio import NSMAP, xml

PAGES = ("index.html", "persons.html", "places.html", "turns.tsv", "corpus.xml")
"""The corpus-wide files of a build, at its top."""

TSV_COLUMNS = ("document_id", "date", "turn", "paragraphs", "speaker_id", "speaker_label",
               "words", "characters")
"""Columns of ``turns.tsv``: one row per turn (``<sp>``), in document and turn order."""

CORPUS_LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "corpus": "Корпус", "documents": "Документы", "document": "Документ", "title": "Название",
        "speakers": "Говорящие", "corpus_persons": "Участники корпуса",
        "corpus_places": "Места корпуса", "mentions": "Упоминания", "setting": "место события",
        "sort_hint": "Щёлкните заголовок столбца, чтобы упорядочить таблицу.",
        "downloads": "Данные", "turns_tsv": "Реплики (TSV)", "corpus_xml": "Корпус (TEI)",
        "in_documents": "Документов",
    },
    "en": {
        "corpus": "Corpus", "documents": "Documents", "document": "Document", "title": "Title",
        "speakers": "Speakers", "corpus_persons": "Persons of the corpus",
        "corpus_places": "Places of the corpus", "mentions": "Mentions", "setting": "setting",
        "sort_hint": "Click a column heading to sort the table.",
        "downloads": "Data", "turns_tsv": "Turns (TSV)", "corpus_xml": "Corpus (TEI)",
        "in_documents": "Documents",
    },
}
"""Words of the corpus pages, besides those the document pages use (``tei.render.labels``)."""


# -- one document's summary (made in the worker) ----------------------------------------------


def summarise_document(view: DocumentView, tree: etree._ElementTree, source: str) -> dict[str, Any]:
    """What the corpus pages need of one document: a few kilobytes of JSON-ready data."""
    turns = []
    for turn in view.turns:
        numbered = [b for b in turn.blocks if isinstance(b, Paragraph) and b.n is not None]
        span = f"{numbered[0].n}-{numbered[-1].n}" if numbered else ""
        chars = sum(len(_spoken(b.pieces)) for b in numbered)
        turns.append([turn.n, turn.id, [s.id for s in turn.speakers], turn.label, span,
                      turn.words, chars])
    return {
        "id": view.id, "title": view.title, "lang": view.lang, "source": source,
        "when": view.date.iso if view.date else None,
        "date": view.date.text if view.date else "",
        "place": view.place, "place_id": view.place_id,
        "persons": [{"id": p.id, "name": p.name, "kind": "group" if p.group else "person",
                     "occupation": p.occupation, "role": p.role,
                     "idnos": [[i.type, i.value, i.url] for i in p.idnos]}
                    for p in view.persons if p.listed],
        "places": [{"id": p.id, "name": p.name, "parts": p.parts,
                    "idnos": [[i.type, i.value, i.url] for i in p.idnos]} for p in view.places],
        "turns": turns,
        "mentions": _mentions(tree),
    }


def _spoken(pieces: list[Piece]) -> str:
    """The words said in a paragraph: what the renderers count as words (not supplied text,
    stage directions or notes)."""
    return "".join(p.text if p.kind == "text" else _spoken(p.children)
                   for p in pieces if p.kind in ("text", "link", "emph", "span"))


def _mentions(tree: etree._ElementTree) -> list[list[Any]]:
    """Persons and places named in running text: ``[kind, id, paragraph anchor, paragraph n]``."""
    found = []
    for element in tree.getroot().iterfind(".//tei:text//*[@ref]", NSMAP):
        kind = {"persName": "person", "placeName": "place"}.get(etree.QName(element).localname)
        ref = element.get("ref", "")
        if kind is None or not ref.startswith("#"):
            continue
        paragraph = next(element.iterancestors("{*}p", "{*}u", "{*}sp"), None)
        anchor = paragraph.get(xml("id")) if paragraph is not None else None
        number = paragraph.get("n") if paragraph is not None else None
        found.append([kind, ref[1:], anchor, number])
    return found


# -- the corpus index ---------------------------------------------------------------------


@dataclass(slots=True)
class DocumentRow:
    """One document as the index lists it (links relative to the build's top)."""

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
        return f"html/{self.id}.html"

    @property
    def tei(self) -> str:
        """Link to the document's TEI."""
        return f"tei/{self.id}.xml"

    @property
    def text(self) -> str:
        """Link to the document's plain text."""
        return f"text/{self.id}.txt"


@dataclass(slots=True)
class Link:
    """A numbered link into a document page: a turn (``#sp3``) or a paragraph (``#p4``)."""

    n: str
    href: str


@dataclass(slots=True)
class Occurrence:
    """Where one person or place occurs in one document: turns and mentions."""

    document: DocumentRow
    turns: list[Link] = field(default_factory=list)
    mentions: list[Link] = field(default_factory=list)
    setting: bool = False
    """True when the place is where the event of the document took place."""


@dataclass(slots=True)
class IdnoLink:
    """An authority identifier, with its web address when known."""

    type: str
    value: str
    url: str | None


@dataclass(slots=True)
class Entity:
    """A person, role or place across the corpus, with counts and, lazily, its occurrences."""

    id: str
    kind: str
    name: str
    details: list[str]
    """A person's offices, or where a place lies (region, country), as the documents give them."""
    role: str | None
    idnos: list[IdnoLink]
    documents: int = 0
    turns: int = 0
    words: int = 0
    occurrences: Iterator[Occurrence] = field(default_factory=lambda: iter(()))


class _Groups:
    """The rows of one query ordered by its first column, handed out key by key (a merge join)."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self._rows = iter(rows)
        self._head = next(self._rows, None)

    def take(self, key: str) -> Iterator[tuple[Any, ...]]:
        """The rows whose first column is ``key`` (rows of smaller keys are skipped)."""
        while self._head is not None and self._head[0] < key:
            self._head = next(self._rows, None)
        while self._head is not None and self._head[0] == key:
            row, self._head = self._head, next(self._rows, None)
            yield row


_SCHEMA = """
CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT, lang TEXT, when_iso TEXT, date TEXT,
                   place TEXT, place_id TEXT, speakers INT, turns INT, words INT, sort TEXT);
CREATE TABLE entities (id TEXT, kind TEXT, doc TEXT, name TEXT, occupation TEXT, role TEXT,
                       idnos TEXT);
CREATE TABLE turns (doc TEXT, seq INT, n TEXT, anchor TEXT, who TEXT, label TEXT,
                    paragraphs TEXT, words INT, chars INT);
CREATE TABLE spoken (person TEXT, doc TEXT, seq INT);
CREATE TABLE mentions (kind TEXT, ref TEXT, doc TEXT, seq INT, anchor TEXT, n TEXT);
"""

_DOC_ORDER = "d.sort"
"""Documents in date order, then by ID (undated last)."""


class CorpusIndex:
    """Every document's summary in one on-disk SQLite database, queried in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self.languages: Counter[str] = Counter()

    def close(self) -> None:
        """Close and delete the database."""
        self.db.close()
        self.path.unlink(missing_ok=True)

    def add(self, summary: dict[str, Any]) -> None:
        """Add one document's summary (as :func:`summarise_document` made it)."""
        doc = summary["id"]
        turns = summary["turns"]
        speakers = {who for turn in turns for who in turn[2]}
        sort = f"0{summary['when']}|{doc}" if summary["when"] else f"1|{doc}"
        self.languages[summary["lang"]] += 1
        self.db.execute(
            "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (doc, summary["title"], summary["lang"], summary["when"], summary["date"],
             summary["place"], summary["place_id"], len(speakers), len(turns),
             sum(turn[5] for turn in turns), sort))
        self.db.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?,?)",
            [(p["id"], p["kind"], doc, p["name"], p["occupation"], p["role"], json.dumps(p["idnos"]))
             for p in summary["persons"]]
            + [(p["id"], "place", doc, p["name"], ", ".join(p["parts"]) or None, None,
                json.dumps(p["idnos"])) for p in summary["places"]])
        self.db.executemany(
            "INSERT INTO turns VALUES (?,?,?,?,?,?,?,?,?)",
            [(doc, seq, n, anchor, " ".join(who), label, span, words, chars)
             for seq, (n, anchor, who, label, span, words, chars) in enumerate(turns)])
        self.db.executemany("INSERT INTO spoken VALUES (?,?,?)",
                            [(who, doc, seq) for seq, turn in enumerate(turns) for who in turn[2]])
        self.db.executemany(
            "INSERT INTO mentions VALUES (?,?,?,?,?,?)",
            [(kind, ref, doc, seq, anchor, n)
             for seq, (kind, ref, anchor, n) in enumerate(summary["mentions"])])

    def finish(self) -> None:
        """Index the tables for the queries of the pages."""
        self.db.executescript(
            "CREATE INDEX docs_sort ON docs(sort); CREATE INDEX turns_doc ON turns(doc, seq);"
            "CREATE INDEX entities_id ON entities(id); ANALYZE;")
        self.db.commit()

    @property
    def lang(self) -> str:
        """The language most documents are in (the language of the corpus pages)."""
        return self.languages.most_common(1)[0][0] if self.languages else "en"

    def totals(self) -> tuple[int, int, int]:
        """Documents, turns and words of the corpus."""
        row = self.db.execute("SELECT COUNT(*), COALESCE(SUM(turns),0), COALESCE(SUM(words),0) "
                              "FROM docs").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def documents(self) -> Iterator[DocumentRow]:
        """Every document, in date order."""
        query = ("SELECT id, title, lang, when_iso, date, place, speakers, turns, words "
                 f"FROM docs d ORDER BY {_DOC_ORDER}")
        for row in self.db.execute(query):
            yield DocumentRow(*row)

    def entities(self, kinds: tuple[str, ...]) -> Iterator[Entity]:
        """Every person and role (or every place) once, by ID, each with one name.

        The name is the one most documents use (the longest on a tie); offices
        and identifiers are gathered from every document.
        """
        marks = ",".join("?" * len(kinds))
        rows = self.db.execute(
            "SELECT e.id, e.kind, e.name, e.occupation, e.role, e.idnos FROM entities e "
            f"JOIN docs d ON d.id = e.doc WHERE e.kind IN ({marks}) ORDER BY e.id, {_DOC_ORDER}",
            kinds)
        for key, group in itertools.groupby(rows, key=lambda row: row[0]):
            found = list(group)
            names = Counter(row[2] for row in found)
            name = max(names, key=lambda n: (names[n], len(n), n))
            idnos: dict[tuple[str, str], IdnoLink] = {}
            for row in found:
                for kind, value, url in json.loads(row[5]):
                    idnos.setdefault((kind, value), IdnoLink(kind, value, url))
            yield Entity(id=key, kind=found[0][1], name=name,
                         details=list(dict.fromkeys(r[3] for r in found if r[3])),
                         role=found[0][4], idnos=list(idnos.values()))

    def persons(self) -> Iterator[Entity]:
        """Every person and role, with their turns and mentions document by document."""
        columns = "d.id, d.title, d.lang, d.when_iso, d.date, d.place, d.speakers, d.turns, d.words"
        counts = _Groups(self.db.execute(
            "SELECT s.person, COUNT(*), SUM(t.words), COUNT(DISTINCT s.doc) FROM spoken s "
            "JOIN turns t ON t.doc = s.doc AND t.seq = s.seq GROUP BY s.person ORDER BY s.person"))
        occurrences = _Groups(self.db.execute(
            f"SELECT s.person, 0, t.n, t.anchor, {_DOC_ORDER}, t.seq, {columns} FROM spoken s "
            "JOIN turns t ON t.doc = s.doc AND t.seq = s.seq JOIN docs d ON d.id = s.doc "
            f"UNION ALL SELECT m.ref, 1, m.n, m.anchor, {_DOC_ORDER}, m.seq, {columns} "
            "FROM mentions m JOIN docs d ON d.id = m.doc WHERE m.kind = 'person' "
            "ORDER BY 1, 5, 2, 6"))
        for entity in self.entities(("person", "group")):
            for _, turns, words, documents in counts.take(entity.id):
                entity.turns, entity.words, entity.documents = turns, words or 0, documents
            entity.occurrences = self._occurrences(occurrences.take(entity.id))
            yield entity

    def places(self) -> Iterator[Entity]:
        """Every place, with the documents set there and the paragraphs that name it."""
        columns = "d.id, d.title, d.lang, d.when_iso, d.date, d.place, d.speakers, d.turns, d.words"
        occurrences = _Groups(self.db.execute(
            f"SELECT d.place_id, 2, NULL, NULL, {_DOC_ORDER}, 0, {columns} FROM docs d "
            "WHERE d.place_id IS NOT NULL "
            f"UNION ALL SELECT m.ref, 1, m.n, m.anchor, {_DOC_ORDER}, m.seq, {columns} "
            "FROM mentions m JOIN docs d ON d.id = m.doc WHERE m.kind = 'place' "
            "ORDER BY 1, 5, 2, 6"))
        for entity in self.entities(("place",)):
            entity.occurrences = self._occurrences(occurrences.take(entity.id))
            yield entity

    def _occurrences(self, rows: Iterator[tuple[Any, ...]]) -> Iterator[Occurrence]:
        """Rows of one entity (ordered by document) as one :class:`Occurrence` per document.

        Each row is ``(entity, what, n, anchor, document order, position, *document columns)``
        where ``what`` is 0 for a turn, 1 for a mention and 2 for the setting of the event.
        """
        for _, group in itertools.groupby(rows, key=lambda row: row[4]):
            found = list(group)
            document = DocumentRow(*found[0][6:])
            occurrence = Occurrence(document)
            for _, what, n, anchor, *_rest in found:
                href = f"{document.html}#{anchor}" if anchor else document.html
                if what == 0:
                    occurrence.turns.append(Link(n, href))
                elif what == 1:
                    occurrence.mentions.append(Link(n or "", href))
                else:
                    occurrence.setting = True
            yield occurrence

    def turn_rows(self) -> Iterator[tuple[Any, ...]]:
        """One row per turn, columns as ``TSV_COLUMNS``, in document and turn order."""
        yield from self.db.execute(
            "SELECT d.id, COALESCE(d.when_iso, ''), t.n, t.paragraphs, t.who, t.label, t.words, "
            f"t.chars FROM turns t JOIN docs d ON d.id = t.doc ORDER BY {_DOC_ORDER}, t.seq")

    def header_entities(self, kinds: tuple[str, ...]) -> Iterator[CorpusEntity]:
        """Persons (or places) as the ``teiCorpus`` header lists them."""
        for entity in self.entities(kinds):
            yield CorpusEntity(
                id=entity.id, kind=entity.kind, name=entity.name,
                occupations=entity.details if entity.kind == "person" else [],
                role=entity.role, idnos=[(i.type, i.value) for i in entity.idnos])


# -- writing the pages ----------------------------------------------------------------------


class _HashingWriter:
    """A binary file that also hashes what is written to it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)


class _TextOut:
    """Text written as UTF-8 to a binary writer (for :mod:`csv`)."""

    def __init__(self, out: _HashingWriter) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class PageSettings:
    """What the corpus pages say about the edition as a whole."""

    title: str = "tei-edition"
    publisher: str = "tei-edition"
    templates: Path | None = None


def write_pages(build_dir: Path, summaries: Iterable[Path], settings: PageSettings,
                scratch: Path) -> dict[str, str]:
    """Write every corpus-wide file into ``build_dir``; returns their SHA-256 by name.

    ``summaries`` are the JSON files of the documents; ``scratch`` a file name
    for the throwaway database.
    """
    index = CorpusIndex(scratch)
    try:
        for path in summaries:
            index.add(json.loads(path.read_bytes()))
        index.finish()
        return {name: _write(build_dir / name, lambda out, n=name: WRITERS[n](out, index, settings))
                for name in PAGES}
    finally:
        index.close()


def _write(path: Path, fill: Any) -> str:
    """Write a file through ``fill(handle)``; returns the SHA-256 of what was written."""
    with open(path, "wb") as handle:
        writer = _HashingWriter(handle)
        fill(writer)
    return writer.digest.hexdigest()


class CorpusLabels(Labels):
    """The words of the document pages and of the corpus pages, in one language."""

    __slots__ = ()

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self._words = {**self._words, **CORPUS_LABELS.get(self.lang, CORPUS_LABELS["en"])}


def _page_context(index: CorpusIndex, settings: PageSettings, title_key: str) -> dict[str, Any]:
    """What every corpus template sees (the variables ``base.html`` needs included)."""
    lang = index.lang
    ui = ui_lang(lang)
    words = CorpusLabels(lang)
    documents, turns, total_words = index.totals()
    return {
        "doc": {"lang": lang, "title": f"{words[title_key]} — {settings.title}",
                "ids": {"main": "main", "status": "status"}},
        "corpus": {"title": settings.title, "documents": documents, "turns": turns,
                   "words": total_words},
        "L": words, "ui_lang": ui,
        "ui_attr": Markup("") if lang.split("-")[0].lower() == ui else Markup(f' lang="{ui}"'),
        "static": "html/static/",
    }


def _html_writer(template_name: str, title_key: str, rows: str) -> Any:
    """A writer that streams ``corpus/<template_name>`` with ``rows`` from the index."""
    def write(out: _HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
        from tei.render.templates import environment

        template = environment("html", settings.templates).get_template(f"corpus/{template_name}")
        context = _page_context(index, settings, title_key)
        context[rows] = getattr(index, rows)()
        for chunk in template.generate(context):
            out.write(chunk.encode("utf-8"))
    return write


def _write_tsv(out: _HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """``turns.tsv``: a header row, then one row per turn; UTF-8, LF, tab-separated."""
    writer = csv.writer(_TextOut(out), dialect="excel-tab", lineterminator="\n")
    writer.writerow(TSV_COLUMNS)
    writer.writerows(index.turn_rows())


def _write_corpus(out: _HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """``corpus.xml``: the ``teiCorpus`` with its header and one XInclude per document."""
    documents, turns, words = index.totals()
    header = CorpusHeader(title=settings.title, publisher=settings.publisher, lang=index.lang,
                          documents=documents, turns=turns, words=words)
    members = (member_path(row.id).as_posix() for row in index.documents())
    write_corpus_xml(out, header, index.header_entities(("person", "group")),  # type: ignore[arg-type]
                     index.header_entities(("place",)), members)


WRITERS: dict[str, Any] = {
    "index.html": _html_writer("index.html", "documents", "documents"),
    "persons.html": _html_writer("persons.html", "corpus_persons", "persons"),
    "places.html": _html_writer("places.html", "corpus_places", "places"),
    "turns.tsv": _write_tsv,
    "corpus.xml": _write_corpus,
}
"""Corpus-wide file -> the function that writes it from the index."""
