"""The worker pool of a build: documents built in parallel, each worker set up once.

Worker processes keep what every document needs (the authority, the compiled
schema, the templates), made once by :func:`start_worker`; tasks go out in
chunks, so each worker pays its start-up once and the pool's messages stay
few. A worker ends when the build that started it ends, even by SIGKILL.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tei.corpus.processes import end_with_parent, worker_count
from tei.corpus.stages import Context, Outcome, Task, run_task
from tei.encode import DEFAULT_PUBLISHER
from tei.readers import ReadOptions
from tei.readers.names import analyses

if TYPE_CHECKING:
    from tei.render import RenderOptions


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to know; the same for every document of a build."""

    authority: str | None = None
    """Path of the authority file, if any."""
    templates: str | None = None
    """A folder of templates searched before the bundled ones."""
    publisher: str = DEFAULT_PUBLISHER
    read_options: ReadOptions = field(default_factory=ReadOptions)
    """How transcripts are read (``--from``)."""
    search: bool = True
    """The build has a search index: each page gets a search box."""
    base_url: str | None = None
    """Where the edition will be published (``--base-url``), for citation addresses."""


@dataclass(slots=True)
class _Worker:
    """This process's worker state, and the build that started it (to notice its death)."""

    context: Context
    parent: int
    saved: float = 0.0
    """When it last saved the morphology answers it learnt (``time.monotonic``)."""


_WORKER: _Worker | None = None

SAVE_EVERY = 10.0
"""Seconds between a worker's saves of the morphology answers it learnt: each save rewrites
the user's cache file whole, so a large build does not write it after every chunk."""


IN_PROCESS = 1
"""Tasks up to which a build runs them in its own process, one after the other (measured:
one document 15-45 ms sooner here than in a worker; two take as long either way)."""


def make_worker(settings: Settings) -> Context:
    """Load the authority, the schema and the templates once."""
    from tei.authority import load_authority
    from tei.validation import default_validator

    authority = load_authority(settings.authority) if settings.authority else None
    return Context(authority, default_validator(), render_options(settings),
                   settings.read_options, settings.publisher)


def render_options(settings: Settings) -> RenderOptions:
    """How every page of the build is rendered, in the workers and in the build itself."""
    from tei.render import RenderOptions

    templates = Path(settings.templates) if settings.templates else None
    return RenderOptions(templates=templates, home="../index.html",  # pages link to the index,
                         api="../api/dts",  # to the DTS API of tei-edition serve,
                         registers="../",  # to the registers of persons and places
                         search="../search.html" if settings.search else None,
                         base_url=settings.base_url)


def start_worker(settings: Settings) -> None:
    """Initialise a worker process: its state, and its end when the build ends."""
    global _WORKER
    end_with_parent()
    _WORKER = _Worker(make_worker(settings), os.getppid())


def run_chunk(tasks: list[Task]) -> list[Outcome]:
    """Build a chunk of documents in this worker (see :func:`start_worker`)."""
    if _WORKER is None:
        raise RuntimeError("run_chunk called outside a worker started by start_worker")
    if os.getppid() != _WORKER.parent:
        raise SystemExit(0)
    outcomes = [run_task(task, _WORKER.context) for task in tasks]
    if time.monotonic() >= _WORKER.saved + SAVE_EVERY:  # a worker ends without its exit
        analyses.save()                                 # handlers: it saves as it goes
        _WORKER.saved = time.monotonic()
    return outcomes


def run_tasks(tasks: list[Task], settings: Settings, jobs: int | None) -> Iterator[Outcome]:
    """Build ``tasks`` in a pool of worker processes (in this process when ``jobs`` is 1,
    or when there is one task: a rebuild after one file changed).

    Many tasks go to workers, so that this process never holds more than one document's
    trees: its memory stays that of the corpus bookkeeping. One task is built here: a
    worker would cost its start and the messages (a fifth of the task's time) for nothing
    to run beside it, and the task's failure is its outcome there as here.
    """
    jobs = worker_count(jobs)
    if not tasks:
        return
    if jobs == 1 or len(tasks) <= IN_PROCESS:
        context = make_worker(settings)
        yield from (run_task(task, context) for task in tasks)
        return
    size = max(1, min(16, len(tasks) // (jobs * 4)))
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), initializer=start_worker,
                             initargs=(settings,)) as pool:
        futures = [pool.submit(run_chunk, chunk) for chunk in chunks]
        try:
            for future in as_completed(futures):
                yield from future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
