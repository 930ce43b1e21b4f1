"""How often Python's cyclic garbage collector runs: rarely while a command starts, and as
Python would once a long one (build, serve) runs.

:func:`collect_rarely` is the program's (:mod:`tei.command`) only: a library or a notebook
that imports :mod:`tei.cli` keeps its interpreter's collector as it was.
"""

from __future__ import annotations

import atexit
import gc

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
