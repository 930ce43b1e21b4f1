"""The output folder of a build, replaced in one atomic step.

``OUT`` is a symbolic link to a complete build kept in a store beside it::

    build -> .build.builds/b20261128T201500123456
    .build.builds/b20261128T201500123456/   (the current build)
    .build.builds/.lock

A build is written into a new folder of the store (files that did not change
are hard links into the previous build, so this costs little), and only when
it is complete is ``OUT`` switched to it, by ``os.replace`` of a new link over
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
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tei.errors import TeiEditionError
from tei.corpus.layout import MANIFEST


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


class BuildDirError(TeiEditionError):
    """The output folder cannot be used (another build holds it, or it is not ours)."""


class BuildDir:
    """``OUT`` and its store of builds: find the current build, stage a new one, publish it."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(os.path.abspath(out))
        self.store = self.out.parent / f".{self.out.name}.builds"

    @contextmanager
    def locked(self) -> Iterator[BuildDir]:
        """Hold the store's lock for the duration of a build; refuse if another build holds it."""
        self.store.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.store / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise BuildDirError("another build is writing to this folder; wait for it to end",
                                    path=str(self.out)) from None
            self._adopt()
            yield self
        finally:
            os.close(fd)

    def current(self) -> Path | None:
        """The complete build ``OUT`` points at, if any."""
        if self.out.is_symlink():
            target = Path(os.path.realpath(self.out))
            return target if target.is_dir() else None
        return None

    def _adopt(self) -> None:
        """Make ``OUT`` a link into the store, recovering from any earlier interruption.

        * ``OUT`` missing but a complete build in the store (a crash between
          moving a plain folder aside and linking it): link the newest one.
        * ``OUT`` a plain folder (from ``tei-edition encode -o build/tei`` or an
          older tool): it is moved into the store whole and becomes the
          previous build, so no file in it is lost or silently replaced.
        * Any other folder in the store (left by an interrupted build) is removed.
        """
        if not self.out.exists() and not self.out.is_symlink():
            complete = sorted(p for p in self._builds() if (p / MANIFEST).is_file())
            if complete:
                self._link(complete[-1])
        elif self.out.is_dir() and not self.out.is_symlink():
            if any(self.out.iterdir()):
                kept = self.store / f"{self._new_name()}-adopted"
                os.rename(self.out, kept)
                self._link(kept)
            else:
                self.out.rmdir()
        elif not self.out.is_dir():
            raise BuildDirError("exists and is not a folder: choose another output folder",
                                path=str(self.out))
        self.remove_stale()

    def _builds(self) -> list[Path]:
        """Every build folder in the store."""
        return [p for p in self.store.iterdir() if p.is_dir() and not p.is_symlink()]

    def remove_stale(self) -> None:
        """Remove every build in the store except the one ``OUT`` points at."""
        current = self.current()
        for folder in self._builds():
            if current is None or not folder.samefile(current):
                shutil.rmtree(folder, ignore_errors=True)

    def _new_name(self) -> str:
        """A fresh build folder name that sorts in time order."""
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        return f"b{stamp}{time.time_ns() % 1_000_000_000:09d}"

    def stage(self) -> Path:
        """A new, empty build folder in the store."""
        folder = self.store / self._new_name()
        folder.mkdir()
        return folder

    def discard(self, staged: Path) -> None:
        """Remove a staged build that will not be published."""
        shutil.rmtree(staged, ignore_errors=True)

    def publish(self, staged: Path) -> None:
        """Point ``OUT`` at ``staged`` in one atomic step, then remove older builds."""
        self._link(staged)
        self.remove_stale()

    def _link(self, target: Path) -> None:
        """Replace ``OUT`` by a relative link to ``target``, atomically."""
        link = self.out.parent / f".{self.out.name}.link-{os.getpid()}"
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(target, self.out.parent), link)
        os.replace(link, self.out)
