"""Large files of a rebuild sent to disk as soon as they are written, while the build writes
the next corpus output: the disk works while Python does.

A one-file rebuild still writes some large files afresh (``turns.tsv``, the downloads of a
person who speaks in every document: hundreds of MB at 2,000 documents), and
:func:`~tei.corpus.store.sync_build` must have them on disk before the build is published.
Flushed in threads once their output is written (``fsync`` releases the GIL), most of that
wait is over by the time the last output is. :func:`~tei.corpus.store.sync_build` still
flushes everything the build wrote (a flushed file has nothing left to write): this only
starts earlier.
"""

from __future__ import annotations

import os
import stat
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from tei.corpus import store

if TYPE_CHECKING:
    from tei.corpus.index import CorpusIndex
    from tei.corpus.pages import CorpusOutput, PageSettings

EARLY_BYTES = 1 << 20
"""Files from this size up are flushed as soon as their output is written (smaller ones
cost the disk little, and are many: a page per person)."""


class EarlyFlush:
    """Flushes of large files started as corpus outputs finish (see the module docstring)."""

    def __init__(self, threads: int = 4) -> None:
        self._pool = ThreadPoolExecutor(threads)
        self._pending: list[Future[None]] = []

    def __enter__(self) -> EarlyFlush:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def wrap(self, outputs: tuple[CorpusOutput, ...]) -> tuple[CorpusOutput, ...]:
        """``outputs``, each starting the flush of its large files once it has written them."""
        return tuple(FlushedOutput(output, self) for output in outputs)

    def start(self, build_dir: Path, paths: list[str]) -> None:
        """Start flushing the files among ``paths`` (relative to ``build_dir``) that this
        build wrote (one link) and are large."""
        self._pending.append(self._pool.submit(_flush_large, [
            os.path.join(build_dir, path) for path in paths]))

    def wait(self) -> None:
        """Wait for every flush started (an error of one is raised here)."""
        for future in self._pending:
            future.result()


def _flush_large(paths: list[str]) -> None:
    """Flush those of ``paths`` that have one link and :data:`EARLY_BYTES` or more."""
    for path in paths:
        try:
            info = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            continue  # not a file of its own (sync_build decides)
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_size >= EARLY_BYTES:
            store._fsync(path, os.O_RDONLY)


@dataclass(frozen=True, slots=True)
class FlushedOutput:
    """A corpus output whose large files start going to disk once it has written them."""

    output: CorpusOutput
    flush: EarlyFlush

    @property
    def paths(self) -> tuple[str, ...]:
        """The files it writes (those of the output)."""
        return self.output.paths

    @property
    def folders(self) -> tuple[str, ...]:
        """Folders it owns (those of the output)."""
        return self.output.folders

    @property
    def slow(self) -> bool:
        """True when the output takes long."""
        return self.output.slow

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        """Write the output, then start flushing its large files."""
        hashes = self.output.write(build_dir, index, settings)
        self.flush.start(build_dir, list(hashes))
        return hashes
