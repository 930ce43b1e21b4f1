"""Mentions: how many each sample has, and what finding them costs a document.

For every folder of samples in ``tests/data`` (the copies of ``../shared/samples``)
each source is read and encoded as ``encode`` does, and the mentions of its TEI
body are counted by kind: persons (``persName[@ref]``: named in the text, not
speaking), places (``placeName[@ref]``), glossary terms (``term``) and
organisations (``orgName``), with the number of distinct persons named.

Then the cost: the whole per-document pipeline of a build's worker (read, encode,
view, write: ``tei.corpus.stages.STAGES``) over transcripts made by
``make_corpus.py``, timed in this process with mentions and, in the same run, with
the mention table left empty (no name inflected, no paragraph searched: what the
pipeline cost before mentions). Runs alternate so that the machine's noise falls
on both alike; the difference is the build-time cost of mentions per document.

    python bench/bench_mentions.py
    python bench/bench_mentions.py --n 40 --sample all
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from make_corpus import make_corpus  # noqa: E402

from tei.corpus import pool, stages  # noqa: E402
from tei.readers import ReadOptions, assemble  # noqa: E402
from tei.readers.names.mentions import MentionTable  # noqa: E402

DATA = ROOT / "tests" / "data"
SAMPLES = ("kremlin-ru", "kremlin-en", "kremlin-en-more", "kremlin-html", "dracor", "parlamint")
"""The folders of real samples (other folders of ``tests/data`` are made for tests)."""
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
KINDS = {"persons": "persName[@ref]", "places": "placeName[@ref]", "terms": "term",
         "organisations": "orgName"}
"""What is counted in a TEI body, by the name of its column."""
UNDATED = "2024-02-09 00:00:00"
"""The date given to a sample without one (the Carlson interview's)."""


def count_mentions(folder: Path) -> tuple[int, Counter[str], int]:
    """Documents of ``folder``, its mentions by kind and its distinct persons named."""
    from lxml import etree

    from tei.errors import ReadError
    from tei.pipeline import encode_document, read_document

    ns = {"t": TEI_NS[1:-1]}
    counts: Counter[str] = Counter()
    named: set[str] = set()
    documents = 0
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".txt", ".html", ".htm"):
            continue  # TEI from other corpora is published as it is: its mentions are its own
        try:
            doc = read_document(path, ReadOptions())
        except ReadError:  # a headerless interview: given what its sidecar in examples/ says
            doc = read_document(path, ReadOptions(title=path.stem, date=UNDATED))
        tree: etree._ElementTree = encode_document(doc).tree
        documents += 1
        for kind, xpath in KINDS.items():
            found = tree.xpath(f"//t:text//t:{xpath}", namespaces=ns)
            counts[kind] += len(found)
            if kind == "persons":
                named.update(str(e.get("ref")) for e in found)
    return documents, counts, len(named)


def mention_table_rows() -> list[str]:
    """The table of mentions found per sample folder."""
    header = f"  {'sample':16s} {'docs':>5s} " + " ".join(f"{k:>13s}" for k in KINDS)
    rows = [header + f" {'persons named':>14s}"]
    for name in SAMPLES:
        folder = DATA / name
        if not folder.is_dir():
            continue
        documents, counts, named = count_mentions(folder)
        if not documents:
            rows.append(f"  {name:16s} {'-':>5s}  (TEI from another corpus: not read, published "
                        f"as it is)")
            continue
        rows.append(f"  {name:16s} {documents:5d} "
                    + " ".join(f"{counts[k]:13d}" for k in KINDS) + f" {named:14d}")
    return rows


@contextmanager
def without_mentions() -> Iterator[None]:
    """The readers with an empty mention table: no name is looked for in the text."""
    original = getattr(assemble, "mention_table")
    setattr(assemble, "mention_table", lambda persons, lead, links: MentionTable({}))
    try:
        yield
    finally:
        setattr(assemble, "mention_table", original)


def pipeline_time(sources: list[Path], parts: Path) -> Callable[[int], float]:
    """A function timing the whole worker pipeline of source ``i`` (seconds)."""
    worker = pool.make_worker(pool.Settings())

    def run(i: int) -> float:
        started = time.perf_counter()
        current = stages.DocumentBuild(stages.Task(i, str(sources[i]), "transcript", str(parts)))
        for stage in stages.STAGES:
            stage(current, worker)
        return time.perf_counter() - started

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30, help="documents to time (default 30)")
    parser.add_argument("--sample", default="all",
                        help="which sample the timed documents copy (default all: cycled)")
    args = parser.parse_args()
    print("Mentions found per sample (tests/data, as encode makes them):")
    print("\n".join(mention_table_rows()))
    with tempfile.TemporaryDirectory() as folder:
        sources = make_corpus(args.n, Path(folder) / "src", args.sample)
        run = pipeline_time(sources, Path(folder) / "parts")
        for i in range(min(3, len(sources))):  # warm the caches, as a worker's are
            run(i)
            with without_mentions():
                run(i)
        with_, without = [], []
        for i in range(len(sources)):
            with_.append(run(i))
            with without_mentions():
                without.append(run(i))
    on, off = statistics.median(with_) * 1000, statistics.median(without) * 1000
    print(f"\n{args.n} documents ({args.sample}), whole pipeline per document, median:")
    print(f"  with mentions     {on:7.2f} ms")
    print(f"  without mentions  {off:7.2f} ms  (the reference, same run)")
    print(f"  cost of mentions  {on - off:7.2f} ms per document ({on / off:.2f}x the reference)")


if __name__ == "__main__":
    main()
