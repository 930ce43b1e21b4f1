"""Whatever order the workers finish documents in, a build publishes and reports the same.

A build from scratch puts each document in place, and adds its summary to the corpus index,
as soon as every source before it is placed, while the workers build the others: the first
source still claims an ID, a source that fails stops no other. Here the workers' outcomes
are handed back in other orders than they came (reversed; the first, then the rest from the
last) to a build of real sources, one in the middle empty (it fails) and one a copy of the
first (the same document ID: it fails, the first keeps it); every published file and the
report must be those of the build in the order the outcomes came.

A large corpus's pages are written by two processes, the register of persons in two parts
(its pages; what its speakers said): a rebuild so written publishes what a build from
scratch does.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_incremental import change, published, sources

from tei.corpus import BuildOptions, BuildReport, build, runner, scheduling
from tei.corpus.layout import PARTS, TEI
from tei.corpus.stages import Outcome, Task

Order = Callable[[list[Outcome]], list[Outcome]]

ORDERS: dict[str, Order] = {
    "reversed": lambda outcomes: outcomes[::-1],
    "first, then from the last": lambda outcomes: (
        sorted(outcomes, key=lambda o: o.index)[:1] + sorted(outcomes, key=lambda o: -o.index)[:-1]),
}


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """Five sources in this order: a transcript, an empty file, a copy of the transcript,
    two saved pages."""
    folder = tmp_path_factory.mktemp("order") / "src"
    folder.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", folder / "a-64534.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", folder / "c-copy.txt")
    for name in ("13679.html", "17164.html"):
        shutil.copy(data_dir / "kremlin-en-more" / name, folder / f"d-{name}")
    return folder


def told(report: BuildReport) -> tuple[object, ...]:
    """What a build's report says, as the command prints it."""
    return (report.built, report.unchanged, report.published,
            [str(error) for error in report.failures], [str(error) for error in report.warnings])


@pytest.fixture(scope="module")
def in_order(src: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The build with the outcomes in the order the workers handed them back."""
    out = tmp_path_factory.mktemp("in-order") / "out"
    return out, build([src], out, BuildOptions(jobs=2))


@pytest.mark.parametrize("name", sorted(ORDERS))
def test_outcomes_out_of_order_publish_and_report_the_same(
        name: str, src: Path, in_order: tuple[Path, BuildReport], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first, report = in_order
    assert report.built == 3 and len(report.failures) == 2
    assert "b-empty.txt" in str(report.failures[0])
    assert "c-copy.txt" in str(report.failures[1]) and "kremlin-64534" in str(report.failures[1])
    real, placed = runner.run_tasks, []

    def run_tasks(tasks: list[Task], *args: Any) -> Iterator[Outcome]:
        staged = Path(tasks[0].parts).parent.parent
        assert Path(tasks[0].parts) == staged / PARTS
        for number, outcome in enumerate(ORDERS[name]([*real(tasks, *args)])):
            yield outcome
            if number == 0:  # the build has seen the first outcome: placed if it is source 0
                placed.append((staged / TEI.path("kremlin-64534")).is_file())

    monkeypatch.setattr(runner, "run_tasks", run_tasks)
    out = tmp_path / "out"
    again = build([src], out, BuildOptions(jobs=2))
    assert told(again) == told(report)
    assert published(out) == published(first)
    assert placed == [name != "reversed"]  # placed as soon as every source before it was


def test_the_page_processes_are_forked_with_no_other_thread_running(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process forked while another thread runs may inherit a lock that thread holds and
    wait on it for ever (Python 3.12 and later warn of it): the thread that flushes the
    corpus index is started only once the page processes are forked."""
    monkeypatch.setattr(scheduling, "PARALLEL_FROM", 1)  # two processes however few the documents
    real_fork, parent = os.fork, os.getpid()
    threads: list[list[str]] = []

    def fork() -> int:
        if os.getpid() == parent:
            threads.append(sorted(thread.name for thread in threading.enumerate()))
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    src = tmp_path / "src"
    sources(data_dir, src)
    assert build([src], tmp_path / "out", BuildOptions(jobs=2)).ok
    assert len(threads) >= 4  # the workers that build the documents, then the page writers
    assert threads == [["MainThread"]] * len(threads)


def test_pages_written_in_parts_by_two_processes_in_a_rebuild_are_those_of_a_fresh_build(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduling, "PARALLEL_FROM", 1)  # two processes however few the documents
    split = scheduling.write_pages
    parts: list[tuple[str | None, ...]] = []

    def write_pages(*args: Any, **kwargs: Any) -> dict[str, str]:
        parts.append(tuple(part for output in args[3] for part in scheduling._parts(output)))
        assert args[4] == 2
        return split(*args, **kwargs)

    monkeypatch.setattr(scheduling, "write_pages", write_pages)
    src, out, cold = tmp_path / "src", tmp_path / "out", tmp_path / "cold"
    sources(data_dir, src)
    assert build([src], out, BuildOptions(jobs=2)).ok
    change(data_dir, src)
    report = build([src], out, BuildOptions(jobs=2))
    assert report.ok and (report.built, report.unchanged) == (2, 11)
    assert build([src], cold, BuildOptions(jobs=2)).ok
    assert len(parts) == 3 and all("said" in found and "pages" in found for found in parts)
    rebuilt, fresh = published(out), published(cold)
    assert sorted(rebuilt) == sorted(fresh)
    assert [path for path in fresh if rebuilt[path] != fresh[path]] == []
