"""One document of an edition through every stage, in a worker process.

The stages are those of :mod:`tei.pipeline`, which ``encode`` and ``render``
use too; a :class:`DocumentBuild` is filled stage by stage, as mkdocs fills a
``Page``, so each stage can be inspected (or, later, hooked) on its own::

    read      source file -> document model (the authority applied)
    encode    model -> TEI bytes checked against the project's schema -> tree
    view      tree -> the renderers' view, and the document's summary
    write     every output of :data:`~tei.corpus.layout.DOCUMENT_OUTPUTS`, and the
              summary, into the worker's folder of parts in the staged build

A TEI source (``.xml``) skips ``read``. One of ours (its header names
tei-edition) is held to the profile and published as it is; one from another
corpus gives its documents (:mod:`tei.corpus.foreign`: a ``teiCorpus`` gives one
per member), the profile's findings become a note, and the build checks it
against tei_all. A worker hands back an :class:`Outcome` of a few hundred bytes
per document: never a tree, never a page, so the main process stays small
however large the corpus.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from tei.corpus.foreign import documents_of
from tei.corpus.layout import DOCUMENT_OUTPUTS, SUMMARY, part_path
from tei.corpus.summary import summarise_document
from tei.errors import TeiEditionError
from tei.outputs import Artefacts
from tei.pipeline import check, encode_document, read_document, view_of
from tei.readers import ReadOptions
from tei.validation.documents import claims_profile
from tei.xmlio import parse_bytes, read_limited

if TYPE_CHECKING:
    from tei.authority import Authority
    from tei.model import Document
    from tei.render import RenderOptions
    from tei.render.view import DocumentView
    from tei.validation import Validator
    from tei.validation.report import Distance


@dataclass(frozen=True, slots=True)
class Task:
    """One source file to build, and the folder to write its outputs into."""

    index: int
    path: str
    kind: str
    """``transcript`` (text or saved web page, read into the model) or ``tei``."""
    parts: str
    """The folder of the staged build that holds each worker's folder of parts."""


Located = tuple[str, str | None, int | None]
"""``(message, path, line)``: an error or a note, as a worker hands it back."""


@dataclass(slots=True)
class Published:
    """One document a source gave: its ID, its parts, and what the build must know of it."""

    doc_id: str
    part: str
    """The document's key in the worker's folder of parts (see :func:`part_path`)."""
    outputs: dict[str, str] = field(default_factory=dict)
    """Output name (of ``DOCUMENT_OUTPUTS``) -> SHA-256 of the file written."""
    rewritten: bool = False
    """Its TEI is not the source's bytes (a corpus member; XIncludes resolved)."""
    distance: Distance | None = None
    """How far TEI from another corpus is from the profile (a note)."""


@dataclass(slots=True)
class Outcome:
    """What a worker reports for one source: its documents, or its error."""

    index: int
    folder: str | None = None
    """The worker's folder of parts, where the outputs are (see :func:`part_path`)."""
    documents: list[Published] = field(default_factory=list)
    foreign: bool = False
    """TEI from another corpus: the build checks it against tei_all before publishing it."""
    notes: list[Located] = field(default_factory=list)
    """What the build tells besides (an XInclude left out, a part of TEI not published)."""
    included: list[str] = field(default_factory=list)
    """The files the source XIncludes: a change to them rebuilds it."""
    error: Located | None = None
    """The error that stopped this source."""

    def exception(self) -> TeiEditionError | None:
        """The error as a :class:`TeiEditionError`, for reports."""
        return _located(self.error) if self.error is not None else None

    def warnings(self) -> list[TeiEditionError]:
        """The notes as errors (``FILE:LINE: message``), for reports."""
        return [_located(note) for note in self.notes]


def _located(item: Located) -> TeiEditionError:
    """An error or note handed back by a worker, as an error again."""
    message, path, line = item
    return TeiEditionError(message, path=path, line=line)


@dataclass(slots=True)
class Context:
    """What every document of a worker shares: made once per worker process."""

    authority: Authority | None
    validator: Validator
    options: RenderOptions
    read_options: ReadOptions
    publisher: str
    folders: set[str] = field(default_factory=set)
    """Folders of parts this worker has made (one per worker and build: two workers
    creating files in one folder wait on each other's lock of it)."""


@dataclass(slots=True)
class Part:
    """One document of a source, filled stage by stage."""

    tei: bytes
    tree: etree._ElementTree | None
    name: str
    """What identifies it when the TEI gives no ID (the file's stem)."""
    indented: bool = False
    """Its TEI is as :func:`~tei.xmlio.to_bytes` wrote it (this tool's own)."""
    rewritten: bool = False
    distance: Distance | None = None
    view: DocumentView | None = None
    summary: dict[str, Any] | None = None


@dataclass(slots=True)
class DocumentBuild:
    """One source's artefacts, filled stage by stage."""

    task: Task
    document: Document | None = None
    tei: bytes | None = None
    """The bytes of a TEI source."""
    parts: list[Part] = field(default_factory=list)
    """Its documents: one, or the members of a ``teiCorpus``."""
    foreign: bool = False
    notes: list[TeiEditionError] = field(default_factory=list)
    included: list[str] = field(default_factory=list)
    folder: str | None = None
    """Where the outputs were written (this worker's folder of parts)."""
    published: list[Published] = field(default_factory=list)


def run_task(task: Task, context: Context) -> Outcome:
    """Take one source through every stage; an error stops this source only."""
    build = DocumentBuild(task)
    try:
        for stage in STAGES:
            stage(build, context)
    except TeiEditionError as error:
        return Outcome(task.index, error=(error.message, error.path or task.path, error.line))
    except OSError as error:
        return Outcome(task.index, error=(error.strerror or str(error),
                                          error.filename or task.path, None))
    except Exception as error:  # a bug must not stop the other documents of the corpus
        message = f"internal error, please report it: {type(error).__name__}: {error}"
        return Outcome(task.index, error=(message, task.path, None))
    notes: list[Located] = [(note.message, note.path or task.path, note.line)
                            for note in build.notes]
    return Outcome(task.index, build.folder, build.published, build.foreign, notes,
                   build.included)


def read(build: DocumentBuild, context: Context) -> None:
    """Source file -> document model, with the authority's IDs, names and identifiers."""
    if build.task.kind == "tei":
        build.tei = read_limited(build.task.path)
        return
    build.document = read_document(build.task.path, context.read_options,
                                   authority=context.authority)
    build.notes += [TeiEditionError(note.message(), path=build.task.path, line=note.line)
                    for note in build.document.normalizations]


def encode(build: DocumentBuild, context: Context) -> None:
    """Model -> TEI bytes checked against the project's schema, and its tree; a TEI source
    of ours -> its tree, checked; one from another corpus -> its documents."""
    path = build.task.path
    if build.document is not None:
        encoded = encode_document(build.document, context.validator, context.publisher)
        build.parts = [Part(encoded.tei, encoded.tree, Path(path).stem, indented=True)]
        return
    assert build.tei is not None
    tree = parse_bytes(build.tei, path)
    if claims_profile(tree.getroot()):
        check(tree, path, context.validator)
        build.parts = [Part(build.tei, tree, Path(path).stem)]
        return
    source = documents_of(tree, build.tei, path, context.validator)
    build.foreign = True
    build.notes += source.notes
    build.included = [str(included) for included in source.included]
    build.parts = [Part(d.tei, d.tree, d.name, indented=d.rewritten, rewritten=d.rewritten,
                        distance=d.distance) for d in source.documents]


def view(build: DocumentBuild, context: Context) -> None:
    """Tree -> the renderers' view and the document's summary for the corpus pages."""
    for part in build.parts:
        assert part.tree is not None
        part.view = view_of(part.tree, part.name, build.task.path)
        part.summary = summarise_document(part.view, part.tree, part.tei)


def write(build: DocumentBuild, context: Context) -> None:
    """Every output into this worker's folder of parts in the staged build, with its hash."""
    from tei.corpus.hashes import hash_bytes

    folder = worker_folder(build.task, context)
    build.folder = str(folder)
    for number, part in enumerate(build.parts):
        assert part.tree is not None and part.view is not None
        key = f"{build.task.index}.{number}"
        artefacts = Artefacts(part.view.id, part.tei, part.tree, part.view, context.options,
                              ours=part.indented)
        published = Published(part.view.id, key, rewritten=part.rewritten,
                              distance=part.distance)
        for output in DOCUMENT_OUTPUTS:
            data = output.write(artefacts)
            part_path(folder, key, output.name, output.suffix).write_bytes(data)
            published.outputs[output.name] = hash_bytes(data)
        part.tree = None  # the corpus member changed it in place: no stage may use it after
        part_path(folder, key, SUMMARY).write_bytes(summary_bytes(part.summary))
        build.published.append(published)


def summary_bytes(summary: dict[str, Any] | None) -> bytes:
    """A document's summary as its part carries it to the build's process: JSON, keys sorted,
    UTF-8 (read back by ``json.loads``). Written by orjson, some twenty times faster than the
    standard library on a transcript's summary (every word said is in it); data orjson
    refuses (an integer beyond 64 bits, a key not a string) by the standard library."""
    import orjson

    try:
        return orjson.dumps(summary, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(summary, ensure_ascii=False, sort_keys=True).encode("utf-8")


def worker_folder(task: Task, context: Context) -> Path:
    """This worker's folder of parts in the build of ``task``, made the first time."""
    folder = Path(task.parts) / f"worker-{os.getpid()}"
    if task.parts not in context.folders:
        folder.mkdir(parents=True, exist_ok=True)
        context.folders.add(task.parts)
    return folder


STAGES: list[Callable[[DocumentBuild, Context], None]] = [read, encode, view, write]
"""The stages, in order: each takes the source's build and fills its next fields."""
