"""What changed since the current build, for corpus-wide outputs that rewrite only that.

A rebuild that changed a few documents tells every corpus-wide output so in a
:class:`Changes` (``PageSettings.changes``; None: write everything, as a first
build or one whose settings or templates changed does). An output may then
link its files that no changed document touches from the previous build, and
splice the files made of one run of bytes per document (``turns.tsv``, a
speaker's downloads): the runs of unchanged documents are copied from the
previous file (:meth:`Previous.copy`, ``copy_file_range``, in the kernel), only
the changed ones are rendered. Where each run lies is recorded as the file is
written (:func:`save_blocks`, in the build's own folder), small: a layer over a base
(:mod:`tei.corpus.layered`), so that a rebuild writes the ranges of the files it wrote,
and links the rest.

The previous build is only ever read: every file is written new into the
staged build, never into a file hard-linked from the previous one.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tei.collector import acyclic
from tei.corpus import layered, linker, recycle
from tei.corpus.layered import BASES, Layered

if TYPE_CHECKING:
    from concurrent.futures import Future

Span = list[int | str]
"""Where a document's run lies in a spliced file, and its hash: ``[start, end, sha256]``."""

BLOCKS = ".tei-edition/blocks"
"""Where each build records the byte ranges of the documents' runs in its spliced files."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What a rebuild changed, against the build it replaces (read only)."""

    previous: Path
    """The current build."""
    index: Path
    """Its corpus index."""
    documents: frozenset[str]
    """IDs of the documents built in this run (added or changed)."""
    removed: frozenset[str]
    """IDs of the documents of the current build that are gone."""
    pages: Mapping[str, str]
    """The current build's corpus-wide files and their SHA-256 (its manifest's ``pages``)."""
    same_language: bool = True
    """False when the change tipped the corpus's language (that of most documents, the
    language of the corpus pages): then no page's words can be reused."""

    @property
    def touched(self) -> frozenset[str]:
        """Documents whose old or new version differs: changed, added or removed."""
        return self.documents | self.removed

    def blocks(self, name: str) -> dict[str, dict[str, Span]]:
        """The byte ranges the current build recorded under ``name`` (empty if none), read
        once in this process (the current build is never written again: more than one
        output may ask), and kept for :func:`save_blocks` of the same name to write what
        changed. Not to be changed by the caller."""
        read = _READ.get(name)
        if read is None or read[0] != self.previous:
            found = read_blocks(self.previous, name)
            if found is None:
                return {}
            _READ[name] = read = (self.previous, found)
        return read[1].members


def save_blocks(build_dir: Path, name: str, blocks: Mapping[str, Mapping[str, Span]]) -> None:
    """Record the byte ranges of the runs written in this build under ``name``: a layer
    (:mod:`tei.corpus.layered`) over the base of the ranges this process read under that
    name (:meth:`Changes.blocks`), linked, when few of its files changed, else over a new
    one."""
    folder = build_dir / BLOCKS
    folder.mkdir(parents=True, exist_ok=True)
    read = _READ.get(name)
    layer = layered.write(build_dir / BASES, f"blocks-{name}", blocks, read[1] if read else None)
    recycle.write_new(folder / f"{name}.json", layered.encode_layer(layer).encode())


def read_blocks(build_dir: Path, name: str) -> Layered | None:
    """The byte ranges a build recorded under ``name``, as read (as the build's records are:
    :func:`~tei.collector.acyclic`); None if none."""
    with acyclic():
        try:
            layer = json.loads((build_dir / BLOCKS / f"{name}.json").read_bytes())
        except (OSError, ValueError):
            return None
        return layered.read(build_dir / BASES, layer)


_READ: dict[str, tuple[Path, Layered]] = {}
"""The ranges this process last read under each name (:meth:`Changes.blocks`), with the
build they were read from, which the next :func:`save_blocks` of that name writes a layer
over. Whichever build they were read from, the layer written is right: it holds every
member that differs from that base, and the base is linked into the build that saves it."""


class Copies:
    """The copies of one process's spliced files, made in order by a thread of their own
    while the process writes on: ``copy_file_range`` copies in the kernel, without the GIL,
    so that the copy of a large run (a speaker's downloads, ``turns.tsv``) takes the other
    core while this one renders pages. A file whose copies are made is then flushed to disk
    by a second thread (:meth:`finish`) while the build writes on, rather than with the rest
    at the end (:func:`~tei.corpus.store.sync_build` then finds it flushed). :func:`drain` waits for
    them, and raises the first error one of them met: a full disk stops the build as if it
    had been met in the build's own thread."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.pid = os.getpid()
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="tei-copies")
        self.flushing = ThreadPoolExecutor(1, thread_name_prefix="tei-flushes")
        self.pending: list[Future[None]] = []
        self.flushed: list[Future[None]] = []

    def submit(self, task: Callable[..., None], *args: object) -> None:
        """Run ``task(*args)`` after every task submitted before it."""
        self.pending.append(self.pool.submit(task, *args))

    def finish(self, fd: int) -> None:
        """Once the copies submitted so far are made, flush the file open as ``fd`` (the
        target of some of them, a descriptor of its own) and close it."""
        self.submit(self._flush_later, fd)

    def _flush_later(self, fd: int) -> None:
        self.flushed.append(self.flushing.submit(_flush_and_close, fd))

    def flush(self, path: Path) -> None:
        """Flush a file written whole (no copy is owed into it) to disk now, in the
        background: the corpus index, 57 MB at 2,000 documents, flushed while the pages are
        written rather than by :func:`~tei.corpus.store.sync_build` at the end."""
        self._flush_later(os.open(path, os.O_RDONLY | os.O_CLOEXEC))

    def wait(self, errors: bool = True) -> None:
        """Wait for every task (each runs, so that every file is closed); raise the first
        error met, if ``errors``."""
        try:
            for future in self.pending:
                future.exception()
            for future in self.flushed:  # complete: no copy is left to add one
                future.exception()
            for future in [*self.pending, *self.flushed] if errors else ():
                future.result()
        finally:
            self.pool.shutdown()
            self.flushing.shutdown()


def _flush_and_close(fd: int) -> None:
    """Flush a file to disk, then close it (closed even if the flush fails)."""
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_copies: Copies | None = None
"""This process's copies (a forked process makes its own: threads do not survive a fork)."""


def copies() -> Copies:
    """The queue of this process's copies, started when first needed."""
    global _copies
    if _copies is None or _copies.pid != os.getpid():
        _copies = Copies()
    return _copies


def drain(errors: bool = True) -> None:
    """Wait until every copy and link this process owes is made, and its files flushed and
    closed (the threads and the linking process end); raise the first error met, once all of
    them are done (not when ``errors`` is False: the build is stopping for an error of its
    own, which is told)."""
    global _copies
    queue, _copies = _copies, None
    try:
        if queue is not None and queue.pid == os.getpid():
            queue.wait(errors)
    except BaseException:
        linker.wait(errors=False)
        raise
    linker.wait(errors)
    reused = recycle.recycled()
    if reused is not None:
        reused.save()


class Previous:
    """The previous build's version of a spliced file, open for copying ranges out of it.

    A copy is owed until the next one that does not continue it, :meth:`flush` or
    :meth:`close`: the runs of consecutive unchanged documents, adjacent in the previous
    file, are copied by one call (a rebuild copies most of a large file so). The copies are
    made in the background (:class:`Copies`), each to its place in the target file, which
    the writer leaves free; the file is closed there too, after the last.
    """

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        size = os.fstat(self.fd).st_size
        self.map = mmap.mmap(self.fd, size, access=mmap.ACCESS_READ) if size else None
        self.view = memoryview(self.map) if self.map is not None else memoryview(b"")
        self._owed: tuple[int, int, int, int] | None = None
        """The copy not made yet: target, first and end bytes, where it goes in the target."""
        self._queued = False

    def copy(self, target: int, start: int, end: int, at: int) -> None:
        """Copy bytes ``start`` to ``end`` of the file to byte ``at`` of the file open as
        ``target``, by :meth:`flush` (the writer flushes before it writes anything else)."""
        owed = self._owed
        if (owed is not None and owed[0] == target and owed[2] == start
                and owed[3] + owed[2] - owed[1] == at):
            self._owed = (target, owed[1], end, owed[3])
            return
        self.flush()
        self._owed = (target, start, end, at)

    def flush(self) -> None:
        """Hand the copy owed, if any, to the background (:class:`Copies`)."""
        if self._owed is not None:
            owed, self._owed = self._owed, None
            self._queued = True
            copies().submit(self._copy, *owed)

    def _copy(self, target: int, start: int, end: int, at: int) -> None:
        """Copy bytes ``start`` to ``end`` of the file to byte ``at`` of ``target`` (in the
        kernel where it can: no bytes pass through this process)."""
        offset = start
        while offset < end:
            place = at + offset - start
            try:
                done = os.copy_file_range(self.fd, target, end - offset, offset, place)
            except OSError:  # not between these file systems, or not on this kernel
                done = os.pwrite(target, self.view[offset:end], place)
            if done == 0:
                raise OSError(f"the previous build's file ended before byte {end}")
            offset += done

    def close(self) -> None:
        """Make the copy owed, then close the file (after the copies, if any were made)."""
        try:
            self.flush()
        finally:
            if self._queued:
                copies().submit(self._close)
            else:
                self._close()

    def _close(self) -> None:
        self.view.release()
        if self.map is not None:
            self.map.close()
        os.close(self.fd)


class Reuse:
    """The runs of one spliced file that can be copied from its previous version.

    A run is a document's, by default; a file of one run per person or place (a letter page,
    the persons of ``corpus.xml``) names its runs by them, and gives as ``changed`` those a
    changed document touches (their runs are written afresh)."""

    def __init__(self, changes: Changes, path: str, ranges: Mapping[str, Span],
                 changed: AbstractSet[str] | None = None) -> None:
        self.changes = changes
        self.path = path
        self.ranges: Mapping[str, Span] = ranges if path in changes.pages else {}
        """The recorded runs, none if the previous file is gone."""
        self.changed = changes.documents if changed is None else changed
        """The runs written afresh (by default those of the documents built in this run)."""
        self._file: Previous | None = None

    def span(self, document: str) -> Span | None:
        """Where ``document``'s run lies in the previous file, if it can be copied: not one
        of :attr:`changed`, recorded, and the file still there (asked once a run: a rebuild
        asks it of every run of the files it splices)."""
        span = self.ranges.get(document)
        if span is None or len(span) != 3 or document in self.changed:
            return None
        return span

    def file(self) -> Previous:
        """The previous file, opened the first time a run is copied."""
        if self._file is None:
            self._file = Previous(self.changes.previous / self.path)
        return self._file

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def runs_digest(data: bytes, spans: Iterable[Span]) -> str:
    """The hash of a file written in runs (as :class:`tei.corpus.writers.HashingWriter` makes
    it while writing), from its bytes and its runs: ``runs:`` and the SHA-256 of the SHA-256
    of each non-empty stretch, runs and what lies between them, in order. For checking a
    build: the build itself never reads what it copies."""
    digests, position = [], 0
    for start, end in sorted((int(span[0]), int(span[1])) for span in spans):
        for first, last in ((position, start), (start, end)):
            if last > first:
                digests.append(hashlib.sha256(data[first:last]).hexdigest())
        position = end
    if len(data) > position:
        digests.append(hashlib.sha256(data[position:]).hexdigest())
    return "runs:" + hashlib.sha256("".join(digests).encode()).hexdigest()


def recorded_runs(build_dir: Path) -> dict[str, list[Span]]:
    """The runs of every file of a build written in runs, by path."""
    found: dict[str, list[Span]] = {}
    for record in sorted((build_dir / BLOCKS).glob("*.json")):
        ranges = read_blocks(build_dir, record.name.removesuffix(".json"))
        for path, spans in (ranges.members if ranges else {}).items():
            found[path] = list(spans.values())
    return found
