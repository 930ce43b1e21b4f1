"""Where a build's time goes, phase by phase, in this process: a cold build of N sample-sized
transcripts, then a rebuild after one transcript changed (a turn added, as ``bench_build.py``
does).

Each phase of :mod:`tei.corpus.runner` is timed by wrapping it (finding the sources, reading
the manifest, plan, staging over the spare build, the documents in the pool, placing them, the
versions' links, the corpus index, what changed, the warning of duplicates, the corpus pages,
carrying a user's files, dropping what is stale, flushing, the manifest, publishing); figures are printed in seconds and as a ratio of
the reference loop of ``bench_build.py``, run before and after (the machine is shared: a
ratio in one run is what can be compared), with each build's CPU in this process, user and
system (the workers, the linker and Pagefind are other processes, not counted). A cold build places its documents and indexes
them while the workers build (``assemble`` is then also part of ``build_changed``), and looks
for duplicates while the pages are written (``duplicates.find``, part of ``write_pages``).

    python bench/bench_phases.py 300
    python bench/bench_phases.py 2000 --workdir /tmp/phases-2000
    python bench/bench_phases.py 2000 --ab 6   # copies in the background against in the build's thread
    python bench/bench_phases.py 2000 --by-year --search --again 4
    python bench/bench_phases.py 20000 --by-year --search --existing DIR/large   # DIR: bench_build.py's --workdir

Within ``write_pages``, each corpus-wide output is timed too, by the first file it names (the
search index in a thread of its own, beside the others: its time overlaps theirs; in a cold
build of 500 documents or more, forked processes write the others, untimed here). With
``--again K``, K more one-file rebuilds follow, another transcript each, and each phase's
median is printed. ``--existing DIR`` rebuilds a corpus built before (``DIR/src`` into
``DIR/out``, as ``bench_build.py --workdir DIR`` leaves it: a folder ``large``) instead of
making one and building it cold; the build must have been made with the same options and
the same code, or the first rebuild is a cold one.

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

from tei.corpus import duplicates, manifest, recycle, runner, store  # noqa: E402

TIMES: dict[str, float] = {}

RUN_PHASES = ("plan", "_stage", "prepare", "build_changed", "assemble", "update_index",
              "changes", "_carry_foreign")
MODULE_PHASES = ("find_sources", "load_manifest", "link_versions", "sync_build")
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
    WRITERS.update(output=scheduling.write_output, part=scheduling.write_part)
    scheduling.write_output = output_timed
    scheduling.write_part = output_timed
    for name in DUPLICATES:
        setattr(duplicates.Duplicates, name, timed(f"duplicates.{name}",
                                                   getattr(duplicates.Duplicates, name)))
    manifest.Manifest.save = timed("manifest.save", manifest.Manifest.save)  # type: ignore[method-assign]
    recycle.Recycled.drop_stale = timed("drop_stale", recycle.Recycled.drop_stale)  # type: ignore[method-assign]
    store.BuildDir.publish = timed("publish", store.BuildDir.publish)  # type: ignore[method-assign]


WRITERS: dict[str, Callable[..., Any]] = {}
"""The writers of one output and of one part that :func:`output_timed` times."""


def output_timed(build_dir: Path, index_path: Path, settings: Any, output: Any,
                 *rest: Any, **options: Any) -> Any:
    """Write one output (or one part of it: ``rest``), timed by the first file it names. At
    module level, so that a pool can hand it to its forked processes (whose times are lost)."""
    writer = WRITERS["output"] if not rest else WRITERS["part"]
    return timed(f"  {_named(output)}{'' if not rest else f' ({rest[0]})'}", writer)(
        build_dir, index_path, settings, output, *rest, **options)


def _named(output: Any) -> str:
    """A corpus-wide output by the first file it writes (``persons.html``)."""
    paths: tuple[str, ...] = output.paths
    return paths[0] if paths else type(output).__name__


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


def compare(pairs: int, paths: list[Path], src: Path, out: Path, reference: float,
            options: runner.BuildOptions) -> None:
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
            runner.build([src], out, options)
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


def phases(label: str, src: Path, out: Path, reference: float,
           options: runner.BuildOptions) -> dict[str, float]:
    """Build ``src`` into ``out`` in this process and print its phases; their seconds, with
    the whole build's (``total``)."""
    TIMES.clear()
    before = os.times()
    started = time.perf_counter()
    report = runner.build([src], out, options)
    total = time.perf_counter() - started
    after = os.times()
    user, system = after.user - before.user, after.system - before.system
    print(f"{label}: built {report.built}, unchanged {report.unchanged}, "
          f"{total:.3f} s = {total / reference:.2f}x the reference loop; this process's CPU "
          f"{user + system:.2f} s (user {user:.2f}, system {system:.2f})")
    show(TIMES, reference)
    return {**TIMES, "total": total, "cpu": user + system}


def show(times: dict[str, float], reference: float) -> None:
    """Each phase's seconds, and as a ratio of the reference loop."""
    for name, seconds in times.items():
        print(f"  {name:26s} {seconds:7.3f} s  {seconds / reference:6.3f}x")


def again(count: int, paths: list[Path], src: Path, out: Path, reference: float,
          options: runner.BuildOptions) -> None:
    """``count`` more one-file rebuilds, another transcript each; each phase's median."""
    runs = []
    for number in range(1, count + 1):
        change(paths[(len(paths) // 2 + number) % len(paths)])
        time.sleep(2.5)  # past the clock tick a source's stat is trusted from
        runs.append(phases(f"one file changed ({number} of {count})", src, out, reference,
                           options))
    medians = {name: statistics.median(run.get(name, 0.0) for run in runs) for name in runs[0]}
    total, cpu = medians.pop("total"), medians.pop("cpu")
    print(f"medians of {count} one-file rebuilds: {total:.3f} s = {total / reference:.2f}x "
          f"the reference loop; this process's CPU {cpu:.2f} s ({cpu / total:.2f}x the time: "
          f"near 1, the build's process is the longest path; well under, it waits on others)")
    show(medians, reference)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of transcripts")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the corpus and builds go (kept); default: a temporary folder")
    parser.add_argument("--ab", type=int, default=0, metavar="K",
                        help="then K pairs of one-file rebuilds: copies in the background, "
                             "and in the build's own thread (see above)")
    parser.add_argument("--again", type=int, default=0, metavar="K",
                        help="then K more one-file rebuilds and each phase's median")
    parser.add_argument("--by-year", dest="by_year", action="store_true",
                        help="build --by-year")
    parser.add_argument("--search", action="store_true",
                        help="build the search index too (default: --no-search)")
    parser.add_argument("--existing", type=Path, default=None, metavar="DIR",
                        help="rebuild DIR/src into DIR/out, built before, instead of a new "
                             "corpus built cold (kept)")
    args = parser.parse_args()
    options = runner.BuildOptions(search=args.search, by_year=args.by_year)
    workdir = args.existing or args.workdir or Path(tempfile.mkdtemp(prefix="bench-phases-"))
    try:
        before = reference_loop()
        print(f"reference loop: {before:.2f} s")
        instrument()
        src, out = workdir / "src", workdir / "out"
        if args.existing is not None:
            paths = sorted(src.glob("*.txt"))
            if not paths or not out.exists():
                parser.error(f"--existing {workdir}: no src/*.txt, or no out/ built there")
        else:
            paths = make_corpus(args.n, src)
            phases(f"cold build, N = {args.n}", src, out, before, options)
        change(paths[len(paths) // 2])
        time.sleep(2.5)
        phases(f"one file changed, N = {len(paths)}", src, out, before, options)
        if args.again:
            again(args.again, paths, src, out, before, options)
        if args.ab:
            compare(args.ab, paths, src, out, before, options)
        print(f"reference loop after: {reference_loop():.2f} s")
    finally:
        if args.workdir is None and args.existing is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
