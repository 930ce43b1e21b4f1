"""Rebuilds of the registers and ``corpus.xml`` after one source changed, however it changed.

A rebuild writes afresh only the persons and places a changed document touches, copies the
runs of the others, links their files, and rereads the previous A to Z only when an entity
came or went (else every entity is where it was). Whatever the change, what it publishes
must be what a build from scratch of the same sources publishes: here with letter pages of
two entries and pages in runs from two documents, so that a person who comes or goes moves
the entries after it to other letter pages, and every page of a touched person is spliced.
Real samples: the CSTO transcript and four saved en.kremlin.ru pages.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from test_incremental import published

from tei.corpus import BuildOptions, build, registers

CSTO = "64534.txt"
PAGES = ("13679.html", "17164.html", "47127.html", "53065.html")
"""Saved pages of kremlin-en-more (47127 is the only one to name Davutoglu)."""
LEFT = "47127.html"


def copy_sources(src: Path, data_dir: Path) -> None:
    """The CSTO transcript and the saved pages of :data:`PAGES`, copied into ``src``."""
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / CSTO, src / CSTO)
    for page in PAGES:
        shutil.copy(data_dir / "kremlin-en-more" / page, src / page)


def edited(src: Path, data_dir: Path) -> None:
    """A paragraph of Putin's added: no person comes or goes."""
    _replace(src / CSTO, "\nВ.Путин: Добрый день!\n", "\nВ.Путин: Добрый день!\nЕщё одно слово.\n")


def _renamed(src: Path, data_dir: Path) -> None:
    """A speaker renamed: Mamytov leaves the corpus, Japarov comes."""
    _replace(src / CSTO, "\nТ.Мамытов:", "\nС.Жапаров:")


def _left(src: Path, data_dir: Path) -> None:
    """A source removed: its persons leave the corpus."""
    (src / LEFT).unlink()


def _added(src: Path, data_dir: Path) -> None:
    """A source added: persons new to the corpus come."""
    shutil.copy(data_dir / "kremlin-en" / "55017.html", src / "55017.html")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES: dict[str, Callable[[Path, Path], None]] = {
    "edited": edited, "renamed": _renamed, "left": _left, "added": _added}


def _persons(out: Path) -> set[str]:
    """The register pages of persons of a build."""
    return {p.name for p in (out / "persons").glob("*.html")}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_rebuild_writes_the_registers_and_corpus_xml_a_build_from_scratch_does(
        name: str, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registers, "LETTER_PAGE", 2)
    monkeypatch.setattr(registers, "RUNS_FROM", 2)
    src, out, cold = tmp_path / "src", tmp_path / "out", tmp_path / "cold"
    copy_sources(src, data_dir)
    options = BuildOptions(search=False)
    assert build([src], out, options).ok
    before = _persons(out)
    CHANGES[name](src, data_dir)
    report = build([src], out, options)
    assert report.ok and report.published and report.unchanged >= len(PAGES) - 1
    assert build([src], cold, options).ok
    rebuilt, fresh = published(out), published(cold)
    assert sorted(rebuilt) == sorted(fresh)
    assert [path for path in fresh if rebuilt[path] != fresh[path]] == []
    after = _persons(out)
    assert (after == before) == (name == "edited")  # the change came through
    assert any(p.startswith(("persons/a-z/", "places/a-z/")) for p in fresh)
