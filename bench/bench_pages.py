"""Time each corpus-wide output of a build as a one-file rebuild writes it, and as a first build.

Takes a build made by ``bench_build.py --workdir`` (or any build whose last run rebuilt one
document: what was said is in the index for that one only) and writes every output but the
search index again, in a process of its own per round, into new scratch folders beside the
build (removed at the end):

- *rebuild*: ``changes`` naming the document that build rebuilt last, against the build
  itself (what a one-file rebuild writes: most files linked or copied from it);
- *cold*, with ``--cold``: everything afresh (``changes`` None), from an index that holds what
  was said of every document (give a build made from scratch).

With ``--against CHECKOUT`` (another checkout of tei-edition, say main) the same is timed with
that code too, in alternate rounds, and each figure is printed with its ratio to the other's:
the machine's speed, shared and varying, cancels out of ratios measured in one run. CPU
seconds of the writing process (user and system), the lowest of the rounds.

    python bench/bench_pages.py /tmp/bench-2000/large/out
    python bench/bench_pages.py /tmp/bench-2000/large/out --against /work/main --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, shutil, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tei.corpus.changes import Changes
from tei.corpus.index import speech_path
from tei.corpus.layout import INDEX, MANIFEST, corpus_outputs
from tei.corpus.pages import PageSettings, write_output

build, scratch, document = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
(scratch / ".tei-edition").mkdir(parents=True)
for name in (INDEX, speech_path(Path(INDEX)).as_posix()):
    shutil.copyfile(build / name, scratch / name)
changes = None
if document:
    pages = json.loads((build / MANIFEST).read_bytes())["pages"]
    changes = Changes(build, build / INDEX, frozenset([document]), frozenset(), pages)
settings = PageSettings(search=False, changes=changes)
times = {}
for output in corpus_outputs(search=False):
    before = os.times()
    write_output(scratch, scratch / INDEX, settings, output)
    after = os.times()
    times[output.paths[0]] = after.user - before.user + after.system - before.system
print(json.dumps(times))
"""


def last_rebuilt(build: Path) -> str:
    """The document the build's last run built (what was said is in its index for it only)."""
    import sqlite3

    speech = build / ".tei-edition" / "corpus-speech.sqlite"
    db = sqlite3.connect(f"{speech.as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT DISTINCT doc FROM turns").fetchall()
    finally:
        db.close()
    if len(rows) != 1:
        raise SystemExit(f"{build}: its last run built {len(rows)} documents, not one: rebuild "
                         "it after changing one source (bench_build.py does)")
    return str(rows[0][0])


def run(code: Path, build: Path, scratch: Path, document: str) -> dict[str, float]:
    """CPU seconds of each output, written by ``code`` into the new folder ``scratch``."""
    result = subprocess.run([sys.executable, "-c", CHILD, str(code), str(build), str(scratch),
                             document], capture_output=True, text=True, check=False,
                            env={**os.environ, "PYTHONPATH": str(code)})
    if result.returncode != 0:
        raise SystemExit(f"{code}: {result.stderr}")
    times: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return times


def report(kind: str, best: dict[Path, dict[str, float]], codes: list[Path]) -> None:
    """Print each output's lowest CPU time, by code, with the ratio to the second code."""
    first = best[codes[0]]
    print(f"{kind}: CPU seconds, lowest of the rounds"
          + (f" (ratio: {codes[0]} / {codes[1]})" if len(codes) > 1 else ""))
    for path in [*first, "all"]:
        values = [sum(best[c].values()) if path == "all" else best[c][path] for c in codes]
        ratio = f"  {values[0] / values[1]:5.2f}x" if len(codes) > 1 and values[1] else ""
        print(f"  {path:30} " + "  ".join(f"{v:7.3f}" for v in values) + ratio)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="a build's folder (its OUT)")
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout of tei-edition, timed in alternate rounds")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cold", action="store_true",
                        help="time a first build's outputs instead (a build made from scratch)")
    args = parser.parse_args()
    build = args.build.resolve()
    document = "" if args.cold else last_rebuilt(build)
    codes = [ROOT, *([args.against.resolve()] if args.against else [])]
    work = Path(tempfile.mkdtemp(prefix="bench-pages-", dir=build.parent.parent))
    best: dict[Path, dict[str, float]] = {code: {} for code in codes}
    try:
        for round_ in range(args.rounds):
            for number, code in enumerate(codes):
                times = run(code, build, work / f"{round_}-{number}", document)
                for path, seconds in times.items():
                    best[code][path] = min(seconds, best[code].get(path, seconds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    label = "first build" if args.cold else f"one-file rebuild ({document} changed)"
    report(label, best, codes)


if __name__ == "__main__":
    main()
