"""Killing ``tei-edition build`` halfway leaves a complete build, and the next build succeeds.

A real ``python -m tei build`` runs in a subprocess on a corpus large enough to
take a few seconds; once half of its documents are built it gets SIGINT (what
Ctrl-C sends to the whole process group) or SIGKILL (to the build process
alone, as the kernel's OOM killer would: its workers must not outlive it).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from tei.corpus import build
from tei.corpus.layout import CORPUS_FILES as PAGES
from tei.corpus.layout import META_DIR
from tei.corpus.manifest import hash_file, load_manifest

ROOT = Path(__file__).parent.parent
BEFORE, AFTER = 3, 27
"""Transcripts in the first complete build, and in the one that is interrupted."""


def bench_module() -> ModuleType:
    """``bench/make_corpus.py``: transcripts made from the samples in tests/data."""
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def assert_complete(out: Path) -> str:
    """Check that ``out`` is one complete build; return the folder it points at."""
    assert out.is_symlink()
    manifest = load_manifest(out)
    assert manifest.documents and manifest.pages
    for entry in manifest.documents.values():
        for path, digest in entry.outputs.items():
            assert hash_file(out / path) == digest, path
    assert PAGES <= set(manifest.pages)
    for page, digest in manifest.pages.items():  # the registers' many files among them
        assert hash_file(out / page) == digest, page
    assert (out / "persons" / "putin-vladimir.html").is_file()
    assert not (out / META_DIR / "parts").exists()
    return os.readlink(out)


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

    process = subprocess.Popen(
        [sys.executable, "-m", "tei", "build", str(src), "-o", str(out), "--jobs", "2"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
    store = out.parent / f".{out.name}.builds"
    assert [p.name for p in store.iterdir() if p.is_dir()] == [Path(os.readlink(out)).name]
