"""The user's cache folder: prepared data a command would otherwise remake in every process.

Files are kept under ``$XDG_CACHE_HOME/tei-edition`` (by default ``~/.cache/tei-edition``),
each with the CRC-32 of its body as its first line, written atomically (a temporary file
renamed). A cache is only ever a shortcut: a missing, corrupt or unwritable file means the
data is made again, never an error. The check is against accidents (a file cut short, a
disk's error), as gzip's is: a CRC needs no :mod:`hashlib`, whose OpenSSL costs every
command that reads a cache 5 ms to load.

Each kind of cache is named by a key of the versions it was made with, so an upgrade starts
a new file or folder; :func:`prune_stale` removes the old ones once no command has used
them for :data:`STALE_DAYS` (a use marks a cache's time: :func:`mark_used`), so that the
folder does not grow with every upgrade, while two installed versions used in turn keep
theirs.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from collections.abc import Collection
from pathlib import Path

STALE_DAYS = 30
"""Days without a use after which another key's cache of the same kind is removed."""


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
    if checksum(body) != digest:
        return None
    mark_used(path)
    return body


def mark_used(path: Path) -> None:
    """Give the cache file or folder at ``path`` the time of now, so that
    :func:`prune_stale` knows it is in use (nothing when that cannot be done)."""
    with contextlib.suppress(OSError):
        os.utime(path)


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


def prune_stale(pattern: str, current: Collection[str], days: float = STALE_DAYS) -> None:
    """Remove the caches of :func:`cache_dir` that match ``pattern`` (``morphology-*``: one
    kind) but are not named in ``current`` (the names this version uses) and were last
    written or used (:func:`mark_used`) more than ``days`` ago: files, or folders with what
    they hold. Called when one of ``current`` is first made (after an upgrade); what cannot
    be removed is left."""
    limit = time.time() - days * 86400
    with contextlib.suppress(OSError):
        for path in sorted(cache_dir().glob(pattern)):
            with contextlib.suppress(OSError):
                if path.name in current or path.lstat().st_mtime >= limit:
                    continue
                if path.is_dir() and not path.is_symlink():
                    import shutil  # only here: reading or writing a cache never needs it

                    shutil.rmtree(path)
                else:
                    path.unlink()
