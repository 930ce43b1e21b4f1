"""One transcript through the stages: read -> encode -> validate -> write.

The encoder never hands out a document that fails the project's schema: a bug
in the encoder must not produce a file that looks fine. Each stage is a
function that takes one artefact and returns the next, so a stage can be
called (or hooked) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from tei.encode import DEFAULT_PUBLISHER, encode
from tei.errors import EncodeError
from tei.model import Document, Normalization
from tei import xmlio
from tei.readers import ReadOptions, read_bytes, read_path
from tei.xmlio import guarded_write, input_name, is_stdin, parse_bytes, stdin_bytes, to_bytes

if TYPE_CHECKING:
    from tei.authority import Authority
    from tei.validate import Validator


@dataclass(slots=True)
class Encoded:
    """A document and its TEI, checked against the project's schema."""

    document: Document
    tei: bytes
    tree: etree._ElementTree
    """The TEI as parsed back from ``tei`` (what was checked; line numbers match the bytes)."""


def check(doc: Document, data: bytes, validator: Validator | None = None) -> etree._ElementTree:
    """The parsed TEI for ``doc``; raises :class:`EncodeError` when it breaks the schema."""
    from tei.validate import default_validator

    checker = validator or default_validator()
    if len(data) > xmlio.MAX_BYTES:  # the input was within the limit; its TEI is not
        raise EncodeError(f"its TEI would be {len(data):,} bytes, larger than the limit of "
                          f"{xmlio.MAX_BYTES:,} bytes for XML: split the transcript",
                          path=doc.source.path)
    tree = parse_bytes(data, f"{doc.id}.xml")
    findings = checker.validate_tree(tree, f"{doc.id}.xml")
    if findings:
        first = findings[0]
        raise EncodeError(
            f"the encoder produced TEI that breaks rule {first.rule!r} at line {first.line} of the "
            f"output ({first.message}); nothing was written. This is a bug in tei-edition: please "
            f"report it with this input",
            path=doc.source.path, line=None)
    return tree


def encode_document(doc: Document, validator: Validator | None = None,
                    publisher: str = DEFAULT_PUBLISHER) -> Encoded:
    """Encode and validate one document; serialised bytes are byte-identical run to run."""
    data = to_bytes(encode(doc, publisher=publisher))
    return Encoded(doc, data, check(doc, data, validator))


def read_source(source: str | Path, options: ReadOptions, stdin: bytes | None = None,
                authority: Authority | None = None) -> Document:
    """Read a transcript file, or standard input when ``source`` is ``-``; then apply the
    authority file's identifiers, names and authority records, if one is given."""
    if is_stdin(source):
        doc = read_bytes(stdin_bytes(stdin), input_name(source), options)
    else:
        doc = read_path(source, options)
    return authority.apply(doc) if authority is not None else doc


def encode_file(source: str | Path, out_dir: str | Path, options: ReadOptions | None = None, *,
                force: bool = False, validator: Validator | None = None,
                publisher: str = DEFAULT_PUBLISHER, stdin: bytes | None = None,
                claimed: dict[str, str] | None = None,
                authority: Authority | None = None) -> tuple[Path, bool, list[Normalization]]:
    """Read, encode, validate and write ``OUT_DIR/<xml:id>.xml``.

    Returns the path, whether it was written (False: it already held exactly
    this TEI) and what the reader changed in the source (to tell as warnings).
    Raises :class:`tei.errors.OverwriteError` instead of replacing a file that
    differs (a hand correction) unless ``force``. ``claimed`` maps the
    identifiers already written in this batch to their inputs: a second input
    with the same identifier is refused, even with ``force``.
    """
    doc = read_source(source, options or ReadOptions(), stdin, authority)
    if claimed is not None:
        if doc.id in claimed:
            raise EncodeError(
                f"gives the identifier {doc.id!r}, as {claimed[doc.id]} did in this run; "
                "not written (give each transcript its own --title/--date/--source, or "
                "encode them one by one)", path=str(source))
        claimed[doc.id] = str(source)
    encoded = encode_document(doc, validator, publisher)
    target = Path(out_dir) / f"{doc.id}.xml"
    return target, guarded_write(target, encoded.tei, force=force), doc.normalizations
