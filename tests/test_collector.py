"""The collector and a build's records: decoded without collections, frozen while the build
runs, handed back when it returns (:mod:`tei.collector`)."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tei.collector import acyclic, frozen_records
from tei.corpus import build
from tei.corpus.manifest import Manifest

ROOT = Path(__file__).parent.parent


@pytest.fixture
def collected() -> Iterator[list[int]]:
    """The generations of the collections run while a test runs; nothing frozen before it."""
    gc.unfreeze()
    runs: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(count)
    try:
        yield runs
    finally:
        gc.callbacks.remove(count)
        gc.unfreeze()


def test_records_are_made_without_a_collection(collected: list[int]) -> None:
    with acyclic():
        records = [{"id": str(i), "spans": [i, i + 1]} for i in range(50_000)]
        inside = list(collected)
    assert inside == [] and gc.isenabled()
    assert gc.get_freeze_count() == 0  # outside a build: nothing to thaw them later
    assert len(records) == 50_000


def test_a_paused_collector_stays_paused(collected: list[int]) -> None:
    gc.disable()
    try:
        with acyclic():
            inside = gc.isenabled()
        assert not inside and not gc.isenabled()
    finally:
        gc.enable()


def test_inside_a_build_they_are_frozen_then_thawed(collected: list[int]) -> None:
    with frozen_records():
        with acyclic():
            records = [[i] for i in range(10_000)]
        assert gc.get_freeze_count() >= len(records)
    assert gc.get_freeze_count() == 0


def test_what_the_caller_froze_stays_frozen(collected: list[int]) -> None:
    kept = [[i] for i in range(1_000)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    with frozen_records():
        with acyclic():
            made = [[i] for i in range(1_000)]
    assert gc.get_freeze_count() >= frozen + len(made) >= len(kept)


def test_a_rebuild_freezes_the_previous_records_and_thaws_them(
        collected: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A rebuild reads the previous build's manifest and the runs of its corpus-wide files
    without collecting; they stay frozen until it saves its own manifest, and are thawed
    once it returns, even when it raises."""
    sources = tmp_path / "src"
    shutil.copytree(ROOT / "examples", sources)
    out = tmp_path / "out"
    assert build([sources], out).published
    transcript = next(sources.glob("*.txt"))
    transcript.write_text(transcript.read_text(encoding="utf-8") + "\nВ.Путин: Спасибо.\n",
                          encoding="utf-8")
    frozen: list[int] = []
    save = Manifest.save

    def saving(self: Manifest, *args: Any, **kwargs: Any) -> None:
        frozen.append(gc.get_freeze_count())
        save(self, *args, **kwargs)

    monkeypatch.setattr(Manifest, "save", saving)
    report = build([sources], out)
    assert report.published and report.built == 1
    assert frozen and frozen[0] > 1000  # the manifest's entries and the runs, at least
    assert gc.get_freeze_count() == 0

    def failing(self: Manifest, *args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Manifest, "save", failing)
    transcript.write_text(transcript.read_text(encoding="utf-8") + "\nВ.Путин: Да.\n",
                          encoding="utf-8")
    with pytest.raises(Exception):
        build([sources], out)
    assert gc.get_freeze_count() == 0
