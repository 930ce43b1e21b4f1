"""Readers: transcripts as users have them, in, one :class:`tei.model.Document` out.

Each reader turns bytes into a :class:`RawDocument` (header strings and
paragraphs); :func:`tei.readers.assemble.assemble` does the rest the same way
for all. The reader is chosen by content (:func:`detect`) or by
``ReadOptions.fmt`` (``--from``). Metadata comes, in order of precedence,
from the options, a sidecar file ``NAME.meta.toml`` beside the transcript,
and the transcript itself; but a text given a title, date, place or source is
chosen to be read as having no header at all (see :func:`detect`).

Register a reader with one line in :data:`READERS`.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tei.errors import ReadError
from tei.model import Document
from tei.readers.assemble import RawDocument, RawParagraph, assemble
from tei.readers.html import read_kremlin_html
from tei.read_options import FORMATS, METADATA_FIELDS, ReadOptions
from tei.readers.decode import bom_encoding, refuse_characters
from tei.readers.text import looks_headed, read_kremlin_text, read_transcript
from tei.xmlio import read_limited

__all__ = ["READERS", "RawDocument", "RawParagraph", "ReadOptions", "detect", "read_bytes",
           "read_path", "read_sidecar", "sidecar_path"]

Reader = Callable[[bytes, str, ReadOptions], RawDocument]
"""A reader: the file's bytes, its name for messages, the options -> a raw document."""

READERS: dict[str, Reader] = {
    "kremlin-text": read_kremlin_text,
    "transcript": read_transcript,
    "kremlin-html": read_kremlin_html,
}
"""Readers by the name ``--from`` takes."""

_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<\?xml[^>]*>\s*<html)",
                   re.I | re.S)
"""A web page, also when a browser put ``<!-- saved from url=… -->`` before it."""


def detect(data: bytes, name: str = "<input>", options: ReadOptions | None = None) -> str:
    """The reader for ``data``: a web page, a kremlin.ru export, or a headerless transcript.

    A text is read as an export only when its second line is a date line and no
    title, date, place or source is given (options or sidecar): given metadata
    says the text has no header, and a first line taken for a title that the
    option then replaced would be lost. ``--from kremlin-text`` reads a header
    whatever is given.
    """
    if _HTML.match(_opening_bytes(data)):
        return "kremlin-html"
    if options is not None and options.gives_header():
        return "transcript"
    lines = _first_lines(_opening(data))
    if len(lines) < 2:
        lines = _first_lines(data)
    return "kremlin-text" if looks_headed(lines) else "transcript"


def _opening_bytes(data: bytes) -> bytes:
    """The first 2 KiB of ``data`` as UTF-8, without a byte-order mark (a UTF-16 or UTF-32
    page is told by its opening like any other)."""
    bom = bom_encoding(data)
    if bom in ("utf-16", "utf-32"):
        return data[:8192].decode(bom, "replace").encode("utf-8")[:2048]
    return data[:2048].removeprefix(codecs.BOM_UTF8)


def _opening(data: bytes, size: int = 8192) -> bytes:
    """The first lines of ``data``, about ``size`` bytes: what telling the format needs.

    Cut after a newline byte, which never stands inside a UTF-8 character.
    """
    end = data.rfind(b"\n", 0, size)
    return data if len(data) <= size or end < 0 else data[:end + 1]


def _first_lines(data: bytes) -> list[str]:
    """The non-blank lines of ``data``, decoded leniently: telling the format refuses
    nothing, the reader chosen reports what is wrong with the whole file."""
    text = data.decode("utf-8-sig", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return [line for line in text.split("\n") if line.strip()]


def read_bytes(data: bytes, name: str, options: ReadOptions) -> Document:
    """Read one transcript from bytes; ``name`` is used in messages and as the source path."""
    fmt = options.fmt if options.fmt != "auto" else detect(data, name, options)
    if fmt not in READERS:
        known = ", ".join(FORMATS)
        raise ReadError(f"unknown reader {fmt!r} (known: {known})", path=name)
    return assemble(READERS[fmt](data, name, options), options)


def read_path(path: str | Path, options: ReadOptions) -> Document:
    """Read a transcript file, with metadata from its sidecar ``NAME.meta.toml`` if present.

    Like XML, a transcript is refused beyond :data:`tei.xmlio.MAX_BYTES`, read no
    further than one byte past it (``/dev/zero`` cannot fill the memory).
    """
    path = Path(path)
    if path.is_dir():
        raise ReadError("cannot read the file: it is a folder", path=str(path))
    try:
        data = read_limited(path)
    except OSError as error:
        raise ReadError(f"cannot read the file: {error.strerror or error}", path=str(path)) from None
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        options = options.filled_from(read_sidecar(sidecar))
    return read_bytes(data, str(path), options)


def sidecar_path(path: Path) -> Path:
    """``interview.meta.toml`` for ``interview.txt``."""
    return path.with_name(f"{path.stem}.meta.toml")


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata of a sidecar file (title, date, place, language, source), checked."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise ReadError(f"sidecar is not valid TOML: {error}", path=str(path),
                        line=int(match.group(1)) if match else None) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ReadError(f"cannot read the sidecar: {error}", path=str(path)) from None
    unknown = sorted(set(data) - set(METADATA_FIELDS))
    if unknown:
        raise ReadError(f"unknown key {unknown[0]!r} in the sidecar "
                        f"(expected: {', '.join(METADATA_FIELDS)})", path=str(path))
    for key, value in data.items():  # TOML escapes (\u0001) can give any character
        refuse_characters(str(value), str(path), what=f"the sidecar's {key}")
    return data
