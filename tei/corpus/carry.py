"""Files carried from one build into the next: hard links to what did not change, and the
user's own files (and links, and empty folders) kept where they were."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from tei.corpus.linker import link
from tei.corpus.recycle import kept
from tei.corpus.hashes import hash_file
from tei.corpus.layout import STATIC

LINK_THREADS = 4
"""Folders linked into at once by :class:`Links`."""


class Links:
    """Hard links into the staged build, gathered by the folder they go in, then made by a
    thread a folder (:meth:`make`): a link costs some 12 µs in the kernel (ext4), which
    takes one at a time in each folder but several folders at once, and releases the GIL
    (a rebuild of 2,000 documents links 8,000 of their files into four folders)."""

    def __init__(self) -> None:
        self.pending: dict[str, list[tuple[str, str]]] = {}

    def add(self, folder: str, source: str, destination: str) -> None:
        """Link ``source`` as ``destination``, in the staged ``folder`` (its name will do);
        only recorded where the staged build holds it already (:mod:`tei.corpus.recycle`)."""
        if not kept(source, destination):
            self.pending.setdefault(folder, []).append((source, destination))

    def make(self) -> None:
        """Make every link gathered; the first error stops the build, once every thread is
        done (nothing is left making links into a build being discarded)."""
        batches, self.pending = list(self.pending.values()), {}
        if len(batches) < 2:
            for batch in batches:
                _link_all(batch)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(len(batches), LINK_THREADS),
                                thread_name_prefix="tei-links") as pool:
            made = [pool.submit(_link_all, batch) for batch in batches]
        for done in made:
            done.result()


def _link_all(batch: Sequence[tuple[str, str]]) -> None:
    """Make the links of one folder, in turn."""
    for source, destination in batch:
        link(source, destination)


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
