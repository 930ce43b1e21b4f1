"""The registers: one page per person (and per place) of the corpus, and A to Z index pages.

A register page (``persons/putin-vladimir.html``) gives a person's name, offices
over time (each with the first and last documents that give it), authority
identifiers, and every turn and mention, grouped by document in date order, each
linked to its paragraph (``../html/kremlin-64534.html#p12``). Beside it, what the
person said: ``persons/putin-vladimir.txt`` and ``.tsv`` (document, date, turn,
paragraph ID, text; :mod:`tei.corpus.said`, by year with ``--by-year``), from the text
the workers put in the index. Places have pages alike (``places/novo-ogaryovo.html``),
with the documents set there.

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

import itertools
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2


from tei.corpus.changes import Changes, Reuse, Span, save_blocks
from tei.corpus.linker import linker
from tei.corpus.index import CorpusIndex
from tei.corpus.pages import (PageSettings, corpus_context, page_context, touched_entities,
                              touched_years)
from tei.corpus.rows import Entity, Groups
from tei.corpus.said import download_paths, write_downloads
from tei.corpus.writers import HashingWriter, Runs, create
from tei.corpus.years import year_of, year_path
from tei.render.templates import REGISTER_FOLDERS, environment, register_path

RUNS_FROM = 20
"""Documents from which an entity's page is written as one run per document, and a rebuild
copies those of the documents that did not change (a smaller page is written whole)."""

LETTER_PAGE = 500
"""Entries on one page of a letter: more make a second page (``p-2.html``)."""

A_Z = "a-z"
"""The folder of the letter pages inside a register's folder (no ID makes a folder)."""

PAGES, SAID, BOTH = "pages", "said", "both"
"""The parts of a register one process writes (:meth:`Register.write_part`): its pages
(the entities', the letters' and the A to Z), what its speakers said (their downloads), or
both in one pass (as one process writes it: each entity read from the index once)."""


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
    """One line of a letter page: an entity without its occurrences (None when not read
    from the index: a rebuild copies its line from the previous page)."""

    id: str
    href: str
    entity: Entity | None


@dataclass(slots=True)
class _Files:
    """The files written so far, and their hashes by path."""

    build_dir: Path
    hashes: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, dict[str, Span]] = field(default_factory=dict)
    """The runs of each document in the files written by runs."""

    def open(self, path: str) -> HashingWriter:
        """A new file at ``path`` (relative to the build's top), hashed as it is written."""
        target = self.build_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        return HashingWriter(create(target))

    def close(self, path: str, out: HashingWriter) -> None:
        """Close a file opened by :meth:`open` and record its hash (and runs, if any)."""
        out.close()
        self.hashes[path] = out.hexdigest()
        if out.ranges:
            self.blocks[path] = out.ranges

    def page(self, path: str, template: jinja2.Template, context: dict[str, Any]) -> None:
        """Write one page of ``template``."""
        out = self.open(path)
        try:
            out.write_text(template.generate(context))
        finally:
            self.close(path, out)

    def runs(self, path: str, template: jinja2.Template, context: dict[str, Any],
             previous: Reuse | None) -> None:
        """Write the page of an entity, what its loop over the occurrences (``p``) writes
        for each document as one run (:class:`~tei.corpus.pages.Runs`): copied from the
        previous page where the document did not change, else rendered."""
        out = self.open(path)
        writer = Runs(out, previous)
        entity: Entity = context["p"]
        entity.occurrences = writer.items(entity.occurrences, key=lambda o: o.document.id)
        try:
            writer.render(template, context)
        finally:
            self.close(path, out)

    def letter_page(self, path: str, template: jinja2.Template, context: dict[str, Any],
                    previous: Reuse | None) -> None:
        """Write a letter page, each of its ``entries`` as one run (named by the entity's
        ID): copied from the previous page where no change touched the entity."""
        out = self.open(path)
        writer = Runs(out, previous)
        context["entries"] = _read(writer.items(context["entries"], key=lambda e: str(e.id)))
        try:
            writer.render(template, context)
        finally:
            self.close(path, out)


Written = _Files
"""What a part of a register wrote (:meth:`Register.write_part`): its files' hashes and runs."""


def _read(entries: Iterator[Entry]) -> Iterator[Entry]:
    """The entries a letter page writes (not copies): each must have been read from the index
    (:meth:`_Plan.needed` chose them)."""
    for entry in entries:
        if entry.entity is None:
            raise AssertionError(f"{entry.id}: its line is neither copied nor read")
        yield entry


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

    @property
    def parts(self) -> tuple[str, ...]:
        """What two processes may write at once, a part each (:meth:`write_part`): the
        speakers' downloads, most of the register's bytes, apart from its pages."""
        return (SAID, PAGES) if self.downloads else (BOTH,)

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        """Write every page, or, in a rebuild (``settings.changes``), those of the entities
        a changed document touches (in its old or new version) or that moved to another
        letter page, and the letter pages whose entries changed; the rest is linked from
        the previous build, and only the entities written are read from the index."""
        return self.join(build_dir, [self.write_part(build_dir, index, settings, BOTH)])

    def join(self, build_dir: Path, written: list[Written]) -> dict[str, str]:
        """The hashes of the files the parts wrote (:meth:`write_part`), their runs
        recorded together, as one process records them."""
        hashes: dict[str, str] = {}
        blocks: dict[str, dict[str, Span]] = {}
        for files in written:
            hashes.update(files.hashes)
            blocks.update(files.blocks)
        save_blocks(build_dir, self.folder, blocks)
        return hashes

    def write_part(self, build_dir: Path, index: CorpusIndex, settings: PageSettings,
                   part: str) -> Written:
        """Write the register's files of ``part`` (:data:`PAGES`, :data:`SAID` or
        :data:`BOTH`, as :meth:`write` says); their hashes and runs, for :meth:`join`."""
        pages, said_part = part != SAID, part != PAGES and self.downloads
        env = environment("html", settings.templates)
        base = corpus_context(index, settings)
        words = base["L"]
        placed = list(_placed(index.entity_keys(self.kinds)))
        letters = self.letters(placed, words)
        base = {**base, "letters": letters, "title_key": self.title_key}
        files = _Files(build_dir)
        plan = _Plan.of(self, index, settings.changes, letters, settings.by_year)
        page = env.get_template(f"corpus/{self.kind}.html")
        listing = env.get_template("corpus/letter.html")
        said = (Groups(index.said(), width=2) if said_part and plan.changes is None
                else None)
        needed = plan.needed(placed, letters)
        decoded = index.entities(self.kinds, folded=True, only=needed,
                                 texts=not plan.copies_pages)
        entries: list[Entry] = []
        rewritten: list[str] = []  # the entities whose files are written, not carried
        current: tuple[Letter, int] | None = None
        for ident, (key, number) in placed:
            path = register_path(self.kind, ident)
            place = (letters[key], number)
            if pages and current is not None and place != current:
                self._letter_page(files, listing, base, current, entries, plan)
                entries = []
            current = place
            entity = next(decoded) if needed is None or ident in needed else None
            assert entity is None or entity.id == ident, (ident, entity.id)
            if pages:
                entries.append(Entry(ident, path, entity))
            if not plan.rewrite(ident, place):
                continue
            rewritten.append(ident)
            assert entity is not None
            downloads = None
            if self.downloads and entity.turns:
                downloads = (write_downloads(files, self.folder, entity, index, said, plan,
                                             self.kinds) if said_part
                             else download_paths(self.folder, entity, plan.by_year))
            if not pages:
                continue
            context = {**page_context(base, entity.name, "../", path), "p": entity,
                       "downloads": downloads, "letter": place[0].path(place[1])}
            if entity.documents < RUNS_FROM:
                files.page(path, page, context)
            else:
                files.runs(path, page, context, plan.reuse(path))
        if pages and current is not None:
            self._letter_page(files, listing, base, current, entries, plan)
        if pages:
            if plan.changes is not None:
                plan.carry(files, self._untouched(plan, files.hashes, rewritten))
            template = env.get_template(f"corpus/{self.index_page}")
            files.page(self.index_page, template, page_context(base, words[self.title_key],
                                                                    path=self.index_page))
        return files

    def _untouched(self, plan: _Plan, written: Container[str],
                   rewritten: Iterable[str]) -> list[str]:
        """In a rebuild, the files of the entities no change touched, to be carried as they
        are: every file the previous build recorded in the register's folder (its A to Z
        aside), but those this build wrote and those of the entities ``rewritten`` or
        touched (gone ones among them: only a touched entity can have come or gone).
        Gathered once from the previous manifest, not entity by entity: most entities are
        untouched, and each would cost a lookup of its page and downloads."""
        assert plan.changes is not None
        stems = {register_path(self.kind, ident)[:-len(".html")]
                 for ident in itertools.chain(rewritten, plan.touched)}
        excluded = {f"{stem}.html" for stem in stems}
        if self.downloads:
            wholes = [f"{stem}.{suffix}" for stem in stems for suffix in ("txt", "tsv")]
            excluded.update(wholes if not plan.by_year else
                            (year_path(whole, year) for whole in wholes
                             for year in plan.previous_years()))
        prefix = f"{self.folder}/"
        start = len(prefix)
        return [path for path in plan.changes.pages
                if path.startswith(prefix) and path.find("/", start) < 0
                and path not in excluded and path not in written]

    def letters(self, placed: list[tuple[str, tuple[str, int]]],
                words: Any) -> dict[str, Letter]:
        """The letters of the A to Z that have entries, in order, with their counts."""
        counts = Counter(key for _, (key, _) in placed)
        return {key: Letter(key, counts[key], _label(key, words), self.folder)
                for key in sorted(counts, key=lambda k: (k == "other", k))}

    def _letter_page(self, files: _Files, template: jinja2.Template, base: dict[str, Any],
                     place: tuple[Letter, int], entries: list[Entry], plan: _Plan) -> None:
        """Write one page of a letter's entries (or link it, unchanged)."""
        current, number = place
        path = current.path(number)
        if not plan.rewrite_letter(path, [entry.id for entry in entries]):
            plan.carry(files, [path])
            return
        title = f"{base['L'][self.title_key]}: {current.label}"
        if current.pages > 1:
            title += f" ({number}/{current.pages})"
        files.letter_page(path, template,
                          {**page_context(base, title, "../../", path), "current": current,
                           "number": number, "entries": entries}, plan.entries(path))


@dataclass(slots=True)
class _Plan:
    """What a register rewrites in a rebuild, and what it links from the previous build."""

    changes: Changes | None
    touched: set[str] = field(default_factory=set)
    """Entities of a changed document (in its old or new version)."""
    places: dict[str, tuple[str, int]] | None = field(default_factory=dict)
    """Where each entity was in the previous A to Z: its letter and page (None: where it is
    now, every one: the rebuild added and removed none)."""
    same_letters: bool = False
    """True when every letter has as many entries as before (the A to Z reads the same)."""
    blocks: dict[str, dict[str, Span]] = field(default_factory=dict)
    """The runs of the previous downloads and pages."""
    same_words: bool = True
    """False when the pages' language changed: every page is written, only the downloads'
    runs are copied (they hold no words of the pages)."""
    by_year: bool = False
    """True when the downloads are written a pair a year (``--by-year``)."""
    years: dict[str, str] = field(default_factory=dict)
    """By year, in a rebuild: the year of each document."""
    touched_years: frozenset[str] = frozenset()
    """By year, in a rebuild: the years of the documents a change touched."""

    @classmethod
    def of(cls, register: Register, index: CorpusIndex, changes: Changes | None,
           letters: dict[str, Letter], by_year: bool = False) -> _Plan:
        """The plan of ``register`` in a build that changed ``changes`` (None: rewrite all)."""
        plan = cls._of(register, index, changes, letters)
        plan.by_year = by_year
        if by_year and changes is not None and register.downloads:
            plan.years = {doc: year_of(when) for doc, when in index.document_dates()}
            plan.touched_years = touched_years(changes, index)
        return plan

    @classmethod
    def _of(cls, register: Register, index: CorpusIndex, changes: Changes | None,
            letters: dict[str, Letter]) -> _Plan:
        if changes is None:
            return cls(None)
        touched = touched_entities(changes, index, register.kinds)
        previous = CorpusIndex(changes.index, read_only=True)
        try:  # only a touched entity can have come or gone: the others are where they were
            places = (None if previous.present(register.kinds, touched)
                      == index.present(register.kinds, touched)
                      else dict(_placed(previous.entity_keys(register.kinds))))
        finally:
            previous.close()
        same = places is None or (Counter(key for key, _ in places.values())
                                  == Counter({k: l.entries for k, l in letters.items()}))
        if not changes.same_language:
            touched.update(ident for ident, _ in index.entity_keys(register.kinds))
            return cls(changes, touched, places, False, changes.blocks(register.folder), False)
        return cls(changes, touched, places, same, changes.blocks(register.folder))

    def rewrite(self, entity: str, place: tuple[Letter, int]) -> bool:
        """True when the files of ``entity`` must be written (not linked)."""
        return (self.changes is None or entity in self.touched
                or (self.places is not None
                    and self.places.get(entity) != (place[0].key, place[1])))

    def rewrite_letter(self, path: str, entries: list[str]) -> bool:
        """True when the letter page at ``path`` with ``entries`` (their IDs) must be
        written."""
        if self.changes is None or not self.same_letters:
            return True
        places = self.places
        return any(e in self.touched or (places is not None and e not in places)
                   for e in entries)

    def needed(self, placed: list[tuple[str, tuple[str, int]]],
               letters: dict[str, Letter]) -> set[str] | None:
        """The entities to read from the index (None: all): those whose page is written,
        and those of a letter page written whose line cannot be copied from the previous
        one."""
        if self.changes is None:
            return None
        needed: set[str] = set()
        for (key, number), group in itertools.groupby(placed, key=lambda item: item[1]):
            ids = [ident for ident, _ in group]
            needed.update(i for i in ids if self.rewrite(i, (letters[key], number)))
            path = letters[key].path(number)
            if self.rewrite_letter(path, ids):
                lines = self.entries(path)
                needed.update(i for i in ids if lines is None or lines.span(i) is None)
        return needed

    @property
    def copies_pages(self) -> bool:
        """True when the pages' runs of untouched documents (and entities) may be copied."""
        return self.changes is not None and self.same_words

    def reuse(self, path: str) -> Reuse | None:
        """What of the previous page at ``path`` can be copied (None: nothing)."""
        if self.changes is None or not self.same_words:
            return None
        return Reuse(self.changes, path, self.blocks.get(path, {}))

    def entries(self, path: str) -> Reuse | None:
        """What of the previous letter page at ``path`` can be copied: the lines of the
        entities no change touched (None: nothing)."""
        if self.changes is None or not self.same_words:
            return None
        return Reuse(self.changes, path, self.blocks.get(path, {}), self.touched)

    def previous_years(self) -> set[str]:
        """By year, in a rebuild: the years the previous build had documents of (those of
        the documents now, and those a change touched, in their old version too), the only
        years a speaker's previous downloads can be of."""
        return {*self.years.values(), *self.touched_years}

    def unchanged_year(self, year: str, txt: str, tsv: str, heading: bytes) -> bool:
        """By year, in a rebuild: True when a speaker's pair of ``year`` may be linked from the
        previous build as it is: no change touched that year, both files are there, and the
        text's heading (the speaker's name) reads the same."""
        assert self.changes is not None
        pages = self.changes.pages
        if year in self.touched_years or txt not in pages or tsv not in pages:
            return False
        with open(self.changes.previous / txt, "rb") as previous:
            return previous.read(len(heading)) == heading

    def carry(self, files: _Files, paths: list[str]) -> None:
        """Link unchanged files from the previous build, with their hashes and runs."""
        assert self.changes is not None
        linker(f"{self.changes.previous}/", f"{files.build_dir}/").add(paths)
        pages, blocks = self.changes.pages, self.blocks
        files.hashes.update({path: pages[path] for path in paths})
        files.blocks.update({path: blocks[path] for path in paths if path in blocks})


def _placed(keys: Iterable[tuple[str, str]]) -> Iterator[tuple[str, tuple[str, int]]]:
    """Each entity's ID with its letter and page, from its keys in A to Z order."""
    count: Counter[str] = Counter()
    for folded, ident in keys:
        key = letter(folded)
        yield ident, (key, count[key] // LETTER_PAGE + 1)
        count[key] += 1


def _label(key: str, words: Any) -> str:
    """How a letter is shown: ``A``; other scripts as one word."""
    return words.other_letters if key == "other" else key.upper()


PERSONS: Register = Register("person", ("person", "group"), "corpus_persons", downloads=True)
PLACES: Register = Register("place", ("place",), "corpus_places")
