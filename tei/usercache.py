"""The user's cache folder: prepared data a command would otherwise remake in every process.

Files are kept under ``$XDG_CACHE_HOME/tei-edition`` (by default ``~/.cache/tei-edition``),
each with the SHA-256 of its body as its first line, written atomically (a temporary file
renamed). A cache is only ever a shortcut: a missing, corrupt or unwritable file means the
data is made again, never an error.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """Where prepared data is kept: ``$XDG_CACHE_HOME/tei-edition``, by default
    ``~/.cache/tei-edition``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tei-edition"


def read_cached(path: Path) -> bytes | None:
    """The body kept at ``path``, or None if it is missing or corrupt (its first line
    is the SHA-256 of the rest)."""
    import hashlib  # here: a command that reads no cache never loads OpenSSL's hashes

    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, _, body = data.partition(b"\n")
    return body if hashlib.sha256(body).hexdigest().encode() == digest else None


def write_cached(path: Path, body: bytes) -> None:
    """Keep ``body`` at ``path``, atomically (a temporary file renamed: a reader sees the old
    file or the new one, and of several writers the last wins); silently nothing when the
    cache cannot be written."""
    import hashlib
    import tempfile

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-",
                                             suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
