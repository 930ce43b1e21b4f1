"""Each stage of ``bench_stages.py`` for two checkouts of this tool, run in turn, as ratios.

A shared machine makes absolute times noise; runs alternated in one session share it. This
runs ``bench/bench_stages.py`` (same arguments) in the checkout given as ``BEFORE`` and in
this one, one after the other, ``--pairs`` times, and prints for each stage the median of
the medians of each side and the ratio before / after, the stages named by ``--sum``
added up (by default ``view`` and ``write``, the stages of the renderers)::

    git worktree add /tmp/view-base main --detach
    python bench/bench_compare.py /tmp/view-base --pairs 6 -- --n 30 --sample all --clock cpu
    python bench/bench_compare.py /tmp/view-base -- --n 30 --sample carlson-interview-ru --clock cpu

Each side runs with its own checkout as the working folder (``import tei`` loads its code)
and this interpreter.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
STAGE = re.compile(r"^\s+(\w[\w ]*?)\s+([\d.]+) ms", re.MULTILINE)
FLOOR = "lxml floor"


def stages(checkout: Path, arguments: list[str]) -> dict[str, float]:
    """The milliseconds per document that ``bench_stages.py`` prints, by stage, in ``checkout``."""
    done = subprocess.run([sys.executable, "bench/bench_stages.py", *arguments], cwd=checkout,
                          check=True, capture_output=True, text=True)
    return {name: float(value) for name, value in STAGE.findall(done.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the checkout to compare with (main, say)")
    parser.add_argument("--pairs", type=int, default=5, help="runs of each side (default 5)")
    parser.add_argument("--sum", default="view,write",
                        help="stages added up in the last line (default view,write)")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    args.arguments = argv[split + 1:]  # bench_stages.py's own
    sides: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(args.pairs):
        sides["before"].append(stages(args.before.resolve(), args.arguments))
        sides["after"].append(stages(HERE, args.arguments))
    summed = [name.strip() for name in args.sum.split(",") if name.strip()]
    for runs in sides.values():
        for run in runs:
            run[" + ".join(summed)] = sum(run[name] for name in summed)
    print(f"{args.pairs} pairs of bench_stages.py {' '.join(args.arguments)}, alternated "
          f"(before: {args.before}; after: {HERE}); median ms per document, before / after "
          "of the medians, the median of each pair's before / after (two runs side by side "
          "share the machine's load best), and that of each pair's before / after of the "
          "stage's share of the lxml floor measured in its own run:")
    pairs = list(zip(sides["before"], sides["after"]))
    for name in sides["before"][0]:
        before = statistics.median(run[name] for run in sides["before"])
        after = statistics.median(run[name] for run in sides["after"])
        paired = statistics.median(b[name] / a[name] for b, a in pairs)
        floored = statistics.median((b[name] / b[FLOOR]) / (a[name] / a[FLOOR]) for b, a in pairs)
        print(f"  {name:16s} {before:7.2f} -> {after:7.2f}   {before / after:5.2f}x   "
              f"pairs {paired:5.2f}x   of the floor {floored:5.2f}x")


if __name__ == "__main__":
    main()
