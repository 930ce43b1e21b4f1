"""Reading a transcript: the reader chosen by content or by name, then :func:`assemble`.

Metadata comes, in order of precedence, from the options, a sidecar file
``NAME.meta.toml`` beside the transcript, and the transcript itself.
"""

from __future__ import annotations

from pathlib import Path

from tei.errors import ReadError
from tei.model import Document
from tei.readers.assemble import assemble
from tei.readers.options import ReadOptions
from tei.readers.sidecar import read_sidecar, sidecar_path
from tei.readers.table import FORMATS, READERS, Entry, reader
from tei.xmlio import read_limited


def detect(data: bytes, name: str = "<input>",
           options: ReadOptions | None = None) -> Entry:
    """The first reader of the table that claims ``data`` (the last claims any text).

    A text is read as an export only when its second line is a date line and no
    title, date, place or source is given (options or sidecar): given metadata
    says the text has no header, and a first line taken for a title that the
    option then replaced would be lost. ``--from kremlin-text`` reads a header
    whatever is given.
    """
    options = options or ReadOptions()
    return next(entry for entry in READERS if entry.sniffs().sniff(data, name, options))


def read_bytes(data: bytes, name: str, options: ReadOptions) -> Document:
    """Read one transcript from bytes; ``name`` is used in messages and as the source path."""
    entry = detect(data, name, options) if options.fmt == "auto" else reader(options.fmt)
    if entry is None:
        known = ", ".join(FORMATS)
        raise ReadError(f"unknown reader {options.fmt!r} (known: {known})", path=name)
    return assemble(entry.load().read(data, name, options), options)


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
