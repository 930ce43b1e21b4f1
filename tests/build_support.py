"""What the build tests share: a corpus made from the samples, and the check of an edition."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from tei.corpus.changes import recorded_runs, runs_digest
from tei.corpus.layout import CORPUS_FILES, PARTS
from tei.corpus.hashes import hash_file
from tei.corpus.manifest import load_manifest
from tei.corpus.store import TRASH

ROOT = Path(__file__).parent.parent


def bench_module() -> ModuleType:
    """``bench/make_corpus.py``: transcripts made from the samples in tests/data."""
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def assert_complete(out: Path) -> str:
    """Check that ``out`` is one complete build (every file its manifest lists is there,
    with its hash; no parts left); return the folder it points at."""
    assert out.is_symlink()
    manifest = load_manifest(out)
    assert manifest.documents and CORPUS_FILES <= set(manifest.pages)
    runs = recorded_runs(out.resolve())
    for path, digest in manifest.written().items():
        if digest.startswith("runs:"):  # a file written in runs is hashed by its runs
            assert runs_digest((out / path).read_bytes(), runs[path]) == digest, path
        else:
            assert hash_file(out / path) == digest, path
    assert not (out / PARTS).exists()
    return os.readlink(out)


def builds_in_store(out: Path) -> list[str]:
    """The names of the build folders in the store beside ``out`` (not those put aside,
    which a process of their own is removing)."""
    store = out.parent / f".{out.name}.builds"
    return sorted(p.name for p in store.iterdir()
                  if p.is_dir() and not p.name.startswith(TRASH)) if store.is_dir() else []


def store_is_tidy(out: Path, current: str | Path) -> bool:
    """True when the store beside ``out`` holds the build ``current`` (a path or a name) and
    at most one other, older (the spare that the next build is written over): nothing an
    interrupted or failed build left, no build put aside that was not removed."""
    names = builds_in_store(out)
    name = Path(current).name
    return name in names and len(names) <= 2 and all(other <= name for other in names)


def write_change(path: Path, old: str | None, new: str) -> None:
    """Add a turn saying ``new`` to a transcript (instead of the one saying ``old``)."""
    text = path.read_text(encoding="utf-8")
    if old is not None:
        text = text.replace(f"\nВ.Путин: {old}\n", "\n")
    head, tail = text.rstrip("\n").rsplit("\n", 1)
    path.write_text(f"{head}\nВ.Путин: {new}\n\n{tail}\n", encoding="utf-8")
