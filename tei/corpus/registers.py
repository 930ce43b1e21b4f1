"""The registers: one page per person (and per place) of the corpus, and A to Z index pages.

A register page (``persons/putin-vladimir.html``) gives a person's name, offices
over time (each with the first and last documents that give it), authority
identifiers, and every turn and mention, grouped by document in date order, each
linked to its paragraph (``../html/kremlin-64534.html#p12``). Beside it, what the
person said: ``persons/putin-vladimir.txt`` and ``.tsv`` (document, date, turn,
paragraph ID, text), from the text the workers put in the index. Places have
pages alike (``places/novo-ogaryovo.html``), with the documents set there.

``persons.html`` and ``places.html`` are the A to Z: the letters, each with its
page of entries (``persons/a-z/p.html``, in pages of :data:`LETTER_PAGE` entries).
No page holds more than its own person's lines (or one letter page's entries),
so none grows with the corpus, and everything is streamed from the index's
ordered queries: one person's page and downloads at a time, one letter page's
entries at a time. The files are many, and named by the data: :attr:`Register.folders`
tells the build that every file in them is the register's, and :meth:`Register.write`
returns each one's hash for the manifest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from tei.corpus.index import CorpusIndex, Entity, Groups, Said
from tei.corpus.pages import HashingWriter, PageSettings, corpus_context, page_context, write_tsv
from tei.ids import file_name
from tei.render.templates import REGISTER_FOLDERS, environment, register_path

LETTER_PAGE = 500
"""Entries on one page of a letter: more make a second page (``p-2.html``)."""

A_Z = "a-z"
"""The folder of the letter pages inside a register's folder (no ID makes a folder)."""

SAID_COLUMNS = ("document_id", "date", "turn", "paragraph_id", "text")
"""Columns of a speaker's TSV download: one row per paragraph they said, in date order."""


def letter(key: str) -> str:
    """The letter of the A to Z an entry goes under, from its ID case aside: ``a`` to ``z``,
    ``_`` for IDs that start with one, ``other`` for other scripts (in ID order, each
    letter's entries are together)."""
    first = key[:1]
    if "a" <= first <= "z":
        return first
    return "_" if first < "a" else "other"


@dataclass(slots=True)
class Letter:
    """One letter of the A to Z, with its number of entries and pages."""

    key: str
    entries: int
    label: str = ""
    folder: str = ""

    @property
    def pages(self) -> int:
        """How many letter pages its entries fill."""
        return -(-self.entries // LETTER_PAGE)

    def path(self, page: int = 1) -> str:
        """The letter's page ``page`` (from 1), relative to the build's top."""
        suffix = f"-{page}" if page > 1 else ""
        return f"{self.folder}/{A_Z}/{self.key}{suffix}.html"


@dataclass(slots=True)
class Entry:
    """One line of a letter page: an entity without its occurrences."""

    entity: Entity
    href: str


@dataclass(slots=True)
class _Files:
    """The files written so far, and their hashes by path."""

    build_dir: Path
    hashes: dict[str, str] = field(default_factory=dict)

    def open(self, path: str) -> HashingWriter:
        """A new file at ``path`` (relative to the build's top), hashed as it is written."""
        target = self.build_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        return HashingWriter(open(target, "wb"))

    def close(self, path: str, out: HashingWriter) -> None:
        """Close a file opened by :meth:`open` and record its hash."""
        out.handle.close()
        self.hashes[path] = out.digest.hexdigest()

    def page(self, path: str, template: jinja2.Template, context: dict[str, Any]) -> None:
        """Write one page of ``template``."""
        out = self.open(path)
        try:
            out.write_text(template.generate(context))
        finally:
            self.close(path, out)


@dataclass(frozen=True, slots=True)
class Register:
    """The corpus-wide output of the register of one kind (persons and roles, or places)."""

    kind: str
    """``person`` or ``place`` (:data:`~tei.render.templates.REGISTER_FOLDERS`)."""
    kinds: tuple[str, ...]
    """The kinds of entity of the index it lists (``person`` and ``group``; ``place``)."""
    title_key: str
    """The word of its title (``corpus_persons``)."""
    downloads: bool = False
    """Whether each entry's page links what it said, as text and TSV (speakers do)."""
    slow: bool = True

    @property
    def folder(self) -> str:
        """The folder of its pages (``persons``)."""
        return REGISTER_FOLDERS[self.kind]

    @property
    def index_page(self) -> str:
        """The A to Z page at the build's top (``persons.html``)."""
        return f"{self.folder}.html"

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.index_page,)

    @property
    def folders(self) -> tuple[str, ...]:
        return (self.folder,)

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        env = environment("html", settings.templates)
        base = corpus_context(index, settings)
        words = base["L"]
        letters = self.letters(index, words)
        base = {**base, "letters": letters, "title_key": self.title_key}
        files = _Files(build_dir)
        page = env.get_template(f"corpus/{self.kind}.html")
        listing = env.get_template("corpus/letter.html")
        said = Groups(index.said(), width=2) if self.downloads else None
        entries: list[Entry] = []
        current: tuple[Letter, int] | None = None
        count: Counter[str] = Counter()
        for entity in index.entities(self.kinds, folded=True):
            key = _folded(entity.id)
            path = register_path(self.kind, entity.id)
            place = (letters[letter(key)], count[letter(key)] // LETTER_PAGE + 1)
            count[letter(key)] += 1
            if current is not None and place != current:
                self._letter_page(files, listing, base, current, entries)
                entries = []
            current = place
            downloads = (self._downloads(files, entity, said.take((key, entity.id)))
                         if said is not None and entity.turns else None)
            files.page(path, page, {**page_context(base, entity.name, "../", path), "p": entity,
                                    "downloads": downloads, "letter": place[0].path(place[1])})
            entries.append(Entry(entity, path))
        if current is not None:
            self._letter_page(files, listing, base, current, entries)
        template = env.get_template(f"corpus/{self.index_page}")
        files.page(self.index_page, template, page_context(base, words[self.title_key],
                                                                path=self.index_page))
        return files.hashes

    def letters(self, index: CorpusIndex, words: Any) -> dict[str, Letter]:
        """The letters of the A to Z that have entries, in order, with their counts."""
        counts = Counter(letter(folded) for folded, _ in index.entity_keys(self.kinds))
        return {key: Letter(key, counts[key], _label(key, words), self.folder)
                for key in sorted(counts, key=lambda k: (k == "other", k))}

    def _letter_page(self, files: _Files, template: jinja2.Template, base: dict[str, Any],
                     place: tuple[Letter, int], entries: list[Entry]) -> None:
        """Write one page of a letter's entries."""
        current, number = place
        title = f"{base['L'][self.title_key]}: {current.label}"
        if current.pages > 1:
            title += f" ({number}/{current.pages})"
        files.page(current.path(number), template,
                   {**page_context(base, title, "../../", current.path(number)), "current": current, "number": number,
                    "entries": entries})

    def _downloads(self, files: _Files, entity: Entity,
                   said: Iterator[tuple[Any, ...]]) -> dict[str, str]:
        """Write what ``entity`` said as text and as TSV; their paths, by format."""
        stem = f"{self.folder}/{file_name(entity.id)}"
        paths = {"txt": f"{stem}.txt", "tsv": f"{stem}.tsv"}
        text, table = files.open(paths["txt"]), files.open(paths["tsv"])
        try:
            text.write(f"{entity.name} ({entity.id})\n".encode("utf-8"))
            write_tsv(table, SAID_COLUMNS, _said_rows(text, (row[2] for row in said)))
        finally:
            files.close(paths["txt"], text)
            files.close(paths["tsv"], table)
        return paths


def _said_rows(text: HashingWriter, said: Iterator[Said]) -> Iterator[list[str]]:
    """The rows of a speaker's TSV, writing the same paragraphs to their text on the way:
    a heading for each document (title, date, ID), then each paragraph as ``[n] text``."""
    document = None
    lines: list[str] = []
    for paragraph in said:
        if paragraph.document != document:
            document = paragraph.document
            heading = ", ".join(x for x in (paragraph.date, paragraph.document) if x)
            lines.append(f"\n\n{paragraph.title}\n{heading}\n")
        lines.append(f"\n[{paragraph.n}] {paragraph.text}\n")
        if len(lines) >= 500:
            text.write_text(lines)
            lines = []
        yield [paragraph.document, paragraph.when or "", paragraph.turn, paragraph.paragraph,
               paragraph.text]
    text.write_text(lines)


def _folded(ident: str) -> str:
    """An ID case aside as SQLite's ``lower()`` folds it (ASCII letters only), which orders
    the index's queries."""
    return "".join(c.lower() if c.isascii() else c for c in ident)


def _label(key: str, words: Any) -> str:
    """How a letter is shown: ``A``; other scripts as one word."""
    return words.other_letters if key == "other" else key.upper()


PERSONS = Register("person", ("person", "group"), "corpus_persons", downloads=True)
PLACES = Register("place", ("place",), "corpus_places")
