"""Content hashes (SHA-256) of bytes, files and folders: what tells a build what changed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 1 << 20


def hash_bytes(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


def hash_file(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's content, in hex, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def hash_or_missing(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, or an empty string when there is no such file."""
    try:
        return hash_file(path)
    except OSError:
        return ""


def hash_tree(folders: Iterable[Path], skip: frozenset[str] = frozenset({"__pycache__"})) -> str:
    """One hash of every file under ``folders`` (names and contents), in a stable order;
    files under a folder named in ``skip`` are left out."""
    digest = hashlib.sha256()
    for folder in folders:
        files = sorted(p for p in folder.rglob("*")
                       if p.is_file() and not skip.intersection(p.relative_to(folder).parts))
        for path in files:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hash_file(path).encode() + b"\0")
    return digest.hexdigest()
