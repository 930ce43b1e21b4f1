"""How fast `tei-edition validate` is: the encoded sample, then a folder of copies.

Prints the time to compile the schemas, the median time to validate the
encoded sample (schemas already loaded: parsed tree alone, and file read +
parse + validate), and documents per second on a folder of copies.

    PYTHONPATH=. .venv/bin/python bench/bench_validate.py [--runs 300] [--copies 1000] [--tei-all]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tei.encode import encode
from tei.readers import ReadOptions
from tei.readers.read import read_path
from tei.validation import Validator, profile_schema, validate_paths
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


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300, help="runs for the medians")
    parser.add_argument("--copies", type=int, default=1000, help="documents in the folder")
    parser.add_argument("--tei-all", action="store_true", help="also validate against tei_all")
    args = parser.parse_args()

    data = to_bytes(encode(read_path(SAMPLE, ReadOptions())))
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
