"""The output folder of a build, replaced in one atomic step.

``OUT`` is a symbolic link to a complete build kept in a store beside it::

    build -> .build.builds/b20261128T201500123456
    .build.builds/b20261128T201500123456/   (the current build)
    .build.builds/b20261128T195900654321000/   (the spare: the build it replaced)
    .build.builds/.lock

A build is written into a folder of the store: a rebuild into the spare, brought
up to the current build first (:mod:`tei.corpus.recycle`: its files are hard links
to the current build's, all but what the last rebuild wrote), a first build into a
new one; and only when it is complete is ``OUT`` switched to it, by ``os.replace`` of a new link over
the old one: a single ``rename(2)``, atomic on POSIX file systems. A crash or
Ctrl-C (SIGINT or SIGKILL) at any moment leaves ``OUT`` pointing at the
previous complete build or at the new complete one, never at a mix of the two;
the next build removes what the interrupted one left in the store. (Renaming
two real folders, old out and new in, would not be atomic: there is a moment
with no ``OUT`` at all, or a crash between the two renames.)

One build at a time: the store holds a lock (``fcntl.lockf``, released by the
kernel when the process dies, even by SIGKILL, and not inherited by worker
processes).

Copying an edition elsewhere: follow the link (``cp -rL build/ site/`` or
``rsync -a build/ host:site/``), since ``cp -r build site`` copies the link.

**What ``OUT`` may be.** A build never deletes a file that no build wrote, and
replaces one only where it writes its own output of that name (a TEI file only
when no one changed it since, or with ``--force``: see :mod:`tei.corpus.runner`).
``OUT`` may be missing, empty, or an edition of ours:

* a link into its own store: a build of ours. The files its manifest lists are
  the build's: written afresh, or dropped when their source is gone. Anything
  else a user put there (files, links, empty folders) is carried into every
  new build;
* a plain folder every file of which a build, ``encode`` or ``render`` writes:
  listed by the folder's manifest (a ``cp -rL`` copy of an edition), or where
  :func:`written_by_tool` says (``encode -o build/tei``, ``render -o build``).
  It is moved into the store whole and becomes the previous build; what the new
  build does not write again is carried over.

Any other folder is refused, naming what tei-edition did not write there. With
``--force`` it is taken all the same, and those files are carried into every
build; but a user's file where the build writes a corpus page (their own
``index.html``) is refused even then: the build cannot keep it and write its
own. A link to anywhere but the store is refused, even with ``--force``: the
build would replace the link.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import sys
import time
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager, suppress
from pathlib import Path

from tei.corpus.listing import Entries, Listed, inodes_of
from tei.errors import TeiEditionError

# The table of outputs (tei.corpus.layout) is imported where it is used: encode and render
# import this module for published_build_of alone, which must not import the corpus build.

TRASH = ".removed-"
"""The prefix of a build put aside in the store, to be removed."""
LISTING = ".listing.json"
"""The suffix of the record of a build's folders in the store (:meth:`BuildDir.listing`)."""
_REMOVE = "import shutil, sys\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)"
"""What the process that removes builds put aside runs."""

ADOPTED = "-adopted"
"""The suffix of a plain ``OUT`` folder's name once it is moved into the store."""


def published_build_of(path: str | os.PathLike[str]) -> Path | None:
    """The ``OUT`` link of a published build that ``path`` lies in (or is), if any.

    Files written there by hand or by ``encode``/``render`` would be lost when the
    next build is switched in, or be taken for hand corrections.
    """
    candidate = Path(os.path.abspath(path))
    for folder in (candidate, *candidate.parents):
        if folder.is_symlink() and Path(os.readlink(folder)).parent.name.endswith(".builds"):
            return folder
    return None


def written_by_tool(relative: str) -> bool:
    """True for a path (relative to ``OUT``, ``/``-separated) where a build, ``encode`` or
    ``render`` writes a file of its own: a document output (``tei/<id>.xml``,
    ``html/<id>.html``...), the bundled stylesheet and script, the build's own folder.
    (The corpus pages are the build's only where a manifest lists them.)"""
    from tei.corpus.layout import DOCUMENT_OUTPUTS, META_DIR, STATIC
    from tei.resources import data_dir

    folder, _, name = relative.rpartition("/")
    if relative == META_DIR or folder.split("/")[0] == META_DIR:
        return True
    if folder == STATIC:
        return (data_dir("transform") / "html" / "static" / name).is_file()
    return any(folder == output.folder and name.endswith(output.suffix)
               for output in DOCUMENT_OUTPUTS)


def entries(folder: Path, skip: frozenset[str] = frozenset(),
            known: AbstractSet[str] = frozenset()) -> Iterator[str]:
    """Every file, symbolic link and empty folder under ``folder`` (relative, ``/``-separated),
    links not followed, the build's own folder left out, and the folders ``skip`` names
    (relative paths), unlisted; and the paths in ``known`` (files a manifest lists: told
    from the rest by their names, before any is looked at)."""
    from tei.corpus.layout import META_DIR

    def under(path: str, prefix: str) -> Iterator[str]:
        with os.scandir(path) as found:
            children = sorted((child for child in found if prefix + child.name not in known),
                              key=lambda entry: entry.name)
        for child in children:
            relative = prefix + child.name
            if relative == META_DIR or relative in skip:
                continue
            if child.is_dir(follow_symlinks=False) and not _empty(child.path):
                yield from under(child.path, relative + "/")
            else:
                yield relative

    return under(str(folder), "")


def _empty(folder: str) -> bool:
    """True when ``folder`` holds nothing (its first entry read, not all)."""
    with os.scandir(folder) as found:
        return next(found, None) is None


def foreign_entries(folder: Path) -> list[str]:
    """What in a plain folder no build, ``encode`` or ``render`` wrote: files that are
    neither listed by the folder's manifest nor :func:`written_by_tool`, links, empty
    folders other than those of the outputs. (A manifest of another format, from another
    version, still says that a build wrote the corpus pages.)"""
    from tei.corpus.layout import CORPUS_FILES, DOCUMENT_OUTPUTS, MANIFEST, STATIC
    from tei.corpus.manifest import load_manifest

    listed = set(load_manifest(folder).written())
    if (folder / MANIFEST).is_file():
        listed |= CORPUS_FILES
    folders = {output.folder for output in DOCUMENT_OUTPUTS} | {STATIC}
    found = []
    for relative in entries(folder):
        path = folder / relative
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            found.append(relative)
        elif path.is_dir():
            if relative not in folders:
                found.append(relative)
        elif relative not in listed and not written_by_tool(relative):
            found.append(relative)
    return found


def sync_build(folder: Path, previous: Path | None = None,
               known: Mapping[str, int] | None = None) -> Listed:
    """Put what a build wrote into ``folder`` on disk before it is published: every file it
    wrote (not one linked from the current build, ``previous``: on disk already), every
    folder (the links are entries of theirs) and ``folder``'s own entry. Not ``os.sync``,
    which waits for the whole machine's unwritten data, other programs' too, unless the
    build wrote more than :data:`FSYNC_FILES` files (a first build): one sync then costs
    less than a flush per file.

    A file is linked from ``previous`` when the entry of the same path there has its inode,
    which listing a folder tells without a ``stat`` of each file (22,000 of them at 2,000
    documents); without ``previous``, a file of more than one link is taken as linked.
    ``known``: the previous build's files with their inodes, by path, where the caller
    listed them already (:mod:`tei.corpus.recycle`): its folders are then not listed again.
    The flushes run in threads of their own: the disk takes several at once (measured: a
    one-file rebuild's 44 files, 106 MB, flushed 2.3x sooner by 8 threads than in turn).
    Returns ``folder``'s folders as it listed them, for the next rebuild
    (:func:`~tei.corpus.listing.save`)."""
    from concurrent.futures import ThreadPoolExecutor

    listed = Listed()
    written, folders = _written(folder, previous, known, listed)
    if len(written) > FSYNC_FILES:
        os.sync()
        return listed
    with ThreadPoolExecutor(FSYNC_THREADS) as flushing:
        list(flushing.map(_fsync, written, itertools.repeat(os.O_RDONLY)))
        list(flushing.map(_fsync, [*folders, str(folder.parent)],
                          itertools.repeat(os.O_RDONLY | os.O_DIRECTORY)))
    return listed


FSYNC_FILES = 1000
"""Files written from which :func:`sync_build` syncs the whole machine instead."""
FSYNC_THREADS = 8
"""Flushes :func:`sync_build` has the disk do at once."""


def _written(folder: Path, previous: Path | None, known: Mapping[str, int] | None = None,
             listed: Listed | None = None) -> tuple[list[str], list[str]]:
    """The files of ``folder`` not linked from ``previous`` (see :func:`sync_build`), and
    every folder, ``folder`` first; each folder's entries recorded in ``listed``, if given."""
    written, folders = [], []
    top = str(folder)
    pending: list[tuple[str, str | None]] = [(top, str(previous) if previous else None)]
    while pending:
        current, before = pending.pop()
        folders.append(current)
        prefix = current[len(top) + 1:] + "/" if current != top else ""
        inodes = None if known is not None or before is None else inodes_of(before)
        entries: Entries = {}
        if listed is not None:  # its time before its entries: a change while listed shows
            listed.folders[prefix] = (os.stat(current).st_mtime_ns, entries)
        with os.scandir(current) as found:
            for entry in found:
                inode, is_dir = entry.inode(), entry.is_dir(follow_symlinks=False)
                entries[entry.name] = (inode, is_dir)
                if is_dir:
                    pending.append((entry.path, None if before is None
                                    else os.path.join(before, entry.name)))
                elif not entry.is_file(follow_symlinks=False):
                    continue
                elif known is not None:
                    if known.get(prefix + entry.name) != inode:
                        written.append(entry.path)
                elif (entry.stat(follow_symlinks=False).st_nlink == 1 if inodes is None
                      else inodes.get(entry.name) != inode):
                    written.append(entry.path)
    return written, folders


def _fsync(path: str, flags: int) -> None:
    """Flush one file or folder to disk."""
    fd = os.open(path, flags | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BuildDirError(TeiEditionError):
    """The output folder cannot be used (another build holds it, or it is not ours)."""


class BuildDir:
    """``OUT`` and its store of builds: find the current build, stage a new one, publish it."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(os.path.abspath(out))
        self.store = self.out.parent / f".{self.out.name}.builds"

    @contextmanager
    def locked(self, force: bool = False) -> Iterator[BuildDir]:
        """Hold the store's lock for the duration of a build; refuse if another build holds it.

        ``force`` takes a plain ``OUT`` folder that holds files of the user's own (kept).
        A store left with no build in it is removed at the end.
        """
        self.store.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.store / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise BuildDirError("another build is writing to this folder; wait for it to end",
                                    path=str(self.out)) from None
            try:
                self._adopt(force)
                yield self
            finally:
                with suppress(OSError):
                    self._tidy()
        finally:
            os.close(fd)

    def _tidy(self) -> None:
        """Remove the store when it holds nothing but its lock (no build was ever published)."""
        if [p.name for p in self.store.iterdir()] == [".lock"]:
            (self.store / ".lock").unlink()
            self.store.rmdir()

    def current(self) -> Path | None:
        """The complete build ``OUT`` points at, if any."""
        if self.out.is_symlink():
            target = Path(os.path.realpath(self.out))
            return target if target.is_dir() else None
        return None

    def _adopt(self, force: bool) -> None:
        """Make ``OUT`` a link into the store, recovering from any earlier interruption.

        * ``OUT`` missing (or a link to a build that is gone) but a complete build
          in the store (a crash between moving a plain folder aside and linking
          it): link the newest one.
        * ``OUT`` a link elsewhere than into the store: refused (not ours).
        * ``OUT`` a plain folder: an edition of ours (see the module docstring) is
          moved into the store whole and becomes the previous build, so no file in
          it is lost or silently replaced; any other is refused (see
          :meth:`_check_plain`).
        * Any other folder in the store (left by an interrupted build) is removed,
          and so is a link an interrupted switch left beside ``OUT``.
        """
        from tei.corpus.layout import MANIFEST

        for link in self.out.parent.glob(f".{self.out.name}.link-*"):
            if link.is_symlink():
                link.unlink()
        if self.out.is_symlink() and not self._links_into_store():
            raise BuildDirError(
                f"is a link to {os.readlink(self.out)}, not to a build of tei-edition: remove "
                f"the link or choose another output folder", path=str(self.out))
        if self.current() is None and (self.out.is_symlink() or not self.out.exists()):
            complete = sorted(p for p in self._builds()
                              if (p / MANIFEST).is_file() or p.name.endswith(ADOPTED))
            if complete:
                self._link(complete[-1])
        elif self.out.is_dir() and not self.out.is_symlink():
            if any(self.out.iterdir()):
                self._check_plain(force)
                kept = self.store / f"{self._new_name()}{ADOPTED}"
                os.rename(self.out, kept)
                self._keep_links(kept)
                self._link(kept)
            else:
                self.out.rmdir()
        elif not self.out.is_dir():
            raise BuildDirError("exists and is not a folder: choose another output folder",
                                path=str(self.out))
        self.remove_stale()

    def _keep_links(self, kept: Path) -> None:
        """Make the relative links of a folder just moved into the store that point out of
        it point where they did: it now lies one level deeper."""
        for relative in entries(kept):
            link = kept / relative
            if not link.is_symlink():
                continue
            target, folder = os.readlink(link), os.path.dirname(relative)
            leads = os.path.normpath(os.path.join(folder, target))
            if os.path.isabs(target) or leads.split(os.sep)[0] != "..":
                continue  # absolute, or within the folder: it leads where it did
            pointed = os.path.normpath(os.path.join(self.out, folder, target))
            link.unlink()
            link.symlink_to(os.path.relpath(pointed, link.parent))

    def _links_into_store(self) -> bool:
        """True when ``OUT`` is a link to a folder of its own store (a build of ours)."""
        return Path(os.path.realpath(self.out)).parent == Path(os.path.realpath(self.store))

    def _check_plain(self, force: bool) -> None:
        """Refuse a plain ``OUT`` folder that holds what no build wrote (unless ``force``),
        and, even with ``force``, one whose own file lies where the build writes a page."""
        from tei.corpus.layout import CORPUS_FILES

        foreign = foreign_entries(self.out)
        if foreign and not force:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more"
                                              if len(foreign) > 3 else "")
            raise BuildDirError(
                f"is not an edition of tei-edition: it holds what tei-edition did not write "
                f"({shown}); choose another output folder, or use --force to build into it "
                f"and keep those files", path=str(self.out))
        for relative in foreign:
            if relative in CORPUS_FILES:
                raise BuildDirError(
                    "was not written by tei-edition, and the build writes its own file of "
                    "this name: move it away (it is not replaced, even with --force)",
                    path=str(self.out / relative))

    def _builds(self) -> list[Path]:
        """Every build folder in the store (but those put aside for removal)."""
        return [p for p in self.store.iterdir()
                if p.is_dir() and not p.is_symlink() and not p.name.startswith(TRASH)]

    def remove_stale(self) -> None:
        """Remove every build in the store except the one ``OUT`` points at and the newest of
        the others (the spare, which the next build is written over: see :meth:`spare`)."""
        import shutil  # here: encode and render import this module, and remove nothing

        spare = self._spare()
        for folder in self.store.iterdir():
            if folder.is_dir() and not folder.is_symlink() and folder != spare and not (
                    self._is_current(folder)):
                shutil.rmtree(folder, ignore_errors=True)

    def _is_current(self, folder: Path) -> bool:
        """True when ``OUT`` points at ``folder``."""
        current = self.current()
        return current is not None and folder.samefile(current)

    def _spare(self) -> Path | None:
        """The newest build of the store but the current one (the one it replaced, or what
        an interrupted build left), if any."""
        if self.current() is None:
            return None
        others = sorted(p for p in self._builds() if not self._is_current(p))
        return others[-1] if others else None

    def remove_stale_later(self, spare: Path | None = None) -> None:
        """Put every build but the current one and ``spare`` aside (a rename) and remove them,
        and whatever else was put aside (:meth:`trash`), in a process of their own, which the build does not wait for: removing a build's
        thousands of names takes time that grows with the corpus (a quarter of a second at
        300 documents, on a busy disk), and nothing needs them gone before the next build,
        which removes whatever is left (:meth:`remove_stale`). It holds none of the build's
        standard streams: a script that reads the command's output through a pipe
        (``tei-edition build | tee``, ``subprocess.run(capture_output=True)``) would otherwise
        wait for the removal too (at 2,000 documents, 0.23 s after the build)."""
        aside = [str(p) for p in self.store.iterdir() if p.name.startswith(TRASH)]
        for folder in self._builds():
            if not self._is_current(folder) and folder != spare:
                os.rename(folder, self.trash(folder))
                aside.append(str(self.trash(folder)))
        if aside:  # its standard streams not the build's: a pipe from the command ends with it
            quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
            os.posix_spawn(sys.executable, [sys.executable, "-c", _REMOVE, *aside], os.environ,
                           file_actions=quiet, setsid=True)

    def trash(self, folder: Path) -> Path:
        """Where what is removed of the build ``folder`` (or the build itself) is put aside,
        to be removed in the background once the next build is published."""
        return folder.with_name(f"{TRASH}{folder.name}")

    def _new_name(self) -> str:
        """A fresh build folder name that sorts in time order."""
        now = time.time_ns()  # read once: the seconds and their fraction of one moment
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000_000))
        return f"b{stamp}{now % 1_000_000_000:09d}"

    def stage(self) -> Path:
        """A new, empty build folder in the store."""
        folder = self.store / self._new_name()
        folder.mkdir()
        return folder

    def spare(self) -> Path | None:
        """The store's spare build (:meth:`remove_stale`), renamed as a new build folder to
        be written over (:mod:`tei.corpus.recycle`), its manifest removed first (it is no
        complete build until the new one is written); None if there is none."""
        from tei.corpus.layout import MANIFEST

        spare = self._spare()
        if spare is None:
            return None
        (spare / MANIFEST).unlink(missing_ok=True)
        folder = self.store / self._new_name()
        os.rename(spare, folder)
        return folder

    def listing(self, build: Path) -> Path:
        """Where the record of the folders of the build ``build`` is kept
        (:mod:`tei.corpus.listing`): beside it in the store, not in it (it gives inodes and
        times, and a build's files are the same whatever folder it was written over)."""
        return self.store / f"{build.name}{LISTING}"

    def discard(self, staged: Path) -> None:
        """Remove a staged build that will not be published."""
        import shutil

        shutil.rmtree(staged, ignore_errors=True)

    def publish(self, staged: Path) -> None:
        """Point ``OUT`` at ``staged`` in one atomic step, then put older builds aside, to be
        removed in the background (what is left, the next build removes), but the one it
        replaced: the next build is written over that one."""
        replaced = self.current()
        self._link(staged)
        with suppress(OSError):
            for record in self.store.glob(f"*{LISTING}"):  # only the current build's is read
                if record.name != self.listing(staged).name:
                    record.unlink()
            self.remove_stale_later(spare=replaced)

    def _link(self, target: Path) -> None:
        """Replace ``OUT`` by a relative link to ``target``, atomically."""
        link = self.out.parent / f".{self.out.name}.link-{os.getpid()}"
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(target, self.out.parent), link)
        os.replace(link, self.out)
