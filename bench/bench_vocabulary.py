"""What a year's delta costs Pagefind as the vocabulary of the year's base grows.

A one-file rebuild indexes the changed page into its year's first delta together with a page
of every word of the year's base (:func:`tei.corpus.delta.vocabulary_page`: without it, a
delta of a few pages would fall back to a shorter prefix than its base for a word it lacks).
Pagefind's time on that page grows with the number of distinct words on it. The benchmark
corpora cycle three transcripts, so their years' vocabularies stop growing at some 9,700
words in Russian; a year of real transcripts has many more, all different.

This builds one sample-sized transcript (``make_corpus.py``, without search), then indexes
its page alone (the reference: the delta without a vocabulary) and with a vocabulary page of
each size of ``--sizes``, ``--runs`` times each in turn, and prints Pagefind's CPU time
(``RUSAGE_CHILDREN``) for each, as a ratio of the reference measured in the same run, and
what each word costs beyond it. The words are the distinct words of the Russian samples,
then made ones (two of them joined) as a larger year would bring.

    python bench/bench_vocabulary.py
    python bench/bench_vocabulary.py --sizes 0 10000 40000 --runs 5
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from make_corpus import make_corpus  # noqa: E402

from tei.corpus import BuildOptions, build  # noqa: E402
from tei.corpus.delta import vocabulary_page  # noqa: E402
from tei.corpus.search import Pagefind, indexed_copy  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "kremlin-ru"


def vocabulary(size: int) -> list[str]:
    """``size`` distinct words: those of the Russian samples, then pairs of them joined."""
    words = sorted({word for path in sorted(SAMPLES.glob("*.txt"))
                    for word in path.read_text(encoding="utf-8").split()})
    letters = [word for word in words if word.isalpha()]
    made = (a + b.lower() for a, b in itertools.product(letters, letters) if a != b)
    chosen: dict[str, None] = {}
    for word in itertools.chain(words, made):
        if len(chosen) == size:
            break
        chosen.setdefault(word)
    return list(chosen)


def index_once(pagefind: Pagefind, page: bytes, words: list[str], folder: Path) -> float:
    """Pagefind's CPU seconds on one delta: ``page``, and a vocabulary page of ``words``
    unless there are none."""
    site, out = folder / "site", folder / "bundle"
    (site / "html").mkdir(parents=True)
    (site / "html" / "page.html").write_bytes(page)
    if words:
        (site / "vocabulary.html").write_bytes(
            vocabulary_page(gzip.compress("\n".join(words).encode()), "ru"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    pagefind.index(site, out, "ru")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(site)
    shutil.rmtree(out)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[0, 2500, 5000, 10000, 20000, 40000],
                        help="words on the vocabulary page (0: none, the reference)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    sizes = sorted(set([0, *args.sizes]))
    pagefind = Pagefind.find()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        make_corpus(1, folder / "src", "64534")
        build([folder / "src"], folder / "out", BuildOptions(search=False))
        page = indexed_copy(next((folder / "out" / "html").glob("kremlin-*.html")).read_bytes())
        words = {size: vocabulary(size) for size in sizes}
        cpu: dict[int, list[float]] = {size: [] for size in sizes}
        for _run in range(args.runs):
            for size in sizes:
                cpu[size].append(index_once(pagefind, page, words[size], folder))
    reference = statistics.median(cpu[0])
    print(f"{pagefind.version}: one sample-sized page ({len(page) // 1024} KB) and a vocabulary "
          f"page, Pagefind's CPU, medians of {args.runs} runs:")
    for size in sizes:
        seconds = statistics.median(cpu[size])
        each = f", {(seconds - reference) / size * 1e6:5.1f} µs a word" if size else ""
        print(f"  {size:6d} words {seconds * 1000:7.1f} ms  {seconds / reference:5.2f}x the page "
              f"alone{each}")


if __name__ == "__main__":
    main()
