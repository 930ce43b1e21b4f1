"""What a rebuild does on disk besides its outputs: it flushes what it wrote, and only that
(issue 17, item 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import tei.corpus.store
from tei.corpus.store import sync_build


def test_sync_build_flushes_what_the_build_wrote_not_what_it_linked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before a build is published, its own files, its folders (where its links are) and
    its entry are flushed; files linked from the current build are on disk already."""
    current, staged = tmp_path / "current", tmp_path / "builds" / "staged"
    (current / "html").mkdir(parents=True)
    (staged / "html").mkdir(parents=True)
    (current / "html" / "old.html").write_text("unchanged")
    os.link(current / "html" / "old.html", staged / "html" / "old.html")
    (staged / "html" / "new.html").write_text("rebuilt")
    (staged / "index.html").write_text("rebuilt")
    os.symlink("index.html", staged / "home.html")
    flushed: list[str] = []
    monkeypatch.setattr(tei.corpus.store, "_fsync", lambda path, flags: flushed.append(path))
    sync_build(staged)
    assert sorted(os.path.relpath(path, tmp_path) for path in flushed) == [
        "builds", "builds/staged", "builds/staged/html", "builds/staged/html/new.html",
        "builds/staged/index.html"]


def test_sync_build_really_flushes(tmp_path: Path) -> None:
    """Unpatched, it opens and flushes every one of them without error (folders too)."""
    (tmp_path / "staged" / "html").mkdir(parents=True)
    (tmp_path / "staged" / "html" / "a.html").write_text("a")
    sync_build(tmp_path / "staged")
