"""What changed since the current build, for corpus-wide outputs that rewrite only that.

A rebuild that changed a few documents tells every corpus-wide output so in a
:class:`Changes` (``PageSettings.changes``; None: write everything, as a first
build or one whose settings or templates changed does). An output may then
link its files that no changed document touches from the previous build, and
splice the files made of one run of bytes per document (``turns.tsv``, a
speaker's downloads): the runs of unchanged documents are copied from the
previous file (:meth:`Previous.copy`, ``copy_file_range``, in the kernel), only
the changed ones are rendered. Where each run lies is recorded as the file is
written (:class:`Blocks`, in the build's own folder), small.

The previous build is only ever read: every file is written new into the
staged build, never into a file hard-linked from the previous one.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

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

    @property
    def touched(self) -> frozenset[str]:
        """Documents whose old or new version differs: changed, added or removed."""
        return self.documents | self.removed

    def blocks(self, name: str) -> dict[str, dict[str, Span]]:
        """The byte ranges the current build recorded under ``name`` (empty if none)."""
        try:
            data = json.loads((self.previous / BLOCKS / f"{name}.json").read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def reusable(self, path: str, document: str, ranges: Mapping[str, Span],
                 changed: AbstractSet[str] | None = None) -> bool:
        """True when ``document``'s run in the previous ``path`` can be copied: unchanged
        (not one of ``changed``: by default the documents built in this run), recorded, and
        the file still there."""
        return (document not in (self.documents if changed is None else changed)
                and len(ranges.get(document, ())) == 3 and path in self.pages)


def save_blocks(build_dir: Path, name: str, blocks: Mapping[str, Mapping[str, Span]]) -> None:
    """Record the byte ranges of the runs written in this build under ``name``."""
    folder = build_dir / BLOCKS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_bytes(
        json.dumps(blocks, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode())


def link(source: str, destination: str) -> None:
    """Hard-link ``source`` as ``destination`` (a copy of a regular file where links are not
    possible); a link is linked as it is, never followed."""
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


class Previous:
    """The previous build's version of a spliced file, open for copying ranges out of it.

    A copy is owed until the next one that does not continue it, :meth:`flush` or
    :meth:`close`: the runs of consecutive unchanged documents, adjacent in the previous
    file, are copied by one call (a rebuild copies most of a large file so).
    """

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        size = os.fstat(self.fd).st_size
        self.map = mmap.mmap(self.fd, size, access=mmap.ACCESS_READ) if size else None
        self.view = memoryview(self.map) if self.map is not None else memoryview(b"")
        self._owed: tuple[int, int, int] | None = None
        """The copy not made yet: target, first and end bytes."""

    def copy(self, target: int, start: int, end: int) -> None:
        """Append bytes ``start`` to ``end`` of the file to the file open as ``target``, by
        :meth:`flush` (the writer flushes before it writes anything else to ``target``)."""
        if self._owed is not None and self._owed[0] == target and self._owed[2] == start:
            self._owed = (target, self._owed[1], end)
            return
        self.flush()
        self._owed = (target, start, end)

    def flush(self) -> None:
        """Make the copy owed, if any."""
        if self._owed is not None:
            target, start, end = self._owed
            self._owed = None
            self._copy(target, start, end)

    def _copy(self, target: int, start: int, end: int) -> None:
        """Append bytes ``start`` to ``end`` of the file to the file open as ``target`` (in
        the kernel where it can: no bytes pass through this process)."""
        offset = start
        while offset < end:
            try:
                done = os.copy_file_range(self.fd, target, end - offset, offset)
            except OSError:  # not between these file systems, or not on this kernel
                done = os.write(target, self.view[offset:end])
            if done == 0:
                raise OSError(f"the previous build's file ended before byte {end}")
            offset += done

    def close(self) -> None:
        """Make the copy owed, then close the file."""
        try:
            self.flush()
        finally:
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
        self.ranges = ranges
        self.changed = changed
        self._file: Previous | None = None

    def span(self, document: str) -> Span | None:
        """Where ``document``'s run lies in the previous file, if it can be copied."""
        return self.ranges.get(document) if self.changes.reusable(
            self.path, document, self.ranges, self.changed) else None

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
        for path, ranges in json.loads(record.read_bytes()).items():
            found[path] = list(ranges.values())
    return found
