"""One document of an edition through every stage, in a worker process.

The stages are those of :mod:`tei.pipeline`, which ``encode`` and ``render``
use too; a :class:`DocumentBuild` is filled stage by stage, as mkdocs fills a
``Page``, so each stage can be inspected (or, later, hooked) on its own::

    read      source file -> document model (the authority applied)
    encode    model -> TEI bytes checked against the project's schema -> tree
    view      tree -> the renderers' view, and the document's summary (with its
              citation trees for the DTS API)
    write     every output of :data:`~tei.corpus.layout.DOCUMENT_OUTPUTS`, and the
              summary, into the worker's folder of parts in the staged build

A TEI source (``.xml``) skips ``read``: its bytes are checked and published
as they are. A worker hands back an :class:`Outcome` of a few hundred bytes:
never a tree, never a page, so the main process stays small however large
the corpus.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from tei.corpus.layout import DOCUMENT_OUTPUTS, SUMMARY, part_path
from tei.corpus.summary import summarise_document
from tei.errors import TeiEditionError
from tei.outputs import Artefacts
from tei.pipeline import encode_document, load_tei, read_document, view_of
from tei.readers import ReadOptions
from tei.xmlio import read_limited

if TYPE_CHECKING:
    from tei.authority import Authority
    from tei.model import Document
    from tei.render import RenderOptions
    from tei.render.view import DocumentView
    from tei.validation import Validator


@dataclass(frozen=True, slots=True)
class Task:
    """One source file to build, and the folder to write its outputs into."""

    index: int
    path: str
    kind: str
    """``transcript`` (text or saved web page, read into the model) or ``tei``."""
    parts: str
    """The folder of the staged build that holds each worker's folder of parts."""


@dataclass(slots=True)
class Outcome:
    """What a worker reports for one document: its ID and output hashes, or its error."""

    index: int
    doc_id: str | None = None
    folder: str | None = None
    """The worker's folder of parts, where the outputs are (see :func:`part_path`)."""
    outputs: dict[str, str] = field(default_factory=dict)
    """Output name (of ``DOCUMENT_OUTPUTS``) -> SHA-256 of the file written."""
    error: tuple[str, str | None, int | None] | None = None
    """``(message, path, line)`` of the error that stopped this document."""
    warnings: list[str] = field(default_factory=list)
    """``FILE:LINE: message`` of each change the reader made to the source (a stray byte
    replaced): told, not failures."""

    def exception(self) -> TeiEditionError | None:
        """The error as a :class:`TeiEditionError`, for reports."""
        if self.error is None:
            return None
        message, path, line = self.error
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
class DocumentBuild:
    """One document's artefacts, filled stage by stage."""

    task: Task
    document: Document | None = None
    tei: bytes | None = None
    tree: etree._ElementTree | None = None
    view: DocumentView | None = None
    summary: dict[str, Any] | None = None
    folder: str | None = None
    """Where the outputs were written (this worker's folder of parts)."""
    outputs: dict[str, str] = field(default_factory=dict)


def run_task(task: Task, context: Context) -> Outcome:
    """Take one document through every stage; an error stops this document only."""
    build = DocumentBuild(task)
    try:
        for stage in STAGES:
            stage(build, context)
    except TeiEditionError as error:
        return Outcome(task.index, error=(error.message, error.path or task.path, error.line),
                       warnings=warnings(build))
    except OSError as error:
        return Outcome(task.index, error=(error.strerror or str(error),
                                          error.filename or task.path, None),
                       warnings=warnings(build))
    except Exception as error:  # a bug must not stop the other documents of the corpus
        message = f"internal error, please report it: {type(error).__name__}: {error}"
        return Outcome(task.index, error=(message, task.path, None), warnings=warnings(build))
    assert build.view is not None
    return Outcome(task.index, build.view.id, build.folder, build.outputs,
                   warnings=warnings(build))


def warnings(build: DocumentBuild) -> list[str]:
    """What the reader changed in the source of ``build``, as ``FILE:LINE: message``."""
    if build.document is None:
        return []
    return [note.located(build.task.path) for note in build.document.normalizations]


def read(build: DocumentBuild, context: Context) -> None:
    """Source file -> document model, with the authority's IDs, names and identifiers."""
    if build.task.kind == "tei":
        build.tei = read_limited(build.task.path)
        return
    build.document = read_document(build.task.path, context.read_options,
                                   authority=context.authority)


def encode(build: DocumentBuild, context: Context) -> None:
    """Model -> TEI bytes checked against the project's schema, and its tree."""
    if build.document is not None:
        encoded = encode_document(build.document, context.validator, context.publisher)
        build.tei, build.tree = encoded.tei, encoded.tree
    else:
        assert build.tei is not None
        build.tree = load_tei(build.tei, build.task.path, context.validator)


def view(build: DocumentBuild, context: Context) -> None:
    """Tree -> the renderers' view and the document's summary for the corpus pages."""
    assert build.tree is not None and build.tei is not None
    build.view = view_of(build.tree, Path(build.task.path).stem, build.task.path)
    build.summary = summarise_document(build.view, build.tree, build.tei)


def write(build: DocumentBuild, context: Context) -> None:
    """Every output into this worker's folder of parts in the staged build, with its hash."""
    from tei.corpus.manifest import hash_bytes

    assert build.tei is not None and build.tree is not None and build.view is not None
    folder = worker_folder(build.task, context)
    build.folder = str(folder)
    artefacts = Artefacts(build.view.id, build.tei, build.tree, build.view, context.options,
                          ours=build.task.kind == "transcript")
    for output in DOCUMENT_OUTPUTS:
        data = output.write(artefacts)
        part_path(folder, build.task.index, output.name, output.suffix).write_bytes(data)
        build.outputs[output.name] = hash_bytes(data)
    build.tree = None  # the corpus member changed it in place: no stage may use it after this
    summary = json.dumps(build.summary, ensure_ascii=False, sort_keys=True).encode("utf-8")
    part_path(folder, build.task.index, SUMMARY).write_bytes(summary)


def worker_folder(task: Task, context: Context) -> Path:
    """This worker's folder of parts in the build of ``task``, made the first time."""
    folder = Path(task.parts) / f"worker-{os.getpid()}"
    if task.parts not in context.folders:
        folder.mkdir(parents=True, exist_ok=True)
        context.folders.add(task.parts)
    return folder


STAGES: list[Callable[[DocumentBuild, Context], None]] = [read, encode, view, write]
"""The stages, in order: each takes the document's build and fills its next fields."""
