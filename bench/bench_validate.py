"""How fast `tei-edition validate` is: the encoded sample, then a folder of copies.

Prints the time to compile the schemas, the median time to validate the
encoded sample (schemas already loaded: parsed tree alone, and file read +
parse + validate), and documents per second on a folder of copies.

With ``--commands``, the CPU seconds of ``validate --tei-all`` as a command, in one run
beside its references: a bare interpreter, the whole tei_all compiled as before the cut
schemas (:mod:`tei.validation.prepared`), and Debian's jing on the same files. Of one
file with a cold cache of cut schemas and a warm one, then of a folder of ``--copies``
copies of the sample, each with its own xml:id. jing is for this comparison only
(``apt-get install -y jing``); without it its column is skipped.

    PYTHONPATH=. .venv/bin/python bench/bench_validate.py [--runs 300] [--copies 1000] [--tei-all]
    PYTHONPATH=. .venv/bin/python bench/bench_validate.py --commands [--copies 1000]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from tei.encode import encode
from tei.readers import ReadOptions
from tei.readers.read import read_path
from tei.validation import Validator, bundled_tei_all, profile_schema, validate_paths
from tei.xmlio import parse_bytes, to_bytes

T = TypeVar("T")

SAMPLE = Path(__file__).parent.parent / "tests" / "data" / "kremlin-ru" / "64534.txt"


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``action`` over ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def timed(action: Callable[[], T]) -> tuple[T, float]:
    """``action()`` and how long it took, in seconds."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def child_cpu(command: Sequence[str], env: dict[str, str] | None = None,
              refused: bool = False) -> float:
    """CPU seconds (user + system) that running ``command`` to its end costs; it must
    succeed, or with ``refused`` fail with status 1 (an invalid file)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != (1 if refused else 0):
        raise SystemExit(f"{' '.join(command[:4])}... failed: {done.stdout[-500:]!r}"
                         f"{done.stderr[-500:]!r}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


WHOLE = ("import sys; from tei.validation import load_tei_all; from tei.xmlio import parse_file; "
         "assert load_tei_all().validate(parse_file(sys.argv[1]))")
"""What ``validate --tei-all`` did of tei_all before the cut schemas: compile it whole."""


def commands(data: bytes, copies: int) -> None:
    """Print the CPU seconds of ``validate --tei-all`` of one file and of a folder, with
    ratios against a bare interpreter, the whole schema and jing, all measured now."""
    jing = shutil.which("jing")
    schema = str(bundled_tei_all())
    with tempfile.TemporaryDirectory(prefix="teiall-bench-") as work:
        folder, one = Path(work) / "folder", Path(work) / "kremlin-64534.xml"
        folder.mkdir()
        one.write_bytes(data)
        write_copies(data, folder, copies)
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent),
                   XDG_CACHE_HOME=str(Path(work) / "cache"))
        validate = [sys.executable, "-m", "tei", "validate", "--tei-all"]
        bare = child_cpu([sys.executable, "-c", "pass"])
        whole = child_cpu([sys.executable, "-c", WHOLE, str(one)], env)
        cold = child_cpu([*validate, str(one)], env)
        warm = child_cpu([*validate, str(one)], env)
        jing_one = child_cpu([jing, schema, str(one)]) if jing else None
        bad = Path(work) / "invalid.xml"
        bad.write_bytes(data.replace(b"</p>", b"<p>inside</p></p>", 1))
        invalid = child_cpu([*validate, str(bad)], env, refused=True)
        jing_bad = child_cpu([jing, schema, str(bad)], refused=True) if jing else None
        shutil.rmtree(Path(work) / "cache")
        ours_folder = child_cpu([*validate, str(folder)], env)
        files = sorted(str(p) for p in folder.iterdir())
        jing_folder = child_cpu([jing, schema, *files]) if jing else None
    print("validate --tei-all as a command, CPU seconds (user + system), one run:")
    print(f"  bare interpreter (python -c pass): {bare:.2f} s")
    print(f"  tei_all compiled whole + 1 file (as before): {whole:.2f} s")
    row("one file, cold cache", cold, whole, jing_one)
    row("one file, warm cache", warm, whole, jing_one)
    row("one file tei_all refuses (whole schema, for its messages)", invalid, whole, jing_bad)
    row(f"folder of {copies} files (cold cache)", ours_folder, None, jing_folder)
    if jing is None:
        print("  jing: not installed, its column skipped (apt-get install -y jing)")


def row(label: str, ours: float, whole: float | None, jing: float | None) -> None:
    """One figure of :func:`commands`, with its ratios."""
    parts = [f"  {label}: {ours:.2f} s"]
    if whole is not None:
        parts.append(f"{ours / whole:.2f}x the whole schema")
    if jing is not None:
        parts.append(f"jing {jing:.2f} s, ours {ours / jing:.2f}x jing")
    print(", ".join(parts))


def write_copies(data: bytes, folder: Path, copies: int) -> None:
    """``copies`` copies of the TEI ``data`` in ``folder``, each with its own root xml:id."""
    found = re.search(rb'<TEI[^>]*\sxml:id="([^"]+)"', data)
    assert found, "the sample has an xml:id"
    start, end = found.span(1)
    for number in range(copies):
        (folder / f"copy-{number:05}.xml").write_bytes(
            data[:start] + found[1] + f"-{number:05}".encode() + data[end:])


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300, help="runs for the medians")
    parser.add_argument("--copies", type=int, default=1000, help="documents in the folder")
    parser.add_argument("--tei-all", action="store_true", help="also validate against tei_all")
    parser.add_argument("--commands", action="store_true",
                        help="CPU seconds of validate --tei-all as a command, beside jing")
    args = parser.parse_args()

    data = to_bytes(encode(read_path(SAMPLE, ReadOptions())))
    if args.commands:
        commands(data, args.copies)
        return
    _, compile_profile = timed(profile_schema)
    validator, compile_all = timed(lambda: Validator(tei_all=args.tei_all or None))
    against = "profile + tei_all" if args.tei_all else "profile"
    print(f"schemas: profile compiled in {compile_profile * 1000:.1f} ms"
          + (f", tei_all in {compile_all:.1f} s" if args.tei_all else ""))

    tree = parse_bytes(data, "kremlin-64534.xml")
    paragraphs = sum(1 for _ in tree.iter("{http://www.tei-c.org/ns/1.0}p"))
    assert validator.validate_tree(tree, "kremlin-64534.xml") == [], "the sample must be valid"
    print(f"sample: kremlin-64534.xml, {len(data):,} bytes, {paragraphs} <p> elements ({against})")
    tree_ms = median_ms(lambda: validator.validate_tree(tree, "kremlin-64534.xml"), args.runs)
    print(f"  validate_tree: median {tree_ms:.2f} ms over {args.runs} runs (parsed tree)")

    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "kremlin-64534.xml"
        sample.write_bytes(data)
        file_ms = median_ms(lambda: validator.validate_file(sample), args.runs)
        print(f"  validate_file: median {file_ms:.2f} ms over {args.runs} runs "
              "(read + parse + validate)")
        sample.unlink()
        for number in range(args.copies):
            (Path(folder) / f"copy-{number:05}.xml").write_bytes(data)
        report, seconds = timed(lambda: validate_paths([folder], tei_all=args.tei_all or None))
        assert report.exit_code == 0, report.summary()
        print(f"folder: {args.copies} copies in {seconds:.2f} s, "
              f"{args.copies / seconds:.0f} documents/second")


if __name__ == "__main__":
    main()
