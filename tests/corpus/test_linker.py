"""The links of unchanged register pages, made by a process of its own (issue 17, item 1).

A rebuild hands the names of the pages no change touched to a small process that links them
while the build writes on. It must link exactly those (whatever bytes their names hold), and
an error it meets must stop the build as an error in the build's own process does.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest
from build_support import assert_complete, store_is_tidy
from test_build_safety import run
from test_register_rebuilds import copy_sources, edited

import tei.corpus.linker
from tei.corpus import build
from tei.corpus.linker import Linker, linker, wait

def _folders(tmp_path: Path, names: list[str]) -> tuple[str, str]:
    """A previous folder holding ``names`` (each its own content) and an empty staged one."""
    previous, staged = tmp_path / "previous", tmp_path / "staged"
    for name in names:
        path = Path(os.fsdecode(os.fsencode(previous) + b"/" + os.fsencode(name)))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.fsencode(name))
    staged.mkdir()
    return f"{previous}/", f"{staged}/"


NAMES = ["persons/putin-vladimir.html", "persons/a b\nc.txt", "persons/\udcff-raw.tsv",
         "places/moskva.html", *[f"persons/p{i:05d}.html" for i in range(3000)]]
"""Names as a register's are, with a space, a newline and a byte that is not UTF-8, and
enough of them (100 KB) that they go to the process in several writes."""


def test_the_process_links_every_name_handed_to_it(tmp_path: Path) -> None:
    previous, staged = _folders(tmp_path, NAMES)
    links = Linker(previous, staged)
    assert links.process is None  # started with the first names handed over
    for start in range(0, len(NAMES), 500):
        links.add(NAMES[start:start + 500])
        assert links.process is not None
    links.wait()
    for name in NAMES:
        made = os.stat(os.fsencode(staged) + os.fsencode(name))
        assert made.st_ino == os.stat(os.fsencode(previous) + os.fsencode(name)).st_ino, name
    assert links.process.returncode == 0


def test_an_error_of_the_process_is_raised_as_the_build_would_meet_it(tmp_path: Path) -> None:
    """A name missing from the previous build: the same ``FileNotFoundError``, naming it; the
    names after it are not linked."""
    previous, staged = _folders(tmp_path, ["persons/a.html", "persons/c.html"])
    links = Linker(previous, staged)
    links.add(["persons/a.html", "persons/b.html"])
    links.add(["persons/c.html"])
    with pytest.raises(FileNotFoundError) as raised:
        links.wait()
    assert raised.value.errno == errno.ENOENT
    assert raised.value.filename == f"{previous}persons/b.html"
    assert os.path.exists(f"{staged}persons/a.html")
    assert not os.path.exists(f"{staged}persons/c.html")


def test_without_a_process_the_links_are_made_here(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "")
    previous, staged = _folders(tmp_path, ["persons/a.html"])
    links = Linker(previous, staged)
    assert links.process is None
    links.add(["persons/a.html"])
    assert os.path.samefile(f"{previous}persons/a.html", f"{staged}persons/a.html")
    links.wait()


def test_one_linker_a_pair_of_folders_the_last_one_waited_for_first(tmp_path: Path) -> None:
    first, staged = _folders(tmp_path, ["persons/a.html"])
    second = tmp_path / "second"
    (second / "persons").mkdir(parents=True)
    (second / "persons" / "b.html").write_text("b", encoding="utf-8")
    links = linker(first, staged)
    assert linker(first, staged) is links
    links.add(["persons/a.html"])
    other = linker(f"{second}/", staged)
    assert other is not links and links.process is not None
    assert links.process.returncode == 0  # waited for, its link made
    other.add(["persons/b.html"])
    wait()
    assert os.path.exists(f"{staged}persons/a.html") and os.path.exists(f"{staged}persons/b.html")
    assert tei.corpus.linker._linker is None


@pytest.fixture()
def edition(tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    """The CSTO transcript and saved en.kremlin.ru pages (most of their persons are not the
    CSTO's) in ``src``, built into ``out``."""
    src, out = tmp_path / "src", tmp_path / "out"
    copy_sources(src, data_dir)
    assert build([src], out).ok
    return src, out


def test_a_rebuild_links_the_pages_of_persons_no_change_touched(
        edition: tuple[Path, Path]) -> None:
    src, out = edition
    before = {p.name: p.stat().st_ino for p in (out / "persons").iterdir() if p.is_file()}
    edited(src, Path())
    assert build([src], out).ok
    linked = {name for name, inode in before.items()
              if (out / "persons" / name).stat().st_ino == inode}
    assert any(name.startswith("davutoglu") for name in linked), sorted(linked)
    assert not any(name.startswith("mamytov") for name in linked)  # the CSTO's: written afresh
    assert_complete(out)
    assert tei.corpus.linker._linker is None  # the process was waited for


def test_a_page_the_process_cannot_link_stops_the_build_with_the_edition_kept(
        edition: tuple[Path, Path]) -> None:
    """A carried page gone from the published build (a user deleted it there): the process
    cannot link it, and the rebuild stops as on any OS error, the previous edition kept."""
    src, out = edition
    previous = assert_complete(out)
    victim = next(p for p in (out / "persons").glob("*.html") if "davutoglu" in p.name)
    victim_bytes = victim.read_bytes()
    victim.unlink()
    edited(src, Path())
    result = run(src, "-o", out, "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: no such file or directory: the previous edition is kept\n"
    assert os.readlink(out) == previous and store_is_tidy(out, previous)
    victim.write_bytes(victim_bytes)
    assert build([src], out).ok
    assert assert_complete(out) != previous
