"""The user's cache folder: prepared data a command would otherwise remake in every process.

Files are kept under ``$XDG_CACHE_HOME/tei-edition`` (by default ``~/.cache/tei-edition``),
each with the CRC-32 of its body as its first line, written atomically (a temporary file
renamed). A cache is only ever a shortcut: a missing, corrupt or unwritable file means the
data is made again, never an error. The check is against accidents (a file cut short, a
disk's error), as gzip's is: a CRC needs no :mod:`hashlib`, whose OpenSSL costs every
command that reads a cache 5 ms to load.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from pathlib import Path


def cache_dir() -> Path:
    """Where prepared data is kept: ``$XDG_CACHE_HOME/tei-edition``, by default
    ``~/.cache/tei-edition``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tei-edition"


def read_cached(path: Path) -> bytes | None:
    """The body kept at ``path``, or None if it is missing or corrupt (its first line
    is the CRC-32 of the rest: :func:`checksum`)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, _, body = data.partition(b"\n")
    return body if checksum(body) == digest else None


def checksum(body: bytes) -> bytes:
    """The first line of a cache file of ``body``: its CRC-32 in eight hexadecimal digits."""
    return b"%08x" % zlib.crc32(body)


def write_cached(path: Path, body: bytes) -> None:
    """Keep ``body`` at ``path``, atomically (a temporary file renamed: a reader sees the old
    file or the new one, and of several writers the last wins); silently nothing when the
    cache cannot be written."""
    from tei.xmlio import temporary_beside

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = temporary_beside(path)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(checksum(body) + b"\n" + body)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
