"""How often Python's cyclic garbage collector runs: rarely while a command starts, and as
Python would once a long one (build, serve) runs, but never over a build's own records.

:func:`collect_rarely` is the program's (:mod:`tei.command`) only: a library or a notebook
that imports :mod:`tei.cli` keeps its interpreter's collector as it was. :func:`acyclic`
and :func:`frozen_records` are a build's (:mod:`tei.corpus`), as a library's too: what they
freeze is handed back when the build returns.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_OBJECTS = 50_000
"""Objects allocated between two collections of the youngest generation (Python's default:
700). Starting a command allocates some 25,000-30,000 objects (modules, classes, functions)
that all live as long as the process; at the default, some 40 collections walk them (5-7 ms
of CPU for an encode) and find nothing to free. Set before anything else is imported; the
commands that run long set Python's thresholds again (:func:`collect_as_usual`)."""

PYTHON_THRESHOLDS = gc.get_threshold()
"""The collector's thresholds as the interpreter started with them."""


def collect_rarely() -> None:
    """Collect garbage rarely while the command starts, and not at all at exit.

    At exit Python collects every generation once more, walking all the process's objects
    (some 4 ms for an encode, 6 for a render) to free memory that the system takes back
    anyway. Frozen objects are not walked; :func:`gc.freeze`, registered before any exit
    handler of the command's, runs after them (exit handlers run last first), so that the
    caches are saved as before.
    """
    gc.set_threshold(YOUNG_OBJECTS)
    atexit.register(gc.freeze)


def collect_as_usual() -> None:
    """Python's own thresholds of the collector again, for a command that runs long (build,
    serve), past its start: the garbage a build's documents leave in cycles is freed as
    it would be (with :data:`YOUNG_OBJECTS`, a 150-document build's peak RSS grew from 67
    to 86 MB)."""
    gc.set_threshold(*PYTHON_THRESHOLDS)


_FREEZING = 0
"""Builds running in this process (:func:`frozen_records`): :func:`acyclic` freezes only
inside one, which thaws what it froze."""


@contextmanager
def acyclic() -> Iterator[None]:
    """Decode a build's large records (JSON of a member a document, or a file: the manifest,
    the runs of the corpus-wide files) with the collector paused; inside a build
    (:func:`frozen_records`), freeze what is alive then.

    The records hold no cycles, and live as long as the build. Each collection while they
    are made would walk all that is made so far and free nothing; later ones would walk them
    again. At 2,000 documents the collector took 0.12-0.2 s of a one-file rebuild, 60% of
    it in two full collections over these records. Frozen (:func:`gc.freeze`), they are
    walked no more, and their memory is still freed when the last reference goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _FREEZING:
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen_records() -> Iterator[None]:
    """Run a build: let :func:`acyclic` freeze its records, and hand them back to the
    collector when it ends, so that a process that builds again and again (a notebook, the
    tests) collects them as any object. Unless something was frozen before it began: that
    is the caller's (:func:`gc.unfreeze` cannot tell whose an object is), and stays frozen,
    with the build's."""
    global _FREEZING
    before = gc.get_freeze_count()
    _FREEZING += 1
    try:
        yield
    finally:
        _FREEZING -= 1
        if before == 0 and not _FREEZING:
            gc.unfreeze()
