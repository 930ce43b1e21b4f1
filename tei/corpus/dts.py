"""What ``tei-edition serve`` reads: the edition's documents as DTS resources, from SQLite.

A corpus-wide output (:class:`DtsIndex`, in :data:`tei.corpus.layout.CORPUS_OUTPUTS`)
written from the corpus index once every document is built: one row per
document, in the order of the corpus pages (date, then ID), with

- ``meta``: what the Collection endpoint says of it (title, language, date,
  source, licence, its citation trees' ``citeStructure``, its files), small.

What Navigation and Document need, the ``passages`` of a document (every citable
unit with its level, parent, last unit below it and byte offsets in the TEI file;
see :mod:`tei.corpus.citations`), the bulk, is read from the corpus index beside
the file (its table ``passages``; the file names the index), only for the document a
request names: a build writes the small file afresh and never copies the passages
(at 2,000 documents, 33 MB a build); a rebuild copies the rows of the documents it did not
build from the current build's file.

So the server never parses TEI to start or to answer, and its memory does not
grow with the corpus: it reads one row per request (:class:`DtsStore`, with a
small cache). The file lives in the build's own folder (``.tei-edition/``),
beside the corpus index: it is the server's, not a page of the edition, and an
SQLite file's bytes depend on the SQLite library that wrote it. A published build
is never written again (a rebuild writes a copy of the index), so both are read as
immutable.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tei.corpus.hashes import hash_file
from tei.corpus.index import CorpusIndex
from tei.corpus.pages import PageSettings
from tei.outputs import HTML, TEI, TEXT

FORMAT = 3
"""Version of the file's layout: a server refuses a file of another (1: the passages in the
file itself; 2: in the corpus index's ``docs``, now its ``passages``)."""

_SCHEMA = """
CREATE TABLE edition (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE resources (position INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, lang TEXT,
    meta TEXT NOT NULL);
CREATE INDEX resources_lang ON resources(lang, position);
"""


def _meta(doc: str, title: str, lang: str, when: str | None, date: str, place: str | None,
          meta: str) -> str:
    """What the Collection endpoint says of one document, as JSON: the index's columns, the
    summary's ``meta`` (JSON, as the index keeps it) and its files."""
    head = {"title": title, "lang": lang, "when": when, "date": date, "place": place}
    files = {"files": {"tei": TEI.path(doc), "html": HTML.path(doc), "text": TEXT.path(doc)}}
    if meta.startswith('{"fragments":'):  # a summary's, its keys sorted: none of those
        return f"{_json(head)[:-1]},{meta[1:-1]},{_json(files)[1:]}"
    return _json({**head, **json.loads(meta), **files})


def _json(data: Any) -> str:
    """Compact JSON, as the index keeps its data (:func:`tei.corpus.index._compact`)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class DtsIndex:
    """The corpus-wide output that writes the server's SQLite file at ``path``."""

    path: str
    slow: bool = True

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,)

    @property
    def folders(self) -> tuple[str, ...]:
        return ()

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        """Write the file afresh from the index (which the server finds beside it, in the
        same build, by its name: it keeps the passages): the rows are copied inside SQLite,
        only each document's ``meta`` made by :func:`_meta`; in a rebuild, only those of the
        documents built in this run (:meth:`_previous`: at 2,000 documents, 0.05 s of the
        build's thread for all), the others' copied from the current build's file, as they
        were made from the same row. The rows go in in the same order either way, so the
        file is the one a cold build writes."""
        target = build_dir / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.part")
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial.resolve().as_uri(), uri=True)
        try:
            db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            db.execute("ATTACH DATABASE ? AS corpus", (f"{index.path.resolve().as_uri()}?mode=ro",))
            db.create_function("dts_meta", 7, _meta, deterministic=True)
            db.executemany("INSERT INTO edition VALUES (?, ?)",
                           [("format", str(FORMAT)), ("title", settings.title),
                            ("passages", index.path.name)])
            made = "dts_meta(d.id, d.title, d.lang, d.when_iso, d.date, d.place, d.dts_meta)"
            built = self._previous(db, settings)
            if built is None:
                db.execute(f"INSERT INTO resources (id, lang, meta) SELECT d.id, d.lang, {made} "
                           "FROM corpus.docs d ORDER BY d.sort")
            else:
                db.execute("INSERT INTO resources (id, lang, meta) SELECT d.id, d.lang, "
                           f"CASE WHEN p.meta IS NULL THEN {made} ELSE p.meta END "
                           "FROM corpus.docs d LEFT JOIN previous.resources p ON p.id = d.id "
                           "AND d.id NOT IN (SELECT value FROM json_each(?)) ORDER BY d.sort",
                           (json.dumps(sorted(built)),))
            db.commit()
        finally:
            db.close()
        os.replace(partial, target)
        return {self.path: hash_file(target)}

    def _previous(self, db: sqlite3.Connection, settings: PageSettings) -> frozenset[str] | None:
        """In a rebuild, attach the current build's file to ``db`` as ``previous`` (if it is
        there, in this format) and give the documents built since, whose rows are made
        again; None: every row is made."""
        changes = settings.changes
        if changes is None or self.path not in changes.pages:
            return None
        uri = f"{(changes.previous / self.path).resolve().as_uri()}?mode=ro&immutable=1"
        try:
            db.execute("ATTACH DATABASE ? AS previous", (uri,))
            row = db.execute("SELECT value FROM previous.edition WHERE key = 'format'").fetchone()
        except sqlite3.Error:
            return None
        return changes.documents if row == (str(FORMAT),) else None


# -- reading it ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resource:
    """One document as the Collection endpoint describes it."""

    position: int
    id: str
    meta: dict[str, Any]


@dataclass(slots=True)
class Unit:
    """One citable unit of a tree, with its place in the tree's preorder list."""

    position: int
    identifier: str
    cite_type: str
    level: int
    parent: int
    last: int
    start: int
    end: int


@dataclass(slots=True)
class CitationTree:
    """A document's citation tree: identifier (None: the default) and units in preorder."""

    identifier: str | None
    units: list[Unit]
    namespaces: dict[int, dict[str, str]]
    by_identifier: dict[str, Unit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_identifier = {unit.identifier: unit for unit in self.units}


@dataclass(slots=True)
class Passages:
    """What Navigation and Document need of one document."""

    trees: list[CitationTree]
    fragments: bool
    """True when passages can be cut out of its TEI file (see :mod:`tei.corpus.citations`)."""
    root: tuple[int, int]
    header: tuple[int, int] | None
    prefix: str
    encoding: str

    def tree(self, identifier: str | None) -> CitationTree | None:
        """The tree named ``identifier`` (None: the default one), if the document has it."""
        return next((t for t in self.trees if t.identifier == identifier), None)


class StoreError(Exception):
    """The file is missing, unreadable, or of another layout."""


class DtsStore:
    """The DTS file of one build, opened read-only; queries by identifier, never by path."""

    CACHED = 64
    """Documents whose passages are kept parsed (a few hundred kB at most)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StoreError(f"{path} is missing")
        try:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                      check_same_thread=False)
            self.edition = dict(self.db.execute("SELECT key, value FROM edition").fetchall())
            passages = path.resolve().with_name(self.edition.get("passages") or "")
            if self.edition.get("format") == str(FORMAT):
                if not passages.is_file():
                    raise StoreError(f"{passages} is missing")
                self.db.execute("ATTACH DATABASE ? AS corpus",
                                (f"{passages.as_uri()}?mode=ro&immutable=1",))
            self.languages = dict(self.db.execute(
                "SELECT lang, COUNT(*) FROM resources GROUP BY lang ORDER BY lang").fetchall())
        except sqlite3.Error as error:
            raise StoreError(f"{path}: {error}") from None
        if self.edition.get("format") != str(FORMAT):
            raise StoreError(f"{path} was written by another version of tei-edition: build again")
        self.total = sum(self.languages.values())
        self.passages = functools.lru_cache(maxsize=self.CACHED)(self._passages)

    def close(self) -> None:
        self.db.close()

    def resource(self, doc_id: str) -> Resource | None:
        """The document whose ID is ``doc_id``, if there is one."""
        row = self.db.execute("SELECT position, id, meta FROM resources WHERE id = ?",
                              (doc_id,)).fetchone()
        return Resource(row[0], row[1], json.loads(row[2])) if row else None

    def members(self, lang: str | None, offset: int, limit: int) -> list[Resource]:
        """Documents in corpus order (those in ``lang`` only, unless None), a page of them."""
        where, args = ("WHERE lang = ?", (lang,)) if lang is not None else ("", ())
        rows = self.db.execute(f"SELECT position, id, meta FROM resources {where} "
                               "ORDER BY position LIMIT ? OFFSET ?", (*args, limit, offset))
        return [Resource(r[0], r[1], json.loads(r[2])) for r in rows]

    def _passages(self, doc_id: str) -> Passages | None:
        row = self.db.execute("SELECT data FROM corpus.passages WHERE id = ?",
                              (doc_id,)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        trees = [CitationTree(t["identifier"],
                              [Unit(i, *unit) for i, unit in enumerate(t["units"])],
                              {int(k): v for k, v in t["namespaces"].items()})
                 for t in data["trees"]]
        header = data["header"]
        return Passages(trees, data["fragments"], (data["root"][0], data["root"][1]),
                        (header[0], header[1]) if header else None, data["prefix"],
                        data["encoding"])
