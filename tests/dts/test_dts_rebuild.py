"""The server's file in a rebuild: the rows of unchanged documents copied from the current
build's, the file the same as a cold build's."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tei.corpus import BuildOptions, build, dts

ROOT = Path(__file__).parent.parent.parent
DTS = ".tei-edition/dts.sqlite"
OPTIONS = BuildOptions(search=False, authority=ROOT / "examples" / "authority.csv")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """The bundled examples, built once into ``tmp_path / "out"``."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "examples", src, ignore=shutil.ignore_patterns("authority.csv"))
    assert build([src], tmp_path / "out", OPTIONS).published
    return src


def edit(sources: Path) -> Path:
    """Add a turn to one transcript; the file changed."""
    transcript = sorted(sources.glob("*.txt"))[0]
    text = transcript.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    transcript.write_text(f"{text[0]}\nВ.Путин: Спасибо.\n\n{text[1]}\n", encoding="utf-8")
    return transcript


def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents whose row the next builds make (rather than copy)."""
    calls: list[str] = []
    real = dts._meta

    def counting(doc: str, *args: Any) -> str:
        calls.append(doc)
        return real(doc, *args)

    monkeypatch.setattr(dts, "_meta", counting)
    return calls


def test_a_rebuild_makes_the_changed_documents_row_only_and_the_cold_builds_file(
        sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(sources)
    calls = made(monkeypatch)
    report = build([sources], tmp_path / "out", OPTIONS)
    assert report.built == 1 and len(calls) == 1
    assert build([sources], tmp_path / "cold", OPTIONS).built == 4
    assert len(calls) == 1 + 4
    rebuilt, cold = (tmp_path / "out" / DTS).read_bytes(), (tmp_path / "cold" / DTS).read_bytes()
    assert rebuilt == cold


def test_a_removed_document_leaves_the_collection(sources: Path, tmp_path: Path) -> None:
    gone = sorted(sources.glob("*.txt"))[-1]
    gone.unlink()
    assert build([sources], tmp_path / "out", OPTIONS).published
    with sqlite3.connect(tmp_path / "out" / DTS) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM resources ORDER BY position")]
    assert len(ids) == 3 and not any(gone.stem in doc for doc in ids)
    assert build([sources], tmp_path / "cold", OPTIONS).published
    assert (tmp_path / "out" / DTS).read_bytes() == (tmp_path / "cold" / DTS).read_bytes()


def test_a_current_file_of_another_format_is_not_copied(
        sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    current = (tmp_path / "out" / DTS).resolve()
    current.chmod(0o644)
    with sqlite3.connect(current) as db:
        db.execute("UPDATE edition SET value = '1' WHERE key = 'format'")
        db.execute("UPDATE resources SET meta = '{}'")
    edit(sources)
    calls = made(monkeypatch)
    assert build([sources], tmp_path / "out", OPTIONS).built == 1
    assert len(calls) == 4
    with sqlite3.connect(tmp_path / "out" / DTS) as db:
        assert "{}" not in {row[0] for row in db.execute("SELECT meta FROM resources")}


def test_a_file_of_the_format_before_is_refused_with_build_again(sources: Path,
                                                                 tmp_path: Path) -> None:
    """A build of the version before kept the passages in the index's ``docs``: the server
    says to build again rather than fail on a request."""
    current = (tmp_path / "out" / DTS).resolve()
    store = dts.DtsStore(current)
    assert store.total == 4 and store.passages(store.members(None, 0, 1)[0].id) is not None
    store.close()
    with sqlite3.connect(current) as db:
        db.execute("UPDATE edition SET value = '2' WHERE key = 'format'")
    with pytest.raises(dts.StoreError, match="another version of tei-edition: build again"):
        dts.DtsStore(current)
