"""What Pagefind costs on the pages as published, and on the copies the build gives it.

The build hands Pagefind each page with its paragraphs' ids on empty paragraphs before them
(:func:`tei.corpus.search.indexed_copy`): Pagefind keeps an anchor's own text in the
fragment a result loads, for a transcript's paragraphs a second copy of its words. This
builds N sample-sized transcripts (``make_corpus.py``, without search), then runs the
Pagefind binary on the published pages and on their indexed copies, in turn, ``--runs``
times each, and prints each run's CPU time (Pagefind's, from ``RUSAGE_CHILDREN``) and the
fragments' size per page, with the ratio of the medians: the two are measured in the same
run, a few seconds apart, so the machine's load moves both alike.

    python bench/bench_indexed_copy.py
    python bench/bench_indexed_copy.py 300 --runs 3
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from make_corpus import make_corpus  # noqa: E402

from tei.corpus import BuildOptions, build  # noqa: E402
from tei.corpus.search import Pagefind, indexed_copy  # noqa: E402

KINDS: dict[str, Callable[[bytes], bytes]] = {"published": lambda page: page,
                                              "indexed copy": indexed_copy}
"""What Pagefind is given of each page."""


def index_once(pagefind: Pagefind, pages: list[Path], given: Callable[[bytes], bytes],
               folder: Path) -> tuple[float, int]:
    """Pagefind's CPU seconds on ``pages`` as ``given`` makes them, and the bytes of the
    fragments it writes."""
    site, out = folder / "site", folder / "bundle"
    (site / "html").mkdir(parents=True)
    for page in pages:
        (site / "html" / page.name).write_bytes(given(page.read_bytes()))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([pagefind.executable, "--site", str(site), "--output-path", str(out),
                    "--silent"], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(path.stat().st_size for path in (out / "fragment").iterdir())
    shutil.rmtree(site)
    shutil.rmtree(out)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=120, help="transcripts (default 120)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    pagefind = Pagefind.find()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        make_corpus(args.n, folder / "src", "all")
        build([folder / "src"], folder / "out", BuildOptions(search=False))
        pages = sorted((folder / "out" / "html").glob("kremlin-*.html"))
        cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
        sizes: dict[str, int] = {}
        for run in range(args.runs):
            for kind, given in KINDS.items():
                seconds, sizes[kind] = index_once(pagefind, pages, given, folder)
                cpu[kind].append(seconds)
                print(f"run {run + 1}, {kind:12s}: {seconds:6.2f} s of CPU, "
                      f"{seconds / len(pages) * 1000:5.1f} ms a page")
    print(f"{len(pages)} pages, {pagefind.version}, medians of {args.runs} runs:")
    for kind in KINDS:
        print(f"  {kind:12s} {statistics.median(cpu[kind]) / len(pages) * 1000:5.1f} ms of CPU a "
              f"page, fragments {sizes[kind] / len(pages) / 1024:5.1f} KB a page (gzip)")
    published, copied = (statistics.median(cpu[kind]) for kind in KINDS)
    print(f"  indexed copy / published: {copied / published:.2f}x the CPU, "
          f"{sizes['indexed copy'] / sizes['published']:.2f}x the fragments")


if __name__ == "__main__":
    main()
