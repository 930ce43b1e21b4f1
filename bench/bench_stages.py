"""Time each stage of one document's way through a build, against the lxml floor.

Runs the stages of ``tei.corpus.stages.STAGES`` (read, encode, view,
write) in this process over transcripts made by ``make_corpus.py``, after a
few documents to warm the caches as a worker's are, and prints each stage's
median time per document. ``bench_build.py`` measures the whole command.

Beside them, measured in the same run over the same documents, each right after
the stages have run on it: **the lxml floor**, the least work any
implementation must do for the document with lxml, each step once:

- its source: read the file and decode it (UTF-8), and for a saved web page
  parse it with ``lxml.html``;
- its TEI: parse the TEI the pipeline produced for it (``etree.fromstring``)
  and serialise that tree (``etree.tostring``): a tree of the size of its TEI
  built and written out;
- its HTML edition: parse the page the pipeline wrote (``lxml.html``) and
  serialise it (``method="html"``); its text edition: decode and encode it;
- the three files (TEI, HTML, text) written, one ``write_bytes`` each.

Nothing a real build needs beyond that is counted (no schema check, no
names, no summary, no corpus member, no hashing): the ratio says how far the
whole pipeline is from that floor.

    python bench/bench_stages.py
    python bench/bench_stages.py --n 80 --sample carlson-interview-ru
    python bench/bench_stages.py --n 30 --file tests/data/kremlin-en/62582.html

``--file`` times copies of one source instead (a saved web page, say, which
``make_corpus.py`` does not make). ``--clock cpu`` times the stages and the floor in
CPU time of this thread (``time.thread_time``) rather than by the wall clock: on a
machine others are busy on, what waiting for a core adds to both is left out (the
floor's writes count as the kernel's CPU time they take, not as waits for the disk).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import lxml.html  # noqa: E402
from lxml import etree  # noqa: E402
from make_corpus import make_corpus  # noqa: E402

from tei.corpus import pool, stages  # noqa: E402
from tei.corpus.layout import part_path  # noqa: E402

WARM_UP = 5
FLOOR_OUTPUTS = (("tei", ".xml"), ("html", ".html"), ("text", ".txt"))
"""The parts the floor reads back (untimed) to redo their least work."""


CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}
"""What ``--clock`` may time by: the wall clock, or this thread's CPU time."""


def floor(source: Path, outputs: dict[str, bytes], folder: Path,
          clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds the lxml floor takes for one document (see the module's docstring)."""
    started = clock()
    data = source.read_bytes()
    text = data.decode("utf-8")
    if source.suffix in (".html", ".htm"):
        lxml.html.document_fromstring(data)
    tei = etree.tostring(etree.fromstring(outputs["tei"]), encoding="utf-8")
    html = lxml.html.tostring(lxml.html.document_fromstring(outputs["html"]), method="html",
                              encoding="utf-8")
    plain = outputs["text"].decode("utf-8").encode("utf-8")
    for name, written in (("tei", tei), ("html", html), ("text", plain)):
        (folder / f"floor.{name}").write_bytes(written)
    elapsed = clock() - started
    assert text  # the source was read
    return elapsed


def copies(source: Path, n: int, folder: Path) -> list[Path]:
    """``n`` copies of ``source`` in ``folder``, each under a name of its own."""
    folder.mkdir(parents=True)
    paths = [folder / f"{index:05d}-{source.name}" for index in range(n)]
    for path in paths:
        shutil.copyfile(source, path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60, help="documents to time (default 60)")
    parser.add_argument("--sample", default="64534",
                        help="which sample the documents copy (default 64534; all: cycled)")
    parser.add_argument("--file", type=Path,
                        help="time copies of this source instead (a saved web page, say)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="time by the wall clock (default) or by this thread's CPU time")
    args = parser.parse_args()
    clock = CLOCKS[args.clock]
    with tempfile.TemporaryDirectory() as folder:
        sources = (copies(args.file, args.n + WARM_UP, Path(folder) / "src") if args.file
                   else make_corpus(args.n + WARM_UP, Path(folder) / "src", args.sample))
        worker = pool.make_worker(pool.Settings())
        times: dict[str, list[float]] = {stage.__name__: [] for stage in stages.STAGES}
        floors: list[float] = []
        parts = Path(folder) / "parts"
        for index, path in enumerate(sources):
            current = stages.DocumentBuild(stages.Task(index, str(path), "transcript", str(parts)))
            for stage in stages.STAGES:
                started = clock()
                stage(current, worker)
                if index >= WARM_UP:
                    times[stage.__name__].append(clock() - started)
            assert current.folder is not None
            written = {name: part_path(current.folder, f"{index}.0", name, suffix).read_bytes()
                       for name, suffix in FLOOR_OUTPUTS}
            spent = floor(path, written, Path(folder), clock)
            if index >= WARM_UP:
                floors.append(spent)
    print(f"{args.n} documents ({args.file or args.sample}), median per document "
          f"({args.clock} time):")
    total = 0.0
    for name, values in times.items():
        median = statistics.median(values) * 1000
        total += median
        print(f"  {name:10s} {median:6.2f} ms")
    least = statistics.median(floors) * 1000
    print(f"  {'total':10s} {total:6.2f} ms  (2 cores: at most {2000 / total:.0f} docs/s)")
    print(f"  {'lxml floor':10s} {least:6.2f} ms  (same run, same documents)")
    print(f"  total / floor = {total / least:.2f}x  (target: at most 3x)")


if __name__ == "__main__":
    main()
