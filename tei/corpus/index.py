"""The corpus index: every document's summary (:mod:`tei.corpus.summary`) in one SQLite file.

The index is kept in each build (``.tei-edition/corpus.sqlite``) and carried
to the next one: a build that changes one document deletes and inserts that
document's rows instead of reading every summary again. Queries are ordered
and streamed (SQLite sorts on disk), so memory does not grow with the corpus.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tei.outputs import HTML, TEI, TEXT
from tei.render.view import Idno

Links = list[tuple[str, str]]
"""Numbered links into one document page: ``(turn or paragraph number, href)``."""


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
    """Where one person or place occurs in one document: links to turns and mentions."""

    document: DocumentRow
    turns: Links
    mentions: Links
    setting: bool
    """True when the place is where the event of the document took place."""


@dataclass(slots=True)
class Entity:
    """A person, role or place across the corpus, with counts and, lazily, its occurrences."""

    id: str
    kind: str
    name: str
    details: list[str]
    """A person's offices, or where a place lies (region, country), as the documents give them."""
    role: str | None
    idnos: list[Idno]
    listed: bool = True
    """False for a speaker no document describes, only points at: named by its identifier."""
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
CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, title TEXT, lang TEXT, when_iso TEXT,
    date TEXT, place TEXT, speakers INT, turns INT, words INT, sort TEXT, tsv TEXT,
    dts_meta TEXT, dts_passages TEXT);
CREATE TABLE IF NOT EXISTS entities (id TEXT, kind TEXT, doc TEXT, name TEXT, details TEXT,
    role TEXT, idnos TEXT, turn_count INT, words INT, turns TEXT, mentions TEXT, setting INT,
    listed INT);
CREATE INDEX IF NOT EXISTS docs_sort ON docs(sort);
CREATE INDEX IF NOT EXISTS entities_id ON entities(id, kind);
CREATE INDEX IF NOT EXISTS entities_doc ON entities(doc);
"""

_DOC_COLUMNS = "d.id, d.title, d.lang, d.when_iso, d.date, d.place, d.speakers, d.turns, d.words"


class CorpusIndex:
    """The summaries of a build's documents in one SQLite file, queried in order."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        """Open (or create) the index at ``path``; ``read_only`` opens an existing one for
        queries only, so a wrong path is an error, not a new empty index."""
        self.path = path
        if read_only:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            return
        self.db = sqlite3.connect(path)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)

    def close(self) -> None:
        """Write everything to the file and close it."""
        self.db.commit()
        self.db.close()

    def document_ids(self) -> set[str]:
        """The IDs of the documents in the index."""
        return {row[0] for row in self.db.execute("SELECT id FROM docs")}

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove documents (and their persons and places) from the index."""
        ids = [(doc_id,) for doc_id in doc_ids]
        self.db.executemany("DELETE FROM docs WHERE id = ?", ids)
        self.db.executemany("DELETE FROM entities WHERE doc = ?", ids)

    def add(self, summary: dict[str, Any]) -> None:
        """Add one document's summary (as :func:`tei.corpus.summary.summarise_document`
        made it)."""
        doc = summary["id"]
        when = summary["when"]
        sort = f"0{when}|{doc}" if when else f"1|{doc}"
        self.db.execute(
            "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc, summary["title"], summary["lang"], when, summary["date"], summary["place"],
             summary["speakers"], summary["turns"], summary["words"], sort, summary["tsv"],
             _compact(summary["dts"]["meta"]), _compact(summary["dts"]["passages"])))
        self.db.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(e["id"], e["kind"], doc, e["name"], e["details"], e["role"], json.dumps(e["idnos"]),
              e["turn_count"], e["words"], _links_json(e["turns"]), _links_json(e["mentions"]),
              int(e["setting"]), int(e["listed"]))
             for e in summary["entities"]])

    def entity_ids(self, kind: str) -> list[str]:
        """The IDs of every person (or place) of the corpus, once each, in order."""
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT id FROM entities WHERE kind = ? ORDER BY id", (kind,))]

    def lang(self) -> str:
        """The language most documents are in (the language of the corpus pages)."""
        row = self.db.execute("SELECT lang FROM docs GROUP BY lang ORDER BY COUNT(*) DESC, lang "
                              "LIMIT 1").fetchone()
        return str(row[0]) if row else "en"

    def totals(self) -> tuple[int, int, int]:
        """Documents, turns and words of the corpus."""
        row = self.db.execute("SELECT COUNT(*), COALESCE(SUM(turns),0), COALESCE(SUM(words),0) "
                              "FROM docs").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def documents(self) -> Iterator[DocumentRow]:
        """Every document, in date order (undated ones last), then by ID."""
        for row in self.db.execute(f"SELECT {_DOC_COLUMNS} FROM docs d ORDER BY d.sort"):
            yield DocumentRow(*row)

    def resources(self) -> Iterator[tuple[DocumentRow, str, str]]:
        """Every document with what the DTS API serves of it (the summary's ``dts``: its
        ``meta`` and ``passages`` as JSON text), in date order."""
        for row in self.db.execute(f"SELECT {_DOC_COLUMNS}, d.dts_meta, d.dts_passages "
                                   "FROM docs d ORDER BY d.sort"):
            yield DocumentRow(*row[:-2]), row[-2], row[-1]

    def tsv_chunks(self) -> Iterator[str]:
        """The rows of ``turns.tsv``, document by document, in date order."""
        for (chunk,) in self.db.execute("SELECT tsv FROM docs ORDER BY sort"):
            yield chunk

    def entities(self, kinds: tuple[str, ...]) -> Iterator[Entity]:
        """Every person and role (or every place) once, by ID, in ID order, with its documents.

        The name is the one most documents use (the longest on a tie); offices,
        locations and identifiers are gathered from every document.
        """
        marks = ",".join("?" * len(kinds))
        heads = self.db.execute(
            "SELECT e.id, e.kind, e.name, e.details, e.role, e.idnos, e.turn_count, e.words, "
            "e.listed "
            f"FROM entities e JOIN docs d ON d.id = e.doc WHERE e.kind IN ({marks}) "
            "ORDER BY e.id, d.sort", kinds)
        occurrences = _Groups(self.db.execute(
            f"SELECT e.id, e.turns, e.mentions, e.setting, {_DOC_COLUMNS} FROM entities e "
            f"JOIN docs d ON d.id = e.doc WHERE e.kind IN ({marks}) ORDER BY e.id, d.sort", kinds))
        for key, group in itertools.groupby(heads, key=lambda row: row[0]):
            entity = _entity_of(key, list(group))
            entity.occurrences = (Occurrence(DocumentRow(*row[4:]), _links(row[1]),
                                             _links(row[2]), bool(row[3]))
                                  for row in occurrences.take(key))
            yield entity



def _compact(data: Any) -> str:
    """Data as the index keeps it: compact JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _links_json(links: Iterable[Iterable[Any]]) -> str:
    """Links as the index keeps them: compact JSON."""
    return _compact([[str(n), href] for n, href in links])


def _links(text: str) -> Links:
    """Links as the index kept them."""
    return [(n, href) for n, href in json.loads(text)]


def _entity_of(key: str, rows: list[tuple[Any, ...]]) -> Entity:
    """One entity from its rows (one per document), without its occurrences."""
    described = [row for row in rows if row[8]]
    names = Counter(row[2] for row in described or rows)
    idnos: dict[tuple[str, str], Idno] = {}
    for row in rows:
        for kind, value, url in json.loads(row[5]) if row[5] != "[]" else ():
            idnos.setdefault((kind, value), Idno(kind, value, url))
    return Entity(id=key, kind=rows[0][1], name=max(names, key=lambda n: (names[n], len(n), n)),
                  details=list(dict.fromkeys(row[3] for row in rows if row[3])), role=rows[0][4],
                  idnos=list(idnos.values()), listed=bool(described), documents=len(rows),
                  turns=sum(row[6] for row in rows), words=sum(row[7] for row in rows))
