"""The corpus index: every document's summary (:mod:`tei.corpus.summary`) in one SQLite file.

The index is kept in each build (``.tei-edition/corpus.sqlite``) and carried
to the next one: a build that changes one document deletes and inserts that
document's rows instead of reading every summary again. What was said (the bulk)
is in a file of its own, of the documents built in the run only (``_SPEECH_SCHEMA``). Queries are ordered
and streamed (SQLite sorts on disk), so memory does not grow with the corpus.

What the DTS server reads of a document (its ``passages``: 16 KB a document, two thirds of
the file) is a table of its own, apart from ``docs``: the corpus pages read every row of
``docs`` several times a build, and rows that large would spread them over a page each
(at 2,000 documents, a read of every date 6 ms instead of 3, the totals 4 instead of 1).
"""

from __future__ import annotations

import functools
import itertools
import json
import sqlite3
import sys
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from tei.corpus.rows import DocumentRow, Entity, Groups, Occurrence, Said, entity_of

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, title TEXT, lang TEXT, when_iso TEXT,
    date TEXT, place TEXT, speakers INT, turns INT, words INT, sort TEXT, source TEXT,
    publisher TEXT, licence TEXT, speaker_ids TEXT, dts_meta TEXT);
CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, data TEXT);
CREATE TABLE IF NOT EXISTS entities (id TEXT, kind TEXT, doc TEXT, name TEXT, details TEXT,
    role TEXT, idnos TEXT, turn_count INT, words INT, turns TEXT, mentions TEXT, setting INT,
    listed INT);
CREATE TABLE IF NOT EXISTS duplicates (first TEXT, second TEXT, reason TEXT,
    PRIMARY KEY (first, second)) WITHOUT ROWID;
"""

_INDEXES = """
CREATE INDEX IF NOT EXISTS docs_sort ON docs(sort);
CREATE INDEX IF NOT EXISTS entities_id ON entities(id, kind);
CREATE INDEX IF NOT EXISTS entities_doc ON entities(doc);
"""
"""The index's own indexes: made when a new index is closed, once its rows are in (sorting
them once costs a fraction of updating them row by row), at once in one carried from the
previous build (they are there, and its rows are removed by document)."""

_SPEECH_SCHEMA = """
CREATE TABLE IF NOT EXISTS speech.turns (doc TEXT, sort TEXT, seq INT, cells TEXT);
CREATE TABLE IF NOT EXISTS speech.said (doc TEXT, seq INT, pseq INT, pid TEXT, n TEXT, text TEXT);
CREATE TABLE IF NOT EXISTS speech.voices (person TEXT, doc TEXT, sort TEXT, seq INT, turn TEXT);
"""
"""What was said, of the documents built in this run only, in a file of its own beside the
index (:func:`speech_path`), made afresh by each build and never carried to the next (a build
from scratch has them all; a rebuild, those it built): ``turns``: every turn's row of ``turns.tsv`` but its text (JSON), in date and turn
order (``sort`` is the document's); ``said``: the text of each numbered paragraph of each
turn, kept once; ``voices``: who said each turn, for the speakers' downloads. The runs of
the other documents are copied from the previous build's files (:mod:`tei.corpus.changes`),
so the index a build carries to the next holds no text, and stays small."""

_SPEECH_INDEXES = """
CREATE INDEX IF NOT EXISTS speech.turns_order ON turns(sort, seq);
CREATE INDEX IF NOT EXISTS speech.turns_doc ON turns(doc);
CREATE INDEX IF NOT EXISTS speech.said_turn ON said(doc, seq, pseq);
CREATE INDEX IF NOT EXISTS speech.voices_person ON voices(lower(person), person, sort, seq);
"""


def speech_path(index: Path) -> Path:
    """The file of what was said beside the index at ``index``."""
    return index.with_name(f"{index.stem}-speech{index.suffix}")


_FOLDED = "lower(e.id), e.id"
"""The order of persons and places on the register pages: by ID, case aside (A to Z), so
that the persons of one letter are together."""

_DOC_COLUMNS = "d.id, d.title, d.lang, d.when_iso, d.date, d.place, d.speakers, d.turns, d.words"


class CorpusIndex:
    """The summaries of a build's documents in one SQLite file, queried in order."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        """Open (or create) the index at ``path``; ``read_only`` opens an existing one for
        queries only, so a wrong path is an error, not a new empty index."""
        self.path = path
        speech = speech_path(path)
        if read_only:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            if speech.is_file():
                self.db.execute("ATTACH DATABASE ? AS speech", (f"{speech.resolve().as_uri()}?mode=ro",))
            return
        self.db = sqlite3.connect(path)
        self.db.execute("ATTACH DATABASE ? AS speech", (str(speech),))
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                              "PRAGMA speech.journal_mode=OFF; PRAGMA speech.synchronous=OFF;"
                              + _SCHEMA + _SPEECH_SCHEMA)

    def close(self) -> None:
        """Write everything to the file, with the indexes a new file was made without
        (:data:`_INDEXES`), and close it."""
        self.db.executescript(_INDEXES + _SPEECH_INDEXES)
        self.db.commit()
        self.db.close()

    def abandon(self) -> None:
        """Close without finishing the file (the build it was for is discarded)."""
        self.db.close()

    def document_ids(self) -> set[str]:
        """The IDs of the documents in the index."""
        return {row[0] for row in self.db.execute("SELECT id FROM docs")}

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove documents (and their persons and places) from the index (what they said
        is only ever there for the documents built in this run)."""
        ids = [(doc_id,) for doc_id in doc_ids]
        self.db.executemany("DELETE FROM docs WHERE id = ?", ids)
        self.db.executemany("DELETE FROM passages WHERE id = ?", ids)
        self.db.executemany("DELETE FROM entities WHERE doc = ?", ids)

    def add(self, summary: dict[str, Any]) -> None:
        """Add one document's summary (as :func:`tei.corpus.summary.summarise_document`
        made it)."""
        doc = summary["id"]
        when = summary["when"]
        sort = f"0{when}|{doc}" if when else f"1|{doc}"
        self.db.execute(
            "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc, summary["title"], summary["lang"], when, summary["date"], summary["place"],
             summary["speakers"], summary["turns"], summary["words"], sort, summary["source"],
             summary["publisher"], summary["licence"], " ".join(summary["speaker_ids"]),
             _compact(summary["dts"]["meta"])))
        self.db.execute("INSERT INTO passages VALUES (?,?)",
                        (doc, _compact(summary["dts"]["passages"])))
        speech = summary["speech"]
        self.db.executemany("INSERT INTO turns VALUES (?,?,?,?)",
                            [(doc, sort, t["seq"], _compact(t["cells"])) for t in speech])
        self.db.executemany("INSERT INTO said VALUES (?,?,?,?,?,?)",
                            [(doc, t["seq"], pseq, pid, n, text) for t in speech
                             for pseq, (pid, n, text) in enumerate(t["paragraphs"])])
        self.db.executemany("INSERT INTO voices VALUES (?,?,?,?,?)",
                            [(who, doc, sort, t["seq"], t["n"]) for t in speech
                             for who in t["who"]])
        self.db.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(e["id"], e["kind"], doc, e["name"], e["details"], e["role"], json.dumps(e["idnos"]),
              e["turn_count"], e["words"], _compact(e["turns"]), _compact(e["mentions"]),
              int(e["setting"]), int(e["listed"]))
             for e in summary["entities"]])

    def has_entity(self, ident: str, kind: str) -> bool:
        """True when a person (or place) of ID ``ident`` occurs in any document."""
        return self.db.execute("SELECT 1 FROM entities WHERE id = ? AND kind = ? LIMIT 1",
                               (ident, kind)).fetchone() is not None

    def present(self, kinds: tuple[str, ...], ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are persons and roles (or places) of the corpus."""
        marks = ",".join("?" * len(kinds))
        return {row[0] for row in self.db.execute(
            f"SELECT DISTINCT id FROM entities WHERE id IN (SELECT value FROM json_each(?)) "
            f"AND kind IN ({marks})", (json.dumps(sorted(ids)), *kinds))}

    def entity_ids_from(self, kind: str, prefix: str) -> list[str]:
        """The IDs of every person (or place) that begin with ``prefix``, once each, in order."""
        last = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, sys.maxunicode))
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT id FROM entities WHERE id >= ? AND id < ? AND kind = ? ORDER BY id",
            (prefix, last, kind)) if row[0].startswith(prefix)]

    def update_duplicates(self, gone: Iterable[str] | None,
                          found: Iterable[tuple[str, str, str]]) -> None:
        """Forget the probable duplicates (``(first, second, reason)``) of the persons
        ``gone`` (None: every one), record those ``found``: the record is carried with the
        index, so that a rebuild only compares the persons it added."""
        if gone is None:
            self.db.execute("DELETE FROM duplicates")
        ids = [(ident, ident) for ident in gone or ()]
        self.db.executemany("DELETE FROM duplicates WHERE first = ? OR second = ?", ids)
        self.db.executemany("INSERT OR IGNORE INTO duplicates VALUES (?,?,?)", found)
        self.db.execute("CREATE INDEX IF NOT EXISTS duplicates_second ON duplicates(second)")

    def duplicates(self, limit: int) -> tuple[list[tuple[str, str, str]], int]:
        """The first ``limit`` probable duplicates recorded, in order, and how many there are."""
        rows = self.db.execute("SELECT first, second, reason FROM duplicates "
                               "ORDER BY first, second LIMIT ?", (limit,))
        count = self.db.execute("SELECT COUNT(*) FROM duplicates").fetchone()[0]
        return [(str(a), str(b), str(c)) for a, b, c in rows], int(count)

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

    def document_rows(self) -> Iterator[tuple[DocumentRow, list[str | None]]]:
        """Every document in date order, with its source, publisher, licence and speakers."""
        for row in self.db.execute(f"SELECT {_DOC_COLUMNS}, d.source, d.publisher, d.licence, "
                                   "d.speaker_ids FROM docs d ORDER BY d.sort"):
            yield DocumentRow(*row[:-4]), list(row[-4:])

    def document_order(self) -> list[str]:
        """The IDs of every document, in the order of :meth:`documents`."""
        return [row[0] for row in self.db.execute("SELECT id FROM docs ORDER BY sort")]

    def document_dates(self) -> list[tuple[str, str | None]]:
        """The ID and date (ISO 8601, None if undated) of every document, in the order of
        :meth:`documents`."""
        return list(self.db.execute("SELECT id, when_iso FROM docs ORDER BY sort"))

    def document_languages(self) -> list[tuple[str, str, str | None]]:
        """The ID, language and date (as :meth:`document_dates`) of every document, in the
        order of :meth:`documents`: what the search's bundles are cut by, without the rest
        of each row."""
        return list(self.db.execute("SELECT id, lang, when_iso FROM docs ORDER BY sort"))

    def dates_of(self, docs: Iterable[str]) -> list[str | None]:
        """The dates of those of ``docs`` that are in the index."""
        return [row[0] for row in self.db.execute(
            "SELECT when_iso FROM docs WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(docs)),))]

    def turn_rows(self, doc: str | None = None) -> Iterator[list[Any]]:
        """The rows of ``turns.tsv`` (:data:`~tei.corpus.summary.TSV_COLUMNS`), in date and
        turn order: each turn's row, and its paragraphs' text joined by spaces, UTF-8 (those
        of the document ``doc`` only, unless None)."""
        where, args = ("WHERE t.doc = ? ", (doc,)) if doc is not None else ("", ())
        rows = self.db.execute(
            "SELECT t.sort, t.seq, t.cells, CAST(s.text AS BLOB) FROM turns t LEFT JOIN said s "
            f"ON s.doc = t.doc AND s.seq = t.seq {where}ORDER BY t.sort, t.seq, s.pseq", args)
        for _, group in itertools.groupby(rows, key=lambda row: row[:2]):
            first, *more = group
            cells: list[Any] = json.loads(first[2])
            yield [*cells, b" ".join([first[3] or b"", *(row[3] for row in more)])]

    def entity_keys(self, kinds: tuple[str, ...],
                    folded: bool = True) -> Iterator[tuple[str, str]]:
        """``(ID case aside, ID)`` of every person and role (or place) once, in the order of
        :meth:`entities` with ``folded`` (without: ``(ID, ID)``, in ID order)."""
        marks = ",".join("?" * len(kinds))
        order = _FOLDED if folded else "e.id, e.id"
        yield from self.db.execute(f"SELECT DISTINCT {order} FROM entities e "
                                   f"WHERE e.kind IN ({marks}) ORDER BY 1, 2", kinds)

    def entities(self, kinds: tuple[str, ...], folded: bool = False,
                 only: Collection[str] | None = None, texts: bool = True) -> Iterator[Entity]:
        """Every person and role (or every place) once, in ID order (``folded``: case aside,
        as :meth:`entity_keys` gives them), with its documents in date order; those whose
        IDs are in ``only``, unless None (a rebuild decodes the few a change touched).
        Without ``texts``, each occurrence's turns and mentions are read when first asked
        for (a rebuild copies most of them as they were).

        The name is the one most documents use (the longest on a tie); offices,
        locations and identifiers are gathered from every document.
        """
        marks = ",".join("?" * len(kinds))
        order = _FOLDED if folded else "e.id, e.id"
        where, args = f"e.kind IN ({marks})", kinds
        if only is not None:
            where += " AND e.id IN (SELECT value FROM json_each(?))"
            args = (*kinds, json.dumps(sorted(only)))
        heads = self.db.execute(
            f"SELECT {order}, e.kind, e.name, e.details, e.role, e.idnos, e.turn_count, e.words, "
            "e.listed, d.id, d.date, d.when_iso "
            f"FROM entities e JOIN docs d ON d.id = e.doc WHERE {where} "
            f"ORDER BY {order}, d.sort", args)
        data = "e.turns, e.mentions" if texts else "e.rowid, ''"
        occurrences = Groups(self._lazily(
            f"SELECT {order}, {data}, e.setting, {_DOC_COLUMNS} FROM entities e "
            f"JOIN docs d ON d.id = e.doc WHERE {where} ORDER BY {order}, d.sort",
            args), width=2)  # run once an occurrence is asked for: corpus.xml asks for none
        for key, group in itertools.groupby(heads, key=lambda row: row[:2]):
            entity = entity_of(key[1], [row[2:] for row in group])
            entity.occurrences = (
                Occurrence(DocumentRow(*row[5:]), row[2], row[3], bool(row[4])) if texts
                else Occurrence(DocumentRow(*row[5:]), "", "", bool(row[4]),
                                texts=functools.partial(self._texts, row[2]))
                for row in occurrences.take(key))
            yield entity

    def _texts(self, rowid: int) -> tuple[str, str]:
        """The turns and mentions of one entity's row (as :meth:`entities` reads them)."""
        turns, mentions = self.db.execute("SELECT turns, mentions FROM entities WHERE rowid = ?",
                                          (rowid,)).fetchone()
        return str(turns), str(mentions)

    def _lazily(self, sql: str, args: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, run when the first is asked for."""
        yield from self.db.execute(sql, args)

    def entities_of(self, kinds: tuple[str, ...], docs: Iterable[str]) -> set[str]:
        """The IDs of the persons and roles (or places) that occur in any of ``docs``."""
        marks = ",".join("?" * len(kinds))
        found: set[str] = set()
        for doc in docs:
            found.update(row[0] for row in self.db.execute(
                f"SELECT id FROM entities WHERE doc = ? AND kind IN ({marks})", (doc, *kinds)))
        return found

    def spoken_in(self, person: str, kinds: tuple[str, ...]) -> list[str]:
        """The documents where the person (or role) ``person`` speaks, in date order."""
        marks = ",".join("?" * len(kinds))
        return [row[0] for row in self.db.execute(
            "SELECT d.id FROM entities e JOIN docs d ON d.id = e.doc WHERE e.id = ? "
            f"AND e.kind IN ({marks}) AND e.turn_count > 0 ORDER BY d.sort", (person, *kinds))]

    def said_by(self, person: str, doc: str) -> Iterator[Said]:
        """What ``person`` said in ``doc``, in turn and paragraph order (as :meth:`said`)."""
        rows = self.db.execute(
            "SELECT d.id, d.title, d.date, d.when_iso, v.turn, s.pid, s.n, CAST(s.text AS BLOB) "
            "FROM voices v "
            "JOIN docs d ON d.id = v.doc JOIN said s ON s.doc = v.doc AND s.seq = v.seq "
            "WHERE lower(v.person) = lower(?) AND v.person = ? AND v.doc = ? "
            "ORDER BY v.sort, v.seq, s.pseq", (person, person, doc))
        for row in rows:
            yield Said(*row)

    def said(self) -> Iterator[tuple[str, str, Said]]:
        """Every paragraph each person said, by person (in the order of :meth:`entities`
        with ``folded``), then in date, turn and paragraph order: ``(ID case aside, ID,
        paragraph)``."""
        documents = {row[0]: row[1:] for row in self.db.execute(
            "SELECT id, title, date, when_iso FROM docs")}  # not joined to every paragraph
        rows = self.db.execute(
            "SELECT lower(v.person), v.person, v.doc, v.turn, s.pid, s.n, CAST(s.text AS BLOB) "
            "FROM voices v "
            "JOIN said s ON s.doc = v.doc AND s.seq = v.seq "
            "ORDER BY lower(v.person), v.person, v.sort, v.seq, s.pseq")
        for folded, person, doc, turn, pid, n, text in rows:
            if doc in documents:
                title, date, when = documents[doc]
                yield folded, person, Said(doc, title, date, when, turn, pid, n, text)


class IndexWriter:
    """A corpus index a build is writing, and which of the build's summaries it holds (a
    build adds them as its documents are placed, in source order)."""

    def __init__(self, path: Path) -> None:
        self.index = CorpusIndex(path)
        self.count = 0
        """Summaries added, from the start of the build's list of them."""
        self.added: set[str] = set()
        """The IDs of their documents."""

    def add(self, summaries: list[Path]) -> None:
        """Add the summary files of ``summaries`` not added yet."""
        for summary in summaries[self.count:]:
            data = json.loads(summary.read_bytes())
            self.index.add(data)
            self.added.add(data["id"])
        self.count = len(summaries)


def language_of(path: Path) -> str:
    """The language of the corpus whose index is at ``path`` (:meth:`CorpusIndex.lang`)."""
    index = CorpusIndex(path, read_only=True)
    try:
        return index.lang()
    finally:
        index.close()


def _compact(data: Any) -> str:
    """Data as the index keeps it: compact JSON."""
    return _COMPACT(data)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` without making an encoder
at each call (tens of thousands of calls in a large build)."""
