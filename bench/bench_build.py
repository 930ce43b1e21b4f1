"""Benchmark ``tei-edition build`` on a corpus of N sample-sized transcripts.

Builds the corpus from scratch, rebuilds it unchanged, then rebuilds it after
one transcript changed (a paragraph added), each time as a real command
(``python -m tei build SRC -o OUT``) so that start-up is counted (with the code's bytecode
kept beside the corpus, as an installed package has it, whatever ``PYTHONDONTWRITEBYTECODE``
says: the first build writes it). Prints
documents and megabytes per second of the cold build, each rebuild's time,
and peak memory: the largest resident set of any one process of the build
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``) and the largest sum over the build
and its workers at any moment (sampled from ``/proc`` every 100 ms; psutil is
not needed).

    python bench/bench_build.py 200
    python bench/bench_build.py 2000 --sample 64534
    python bench/bench_build.py 2000 --workdir /tmp/bench-2000
    python bench/bench_build.py 300 --compare --no-search   # rebuilds at 300 and at 30
    python bench/bench_build.py 2000 --compare --no-search --by-year   # build --by-year
    python bench/bench_build.py 2000 --compare --again 4   # 4 more one-file rebuilds each

With ``--compare``, each step is taken for the small corpus, then at once for the
large one, before the next step: the ratio of a pair is of two rebuilds seconds apart,
which a shared machine's minute-to-minute load moves far less than the ratio of two
phases minutes apart; ``--again`` prints the median of the pairs' ratios.

The corpus and builds go into a new folder, removed after the last timing (kept
with ``--workdir``). Nothing is deleted before a timed build: on ext4, files made
within minutes of many deletions cost far more (the allocator skips recently
deleted inodes, ``recently_deleted`` in ``perf``), which measured the last
run's clean-up rather than the build.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import make_corpus  # noqa: E402


@dataclass(slots=True)
class Run:
    """One build command: how long it took, what it said, how much memory it used."""

    seconds: float
    output: str
    peak_sum_kb: int


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _rss_kb(pid: int) -> int:
    """Resident set size of one process, in kB (0 if it is gone)."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", "rb") as handle:
        for line in handle:
            if line.startswith(b"VmRSS:"):
                return int(line.split()[1])
    return 0


SAMPLE_SECONDS = 0.1
"""How often the build's memory is sampled: each sample walks /proc, and at 20 ms the
sampler took a fifth of a core from the build it measures (worker memory is flat, so a
tenth of a second misses no peak that matters)."""


def build_flags(args: argparse.Namespace) -> list[str]:
    """The options of ``build`` (besides ``--jobs``) the benchmark's own options ask for."""
    return [*([] if args.search else ["--no-search"]), *(["--by-year"] if args.by_year else [])]


def run_build(src: Path, out: Path, jobs: int | None, flags: list[str] | None = None) -> Run:
    """Run one ``build`` command (with ``flags``) to the end, sampling the memory of its
    process tree."""
    command = [sys.executable, "-m", "tei", "build", str(src), "-o", str(out), *(flags or [])]
    if jobs:
        command += ["--jobs", str(jobs)]
    # Bytecode kept beside the corpus, as an installed package has it (the first build writes
    # it); a user cache of the corpus's own (its first build starts cold).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(out.parent / "pycache"),
               XDG_CACHE_HOME=str(out.parent / "user-cache"))
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    ended: list[float] = []

    def wait() -> None:  # the exit is timed as it happens, not at the next sample (0.1 s late)
        process.wait()
        ended.append(time.perf_counter())

    waiter = threading.Thread(target=wait)
    waiter.start()
    peak = 0
    while waiter.is_alive():
        peak = max(peak, sum(_rss_kb(pid) for pid in _descendants(process.pid)))
        waiter.join(SAMPLE_SECONDS)
    seconds = ended[0] - started
    output = process.stdout.read().decode() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}):\n{output}")
    return Run(seconds, output.strip().splitlines()[-1], peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of transcripts")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="a new folder for the corpus and the builds, kept afterwards "
                             "(default: a temporary folder, removed at the end)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--no-search", dest="search", action="store_false",
                        help="build without the full-text search index (build --no-search)")
    parser.add_argument("--by-year", dest="by_year", action="store_true",
                        help="build with turns.tsv and the speakers' downloads by year "
                             "(build --by-year)")
    parser.add_argument("--compare", action="store_true",
                        help="also build a corpus of N/10 transcripts and print its rebuilds "
                             "beside those at N, with their ratio (a rebuild should not grow "
                             "with the corpus)")
    parser.add_argument("--again", type=int, default=0, metavar="K",
                        help="then K more one-file rebuilds, another transcript each, and "
                             "their median (the first after a cold build also makes the "
                             "search's first delta of its year)")
    parser.add_argument("--sample", default="all",
                        help="all (default: the three samples cycled, 66/165/98 KB) or one, "
                             "e.g. 64534 (every transcript the size of the CSTO sample)")
    args = parser.parse_args()
    if args.workdir is not None and args.workdir.exists():
        parser.error(f"--workdir {args.workdir} exists: name a new folder")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix=f"tei-bench-{args.n}-"))
    try:
        measure(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def reference_loop() -> float:
    """Seconds for 20 million additions in pure Python: how fast this machine is right
    now. A shared virtual machine varies by tens of percent from hour to hour; printed
    beside the figures, it tells a slower build from a slower machine."""
    started = time.perf_counter()
    total = 0
    for number in range(20_000_000):
        total += number
    return time.perf_counter() - started


@dataclass(slots=True)
class Rebuilds:
    """The three builds of one corpus."""

    n: int
    megabytes: float
    cold: Run
    unchanged: Run
    one: Run
    disk: int
    """Bytes on disk of the published build after the cold build (hard links counted once)."""
    rewritten: dict[str, int]
    """What the one-file rebuild wrote afresh (not linked from the build before): bytes by
    top folder of the build."""
    again: list[float]
    """The seconds of each further one-file rebuild (``--again``), another transcript each."""

    def again_median(self) -> float:
        """The median of :attr:`again` (the one-file rebuild's when there is none)."""
        return statistics.median(self.again) if self.again else self.one.seconds


@dataclass(slots=True)
class Corpus:
    """One corpus under test: its transcripts and where it is built."""

    n: int
    src: Path
    out: Path
    paths: list[Path]

    @classmethod
    def make(cls, n: int, workdir: Path, sample: str) -> Corpus:
        """A corpus of ``n`` transcripts in ``workdir``, on disk before anything is timed."""
        paths = make_corpus(n, workdir / "src", sample)
        os.sync()  # the corpus just made reaches the disk untimed
        return cls(n, workdir / "src", workdir / "out", paths)

    def build(self, args: argparse.Namespace) -> Run:
        """One ``build`` of the corpus, as the benchmark's options ask."""
        return run_build(self.src, self.out, args.jobs, build_flags(args))

    def change(self, number: int) -> None:
        """Change the ``number``-th transcript from the middle (0: the middle one): the next
        ones, mostly of the same year."""
        add_turn(self.paths[(len(self.paths) // 2 + number) % len(self.paths)])


def rebuilds(corpora: list[Corpus], args: argparse.Namespace) -> list[Rebuilds]:
    """Build each corpus from scratch, rebuild it unchanged, after one transcript changed (a
    paragraph added), then ``--again`` times more, another transcript each: every step for
    each corpus in turn before the next step, so that the ratios of the corpora's rebuilds
    are of rebuilds seconds apart, whatever the shared machine does from minute to minute."""
    colds = [corpus.build(args) for corpus in corpora]
    disks = [disk_use(corpus.out) for corpus in corpora]
    unchanged = [corpus.build(args) for corpus in corpora]
    ones, rewritten = [], []
    for corpus in corpora:
        corpus.change(0)
        before = inodes(corpus.out)
        ones.append(corpus.build(args))
        rewritten.append(fresh_bytes(corpus.out, before))
    again: list[list[float]] = [[] for _ in corpora]
    for number in range(1, args.again + 1):
        for corpus, seconds in zip(corpora, again):
            corpus.change(number)
            seconds.append(corpus.build(args).seconds)
    return [Rebuilds(corpus.n, sum(p.stat().st_size for p in corpus.paths) / 1e6, *runs)
            for corpus, *runs in zip(corpora, colds, unchanged, ones, disks, rewritten, again)]


def add_turn(transcript: Path) -> None:
    """Change one transcript: a turn added before its last paragraph."""
    text = transcript.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    transcript.write_text(f"{text[0]}\nВ.Путин: Спасибо.\n\n{text[1]}\n", encoding="utf-8")


def disk_use(out: Path) -> int:
    """Bytes of disk the build that ``out`` links to takes (blocks allocated; a file
    hard-linked in several places counted once)."""
    seen: set[int] = set()
    total = 0
    pending = [out.resolve()]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                if info.st_ino not in seen:
                    seen.add(info.st_ino)
                    total += info.st_blocks * 512
    return total


def _files(out: Path) -> list[tuple[str, os.stat_result]]:
    """Every file of the build ``out`` links to: path relative to it, and its stat."""
    root = out.resolve()
    found, pending = [], [root]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    found.append((os.path.relpath(entry.path, root),
                                  entry.stat(follow_symlinks=False)))
    return found


def inodes(out: Path) -> set[int]:
    """The inodes of the files of the build ``out`` links to."""
    return {info.st_ino for _, info in _files(out)}


def fresh_bytes(out: Path, before: set[int]) -> dict[str, int]:
    """Bytes of the files of the build ``out`` links to that are none of the inodes
    ``before`` (written by the last build, not linked from the one before), by top folder:
    what a rebuild had to write, however fast it wrote it."""
    sizes: dict[str, int] = {}
    for relative, info in _files(out):
        if info.st_ino not in before:
            top = relative.split(os.sep)[0] if os.sep in relative else "(top)"
            sizes[top] = sizes.get(top, 0) + info.st_size
    return sizes


def report(result: Rebuilds) -> None:
    """Print the builds of one corpus."""
    print(f"N = {result.n} ({result.megabytes:.1f} MB)")
    print(f"  cold build:        {result.cold.seconds:7.2f} s  "
          f"{result.n / result.cold.seconds:7.1f} docs/s  "
          f"{result.megabytes / result.cold.seconds:6.2f} MB/s   [{result.cold.output}]")
    print(f"  unchanged rebuild: {result.unchanged.seconds:7.2f} s   [{result.unchanged.output}]")
    print(f"  one file changed:  {result.one.seconds:7.2f} s   [{result.one.output}]")
    if result.again:
        print(f"  {len(result.again)} more, each another file: median {result.again_median():.2f} s "
              f"({min(result.again):.2f}-{max(result.again):.2f} s)")
    shown = ", ".join(f"{top} {size / 1e6:.1f}" for top, size in
                      sorted(result.rewritten.items(), key=lambda item: -item[1])[:5])
    print(f"    written afresh:  {sum(result.rewritten.values()) / 1e6:7.1f} MB  (by folder, MB: "
          f"{shown})")
    print(f"  disk use:          {result.disk / 1e9:7.2f} GB, {result.disk / result.n / 1e6:.2f} MB "
          f"per document ({result.disk / 1e6 / result.megabytes:.1f}x the sources)", flush=True)


def measure(args: argparse.Namespace, workdir: Path) -> None:
    """Make the corpus in ``workdir``, then time the three builds and print the figures."""
    print(f"corpus: {args.n} transcripts ({args.sample}), {os.cpu_count()} cores, "
          f"{'with' if args.search else 'without'} search{', by year' if args.by_year else ''}; "
          f"machine speed now: "
          f"{reference_loop():.2f} s for the reference loop")
    sizes = {"small": max(1, args.n // 10)} if args.compare else {}
    corpora = [Corpus.make(n, workdir / name, args.sample)
               for name, n in {**sizes, "large": args.n}.items()]
    *smaller, large = rebuilds(corpora, args)
    small = smaller[0] if smaller else None
    for result in [*smaller, large]:
        report(result)
    reference = reference_loop()
    if small is not None:
        print(f"ratio N = {large.n} / N = {small.n}: one file changed "
              f"{large.one.seconds / small.one.seconds:.2f}x, unchanged "
              f"{large.unchanged.seconds / small.unchanged.seconds:.2f}x")
        if large.again and small.again:
            pairs = [big / little for big, little in zip(large.again, small.again)]
            print(f"  the {len(large.again)} more one-file rebuilds (medians): "
                  f"{large.again_median() / small.again_median():.2f}x; of each pair "
                  f"(N = {small.n}, then N = {large.n}, seconds apart): median "
                  f"{statistics.median(pairs):.2f}x ({min(pairs):.2f}-{max(pairs):.2f}x)")
    print(f"reference loop after the builds: {reference:.2f} s; one-file rebuild at N = "
          f"{large.n}: {large.one.seconds / reference:.2f}x the reference loop")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_sum = max(large.cold.peak_sum_kb, large.unchanged.peak_sum_kb, large.one.peak_sum_kb)
    print(f"peak RSS: largest process {largest / 1024:.0f} MB; "
          f"build and workers together {peak_sum / 1024:.0f} MB (cold build: "
          f"{large.cold.peak_sum_kb / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
