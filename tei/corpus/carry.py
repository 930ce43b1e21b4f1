"""Files carried from one build into the next: the user's own files (and links, and empty
folders) kept where they were; the unchanged documents' files are hard-linked by
:mod:`tei.corpus.linker`."""

from __future__ import annotations

import os
from pathlib import Path

from tei.corpus.linker import link
from tei.corpus.hashes import hash_file
from tei.corpus.layout import STATIC


def static_hashes(staged: Path) -> dict[str, str]:
    """The stylesheet and script just written, for the manifest: every file a build wrote is
    listed there, so the next build can tell them from a user's own files."""
    return {f"{STATIC}/{path.name}": hash_file(path)
            for path in sorted((staged / STATIC).iterdir()) if path.is_file()}


def inside(path: str, folder: Path) -> bool:
    """True when ``path`` lies in ``folder``."""
    return folder in Path(os.path.abspath(path)).parents


def same_file(first: Path, second: Path) -> bool:
    """True when two entries are one: folders both (not links), or files of one content."""
    if first.is_symlink() or second.is_symlink():
        return False
    if first.is_dir() or second.is_dir():
        return first.is_dir() and second.is_dir()
    return first.is_file() and second.is_file() and hash_file(first) == hash_file(second)


def carry_entry(source: Path, destination: Path) -> None:
    """Re-make ``source`` (a file, a symbolic link, an empty folder) as ``destination``."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), destination)
    elif source.is_dir():
        destination.mkdir()
    else:
        link(str(source), str(destination))
