"""A build's folders as one listing finds them: names and inodes, without a stat a file.

A hard link carried from the previous build is the very same inode, so comparing the inodes
that ``os.scandir`` gives with each name (``d_ino``: no ``stat``) tells what a build wrote
afresh from what it linked, for 22,000 files at 2,000 documents in a few milliseconds
(:func:`tei.corpus.store.sync_build`, the search index's bookkeeping in
:mod:`tei.corpus.delta`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def inodes_of(folder: str) -> dict[str, int]:
    """The inode of each entry of ``folder`` (none if it is not there), as listed."""
    try:
        with os.scandir(folder) as found:
            return {entry.name: entry.inode() for entry in found}
    except (FileNotFoundError, NotADirectoryError):
        return {}


@dataclass(frozen=True, slots=True)
class Tree:
    """A folder of a build as one listing found it (one ``scandir`` a folder, no stat a file):
    its folders, itself first, and its files with their inodes, by path from the build's top."""

    folders: tuple[str, ...]
    files: dict[str, int]


def tree(top: Path, folder: str) -> Tree:
    """The folder ``folder`` of the build at ``top`` (no folders and no files if it is not
    there); links are followed, as :func:`shutil.copytree` follows them."""
    folders: list[str] = []
    files: dict[str, int] = {}
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(top / current) as found:
                for entry in found:
                    if entry.is_dir():
                        pending.append(f"{current}/{entry.name}")
                    elif entry.is_file():
                        files[f"{current}/{entry.name}"] = entry.inode()
        except (FileNotFoundError, NotADirectoryError):
            if current == folder:
                return Tree((), {})
            raise
        folders.append(current)
    return Tree(tuple(folders), files)
