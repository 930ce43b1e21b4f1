"""What one command costs at start: CPU time of `python -m tei ...` against a bare interpreter.

Each command runs as a child process ``--runs`` times, interleaved with a bare interpreter
(``python -c pass``, the same python) so that both see the same load on the machine; the
figure is the median CPU time (user + sys, from ``os.wait4``) and its ratio to the bare
interpreter's median measured in the same run. The commands: ``encode`` of the kremlin.ru
text export and of a saved en.kremlin.ru page, ``--help``, ``validate`` and ``render`` of the
encoded TEI; the text export again with no usable cache of the dictionary's answers (so
that pymorphy3 is loaded, as on a user's first run), and with a full one (the most words the
cache keeps, as after an edition's worth of transcripts: the transcript's own words and
dictionary words up to ``MOST_WORDS``); and, to compare the Russian transcript with,
pymorphy3's analyser made alone (its import and dictionary). The children keep their
compiled bytecode in the run's temporary folder (``PYTHONPYCACHEPREFIX``; the first,
unmeasured run of each writes it), as an installed package has it, whatever
``PYTHONDONTWRITEBYTECODE`` says, and their user cache there too (``XDG_CACHE_HOME``, filled
by that first run, as by a user's earlier commands). ``--importtime`` adds, per command,
the modules that took longest to import (``python -X importtime``, cumulative), to see
where the time goes.

    cd WORKTREE && /work/main/.venv/bin/python bench/bench_startup.py [--runs 15] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
TRANSCRIPT = DATA / "kremlin-ru" / "64534.txt"
PAGE = DATA / "kremlin-en" / "57137.html"
BARE = "bare interpreter"
MORPHOLOGY = "(pymorphy3 analyser)"
COLD = "encode (text, no cache)"
"""The text export encoded with an unwritable user cache: the dictionary's answers from
pymorphy3, every run."""
FULL = "encode (text, full cache)"
"""The text export encoded with a user cache holding the most words it keeps."""
FILL = """
from tei.readers.names import analyses
asked = set()
for word, *_ in analyses.morph().dictionary.iter_known_words():
    if word.isalpha() and word not in asked:
        asked.add(word)
        first = analyses.analyses(word)[0]
        for case in ("gent", "datv"):
            analyses.inflect(word, first, {case})
    if len(asked) >= analyses.MOST_WORDS:
        break
"""
"""Fills the cache of the dictionary's answers with words up to the most it keeps (saved when
the process ends)."""


def commands(work: Path) -> dict[str, list[str]]:
    """The command lines measured, by name; the first is the reference."""
    tei = [sys.executable, "-m", "tei"]
    encoded = work / "encoded" / "kremlin-64534.xml"
    return {
        BARE: [sys.executable, "-c", "pass"],
        "--help": [*tei, "--help"],
        "encode (text export)": [*tei, "encode", str(TRANSCRIPT), "-o", str(work / "encoded"),
                                 "--force"],
        COLD: [*tei, "encode", str(TRANSCRIPT), "-o", str(work / "cold"), "--force"],
        FULL: [*tei, "encode", str(TRANSCRIPT), "-o", str(work / "full"), "--force"],
        "encode (saved en page)": [*tei, "encode", str(PAGE), "-o", str(work / "page"),
                                   "--force"],
        "validate": [*tei, "validate", str(encoded)],
        "render": [*tei, "render", str(encoded), "-o", str(work / "rendered")],
        MORPHOLOGY: [sys.executable, "-c",
                     "from tei.readers.names.analyses import morph; morph()"],
    }


def child_env(work: Path, name: str) -> dict[str, str]:
    """The environment of the child ``name``: bytecode and user cache under ``work``, as when
    installed and used before (for :data:`COLD`, a user cache that cannot be written)."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["XDG_CACHE_HOME"] = str(work / {COLD: "not-a-folder", FULL: "full-cache"}.get(name,
                                                                                     "cache"))
    return env


def cpu_seconds(argv: list[str], env: dict[str, str]) -> float:
    """CPU time (user + sys) of one run of ``argv`` as a child process; it must succeed."""
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(argv)}")
    return usage.ru_utime + usage.ru_stime


def import_summary(argv: list[str], env: dict[str, str], top: int) -> list[str]:
    """The ``top`` imports of ``argv`` by cumulative time (``-X importtime``), as lines."""
    run = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    rows = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        if depth <= 1:
            rows.append((int(cumulative), name.strip()))
    rows.sort(reverse=True)
    return [f"      {us / 1000:6.1f} ms  {name}" for us, name in rows[:top]]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--importtime", action="store_true",
                        help="also print each command's slowest top-level imports")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="start-bench-") as folder:
        table = commands(Path(folder))
        (Path(folder) / "not-a-folder").write_text("a file, where the cache would be\n")
        envs = {name: child_env(Path(folder), name) for name in table}
        for name, argv in table.items():  # bytecode, the caches and the encoded TEI
            cpu_seconds(argv, envs[name])
        cpu_seconds([sys.executable, "-c", FILL], envs[FULL])
        full = sum(path.stat().st_size for path in (Path(folder) / "full-cache").rglob("morph*"))
        times: dict[str, list[float]] = {name: [] for name in table}
        for _ in range(args.runs):
            for name, argv in table.items():
                times[name].append(cpu_seconds(argv, envs[name]))
        medians = {name: statistics.median(values) for name, values in times.items()}
        bare = medians[BARE]
        print(f"CPU time (user+sys), median of {args.runs} runs each, interleaved; "
              f"{sys.executable}")
        for name, seconds in medians.items():
            print(f"  {name:24} {seconds * 1000:7.1f} ms  {seconds / bare:5.1f}x bare")
            if args.importtime and name != BARE:
                print("\n".join(import_summary(table[name], envs[name], 6)))
        print(f"  (full cache: {full / 1e6:.1f} MB of the dictionary's answers)")


if __name__ == "__main__":
    main()
