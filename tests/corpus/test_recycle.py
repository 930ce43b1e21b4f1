"""A rebuild written over the build before the current one (issue 17, item 1): the same
edition as a rebuild staged in a new folder, byte for byte, whatever changed; the published
build never written (``tests/conftest.py`` checks that around every build of the suite)."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from build_support import assert_complete, builds_in_store, store_is_tidy, write_change

import tei.corpus.listing
import tei.corpus.recycle
import tei.corpus.sources
from tei.corpus import BuildOptions, build
from tei.corpus.recycle import mirror
from tei.corpus.store import BuildDir

SOURCES = {"kremlin-ru": ("64534.txt",), "kremlin-en-more": ("8015.html", "56002.html"),
           "kremlin-en": ("60707.html",)}


def files_of(out: Path) -> dict[str, bytes]:
    """Every file of the build ``out`` points at, by path, with its bytes (links as links)."""
    top = out.resolve()
    found = {}
    for folder, _, names in os.walk(top):
        for name in names:
            path = Path(folder) / name
            found[str(path.relative_to(top))] = (
                b"link to " + os.readlink(path).encode() if path.is_symlink()
                else path.read_bytes())
    return found


def empty_folders_of(out: Path) -> set[str]:
    """The empty folders of the build ``out`` points at."""
    top = out.resolve()
    return {str(Path(folder).relative_to(top)) for folder, dirs, names in os.walk(top)
            if not dirs and not names}


Step = Callable[[Path, Path, Path], None]
"""An edit made before a build: of the sources, and of both editions (``src``, then the
edition written over the spare, then the one staged afresh)."""


def _change(src: Path, *_: Path) -> None:
    write_change(src / "64534.txt", None, "Спасибо.")


def _add(src: Path, *_: Path) -> None:
    text = (src / "64534.txt").read_text(encoding="utf-8")
    (src / "extra").mkdir()
    (src / "extra" / "64535.txt").write_text(text.replace("64534", "64535"), encoding="utf-8")


def _remove(src: Path, *_: Path) -> None:
    shutil.rmtree(src / "extra")
    _change(src)


def _users_files(src: Path, *outs: Path) -> None:
    for out in outs:
        (out / "NOTES.txt").write_text("my notes", encoding="utf-8")
        (out / "media").mkdir()
        (out / "html" / "mine.css").write_text("mine", encoding="utf-8")
    _change(src)


def _users_files_gone(src: Path, *outs: Path) -> None:
    for out in outs:
        (out / "NOTES.txt").unlink()
        (out / "media").rmdir()
    _change(src)


STEPS: list[Step] = [_change, _change, _add, _change, _remove, _users_files, _change,
                     _users_files_gone, _change]


@pytest.mark.parametrize("by_year", [False, True], ids=["whole", "by-year"])
def test_a_rebuild_over_the_spare_build_is_the_rebuild_in_a_new_folder(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_year: bool) -> None:
    src, over, afresh = tmp_path / "src", tmp_path / "over", tmp_path / "afresh"
    src.mkdir()
    for folder, names in SOURCES.items():
        for name in names:
            shutil.copy(data_dir / folder / name, src / name)
    options = BuildOptions(jobs=1, by_year=by_year)
    monkeypatch.setattr(tei.corpus.sources, "RACY_NS", 0)  # both builds record each stat
    spare = BuildDir.spare
    for number, step in enumerate([lambda *_: None, *STEPS]):
        step(src, over, afresh)
        assert build([src], over, options).published
        with monkeypatch.context() as fresh:  # no spare: staged in a new folder
            fresh.setattr(BuildDir, "spare", lambda self: None)
            assert build([src], afresh, options).published
        assert files_of(over) == files_of(afresh), f"after step {number}"
        assert empty_folders_of(over) == empty_folders_of(afresh), f"after step {number}"
        if not by_year:  # by year, the manifest lists each year's file, not turns.tsv
            assert_complete(over)
        assert store_is_tidy(over, os.readlink(over))
    assert BuildDir.spare is spare
    assert len(builds_in_store(over)) == 2  # the current build and its spare


def test_the_spare_shares_with_the_current_build_all_but_what_the_last_rebuild_wrote(
        data_dir: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for folder, names in SOURCES.items():
        for name in names:
            shutil.copy(data_dir / folder / name, src / name)
    for _ in range(3):
        assert build([src], out).published
        _change(src)
    current = out.resolve()
    spare = next(out.parent / ".out.builds" / name for name in builds_in_store(out)
                 if name != current.name)
    inodes = {path: os.lstat(current / path).st_ino for path in files_of(out)}
    assert os.lstat(spare / "tei" / "kremlin-en-8015.xml").st_ino == inodes["tei/kremlin-en-8015.xml"]
    assert os.lstat(spare / "tei" / "kremlin-64534.xml").st_ino != inodes["tei/kremlin-64534.xml"]
    recycled = BuildDir(out).spare()
    assert recycled is not None and not (recycled / ".tei-edition" / "manifest.json").exists()


def test_mirror_makes_a_folder_hold_what_the_current_build_holds(tmp_path: Path) -> None:
    current, old = tmp_path / "current", tmp_path / "old"
    for path, text in {"a.txt": "a", "d/b.txt": "b", "d/e/c.txt": "c", "f/g.txt": "g"}.items():
        (current / path).parent.mkdir(parents=True, exist_ok=True)
        (current / path).write_text(text, encoding="utf-8")
    (current / "empty").mkdir()
    (current / "link").symlink_to("a.txt")
    for path, text in {"a.txt": "old a", "d": "a file where a folder is", "x/y.txt": "gone",
                       "f/g.txt/h": "a folder where a file is"}.items():
        (old / path).parent.mkdir(parents=True, exist_ok=True)
        (old / path).write_text(text, encoding="utf-8")
    os.link(current / "d" / "e" / "c.txt", tmp_path / "c.txt")  # the same file, elsewhere
    files, folders = mirror(str(old), str(current), str(tmp_path / "trash"))
    assert folders == {"d", "d/e", "f", "empty"}
    assert set(files) == {"a.txt", "d/b.txt", "d/e/c.txt", "f/g.txt", "link"}
    for path, inode in files.items():
        assert os.lstat(old / path).st_ino == inode == os.lstat(current / path).st_ino
    assert sorted(str(p.relative_to(old)) for p in old.rglob("*")) == sorted(
        str(p.relative_to(current)) for p in current.rglob("*"))
    assert os.readlink(old / "link") == "a.txt"
    moved = sorted(p.read_text(encoding="utf-8") if p.is_file() else "/".join(
        sorted(q.name for q in p.iterdir())) for p in (tmp_path / "trash").iterdir())
    assert moved == ["a file where a folder is", "h", "old a", "y.txt"]  # removed later


def test_without_hard_links_a_rebuild_is_staged_afresh(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src)
    for _ in range(2):
        assert build([src], out).published
        _change(src)
    begun: list[object] = []
    real = tei.corpus.recycle.begin

    def begin(*args: Path) -> object:
        begun.append(real(*args))
        return begun[-1]

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(tei.corpus.recycle, "begin", begin)
    monkeypatch.setattr(os, "link", no_links)
    report = build([src], out)
    monkeypatch.undo()
    assert report.published and begun == [None]
    assert_complete(out)
    assert "Спасибо." in (out / "text" / "kremlin-64534.txt").read_text(encoding="utf-8")


def _built_three_times(data_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A source folder and an edition built from it three times (a current build, a spare,
    and the record of the current build's folders)."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src)
    shutil.copy(data_dir / "kremlin-en" / "60707.html", src)
    for _ in range(3):
        assert build([src], out, BuildOptions(jobs=1)).published
        _change(src)
    return src, out


def test_a_rebuild_takes_the_current_builds_folders_from_its_record(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = _built_three_times(data_dir, tmp_path)
    store = out.parent / ".out.builds"
    assert sorted(p.name for p in store.glob("*.listing.json")) == [
        f"{out.resolve().name}.listing.json"]  # the current build's only, and not inside it
    assert not list(out.resolve().rglob("*.listing.json"))
    known: list[set[str]] = []
    real = tei.corpus.recycle.mirror

    def mirror_noted(folder: str, current: str, trash: str | None = None,
                     recorded: dict[str, object] | None = None) -> object:
        known.append(set(recorded or {}))
        return real(folder, current, trash, recorded)  # type: ignore[arg-type]

    monkeypatch.setattr(tei.corpus.recycle, "mirror", mirror_noted)
    (out / "NOTES.txt").write_text("my notes", encoding="utf-8")  # the top changed since
    assert build([src], out, BuildOptions(jobs=1)).published
    assert {"html/", "tei/", "text/", "persons/"} <= known[0]
    assert "" not in known[0] and not any(f.startswith(".tei-edition") for f in known[0])
    assert (out / "NOTES.txt").read_text(encoding="utf-8") == "my notes"
    assert_complete(out)


def test_a_folder_changed_since_its_record_is_listed_again(
        data_dir: Path, tmp_path: Path) -> None:
    _, out = _built_three_times(data_dir, tmp_path)
    current = out.resolve()
    record = BuildDir(out).listing(current)
    folders = tei.corpus.listing.recorded(str(current), record)
    assert folders["html/"] == tei.corpus.listing.entries_of(str(current / "html"))
    page = current / "text" / "kremlin-64534.txt"
    os.replace(shutil.copy(page, current / "text" / "copy.txt"), page)  # a new inode
    assert "text/" not in tei.corpus.listing.recorded(str(current), record)
    changed = os.stat(current / "html").st_mtime_ns  # a change in the record's own tick
    os.utime(record, ns=(changed, changed))
    assert "html/" not in tei.corpus.listing.recorded(str(current), record)
    for broken in (b"", b"[1, 2]", b'{"format": 1, "folders": {"html/": [1]}}', b"\xff"):
        record.write_bytes(broken)
        assert tei.corpus.listing.recorded(str(current), record) == {}
