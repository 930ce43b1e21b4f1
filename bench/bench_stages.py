"""Time each stage of one document's way through a build: where the milliseconds go.

Runs the stages of ``tei.corpus.stages.STAGES`` (read, encode, view,
write) in this process over transcripts made by ``make_corpus.py``, after a
few documents to warm the caches as a worker's are, and prints each stage's
median time per document. ``bench_build.py`` measures the whole command.

    python bench/bench_stages.py
    python bench/bench_stages.py --n 80 --sample carlson-interview-ru
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from make_corpus import make_corpus  # noqa: E402

from tei.corpus import pool, stages  # noqa: E402

WARM_UP = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60, help="documents to time (default 60)")
    parser.add_argument("--sample", default="64534",
                        help="which sample the documents copy (default 64534; all: cycled)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sources = make_corpus(args.n + WARM_UP, Path(folder) / "src", args.sample)
        worker = pool.make_worker(pool.Settings())
        times: dict[str, list[float]] = {stage.__name__: [] for stage in stages.STAGES}
        parts = Path(folder) / "parts"
        for index, path in enumerate(sources):
            current = stages.DocumentBuild(stages.Task(index, str(path), "transcript", str(parts)))
            for stage in stages.STAGES:
                started = time.perf_counter()
                stage(current, worker)
                if index >= WARM_UP:
                    times[stage.__name__].append(time.perf_counter() - started)
    print(f"{args.n} documents ({args.sample}), median per document:")
    total = 0.0
    for name, values in times.items():
        median = statistics.median(values) * 1000
        total += median
        print(f"  {name:10s} {median:6.2f} ms")
    print(f"  {'total':10s} {total:6.2f} ms  (2 cores: at most {2000 / total:.0f} docs/s)")


if __name__ == "__main__":
    main()
