"""One document of an edition through every stage, in a worker process.

An :class:`Edition` is filled stage by stage, as mkdocs fills a ``Page``, so
each stage can be inspected (or, later, hooked) on its own::

    read      source file -> document model (the authority applied)
    encode    model -> TEI bytes checked against the project's schema -> tree
    render    tree -> view -> HTML and plain text
    summarise tree and view -> a small JSON summary for the corpus pages
    write     every output into the worker's folder of parts in the staged build

A TEI source (``.xml``) skips ``read``: its bytes are validated and published
as they are. Worker processes keep what every document needs (the authority,
the compiled schema, the templates), made once by :func:`start_worker`, and
hand back an :class:`Outcome` of a few hundred bytes: never a tree, never a
page, so the main process stays small however large the corpus.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from tei.encode import DEFAULT_PUBLISHER
from tei.errors import EncodeError, RenderError, TeiEditionError

if TYPE_CHECKING:
    from tei.authority import Authority
    from tei.model import Document
    from tei.render import RenderOptions
    from tei.render.view import DocumentView
    from tei.validate import Validator

PARTS = {"tei": "tei.xml", "html": "page.html", "text": "text.txt", "member": "member.xml",
         "summary": "summary.json"}
"""Files a worker writes for one document, by output kind, into its folder of parts."""


def part_path(folder: str | os.PathLike[str], index: int, kind: str) -> Path:
    """Where the output ``kind`` of the document at ``index`` is in a worker's folder of parts
    (``17.tei.xml``)."""
    return Path(folder) / f"{index}.{PARTS[kind]}"

OUTPUTS = ("tei", "html", "text", "member")
"""The files a document gives in the build (its summary goes into the corpus index)."""


def output_paths(doc_id: str) -> dict[str, str]:
    """Where each output of a document goes, relative to the build (by kind, as ``PARTS``)."""
    return {"tei": f"tei/{doc_id}.xml", "html": f"html/{doc_id}.html",
            "text": f"text/{doc_id}.txt", "member": f"corpus/{doc_id}.xml"}


_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to know; the same for every document of a build."""

    authority: str | None = None
    """Path of the authority file, if any."""
    templates: str | None = None
    """A folder of templates searched before the bundled ones."""
    publisher: str = DEFAULT_PUBLISHER


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
    """Output kind (a key of ``PARTS``) -> SHA-256 of the file written."""
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
class Edition:
    """One document's artefacts, filled stage by stage."""

    task: Task
    document: Document | None = None
    tei: bytes | None = None
    tree: etree._ElementTree | None = None
    doc_id: str | None = None
    view: DocumentView | None = None
    html: str | None = None
    text: str | None = None
    summary: dict[str, Any] | None = None
    member: bytes | None = None
    folder: str | None = None
    """Where the outputs were written (this worker's folder of parts)."""
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Worker:
    """What a worker process keeps from one document to the next."""

    settings: Settings
    authority: Authority | None
    validator: Validator
    options: RenderOptions
    links: Any
    """The ``links`` macro of ``corpus/_links.html``, for the summaries."""
    parent: int
    """Process ID of the build that started this worker (to notice its death)."""
    folders: set[str] = field(default_factory=set)
    """Folders of parts this worker has made (one per worker and build: two workers
    creating files in one folder wait on each other's lock of it)."""


_WORKER: Worker | None = None


def make_worker(settings: Settings) -> Worker:
    """Load the authority, the schema and the templates once."""
    from tei.authority import load_authority
    from tei.render import RenderOptions
    from tei.render.templates import environment
    from tei.validate import default_validator

    authority = load_authority(settings.authority) if settings.authority else None
    templates = Path(settings.templates) if settings.templates else None
    links = getattr(environment("html", templates).get_template("corpus/_links.html").module,
                    "links")  # a macro of the template: not an attribute mypy can know
    options = RenderOptions(templates=templates, home="../index.html")  # pages link to the index
    return Worker(settings, authority, default_validator(), options, links, os.getppid())


def end_with_parent() -> None:
    """Make this process end when the build that started it ends.

    On Linux the kernel sends it SIGTERM when the build process dies (even by
    SIGKILL), so no worker outlives an interrupted build.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_worker(settings: Settings) -> None:
    """Initialise a worker process: its state, and its end when the build ends."""
    global _WORKER
    end_with_parent()
    _WORKER = make_worker(settings)


def run_chunk(tasks: list[Task]) -> list[Outcome]:
    """Build a chunk of documents in this worker (see :func:`start_worker`)."""
    if _WORKER is None:
        raise RuntimeError("run_chunk called outside a worker started by start_worker")
    if os.getppid() != _WORKER.parent:
        raise SystemExit(0)
    return [run_task(task, _WORKER) for task in tasks]


def run_task(task: Task, worker: Worker) -> Outcome:
    """Take one document through every stage; an error stops this document only."""
    edition = Edition(task)
    try:
        for stage in STAGES:
            stage(edition, worker)
    except TeiEditionError as error:
        return Outcome(task.index, error=(error.message, error.path or task.path, error.line),
                       warnings=warnings(edition))
    except OSError as error:
        return Outcome(task.index, error=(error.strerror or str(error),
                                          error.filename or task.path, None),
                       warnings=warnings(edition))
    except Exception as error:  # a bug must not stop the other documents of the corpus
        message = f"internal error, please report it: {type(error).__name__}: {error}"
        return Outcome(task.index, error=(message, task.path, None), warnings=warnings(edition))
    return Outcome(task.index, edition.doc_id, edition.folder, edition.outputs,
                   warnings=warnings(edition))


def warnings(edition: Edition) -> list[str]:
    """What the reader changed in the source of ``edition``, as ``FILE:LINE: message``."""
    if edition.document is None:
        return []
    return [note.located(edition.task.path) for note in edition.document.normalizations]


def worker_folder(task: Task, worker: Worker) -> Path:
    """This worker's folder of parts in the build of ``task``, made the first time."""
    folder = Path(task.parts) / f"worker-{os.getpid()}"
    if task.parts not in worker.folders:
        folder.mkdir(parents=True, exist_ok=True)
        worker.folders.add(task.parts)
    return folder


# -- stages ---------------------------------------------------------------------------------


def read(edition: Edition, worker: Worker) -> None:
    """Source file -> document model, with the authority's IDs, names and identifiers."""
    from tei.pipeline import read_source
    from tei.readers import ReadOptions
    from tei.xmlio import read_limited

    if edition.task.kind == "tei":
        edition.tei = read_limited(edition.task.path)
        return
    edition.document = read_source(edition.task.path, ReadOptions(), authority=worker.authority)


def encode(edition: Edition, worker: Worker) -> None:
    """Model -> TEI bytes, checked against the project's schema; then its tree and ID."""
    from tei.pipeline import encode_document
    from tei.xmlio import parse_bytes, xml

    if edition.document is not None:
        encoded = encode_document(edition.document, worker.validator, worker.settings.publisher)
        edition.tei, edition.tree = encoded.tei, encoded.tree
    else:
        assert edition.tei is not None
        edition.tree = parse_bytes(edition.tei, edition.task.path)
        check_tei(edition.tree, edition.task.path, worker.validator)
    doc_id = edition.tree.getroot().get(xml("id")) or ""
    if not _SAFE_NAME.fullmatch(doc_id):
        raise EncodeError(f"document ID {doc_id!r} cannot name a file: use letters, digits, "
                          f"'-', '_' and '.'", path=edition.task.path,
                          line=edition.tree.getroot().sourceline)
    edition.doc_id = doc_id


def check_tei(tree: etree._ElementTree, path: str, validator: Validator) -> None:
    """Raise for the first error of a TEI source against the project's schema."""
    findings = validator.validate_tree(tree, path)
    if findings:
        first = findings[0]
        more = (f" (and {len(findings) - 1} more: run tei-edition validate)"
                if len(findings) > 1 else "")
        raise EncodeError(f"{first.message}{more}", path=path, line=first.line)


def render(edition: Edition, worker: Worker) -> None:
    """Tree -> view -> the HTML page and the plain text."""
    from tei.render import build_view, render_html, render_text

    assert edition.tree is not None
    try:
        edition.view = build_view(edition.tree, edition.doc_id)
        edition.html = render_html(edition.view, worker.options)
        edition.text = render_text(edition.view, worker.options)
    except RenderError as error:
        raise RenderError(error.message, path=edition.task.path, line=error.line) from None


def summarise(edition: Edition, worker: Worker) -> None:
    """Tree and view -> the small summary the corpus pages are made from."""
    from tei.corpus_index import summarise_document
    from tei.corpus_tei import corpus_member

    assert edition.tree is not None and edition.view is not None and edition.doc_id
    edition.summary = summarise_document(edition.view, edition.tree, worker.links)
    assert edition.tei is not None
    edition.member = corpus_member(edition.tree, edition.doc_id,
                                   indented=edition.task.kind == "transcript")
    edition.tree = None  # changed in place by corpus_member: no stage may use it after this


def write(edition: Edition, worker: Worker) -> None:
    """Every output into this worker's folder of parts in the staged build, with its hash."""
    from tei.manifest import hash_bytes

    assert edition.tei is not None and edition.html is not None and edition.text is not None
    assert edition.member is not None and edition.summary is not None
    folder = worker_folder(edition.task, worker)
    edition.folder = str(folder)
    contents = {
        "tei": edition.tei,
        "html": edition.html.encode("utf-8"),
        "text": edition.text.encode("utf-8"),
        "member": edition.member,
        "summary": json.dumps(edition.summary, ensure_ascii=False, sort_keys=True).encode("utf-8"),
    }
    for kind, data in contents.items():
        part_path(folder, edition.task.index, kind).write_bytes(data)
        edition.outputs[kind] = hash_bytes(data)


STAGES: list[Callable[[Edition, Worker], None]] = [read, encode, render, summarise, write]
"""The stages, in order: each takes the edition and fills its next fields."""
