"""A rebuild staged in the build before the current one, brought up to the current build.

Staged in a new folder, a rebuild must hard-link every file no change touched from the
current build (254,000 at 20,000 documents, some 12 µs each in the kernel), and the build it
replaces must be removed once it is published (as many names again): a rebuild cost what
the corpus holds, however little changed. So the store keeps the build before the current
one (:meth:`~tei.corpus.store.BuildDir.spare`), and a rebuild is written over it:

1. :func:`mirror` brings it up to the current build. One listing of each folder of both
   (names and inodes, no ``stat`` a file: :mod:`tei.corpus.listing`) tells which names
   differ: those the last rebuild wrote, added or dropped. Only those are linked again or
   removed (moved aside, and removed in the background once the build is published: a
   large file takes the kernel a while to free), every other name is the current build's
   file already;
2. the build is then written as into a new folder, except that an unchanged file carried
   over from the current build (a link, at the same path) is only recorded
   (:meth:`Recycled.keep`): it is there;
3. :meth:`Recycled.drop_stale` removes what the current build holds that this build neither
   kept nor wrote: the files that are still the current build's, unrecorded.

A staged file may thus be a hard link to the published build, so every writer of the build
writes a new file (:func:`create`, :func:`write_new`, or a temporary one renamed into place)
and never opens one that is there for writing (``tests/conftest.py`` checks, around
every build of the suite, that the published build is never written).

The outputs of processes forked to write the corpus pages record what they keep in files of
their own (:meth:`Recycled.save`, at :func:`~tei.corpus.changes.drain`), read by the build's
process before it drops the rest.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from typing import IO

from tei.corpus.listing import Entries, entries_of

KEPT = "kept"
"""The folder of the staged build's parts where forked processes record what they kept."""


@dataclass(slots=True)
class Recycled:
    """A staged build written over an older one (see the module docstring), in this process."""

    staged: str
    """The staged build's folder."""
    current: str
    """The current build's folder."""
    parts: str
    """The staged build's folder of parts (removed before it is published)."""
    files: dict[str, int]
    """The current build's files (and links), by path, with their inodes: what
    :func:`mirror` made the staged build hold."""
    folders: frozenset[str]
    """The current build's folders, by path (its top left out)."""
    kept: set[str] = field(default_factory=set)
    """The paths recorded as carried over (:meth:`keep`) by the process :attr:`pid`."""
    owner: int = field(default_factory=os.getpid)
    """The build's own process (the others are forked from it)."""
    pid: int = field(default_factory=os.getpid)
    """The process whose record :attr:`kept` is (a forked process starts its own)."""

    def carries(self, source: str, destination: str) -> str | None:
        """The path (relative to both builds) of a link from ``source`` in the current build
        to ``destination`` in the staged one, at the same path: a file that is there
        already, to be kept. None for any other link."""
        prefix = self.current + os.sep
        if not source.startswith(prefix):
            return None
        relative = source[len(prefix):]
        if destination != self.staged + os.sep + relative or relative not in self.files:
            return None
        return relative

    def keep(self, paths: Iterable[str]) -> None:
        """Record ``paths`` (files or folders, relative) as carried over from the current
        build: the staged build holds them already, as they are there."""
        if self.pid != os.getpid():
            self.pid, self.kept = os.getpid(), set()
        self.kept.update(paths)

    def holds(self, relative: str) -> bool:
        """True when the staged build holds the current build's ``relative`` as
        :func:`mirror` made it: its file (the inode), or a folder where it has one."""
        try:
            found = os.lstat(self.staged + os.sep + relative)
        except FileNotFoundError:
            return False
        if relative in self.folders:
            return stat.S_ISDIR(found.st_mode)
        return found.st_ino == self.files.get(relative)

    def save(self) -> None:
        """Record this process's kept paths in the staged build's folder of parts, for the
        build's process to read (:meth:`gather`); nothing in the build's own process."""
        if self.pid != os.getpid() or self.pid == self.owner or not self.kept:
            return
        folder = Path(self.parts) / KEPT
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / str(os.getpid()), os.O_WRONLY | os.O_CREAT | os.O_APPEND
                     | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, os.fsencode("".join(f"{path}\0" for path in sorted(self.kept))))
        finally:
            os.close(fd)
        self.kept.clear()

    def gather(self) -> None:
        """Add what the forked processes recorded (:meth:`save`) to this process's record."""
        folder = Path(self.parts) / KEPT
        if not folder.is_dir():
            return
        for record in sorted(folder.iterdir()):
            self.kept.update(os.fsdecode(record.read_bytes()).split("\0")[:-1])

    def drop_stale(self, keep: Iterable[str] = (), folder: str | None = None,
                   besides: str | None = None) -> int:
        """Remove every file of the current build that the staged one still holds as it
        is there and that no one kept, then the folders that leaves empty (but those kept
        and ``keep``, folders a build makes even empty); returns how many files were
        removed. A file written anew is another inode: it stays. Only those in ``folder``,
        if given; none in ``besides`` (the records' bases, linked as the manifest is saved,
        after the rest is flushed: they are dropped then)."""
        staged, kept, dropped = self.staged + os.sep, self.kept, 0
        inside = None if folder is None else folder + "/"
        outside = None if besides is None else besides + "/"
        emptied: set[str] = set()
        for relative, inode in self.files.items():
            if relative in kept or (inside is not None and not relative.startswith(inside)) or (
                    outside is not None and relative.startswith(outside)):
                continue
            try:
                if os.lstat(staged + relative).st_ino != inode:
                    continue
                os.unlink(staged + relative)
            except FileNotFoundError:
                continue
            dropped += 1
            emptied.add(os.path.dirname(relative))
        spared = kept | set(keep)
        for parent in sorted(emptied, key=len, reverse=True):
            while parent and parent not in spared:
                try:
                    os.rmdir(staged + parent)
                except OSError:
                    break  # not empty
                parent = os.path.dirname(parent)
        return dropped


def create(path: str | os.PathLike[str]) -> IO[bytes]:
    """A new file at ``path``, open to write: one that is there is removed first, never
    written through, since it may be a hard link to a file of the published build."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return open(path, "xb")


def write_new(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` as a new file at ``path`` (see :func:`create`)."""
    with create(path) as handle:
        handle.write(data)


_recycled: Recycled | None = None
"""The staged build being written over an older one, if any (inherited by forked processes)."""


def recycled() -> Recycled | None:
    """The build written over an older one in this process (or the process it was forked
    from), if any."""
    return _recycled


def kept_all(previous: str | os.PathLike[str], staged: str | os.PathLike[str],
             paths: Iterable[str]) -> bool:
    """True when ``previous`` and ``staged`` are the current build and the staged one written
    over an older build: ``paths`` (relative to both) are there already, and are recorded as
    kept instead of linked."""
    reused = _recycled
    if reused is None or (os.fspath(previous).rstrip(os.sep), os.fspath(staged).rstrip(os.sep)) != (
            reused.current, reused.staged):
        return False
    reused.keep(paths)
    return True


def kept(source: str, destination: str) -> bool:
    """True when linking ``source`` as ``destination`` carries a file of the current build
    into the staged one written over an older build, at the same path: it is there
    already, and is recorded as kept (:meth:`Recycled.keep`) instead of linked."""
    reused = _recycled
    relative = None if reused is None else reused.carries(source, destination)
    if relative is None:
        return False
    assert reused is not None
    reused.keep((relative,))
    return True


def begin(staged: Path, current: Path, parts: Path, trash: Path,
          known: Mapping[str, Entries] | None = None) -> Recycled | None:
    """Bring ``staged`` (an older build, or what an interrupted one left) up to ``current``
    by hard links (:func:`mirror`, what it replaces moved into ``trash``; ``known``: the
    folders of ``current`` whose entries its record gives) and write this build over it
    (``parts``: its folder of parts, where forked processes record what they keep); None,
    ``staged`` then removed, where that cannot be done (a file system without hard links):
    the build is staged afresh."""
    global _recycled
    try:
        files, folders = mirror(str(staged), str(current), str(trash), known)
    except OSError:
        shutil.rmtree(staged, ignore_errors=True)
        return None
    _recycled = Recycled(str(staged), str(current), str(parts), files, folders)
    return _recycled


def end() -> None:
    """The build is over: links are links again."""
    global _recycled
    _recycled = None


def mirror(folder: str, current: str, trash: str | None = None,
           known: Mapping[str, Entries] | None = None) -> tuple[dict[str, int],
                                                                frozenset[str]]:
    """Make ``folder`` hold what ``current`` holds, every file a hard link to the current
    one (a name that is one already is left as it is); return the current build's files
    with their inodes, and its folders, by path. ``known``: the entries of those folders of
    ``current`` that its record gives (:func:`~tei.corpus.listing.recorded`), not listed
    again. What it replaces or removes is moved into the folder ``trash``, if given (made
    when first needed), to be removed later: removing a large file frees its blocks, which
    takes the kernel a while (the last rebuild's corpus index and turns, some 0.6 ms a
    file). Raises ``OSError`` where a link cannot be made."""
    remove = _Remover(trash)
    known = known or {}
    files: dict[str, int] = {}
    folders: set[str] = set()
    pending = [""]
    while pending:
        relative = pending.pop()
        here = os.path.join(current, relative)
        there = os.path.join(folder, relative)
        have = entries_of(there)
        now = known.get(relative)
        if now is None:
            now = entries_of(here)
        files.update({f"{relative}{name}": inode for name, (inode, is_dir) in now.items()
                      if not is_dir})
        for name, (inode, is_dir) in now.items():
            old = have.get(name)
            if is_dir:
                path = f"{relative}{name}"
                folders.add(path)
                if old is None or not old[1]:
                    remove(there, name, old)
                    os.mkdir(os.path.join(there, name))
                pending.append(f"{path}/")
            elif old is None or old[0] != inode or old[1]:
                remove(there, name, old)
                os.link(os.path.join(here, name), os.path.join(there, name),
                        follow_symlinks=False)
        for name in have.keys() - now.keys():
            remove(there, name, have[name])
    return files, frozenset(folders)


class _Remover:
    """Removes entries as :func:`~tei.corpus.listing.entries_of` found them: now, or by moving them into a folder
    to be removed later."""

    def __init__(self, trash: str | None) -> None:
        self.trash = trash
        self.moved = 0

    def __call__(self, folder: str, name: str, old: tuple[int, bool] | None) -> None:
        """Remove the entry ``name`` of ``folder``, if any."""
        if old is None:
            return
        path = os.path.join(folder, name)
        if self.trash is not None:
            if self.moved == 0:
                os.makedirs(self.trash, exist_ok=True)
            self.moved += 1
            os.rename(path, os.path.join(self.trash, str(self.moved)))
        elif old[1]:
            shutil.rmtree(path)
        else:
            os.unlink(path)
