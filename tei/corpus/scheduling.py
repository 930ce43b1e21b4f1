"""How the corpus-wide outputs are written: which process, and which thread, writes each.

Every output reads the corpus index file on its own (:func:`write_output`), so the outputs
may be written in any order and at once: in the build's process, one after the other (an
output that waits for another program, Pagefind, in a thread beside them), or by forked
processes when the corpus is large enough for a process to pay for itself
(:func:`page_processes`), an output that has parts (the register of persons) a part at a
time. The outputs themselves are in :mod:`tei.corpus.pages` and the modules it names.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from tei.corpus.changes import drain
from tei.corpus.index import CorpusIndex
from tei.corpus.pages import CorpusOutput, DividedOutput, PageSettings
from tei.corpus.processes import end_with_parent


def write_pages(build_dir: Path, index_path: Path, settings: PageSettings,
                outputs: Sequence[CorpusOutput], processes: int = 1,
                meanwhile: Callable[[], None] | None = None) -> dict[str, str]:
    """Write every corpus-wide output into ``build_dir``; returns the SHA-256 of each file.

    The outputs do not depend on each other: with ``processes`` > 1 (see
    :func:`page_processes`) they are written by as many forked processes, each
    reading the index file at ``index_path``, the slow ones first, an output that
    has parts (:class:`DividedOutput`) a part at a time; else by this process, in order.
    One that :func:`waits` for another program (Pagefind) is written in a thread of its
    own, started once the processes are forked, so that its wait is spent writing the
    others (a one-file rebuild at 2,000 documents: the search's 0.5-0.9 s beside the
    registers'). ``meanwhile`` (reading the index, never writing it) is called in this
    process while the others are written, or before this process writes them.
    """
    others = [output for output in outputs if not waits(output)]
    with contextlib.ExitStack() as stack:
        forked = (_forked(stack, build_dir, index_path, settings, others, processes)
                  if processes > 1 else None)
        threads = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="tei-waits"))
        waited = {id(output): threads.submit(write_output, build_dir, index_path, settings,
                                             output, drained=False)
                  for output in outputs if waits(output)}
        try:
            if meanwhile is not None:
                meanwhile()
            # in this process, the copies of unchanged runs are made meanwhile, by its end
            written = (_joined(forked, others, build_dir) if forked is not None
                       else {id(output): write_output(build_dir, index_path, settings, output,
                                                      drained=False) for output in others})
            written.update((key, future.result()) for key, future in waited.items())
        except BaseException:
            drain(errors=False)
            raise  # once the thread and the processes are done: leaving the pools waits
    drain()
    return {path: digest for output in outputs for path, digest in written[id(output)].items()}


Forked = dict[tuple[int, str | None], Future[Any]]
"""Each output's index in the list, and its part (None: it is one) -> what its process gives."""


def _forked(stack: contextlib.ExitStack, build_dir: Path, index_path: Path,
            settings: PageSettings, outputs: Sequence[CorpusOutput], processes: int) -> Forked:
    """Hand ``outputs`` to ``processes`` forked processes (a pool ``stack`` closes), the slow
    ones first, an output that has parts a part at a time. The processes are all forked by
    the first job handed over, before this process starts a thread of its own."""
    jobs = [(i, part) for i, output in enumerate(outputs) for part in _parts(output)]
    jobs.sort(key=lambda job: not outputs[job[0]].slow)
    pool = stack.enter_context(ProcessPoolExecutor(
        max_workers=processes, initializer=end_with_parent,
        mp_context=multiprocessing.get_context("fork")))
    return {(i, part): pool.submit(write_output, build_dir, index_path, settings, outputs[i])
            if part is None else pool.submit(write_part, build_dir, index_path, settings,
                                             _divided(outputs[i]), part) for i, part in jobs}


def _joined(forked: Forked, outputs: Sequence[CorpusOutput],
            build_dir: Path) -> dict[int, dict[str, str]]:
    """The SHA-256s of each output the processes wrote (by the ``id`` of the output), its
    parts joined."""
    parts: dict[int, list[Any]] = {}
    for (i, _part), future in forked.items():
        parts.setdefault(i, []).append(future.result())
    return {id(output): parts[i][0] if _parts(output) == (None,)
            else _divided(output).join(build_dir, parts[i]) for i, output in enumerate(outputs)}


def waits(output: CorpusOutput) -> bool:
    """True for an output that spends its time waiting for another program (its ``waits``):
    it may be written in a thread beside the others, so it must not splice runs (the copies
    of runs are this process's one queue, which only the build's own thread drains)."""
    return bool(getattr(output, "waits", False))


def _parts(output: CorpusOutput) -> tuple[str | None, ...]:
    """The parts of ``output`` that processes may write at once (None: it is one)."""
    parts: tuple[str, ...] = getattr(output, "parts", ())
    return parts if len(parts) > 1 else (None,)


def _divided(output: CorpusOutput) -> DividedOutput:
    """``output``, which has parts (:func:`_parts`)."""
    assert hasattr(output, "write_part") and hasattr(output, "join"), output
    return output  # type: ignore[return-value]


PARALLEL_FROM = 500
"""Documents from which two processes write the pages sooner than one: a forked process
costs a few milliseconds, the pages of 13 documents take 13 (measured: 800 documents,
0.27 s in one process, 0.16 s in two). The slow ones start first, so that two processes
finish as close together as they can (1,000 documents, in one process: the register of
persons 6.9 s, 4.1 s of it the speakers' downloads, hence its two parts; turns.tsv 1.2 s;
corpus.xml 0.1 s; the rest 0.1 s together; the duplicates, found meanwhile, 0.6 s)."""


def page_processes(jobs: int, documents: int, outputs: int) -> int:
    """How many processes should write ``outputs`` corpus-wide outputs of ``documents``.

    More than one only on Linux, where they are forked in milliseconds: where
    processes are spawned (macOS, Windows) each would first import the package,
    which costs more than the pages it would write.
    """
    if jobs <= 1 or documents < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    return min(jobs, outputs)


def write_output(build_dir: Path, index_path: Path, settings: PageSettings,
                 output: CorpusOutput, drained: bool = True) -> dict[str, str]:
    """Write one corpus-wide output from the index file; the SHA-256 of each file by path.
    Its files are complete when it returns, unless not ``drained``: the copies of their
    unchanged runs may then still be made (:func:`~tei.corpus.changes.drain` waits for them)."""
    return _reading(index_path, drained, lambda index: output.write(build_dir, index, settings))


def write_part(build_dir: Path, index_path: Path, settings: PageSettings,
               output: DividedOutput, part: str) -> Any:
    """Write one part of a corpus-wide output from the index file, its files complete;
    what its :meth:`~DividedOutput.join` needs of them."""
    return _reading(index_path, True,
                    lambda index: output.write_part(build_dir, index, settings, part))


T = TypeVar("T")


def _reading(index_path: Path, drained: bool, write: Callable[[CorpusIndex], T]) -> T:
    """``write`` of the index file at ``index_path`` opened to read (and, if ``drained``,
    the copies of unchanged runs its files owe made)."""
    index = CorpusIndex(index_path, read_only=True)
    try:
        written = write(index)
    except BaseException:
        if drained:
            drain(errors=False)
        raise
    finally:
        index.close()
    if drained:
        drain()
    return written
