"""Where a build's time goes, phase by phase, in this process: a cold build of N sample-sized
transcripts, then a rebuild after one transcript changed (a turn added, as ``bench_build.py``
does).

Each phase of :mod:`tei.corpus.runner` is timed by wrapping it (plan, the documents in the
pool, placing them, the corpus index, the warning of duplicates, the corpus pages, carrying
a user's files, flushing, the manifest); figures are printed in seconds and as a ratio of
the reference loop of ``bench_build.py``, run before and after (the machine is shared: a
ratio in one run is what can be compared). A cold build places its documents and indexes
them while the workers build (``assemble`` is then also part of ``build_changed``), and looks
for duplicates while the pages are written (``duplicates.find``, part of ``write_pages``).

    python bench/bench_phases.py 300
    python bench/bench_phases.py 2000 --workdir /tmp/phases-2000
    python bench/bench_phases.py 2000 --ab 6   # copies in the background against in the build's thread

With ``--ab K``, K more pairs of one-file rebuilds follow, in turn with the copies of
unchanged runs made (and their files flushed) by the background threads of
:class:`tei.corpus.changes.Copies`, and made in the build's own thread as they are owed
(flushed by ``sync_build`` with the rest), as before those threads; the medians of each
and their ratio are printed (the same run, the same corpus: the machine's noise shared).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from bench_build import reference_loop  # noqa: E402
from make_corpus import make_corpus  # noqa: E402

from tei.corpus import runner  # noqa: E402

TIMES: dict[str, float] = {}

RUN_PHASES = ("plan", "build_changed", "assemble", "update_index", "_carry_foreign")
MODULE_PHASES = ("sync_build",)
DUPLICATES = ("find", "warning")
"""The search for probable duplicates (``find``: in this process while others write the pages,
so its time is part of ``write_pages`` too) and its record in the index (``warning``)."""


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding the seconds of each call to ``TIMES[name]``."""
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - started
    return wrapper


def instrument() -> None:
    """Wrap the runner's phases (the corpus pages through ``write_pages``, imported by
    ``finish`` from :mod:`tei.corpus.scheduling`)."""
    from tei.corpus import scheduling

    for name in RUN_PHASES:
        setattr(runner._Run, name, timed(name, getattr(runner._Run, name)))
    for name in MODULE_PHASES:
        setattr(runner, name, timed(name, getattr(runner, name)))
    scheduling.write_pages = timed("write_pages", scheduling.write_pages)
    for name in DUPLICATES:
        setattr(runner.Duplicates, name, timed(f"duplicates.{name}",
                                               getattr(runner.Duplicates, name)))
    runner.Manifest.save = timed("manifest.save", runner.Manifest.save)  # type: ignore[method-assign]


def in_own_thread() -> Callable[[], None]:
    """Make the copies of :class:`tei.corpus.changes.Copies` in the build's own thread, as
    they are owed, each file closed unflushed (``sync_build`` flushes it); returns what
    undoes it."""
    from tei.corpus.changes import Copies

    real = Copies.submit

    def submit(self: Copies, task: Callable[..., None], *args: Any) -> None:
        if getattr(task, "__name__", "") == "_flush_later":
            os.close(args[0])
        else:
            task(*args)

    Copies.submit = submit  # type: ignore[method-assign]
    return lambda: setattr(Copies, "submit", real)


def change(path: Path) -> None:
    """Add a turn at the end of a transcript (as ``bench_build.py`` does)."""
    head, last = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    path.write_text(f"{head}\nВ.Путин: Спасибо.\n\n{last}\n", encoding="utf-8")


def compare(pairs: int, paths: list[Path], src: Path, out: Path, reference: float) -> None:
    """``pairs`` one-file rebuilds with the copies in the background, and as many with the
    copies in the build's own thread, in turn; their medians and ratio."""
    seconds: dict[bool, list[float]] = {True: [], False: []}
    for number in range(2 * pairs):
        background = number % 2 == 0
        change(paths[len(paths) // 2 + number % 5])
        time.sleep(2.5)  # past the clock tick a source's stat is trusted from
        undo = None if background else in_own_thread()
        try:
            started = time.perf_counter()
            runner.build([src], out, runner.BuildOptions(search=False))
            seconds[background].append(time.perf_counter() - started)
        finally:
            if undo is not None:
                undo()
    shown = {key: statistics.median(values) for key, values in seconds.items()}
    print(f"one file changed, {pairs} pairs: copies in the background {shown[True]:.3f} s "
          f"({shown[True] / reference:.2f}x the reference loop), in the build's thread "
          f"{shown[False]:.3f} s ({shown[False] / reference:.2f}x); background / own thread "
          f"{shown[True] / shown[False]:.2f}x")
    for key, label in ((True, "background"), (False, "own thread")):
        print(f"  {label:10s} " + " ".join(f"{value:.3f}" for value in seconds[key]))


def phases(label: str, src: Path, out: Path, reference: float) -> None:
    """Build ``src`` into ``out`` in this process and print its phases."""
    TIMES.clear()
    started = time.perf_counter()
    report = runner.build([src], out, runner.BuildOptions(search=False))
    total = time.perf_counter() - started
    print(f"{label}: built {report.built}, unchanged {report.unchanged}, "
          f"{total:.3f} s = {total / reference:.2f}x the reference loop")
    for name, seconds in TIMES.items():
        print(f"  {name:18s} {seconds:7.3f} s  {seconds / reference:6.3f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of transcripts")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the corpus and builds go (kept); default: a temporary folder")
    parser.add_argument("--ab", type=int, default=0, metavar="K",
                        help="then K pairs of one-file rebuilds: copies in the background, "
                             "and in the build's own thread (see above)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-phases-"))
    try:
        before = reference_loop()
        print(f"reference loop: {before:.2f} s")
        paths = make_corpus(args.n, workdir / "src")
        instrument()
        phases(f"cold build, N = {args.n}", workdir / "src", workdir / "out", before)
        change(paths[len(paths) // 2])
        phases(f"one file changed, N = {args.n}", workdir / "src", workdir / "out", before)
        if args.ab:
            compare(args.ab, paths, workdir / "src", workdir / "out", before)
        print(f"reference loop after: {reference_loop():.2f} s")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
