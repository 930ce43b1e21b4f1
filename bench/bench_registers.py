"""Measure the registers of a corpus of N transcripts: page sizes, downloads, time to write.

Makes the corpus (``make_corpus.py``), builds it as a real command (``python -m
tei build``, as ``bench_build.py`` does), then prints, for the register pages of
persons and of places (``persons/<id>.html``; the letter pages ``persons/a-z/*.html``
apart), the largest and median page and their total; the same for the speakers'
downloads (``.txt``, ``.tsv``) and the letter pages; and the seconds each
corpus-wide output takes to write from the build's index, one at a time, in this
process (into a scratch folder, so the build is left as it is; the folders are removed
only once every output is timed: files made just after many deletions cost more), with
their CPU as a ratio to the reference loop of ``bench_build.py``.

    python bench/bench_registers.py 2000
    python bench/bench_registers.py 2000 --workdir /tmp/bench-registers-2000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from bench_build import reference_loop, run_build  # noqa: E402
from make_corpus import make_corpus  # noqa: E402


def sizes(paths: list[Path]) -> str:
    """Largest (with its name), median and total size of ``paths``, in kB."""
    if not paths:
        return "none"
    by_size = sorted(paths, key=lambda p: p.stat().st_size)
    values = [p.stat().st_size for p in by_size]
    return (f"{len(values):6d} files  largest {values[-1] / 1e3:9.1f} kB ({by_size[-1].name})  "
            f"median {statistics.median(values) / 1e3:7.1f} kB  total {sum(values) / 1e6:8.1f} MB")


def report_sizes(out: Path) -> None:
    """Print the sizes of the register pages, letter pages and downloads of the build."""
    for folder in ("persons", "places"):
        pages = sorted((out / folder).glob("*.html"))
        print(f"{folder + '/*.html':20} {sizes(pages)}")
        print(f"{folder + '/a-z/*.html':20} {sizes(sorted((out / folder / 'a-z').glob('*.html')))}")
        print(f"{folder + '.html':20} {sizes([out / f'{folder}.html'])}")
    for suffix in ("txt", "tsv"):
        print(f"{'persons/*.' + suffix:20} {sizes(sorted((out / 'persons').glob('*.' + suffix)))}")
    for name in ("turns.tsv", "documents.tsv", "index.html"):
        print(f"{name:20} {sizes([out / name])}")


def time_outputs(out: Path, scratch: Path) -> None:
    """Print the seconds each corpus-wide output takes to write from the build's index (as a
    first build writes it: everything), wall and CPU, and the CPU of all of them as a ratio
    to the reference loop (``bench_build.py``) timed just before and after."""
    from tei.corpus.layout import CORPUS_OUTPUTS, INDEX
    from tei.corpus.pages import PageSettings, write_output
    from tei.corpus.search import SEARCH

    before = reference_loop()
    total = 0.0
    for output in CORPUS_OUTPUTS:
        if output is SEARCH:  # it indexes the build's pages: bench_search.py times it
            continue
        folder = scratch / output.paths[0].replace("/", "_")
        folder.mkdir(parents=True)
        (folder / ".tei-edition").mkdir()
        started, cpu = time.perf_counter(), time.process_time()
        written = write_output(folder, out.resolve() / INDEX, PageSettings(), output)
        used = time.process_time() - cpu
        total += used
        print(f"write {output.paths[0]:24} {time.perf_counter() - started:6.2f} s  "
              f"CPU {used:6.2f} s  {len(written):6d} files")
    reference = (before + reference_loop()) / 2
    print(f"all the outputs but search: CPU {total:.2f} s = {total / reference:.2f}x the "
          f"reference loop ({reference:.2f} s, the mean of before and after)")
    shutil.rmtree(scratch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of transcripts")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="a new folder for the corpus and the build, kept afterwards "
                             "(default: a temporary folder, removed at the end)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--sample", default="all", help="as for bench_build.py")
    args = parser.parse_args()
    if args.workdir is not None and args.workdir.exists():
        parser.error(f"--workdir {args.workdir} exists: name a new folder")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix=f"tei-registers-{args.n}-"))
    try:
        src, out = workdir / "src", workdir / "out"
        paths = make_corpus(args.n, src, args.sample)
        print(f"corpus: {args.n} transcripts ({args.sample}), "
              f"{sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")
        run = run_build(src, out, args.jobs)
        print(f"build: {run.seconds:.1f} s, build and workers {run.peak_sum_kb / 1024:.0f} MB "
              f"at most   [{run.output}]")
        report_sizes(out)
        time_outputs(out, workdir / "scratch")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
