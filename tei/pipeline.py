"""One document through the stages, the same for ``encode``, ``render`` and ``build``.

    read     source file -> document model (the authority applied)   read_document
    encode   model -> TEI bytes, checked against the profile -> tree   encode_document
    load     a TEI file's bytes -> tree (checked when it must be)     load_tei
    view     tree -> the renderers' view                              view_of
    write    the view and TEI -> each output of a table               write_outputs

Each stage takes one artefact and returns the next, so a command is a few
calls and a corpus build's worker makes the same ones. The rules every
command shares are said once here: the schema check (:func:`check`), and
the guard against two documents of one batch writing the same files
(:class:`Claims`, by :func:`tei.outputs.file_name`).

The encoder never hands out a document that fails the project's schema: a bug
in the encoder must not produce a file that looks fine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from tei import DEFAULT_PUBLISHER, xmlio
from tei.errors import EncodeError, RenderError, TeiEditionError, TemplateError
from tei.ids import file_name
from tei.model import Document, Normalization
from tei.readers import ReadOptions
from tei.xmlio import (atomic_write, guarded_write, input_name, is_stdin, name_key, parse_bytes,
                       read_input, stdin_bytes, to_bytes, xml_files)

# The encoder, the renderers (Jinja2) and the outputs are imported in the functions that use
# them: `encode` needs no renderer, `render` no encoder, `validate` neither.
if TYPE_CHECKING:
    from tei.authority import Authority
    from tei.outputs import Artefacts, DocumentOutput
    from tei.render import DocumentView, RenderOptions
    from tei.render.persons import PersonLists
    from tei.render.view import Version
    from tei.validation import Finding, Validator


@dataclass(slots=True)
class Encoded:
    """A document and its TEI, checked against the project's schema."""

    document: Document
    tei: bytes
    tree: etree._ElementTree
    """The TEI as encoded (what was checked), indented as ``tei`` is: the tree parsing
    ``tei`` gives, but for line numbers (an element's ``sourceline`` is None). Not parsed
    back from the bytes: that would cost a fifth of encoding, for lines only a problem
    needs, and a problem's are found in the bytes (:func:`encode_document`)."""


def first_problem(tree: etree._ElementTree, path: str,
                  validator: Validator | None = None) -> Finding | None:
    """The first problem of ``tree`` against the project's profile, if any."""
    from tei.validation import default_validator

    findings = (validator or default_validator()).validate_tree(tree, path)
    return findings[0] if findings else None


def check(tree: etree._ElementTree, path: str, validator: Validator | None = None) -> None:
    """Raise :class:`EncodeError` at the first problem of ``tree`` against the profile."""
    from tei.validation import default_validator

    findings = (validator or default_validator()).validate_tree(tree, path)
    if findings:
        first = findings[0]
        more = (f" (and {len(findings) - 1} more: run tei-edition validate)"
                if len(findings) > 1 else "")
        raise EncodeError(f"{first.message}{more}", path=path, line=first.line)


def read_document(source: str | Path, options: ReadOptions, stdin: bytes | None = None,
                  authority: Authority | None = None) -> Document:
    """Read a transcript file, or standard input when ``source`` is ``-``; then apply the
    authority file's identifiers, names and authority records, if one is given."""
    from tei.readers.read import read_bytes, read_path

    if is_stdin(source):
        doc = read_bytes(stdin_bytes(stdin), input_name(source), options)
    else:
        doc = read_path(source, options)
    return authority.apply(doc) if authority is not None else doc


def encode_document(doc: Document, validator: Validator | None = None,
                    publisher: str = DEFAULT_PUBLISHER) -> Encoded:
    """Encode and check one document; serialised bytes are byte-identical run to run."""
    from tei.encode import encode

    tree = encode(doc, publisher=publisher)
    data = to_bytes(tree)  # indents the tree in place: it is then what parsing ``data`` gives
    if len(data) > xmlio.MAX_BYTES:  # the input was within the limit; its TEI is not
        raise EncodeError(f"its TEI would be {len(data):,} bytes, larger than the limit of "
                          f"{xmlio.MAX_BYTES:,} bytes for XML: split the transcript",
                          path=doc.source.path)
    name = f"{doc.id}.xml"
    problem = first_problem(tree, name, validator)
    if problem is not None:  # parsed back only now, for the line the problem is on
        problem = first_problem(parse_bytes(data, name), name, validator) or problem
        raise EncodeError(
            f"the encoder produced TEI that breaks rule {problem.rule!r} at line {problem.line} "
            f"of the output ({problem.message}); nothing was written. This is a bug in "
            f"tei-edition: please report it with this input", path=doc.source.path, line=None)
    return Encoded(doc, data, tree)


def load_tei(data: bytes, path: str, validator: Validator | None = None,
             checked: bool = True) -> etree._ElementTree:
    """A TEI file's tree, parsed safely; ``checked``: held to the project's profile."""
    tree = parse_bytes(data, path)
    if checked:
        check(tree, path, validator)
    return tree


def view_of(tree: etree._ElementTree, name: str, path: str | None = None,
            persons: PersonLists | None = None) -> DocumentView:
    """The renderers' view of a TEI tree; ``name`` identifies a document without ``xml:id``
    and ``path`` is what an error names.

    Speakers the document does not describe are looked up in the files it XIncludes or
    names (relative to ``path``: a ParlaMint sitting's ``listPerson``), then in ``persons``.
    """
    from tei.render import build_view
    from tei.render.persons import linked_lists

    try:
        lists = linked_lists(tree.getroot(), path).merged(persons)
        return build_view(tree, name=name, persons=lists)
    except RenderError as error:
        raise RenderError(error.message, path=path or name, line=error.line) from None


def write_outputs(artefacts: Artefacts, outputs: Sequence[DocumentOutput],
                  out_dir: Path) -> list[Path]:
    """Write each output of one document under ``out_dir``, atomically; the paths written."""
    written: list[Path] = []
    for output in outputs:
        destination = out_dir / output.path(artefacts.doc_id)
        atomic_write(destination, output.write(artefacts))
        written.append(destination)
    return written


class Claims:
    """The documents of one batch by the files they write: a second one is refused.

    File names are compared by :func:`~tei.xmlio.name_key`: on a case-insensitive
    file system (macOS, Windows) ``Doc`` and ``doc`` would be one file.
    """

    def __init__(self) -> None:
        self._sources: dict[str, tuple[str, str]] = {}
        """name_key of a file name -> (the source that has it, the document ID)."""

    def check(self, doc_id: str, source: str) -> None:
        """Raise when an earlier source of the batch has ``doc_id``'s files."""
        other = self._sources.get(name_key(file_name(doc_id)))
        if other is None or other[0] == source:
            return
        if other[1] == doc_id:
            raise TeiEditionError(f"gives the document ID {doc_id!r}, as {other[0]} does: "
                                  f"only the first is written", path=source)
        raise TeiEditionError(f"gives the document ID {doc_id!r}, which differs from "
                              f"{other[1]!r} of {other[0]} only in case (one file on a "
                              f"case-insensitive file system): only the first is written",
                              path=source)

    def claim(self, doc_id: str, source: str) -> None:
        """Give ``doc_id``'s files to ``source``; raise when an earlier source has them."""
        self.check(doc_id, source)
        self._sources[name_key(file_name(doc_id))] = (source, doc_id)

    def __contains__(self, doc_id: str) -> bool:
        return name_key(file_name(doc_id)) in self._sources


# -- the commands' batches --------------------------------------------------------------------


def encode_file(source: str | Path, out_dir: str | Path, options: ReadOptions | None = None, *,
                force: bool = False, validator: Validator | None = None,
                publisher: str = DEFAULT_PUBLISHER, stdin: bytes | None = None,
                claims: Claims | None = None,
                authority: Authority | None = None) -> tuple[Path, bool, list[Normalization]]:
    """Read, encode, check and write ``OUT_DIR/<xml:id>.xml``.

    Returns the path, whether it was written (False: it already held exactly
    this TEI) and what the reader changed in the source (to tell as warnings).
    Raises :class:`tei.errors.OverwriteError` instead of replacing a file that
    differs (a hand correction) unless ``force``. ``claims`` holds the documents
    already written in this batch: a second input with the same identifier is
    refused, even with ``force``.
    """
    doc = read_document(source, options or ReadOptions(), stdin, authority)
    if claims is not None:
        claims.claim(doc.id, str(source))
    encoded = encode_document(doc, validator, publisher)
    target = Path(out_dir) / f"{file_name(doc.id)}.xml"
    return target, guarded_write(target, encoded.tei, force=force), doc.normalizations


@dataclass(slots=True)
class RenderReport:
    """What :func:`render_paths` did: files written, and one error per file that failed."""

    written: list[Path] = field(default_factory=list)
    static: list[Path] = field(default_factory=list)
    """The stylesheet and script, where they were written afresh."""
    errors: list[TeiEditionError] = field(default_factory=list)


def render_paths(paths: Iterable[str | Path], out_dir: Path, outputs: Sequence[DocumentOutput],
                 options: RenderOptions | None = None,
                 stdin: bytes | None = None) -> RenderReport:
    """Render many TEI files (or folders of them), going on past a file that fails.

    A path ``-`` stands for the bytes ``stdin`` (standard input, read by the
    caller). Two inputs with the same identifier would overwrite each other:
    the second is reported as an error and not written.
    """
    from tei.outputs import Artefacts
    from tei.render import RenderOptions, write_static
    from tei.render.persons import load_lists

    options = options or RenderOptions()
    report = RenderReport()
    claims = Claims()
    rendered = 0
    try:
        persons = load_lists(options.persons)
    except (OSError, TeiEditionError) as error:
        report.errors.append(error if isinstance(error, TeiEditionError) else RenderError(
            error.strerror or str(error), path=error.filename))
        return report
    files = list(xml_files(paths))
    linked = versions_among(files, stdin)
    for path in files:
        source = input_name(path)
        stem = _stem(path)
        try:
            data = read_input(path, stdin)
            tree = load_tei(data, source, checked=False)
            view = view_of(tree, stem, source, persons)
            view.versions = linked.get(view.id, [])
            doc_id = file_name(view.id, stem)
            claims.claim(doc_id, source)
            artefacts = Artefacts(doc_id, data, tree, view, options, ours=False)
            report.written.extend(write_outputs(artefacts, outputs, out_dir))
            rendered += 1
        except OSError as exc:
            report.errors.append(RenderError(exc.strerror or str(exc),
                                             path=exc.filename or source))
        except TemplateError as error:  # placed at the template, not at the document
            report.errors.append(error)
        except TeiEditionError as error:
            error.path = source
            report.errors.append(error)
    if rendered and any(output.folder == "html" for output in outputs):
        try:
            report.static.extend(write_static(Path(out_dir), options))
        except OSError as exc:
            report.errors.append(RenderError(f"cannot write the stylesheet: {exc.strerror}",
                                             path=exc.filename or str(out_dir)))
    return report


def _stem(path: str | Path) -> str:
    """What names a document without an ``xml:id``: its file's stem (``stdin`` for ``-``)."""
    return "stdin" if isinstance(path, str) else path.stem


def versions_among(files: Sequence[str | Path], stdin: bytes | None = None
                   ) -> dict[str, list[Version]]:
    """The versions in other languages among documents rendered together, by document ID
    (from their headers; a file that cannot be read is reported when it is rendered)."""
    from tei.outputs import HTML
    from tei.render.versions import read_item, versions
    from tei.render.view import Version

    items = []
    for path in files:
        try:
            items.append(read_item(read_input(path, stdin), _stem(path)))
        except (OSError, TeiEditionError, etree.LxmlError):
            continue
    return {doc: [Version(lang, HTML.path(other)) for lang, other in found]
            for doc, found in versions(items).items()}


def render_file(path: str | Path, out_dir: Path, formats: Sequence[str] = ("html", "text"),
                options: RenderOptions | None = None) -> list[Path]:
    """Render one TEI file in the ``formats`` named (with the stylesheet for HTML): the
    editions written. Raises :class:`~tei.errors.TeiEditionError` (with file and line) on
    bad input."""
    from tei.outputs import formats as output_formats

    report = render_paths([Path(path)], out_dir, output_formats(formats), options)
    if report.errors:
        raise report.errors[0]
    return report.written
