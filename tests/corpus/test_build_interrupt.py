"""Killing ``tei-edition build`` halfway leaves a complete build, and the next build succeeds.

A real ``python -m tei build`` runs in a subprocess on a corpus large enough to
take a few seconds; once half of its documents are built it gets SIGINT (what
Ctrl-C sends to the whole process group) or SIGKILL (to the build process
alone, as the kernel's OOM killer would: its workers must not outlive it).
Then a build of 200 documents is killed again and again at seeded random moments,
while documents are built, while the corpus pages are written and while it is
published: each time the edition is the old or the new one, complete, and the next
build succeeds.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_support import ROOT, assert_complete, bench_module, store_is_tidy

from tei.corpus import BuildOptions, build
from tei.corpus.layout import CORPUS_OUTPUTS, MANIFEST, META_DIR, PARTS
from tei.corpus.hashes import hash_file
from tei.corpus.manifest import load_manifest

BEFORE, AFTER = 3, 27
"""Transcripts in the first complete build, and in the one that is interrupted."""


def children(pid: int) -> list[int]:
    """The process IDs of ``pid``'s children (its workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_half_built(out: Path, target: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until the staged build holds half of the new documents."""
    store = out.parent / f".{out.name}.builds"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        staged = [p for p in store.iterdir() if p.is_dir() and p.name != Path(target).name]
        parts = [p for s in staged for p in (s / META_DIR / "parts").glob("*/*.summary.json")]
        if len(parts) >= (AFTER - BEFORE) // 2:
            return
        time.sleep(0.01)
    pytest.fail("the build ended, or never got halfway, before it could be interrupted")


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_an_interrupted_build_leaves_the_previous_complete_build(tmp_path: Path,
                                                                 signal_number: int) -> None:
    make_corpus = bench_module().make_corpus
    src, out = tmp_path / "src", tmp_path / "out"
    make_corpus(BEFORE, src)
    assert build([src], out).ok
    previous = assert_complete(out)
    make_corpus(AFTER, src)

    # A suite started in the background by a shell without job control (``cmd &``) has SIGINT
    # ignored, which the build would inherit; a handler is not inherited (the build gets the
    # default), so one is set while the build starts.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tei", "build", str(src), "-o", str(out), "--jobs", "2"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    finally:
        signal.signal(signal.SIGINT, before)
    wait_until_half_built(out, previous, process)
    workers = children(process.pid)
    assert workers
    if signal_number == signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)

    if signal_number == signal.SIGINT:
        assert process.returncode == 130
        assert b"still holds the previous complete build" in stderr
    else:
        assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "a worker outlived the build"
    assert assert_complete(out) == previous
    assert len(load_manifest(out).documents) == BEFORE

    report = build([src], out)
    assert report.ok and (report.built, report.unchanged) == (AFTER - BEFORE, BEFORE)
    assert assert_complete(out) != previous
    assert store_is_tidy(out, os.readlink(out))


# -- SIGKILL at random moments of a build of a few hundred documents (issue 12) ---------------

DOCUMENTS, CHANGED, KILLS, SEED = 200, 12, 8, 12
"""The corpus, the transcripts edited before each killed build, the kills, the seed of the
moments."""

PHASES = ("start", "documents", "pages", "publish")
"""When a build is killed: a random time (up to half a second) after it starts; once a
random number of the changed documents are built; once a random one of the corpus pages is
being written; once its manifest is written (the switch of ``out`` and the removal of the
old build follow: the kill may come after the process has ended, so it is not counted)."""


def kill_moments(rng: random.Random) -> list[tuple[str, float]]:
    """``KILLS`` moments (a phase, and a fraction that says where in it), every phase at
    least once, in a seeded random order."""
    phases = [*PHASES, *(rng.choice(PHASES) for _ in range(KILLS - len(PHASES)))]
    rng.shuffle(phases)
    return [(phase, rng.random()) for phase in phases]


def edit(path: Path, cycle: int) -> None:
    """Give a transcript a new title (so its document, and the edition, change)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^Сессия (\d+ )?Совета", f"Сессия {cycle} Совета", text, count=1,
                           flags=re.MULTILINE), encoding="utf-8")


def source_hashes(src: Path) -> dict[str, str]:
    """What a manifest records of each source: absolute path -> SHA-256."""
    return {str(path.absolute()): hash_file(path) for path in sorted(src.glob("*.txt"))}


def reached(phase: str, fraction: float, staged: Path) -> bool:
    """True once the build in ``staged`` has come to the moment ``(phase, fraction)``."""
    if phase == "documents":
        parts = list((staged / PARTS).glob("*/*.summary.json"))
        return len(parts) >= 1 + int(fraction * CHANGED / 2)  # parts go once all are built
    if phase == "pages":
        return (staged / PAGE_ORDER[int(fraction * len(PAGE_ORDER))]).exists()
    return (staged / MANIFEST).exists()


PAGE_ORDER = [path for output in CORPUS_OUTPUTS for path in output.paths]
"""The corpus pages in the order a build of fewer than 500 documents writes them."""


def kill_at(phase: str, fraction: float, out: Path, current: str,
            process: subprocess.Popen[bytes]) -> list[int]:
    """SIGKILL the build at the moment ``(phase, fraction)``; its workers, as they were then."""
    store = out.parent / f".{out.name}.builds"
    deadline = time.monotonic() + (fraction * 0.5 if phase == "start" else 120)
    while process.poll() is None and time.monotonic() < deadline:
        staged = [p for p in store.iterdir() if p.is_dir() and p.name != current]
        if phase != "start" and staged and reached(phase, fraction, staged[0]):
            break
        time.sleep(0.001)
    workers = children(process.pid)
    process.kill()
    process.wait(timeout=60)
    return workers


def test_sigkill_at_random_moments_leaves_the_old_or_the_new_edition_complete(
        tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    paths = bench_module().make_corpus(DOCUMENTS, src, "64534")
    assert build([src], out, BuildOptions(jobs=2)).ok
    rng = random.Random(SEED)
    killed: list[str] = []
    for cycle, (phase, fraction) in enumerate(kill_moments(rng)):
        old, current = source_hashes(src), Path(assert_complete(out)).name
        for path in rng.sample(paths, CHANGED):
            edit(path, cycle)
        new = source_hashes(src)
        process = subprocess.Popen(
            [sys.executable, "-m", "tei", "build", str(src), "-o", str(out), "--jobs", "2"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers = kill_at(phase, fraction, out, current, process)
        if process.returncode == -signal.SIGKILL:
            killed.append(phase)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not any(alive(pid) for pid in workers), "a worker outlived the build"

        assert_complete(out)
        edition = {key: entry.hash for key, entry in load_manifest(out).documents.items()}
        assert edition in (old, new), f"killed at {phase} {fraction:.2f}: neither old nor new"
        report = build([src], out, BuildOptions(jobs=2))
        assert report.ok and report.built == (0 if edition == new else CHANGED)
        assert {key: entry.hash for key, entry in load_manifest(out).documents.items()} == new
        assert store_is_tidy(out, assert_complete(out))
        assert not list(tmp_path.glob(".out.link-*"))
    assert {"start", "documents", "pages"} <= set(killed), killed


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's signal is Linux's")
@pytest.mark.parametrize("setpriv", [True, False], ids=["PATH as it is", "PATH without setpriv"])
def test_a_killed_builds_pagefind_ends_with_it(tmp_path: Path, setpriv: bool) -> None:
    """A build killed while Pagefind indexes (SIGKILL, to the build alone) leaves no Pagefind
    behind: one whose build was killed went on, and once the next build removed its folder,
    waited for ever. Here Pagefind is made a process that would sleep ten minutes (by a
    ``sitecustomize`` that only the build acts on), started as the build starts Pagefind;
    through util-linux's ``setpriv`` where the ``PATH`` has it, and through an interpreter
    where it has none (only ``sh`` and ``sleep``): the build says which it used."""
    pid_file, guard, fake = tmp_path / "pagefind.pid", tmp_path / "guard", tmp_path / "fake"
    bare = tmp_path / "bin"
    fake.mkdir()
    bare.mkdir()
    for program in ("sh", "sleep"):
        (bare / program).symlink_to(shutil.which(program) or f"/bin/{program}")
    (fake / "sitecustomize.py").write_text(
        "import sys\n"
        "if sys.orig_argv[1:3] == ['-m', 'tei']:\n"
        "    import tei.corpus.search as search\n"
        "    def index(self, site, out, lang):\n"
        f"        open({str(guard)!r}, 'w').write(search.ended_with_build(['x'])[0][0])\n"
        f"        search._run(['/bin/sh', '-c', 'echo $$ > {pid_file}; exec sleep 600'],\n"
        "                    long=True)\n"
        "    search.Pagefind.index = index\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake), str(ROOT)])}
    if not setpriv:
        env["PATH"] = str(bare)
    through_setpriv = setpriv and shutil.which("setpriv", path=env.get("PATH")) is not None
    process = subprocess.Popen([sys.executable, "-m", "tei", "build", str(ROOT / "examples"),
                                "-o", str(tmp_path / "out")], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (pid_file.is_file() and pid_file.read_text().strip()) and process.poll() is None:
        assert time.monotonic() < deadline, "Pagefind was never started"
        time.sleep(0.05)
    pagefind = int(pid_file.read_text())
    assert alive(pagefind)
    used = guard.read_text()
    assert (Path(used).name == "setpriv") if through_setpriv else used == sys.executable, used
    process.kill()
    process.wait()
    deadline = time.monotonic() + 30
    while alive(pagefind) and time.monotonic() < deadline:
        time.sleep(0.05)
    ended = not alive(pagefind)
    if not ended:
        os.kill(pagefind, signal.SIGKILL)
    assert ended, "Pagefind outlived the build that was killed"
