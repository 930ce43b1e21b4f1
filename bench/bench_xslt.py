"""Our ``render`` against the TEI Consortium's stylesheets under SaxonC, on the same files.

Renders the DraCor plays of ``tests/data/dracor`` (Pushkin: verse ``<l>`` in ``<sp>``;
Chekhov: prose and stage directions) and the TEI we build from the kremlin transcript
``tests/data/kremlin-ru/64534.txt``, to HTML and to text, in two ways:

- ours: the library's work for one file and one format, in this process (read the
  file, parse it, build the view, fill the template: what ``render`` does per file but
  the write), repeated after a warm-up; the median;
- theirs: ``profiles/default/html/to.xsl`` and ``profiles/default/txt/to.xsl`` of the
  TEI Stylesheets, compiled once (printed, not counted) and applied to the file
  (its parsing included) by SaxonC-HE, repeated after a warm-up; the median.

Each figure is printed, elapsed and CPU time (the CPU time is steadier on a shared machine),
with its ratio ours / XSLT (below 1: ours is faster). Then the
whole command once per file: ``python -m tei render FILE`` (both formats) against a fresh
interpreter compiling both stylesheets and applying them once (CPU time of the child).

Needs ``pip install -e '.[bench]'`` (saxonche) and the stylesheets, which are not part of
this project::

    git clone --depth 1 https://github.com/TEIC/Stylesheets /tmp/tei-stylesheets
    python bench/bench_xslt.py --stylesheets /tmp/tei-stylesheets
    python bench/bench_xslt.py --stylesheets /tmp/tei-stylesheets --repeat 50
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tei import pipeline  # noqa: E402
from tei.outputs import HTML, TEXT, Artefacts, DocumentOutput  # noqa: E402
from tei.readers import ReadOptions  # noqa: E402
from tei.render import RenderOptions  # noqa: E402

PROFILES = {"html": "profiles/default/html/to.xsl", "text": "profiles/default/txt/to.xsl"}
OURS: dict[str, DocumentOutput] = {"html": HTML, "text": TEXT}
WARM_UP = 5
HOW_TO_GET = ("get the TEI Stylesheets first, e.g. "
              "git clone --depth 1 https://github.com/TEIC/Stylesheets /tmp/tei-stylesheets "
              "(or unpack a release zip from https://github.com/TEIC/Stylesheets/releases), "
              "then pass --stylesheets /tmp/tei-stylesheets")
XSLT_ONCE = """
import sys
from saxonche import PySaxonProcessor
with PySaxonProcessor(license=False) as proc:
    xslt = proc.new_xslt30_processor()
    for sheet in sys.argv[2:]:
        xslt.compile_stylesheet(stylesheet_file=sheet).transform_to_string(source_file=sys.argv[1])
"""
"""A fresh interpreter compiling each stylesheet and applying it once: the XSLT's command."""


def paired_ms(first: Callable[[], object], second: Callable[[], object],
              repeat: int) -> list[tuple[float, float]]:
    """The median times of ``first`` and ``second`` in milliseconds, elapsed and CPU (this
    process, all its threads), after a warm-up; run in turns so that both see the same load
    of a shared machine."""
    times: list[tuple[list[float], list[float]]] = [([], []), ([], [])]
    for run in range(WARM_UP + repeat):
        for work, (elapsed, cpu) in zip((first, second), times):
            wall, used = time.perf_counter(), time.process_time()
            work()
            if run >= WARM_UP:
                elapsed.append(time.perf_counter() - wall)
                cpu.append(time.process_time() - used)
    return [(statistics.median(elapsed) * 1000, statistics.median(cpu) * 1000)
            for elapsed, cpu in times]


def ours(path: Path, output: DocumentOutput) -> Callable[[], bytes]:
    """One file rendered to one format, in this process, as ``render`` does it (no write)."""
    def work() -> bytes:
        data = path.read_bytes()
        tree = pipeline.load_tei(data, str(path), checked=False)
        view = pipeline.view_of(tree, path.stem, str(path))
        return output.write(Artefacts(path.stem, data, tree, view, RenderOptions(), ours=False))
    return work


def child_cpu(command: list[str]) -> float:
    """CPU seconds (user and system) a command takes, run once as a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def inputs(folder: Path) -> list[Path]:
    """The files compared: the two DraCor plays and our TEI of a kremlin transcript."""
    encoded, _, _ = pipeline.encode_file(ROOT / "tests/data/kremlin-ru/64534.txt", folder,
                                         ReadOptions())
    return sorted((ROOT / "tests/data/dracor").glob("*.xml")) + [encoded]


def compile_all(stylesheets: Path) -> tuple[Any, dict[str, Any]]:
    """SaxonC and the two stylesheets compiled, printing how long compiling took."""
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    xslt = processor.new_xslt30_processor()
    compiled = {}
    for kind, sheet in PROFILES.items():
        started = time.perf_counter()
        compiled[kind] = xslt.compile_stylesheet(stylesheet_file=str(stylesheets / sheet))
        print(f"compiling {sheet}: {(time.perf_counter() - started) * 1000:.0f} ms "
              f"(once, not counted below)")
    return processor, compiled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stylesheets", type=Path, required=True,
                        help="folder of the TEI Stylesheets (a clone of TEIC/Stylesheets)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure (30)")
    args = parser.parse_args()
    missing = [s for s in PROFILES.values() if not (args.stylesheets / s).is_file()]
    if missing:
        sys.exit(f"{args.stylesheets}: no {', '.join(missing)}: {HOW_TO_GET}")
    try:
        import saxonche  # noqa: F401
    except ImportError:
        sys.exit("saxonche is missing: pip install -e '.[bench]'")
    processor, compiled = compile_all(args.stylesheets)
    with tempfile.TemporaryDirectory(prefix="bench-xslt-") as folder:
        files = inputs(Path(folder))
        print(f"\nper file, median of {args.repeat} after {WARM_UP} to warm up, ours and the "
              f"XSLT in turns (ratio ours / XSLT below 1: ours is faster)")
        print(f"{'':39s} {'elapsed ms':^23s}  {'CPU ms':^23s}")
        print(f"{'file':32s} {'format':6s}" + f" {'ours':>7s} {'XSLT':>7s} {'ratio':>7s} " * 2)
        for path in files:
            for kind in PROFILES:
                (mine, my_cpu), (theirs, their_cpu) = paired_ms(ours(path, OURS[kind]), partial(
                    compiled[kind].transform_to_string, source_file=str(path)), args.repeat)
                print(f"{path.name:32s} {kind:6s} {mine:7.2f} {theirs:7.2f} {mine / theirs:7.2f}  "
                      f"{my_cpu:7.2f} {their_cpu:7.2f} {my_cpu / their_cpu:7.2f}")
        print("\nthe whole command once per file, CPU time of the child process "
              "(both formats; XSLT: compiling included)")
        sheets = [str(args.stylesheets / s) for s in PROFILES.values()]
        for path in files:
            mine = child_cpu([sys.executable, "-m", "tei", "render", str(path),
                              "-o", str(Path(folder) / "out")])
            theirs = child_cpu([sys.executable, "-c", XSLT_ONCE, str(path), *sheets])
            print(f"{path.name:32s} ours {mine:5.2f} s  XSLT {theirs:5.2f} s  "
                  f"ratio {mine / theirs:.2f}")
    del processor


if __name__ == "__main__":
    main()
