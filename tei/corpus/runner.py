"""Build a whole edition: many transcripts in, a browsable, citable corpus out.

Gather, then write, as mkdocs builds a site (``mkdocs/commands/build.py``):

1. **Find and plan.** Every source file (:mod:`tei.corpus.sources`: transcripts,
   saved web pages, TEI files) is hashed and compared with the manifest of the
   current build (:mod:`tei.corpus.manifest`): a document whose source, authority,
   templates, options and tool are unchanged is not built again.
2. **Build the changed documents** in a pool of worker processes
   (:mod:`tei.corpus.pool`, :mod:`tei.corpus.stages`: read, encode, view, write),
   each writing into a new staged build; unchanged documents are hard-linked into
   it from the current build. A document that fails stops nobody else.
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

from tei.corpus.index import CorpusIndex
from tei.corpus.layout import (CORPUS_FILES, CORPUS_OUTPUTS, DOCUMENT_OUTPUTS, INDEX, META_DIR,
                               PARTS, STATIC, SUMMARY, part_path)
from tei.corpus.manifest import Entry, Manifest, hash_file, hash_tree, load_manifest, settings_hash
from tei.corpus.pool import Settings, render_options, run_tasks
from tei.corpus.processes import worker_count
from tei.corpus.sources import Corpus, SourceFile, default_sources, find_sources
from tei.corpus.stages import Outcome, Task
from tei.corpus.store import BuildDir
from tei.corpus.versions import link_versions
from tei.encode import DEFAULT_PUBLISHER
from tei.errors import OverwriteError, TeiEditionError
from tei.pipeline import Claims
from tei.readers import ReadOptions

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
    base_url: str | None = None
    """Where the edition will be published (``--base-url``): the pages' own addresses in
    how-to-cite, canonical links and ``sitemap.xml``; None: not known."""


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
        reader=options.read_options.fmt if options.read_options.fmt != "auto" else None,
        base_url=options.base_url)


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
            link_versions(staged, self.manifest.documents, render_options(self.settings()))
            if (self.manifest.documents == self.previous.documents and self.same_settings
                    and self.current is not None):
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
                                  and self._outputs_present(source.previous))

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
        outcomes: dict[int, Outcome] = {}
        for outcome in run_tasks(tasks, self.settings(), self.options.jobs):
            outcomes[outcome.index] = outcome
            if self.progress is not None:
                self.progress(len(outcomes), len(changed))
        return outcomes

    def settings(self) -> Settings:
        """What the workers need to know, the same for every document."""
        return Settings(str(self.options.authority) if self.options.authority else None,
                        str(self.options.templates) if self.options.templates else None,
                        self.options.publisher, self.options.read_options, self.options.base_url)

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
                    self._claim(self._previous(source).id, source)
                    self._carry(staged, source)
                    self.report.unchanged += 1
            except TeiEditionError as error:
                self.report.failures.append(error)
                if source.changed and source.previous and source.previous.id not in self.claims:
                    self._claim(source.previous.id, source)
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
        assert outcome.doc_id is not None
        self.claims.check(outcome.doc_id, str(source.path))  # told before a hand edit
        tei = DOCUMENT_OUTPUTS[0]
        self._check_hand_edit(tei.path(outcome.doc_id), outcome.outputs[tei.name], source)
        self._claim(outcome.doc_id, source)
        assert outcome.folder is not None
        hashes: dict[str, str] = {}
        for output in DOCUMENT_OUTPUTS:
            path = output.path(outcome.doc_id)
            os.replace(part_path(outcome.folder, outcome.index, output.name, output.suffix),
                       staged / path)
            hashes[path] = outcome.outputs[output.name]
        self.summaries.append(part_path(outcome.folder, outcome.index, SUMMARY))
        self.manifest.documents[source.key] = Entry(source.hash, outcome.doc_id, hashes)

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
        """Keep files of the current build that this tool did not write (a user's own files)."""
        if self.current is None:
            return
        ours = set(self.written_before) | CORPUS_FILES
        for root, dirs, files in os.walk(self.current):
            relative_root = Path(root).relative_to(self.current)
            dirs[:] = [d for d in dirs if (relative_root / d).as_posix() not in (META_DIR, STATIC)]
            for name in files:
                relative = (relative_root / name).as_posix()
                if relative not in ours and not (staged / relative).exists():
                    _link(os.path.join(root, name), os.path.join(staged, relative))

    def finish(self, staged: Path) -> None:
        """Update the corpus index, then write the corpus pages, static files and manifest."""
        from tei.corpus.pages import PageSettings, page_processes, write_pages
        from tei.render import RenderOptions, write_static

        settings = PageSettings(self.options.title, self.options.publisher,
                                self.options.templates, self.options.base_url)
        processes = page_processes(worker_count(self.options.jobs), len(self.manifest.documents),
                                   len(CORPUS_OUTPUTS))
        self.manifest.pages = write_pages(staged, self.update_index(staged), settings,
                                          CORPUS_OUTPUTS, processes)
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
            kept = {entry.id for key, entry in self.manifest.documents.items()
                    if self.previous.documents.get(key) is entry}
            index.remove(index.document_ids() - kept)
            for summary in self.summaries:
                index.add(json.loads(summary.read_bytes()))
        finally:
            index.close()
        return path


def _link(source: str, destination: str) -> None:
    """Hard-link ``source`` as ``destination`` (a copy where links are not possible)."""
    try:
        os.link(source, destination)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        _link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
