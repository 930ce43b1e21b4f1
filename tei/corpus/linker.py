"""Hard links from the previous build into the staged one, made by a process of its own.

A rebuild links every file no change touched: at 2,000 documents, 14,000 pages and downloads
of the register of persons, all into one folder. A link costs some 11 µs in the kernel (ext4),
one at a time in a folder, and a thread of the build could not make them beside the pages it
writes: each link gives up the interpreter's lock, and getting it back waits for the thread
that writes the pages (5 ms a time). So :class:`Linker` hands the names to a small process
(``python -m tei.corpus.linker PREVIOUS STAGED``, through a pipe), which links them on the
other core while the build writes on; :func:`drain <tei.corpus.changes.drain>` waits for it.
An error it meets is raised in the build as if met there (the same ``OSError``).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from contextlib import suppress

from tei.corpus.recycle import kept, kept_all

SEND_AT = 32_768
"""Bytes of names gathered before they are written to the process."""
PIPE_BYTES = 1 << 20
"""The pipe's size asked for: the names of 14,000 pages (400 KB) written without a wait."""


def link(source: str, destination: str) -> None:
    """Hard-link ``source`` as ``destination`` (a copy of a regular file where links are not
    possible); a link is linked as it is, never followed. Only recorded where the staged
    build holds it already (:func:`tei.corpus.recycle.kept`)."""
    if kept(source, destination):
        return
    try:
        os.link(source, destination, follow_symlinks=False)
    except FileNotFoundError:
        if not os.path.lexists(source):
            raise
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        link(source, destination)
    except OSError:
        if not stat.S_ISREG(os.lstat(source).st_mode):
            raise
        shutil.copy2(source, destination)


class Linker:
    """The links of one process from ``previous`` into ``staged`` (folders ending in ``/``),
    made by a process of its own, or here when none can be started."""

    def __init__(self, previous: str, staged: str) -> None:
        self.pid = os.getpid()
        self.folders = previous, staged
        self.pending: list[bytes] = []
        self.size = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.started = False
        """True once the process was asked for (when the first names are handed over)."""

    def add(self, paths: Sequence[str]) -> None:
        """Link each of ``paths`` (relative to both folders), now or soon: their names
        encoded together (a register hands over thousands at a time). Where the staged
        build holds them already (:mod:`tei.corpus.recycle`), they are only recorded."""
        if kept_all(*self.folders, paths):
            return
        if not self.started:
            self.process, self.started = _start(*self.folders), True
        if self.process is None:
            for path in paths:
                link(self.folders[0] + path, self.folders[1] + path)
            return
        if not paths:
            return
        names = os.fsencode("\0".join(paths)) + b"\0"
        self.pending.append(names)
        self.size += len(names)
        if self.size >= SEND_AT:
            self._send()

    def _send(self) -> None:
        assert self.process is not None and self.process.stdin is not None
        names, self.pending, self.size = b"".join(self.pending), [], 0
        with suppress(BrokenPipeError):  # the process stopped at an error: wait() tells it
            self.process.stdin.write(names)
            self.process.stdin.flush()

    def wait(self, errors: bool = True) -> None:
        """Wait until every link is made (the process ends); raise the error it met, if
        ``errors``."""
        if self.process is None:
            return
        assert self.process.stdin is not None and self.process.stderr is not None
        if self.pending:
            self._send()
        with suppress(BrokenPipeError):
            self.process.stdin.close()
        told = self.process.stderr.read()
        self.process.stderr.close()
        if self.process.wait() != 0 and errors:
            raise _error(told, self.process.returncode)


_linker: Linker | None = None
"""This process's linker, started when first needed (a forked process starts its own)."""


def linker(previous: str, staged: str) -> Linker:
    """This process's linker from ``previous`` into ``staged``; one into other folders is
    waited for first."""
    global _linker
    if _linker is None or _linker.pid != os.getpid() or _linker.folders != (previous, staged):
        wait()
        _linker = Linker(previous, staged)
    return _linker


def wait(errors: bool = True) -> None:
    """Wait until every link this process handed over is made; raise the error met, if
    ``errors`` (not when the build is stopping for an error of its own)."""
    global _linker
    current, _linker = _linker, None
    if current is not None and current.pid == os.getpid():
        current.wait(errors)


def _start(previous: str, staged: str) -> subprocess.Popen[bytes] | None:
    """The linking process, its pipe made large; None when none can be started."""
    from tei.corpus.processes import helper  # not at the top: the process itself needs none

    process = helper("tei.corpus.linker", previous, staged, stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if process is not None:
        assert process.stdin is not None
        with suppress(OSError, AttributeError):  # else a smaller pipe: a wait now and then
            fcntl.fcntl(process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    return process


def _error(told: bytes, returncode: int) -> OSError:
    """The error the process met (``ERRNO\\0PATH``), as the build would have met it."""
    number, _, filename = told.partition(b"\0")
    if number.isdigit():
        code = int(number)
        return OSError(code, os.strerror(code), os.fsdecode(filename))
    message = told.decode(errors="replace").strip() or f"exit status {returncode}"
    return OSError(errno.EIO, f"the process that links unchanged files failed: {message}")


def _link_from_stdin(previous: str, staged: str) -> int:
    """The process: link each NUL-ended name read from standard input; at the first error,
    write ``ERRNO\\0PATH`` to standard error and stop (status 1)."""
    rest = b""
    source = os.fsencode(previous)
    destination = os.fsencode(staged)
    while chunk := os.read(sys.stdin.fileno(), 1 << 16):
        *names, rest = (rest + chunk).split(b"\0")
        for name in names:
            try:
                link(os.fsdecode(source + name), os.fsdecode(destination + name))
            except OSError as error:
                filename = os.fsencode(error.filename or os.fsdecode(source + name))
                sys.stderr.buffer.write(b"%d\0%s" % (error.errno or errno.EIO, filename))
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(_link_from_stdin(sys.argv[1], sys.argv[2]))
