"""The warning of probable duplicate persons, kept up to date by a rebuild: it compares only
the persons the rebuild added, forgets those no document names any more, and warns as a
build of the same sources from scratch does (issue 17, item 1)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tei.corpus import BuildOptions, BuildReport, build
from tei.corpus.layout import INDEX

ROOT = Path(__file__).parent.parent.parent


def _duplicates(report: BuildReport) -> list[str]:
    return [w.message for w in report.warnings if w.message.startswith("probable duplicate")]


def _recorded(out: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(out / INDEX)
    try:
        return list(db.execute("SELECT * FROM duplicates ORDER BY first, second"))
    finally:
        db.close()


def test_a_rebuild_warns_of_the_duplicates_a_build_from_scratch_does(tmp_path: Path) -> None:
    """The bundled examples without their authority: Putin as В.Путин (putin-v) in the
    Russian Carlson interview, in full elsewhere. The rebuild drops that interview (putin-v
    goes) and gives the CSTO session a turn of В.Пучков (puchkov-v, whom another page
    names in full): one pair gone, one added."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "examples", src, ignore=shutil.ignore_patterns("authority.csv"))
    options = BuildOptions(search=False)
    first = build([src], tmp_path / "out", options)
    assert first.ok and "putin-v ~ putin-vladimir" in _duplicates(first)[0]
    for path in src.glob("carlson-interview-ru.*"):
        path.unlink()
    session = src / "64534.txt"
    head, last = session.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    session.write_text(f"{head}\nВ.Пучков: Спасибо.\n\n{last}\n", encoding="utf-8")
    rebuilt = build([src], tmp_path / "out", options)
    assert rebuilt.ok and (rebuilt.built, rebuilt.unchanged) == (1, 2)
    cold = build([src], tmp_path / "cold", options)
    assert _duplicates(rebuilt) == _duplicates(cold)
    assert "puchkov-v ~ puchkov-vladimir" in _duplicates(rebuilt)[0]
    assert "putin-v" not in _duplicates(rebuilt)[0]
    assert _recorded(tmp_path / "out") == _recorded(tmp_path / "cold") == [
        ("puchkov-v", "puchkov-vladimir", "initials")]
