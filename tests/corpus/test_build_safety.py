"""``build`` never loses a user's file, never hangs, and reports every bad source (issue 12).

Each test holds one reproduction of the issue: a folder of the user's own files
given as ``-o``, an output that is a source, sources that are not regular files
or cannot be read, OS errors while the staged build is written (simulated where
a test cannot make them: no tiny tmpfs, and tests run as root, whom neither
``chmod`` nor a read-only folder stops), and a first build that has nothing to
publish.
"""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from build_support import ROOT, assert_complete, bench_module, store_is_tidy
from click.testing import CliRunner, Result

import tei.corpus.manifest
import tei.corpus.scheduling
import tei.corpus.runner
import tei.corpus.sources
from tei.cli import cli
from tei.corpus import BuildOptions, build
from tei.corpus.index import CorpusIndex
from tei.corpus.store import BuildDir
from tei.errors import TeiEditionError

Snapshot = dict[str, tuple[str, str | bytes]]


def run(*args: str | Path) -> Result:
    """``tei-edition build ARGS`` in this process."""
    return CliRunner().invoke(cli, ["build", *map(str, args)])


def corpus(folder: Path, n: int = 2) -> list[Path]:
    """``n`` kremlin.ru transcripts of the CSTO sample, each its own document, in ``folder``."""
    paths: list[Path] = bench_module().make_corpus(n, folder, "64534")
    return paths


def change(path: Path) -> None:
    """Edit a transcript so that its document, and so the edition, changes."""
    path.write_text(path.read_text(encoding="utf-8").replace("Добрый день", "Добрый вечер", 1),
                    encoding="utf-8")


def snapshot(folder: Path) -> Snapshot:
    """Every entry under ``folder`` (links not followed): a file's bytes, a link's target,
    a folder's being there."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = ("link", os.readlink(path))
        elif path.is_dir():
            found[relative] = ("folder", "")
        else:
            found[relative] = ("file", path.read_bytes())
    return found


def users_folder(tmp_path: Path, index: bool = True) -> Path:
    """An output folder of the user's own (issue 12.1): ``index.html``, ``html/static/my.css``,
    an empty folder and a link to a folder."""
    site = tmp_path / "site"
    (site / "html" / "static").mkdir(parents=True)
    if index:
        (site / "index.html").write_text("mine", encoding="utf-8")
    (site / "html" / "static" / "my.css").write_text("x", encoding="utf-8")
    (site / "uploads").mkdir()
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "photo.jpg").write_bytes(b"photo")
    (site / "media").symlink_to("../media")
    return site


# -- 12.1: an output folder with the user's own files, an output that is a source -------------


def test_a_folder_of_the_users_own_files_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    (source,) = corpus(tmp_path / "src", 1)
    site = users_folder(tmp_path)
    before = snapshot(site)
    result = run(source, "-o", site)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {site}: is not an edition of tei-edition: it holds what tei-edition did not "
        f"write (html/static/my.css, index.html, media and 1 more); choose another output "
        f"folder, or use --force to build into it and keep those files\n")
    assert not site.is_symlink() and snapshot(site) == before
    assert not (tmp_path / ".site.builds").exists()


def test_a_users_file_where_the_build_writes_its_own_is_refused_even_with_force(
        tmp_path: Path) -> None:
    (source,) = corpus(tmp_path / "src", 1)
    site = users_folder(tmp_path)
    before = snapshot(site)
    result = run(source, "-o", site, "--force")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {site / 'index.html'}: was not written by "
                                    f"tei-edition, and the build writes its own file")
    assert not site.is_symlink() and snapshot(site) == before


def test_with_force_the_users_files_are_kept_in_every_build(tmp_path: Path) -> None:
    sources = corpus(tmp_path / "src")
    site = users_folder(tmp_path, index=False)
    (site / "NOTES.txt").write_text("my notes", encoding="utf-8")
    mine = snapshot(site)
    del mine["media"]  # ../media from OUT: the same link, from the store, is ../../media
    assert run(tmp_path / "src", "-o", site, "--force").exit_code == 0
    first = assert_complete(site)
    (site / "html" / "static" / "extra.css").write_text("added later", encoding="utf-8")
    mine["html/static/extra.css"] = ("file", b"added later")
    change(sources[0])
    result = run(tmp_path / "src", "-o", site)
    assert result.exit_code == 0 and "Built 1, unchanged 1" in result.stdout
    assert assert_complete(site) != first
    kept = snapshot(site.resolve())
    assert {path: kept.get(path) for path in mine} == mine
    assert (site / "media").resolve() == tmp_path / "media"  # the link leads where it did
    assert store_is_tidy(site, os.readlink(site))


def test_a_users_file_where_a_later_build_writes_its_own_stops_that_build(
        tmp_path: Path) -> None:
    first, _ = corpus(tmp_path / "src")
    out, theme = tmp_path / "out", tmp_path / "theme" / "html" / "static" / "theme.css"
    assert build([tmp_path / "src"], out).ok
    previous = assert_complete(out)
    (out / "html" / "static" / "theme.css").write_text("mine", encoding="utf-8")
    theme.parent.mkdir(parents=True)
    theme.write_text("the theme's", encoding="utf-8")
    change(first)
    result = run(tmp_path / "src", "-o", out, "--templates", tmp_path / "theme")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {out / 'html' / 'static' / 'theme.css'}: was not written "
                             f"by tei-edition, and this build writes its own file of this name: "
                             f"move it away, then build again\n")
    assert assert_complete(out) == previous and store_is_tidy(out, previous)
    assert (out / "html" / "static" / "theme.css").read_text(encoding="utf-8") == "mine"


def test_an_edition_copied_with_cp_rL_is_an_edition_of_ours(tmp_path: Path) -> None:
    sources = corpus(tmp_path / "src")
    assert build([tmp_path / "src"], tmp_path / "out").ok
    shutil.copytree(tmp_path / "out", tmp_path / "site")  # follows the link, as cp -rL does
    change(sources[1])
    result = run(tmp_path / "src", "-o", tmp_path / "site")
    assert result.exit_code == 0 and "Built 1, unchanged 1" in result.stdout
    assert_complete(tmp_path / "site")


@pytest.mark.parametrize("case", ["is the source", "lies inside the source", "holds the source",
                                  "links to the source"])
def test_an_output_that_is_holds_or_lies_inside_a_source_is_refused(tmp_path: Path,
                                                                    case: str) -> None:
    src = tmp_path / "src"
    corpus(src)
    assert build([src], tmp_path / "out").ok
    (tmp_path / "link").symlink_to(src)
    source, out, message = {
        "is the source": (src, src, f"Error: {src}: is a source and the output folder"),
        "lies inside the source": (src, src / "site",
                                   f"Error: {src / 'site'}: lies inside the source folder {src}"),
        "holds the source": (tmp_path / "out" / "tei", tmp_path / "out",
                             f"Error: {tmp_path / 'out' / 'tei'}: lies inside the output folder"),
        "links to the source": (src, tmp_path / "link", f"Error: {src}: is a source and the "
                                                        f"output folder"),
    }[case]
    sources, edition = snapshot(src), os.readlink(tmp_path / "out")
    result = run(source, "-o", out)
    assert result.exit_code == 1 and result.stderr.startswith(message)
    assert not src.is_symlink() and snapshot(src) == sources
    assert os.readlink(tmp_path / "out") == edition
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.builds", "link", "out", "src"]


def test_an_output_that_links_elsewhere_than_its_store_is_refused_even_with_force(
        tmp_path: Path) -> None:
    corpus(tmp_path / "src", 1)
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("mine", encoding="utf-8")
    (tmp_path / "site").symlink_to(tmp_path / "www")
    result = run(tmp_path / "src", "-o", tmp_path / "site", "--force")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'site'}: is a link to {tmp_path / 'www'}"
                                    f", not to a build of tei-edition")
    assert os.readlink(tmp_path / "site") == str(tmp_path / "www")
    assert snapshot(tmp_path / "www") == {"index.html": ("file", b"mine")}


# -- 12.6: sources that are not regular files or cannot be read ---------------------------------


def test_what_is_not_a_regular_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "src"
    corpus(src, 1)
    os.mkfifo(src / "fifo.txt")
    (src / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "named.txt")
    result = subprocess.run(  # not in this process: a regression would hang, not fail
        [sys.executable, "-m", "tei", "build", str(src), str(tmp_path / "named.txt"),
         "-o", str(tmp_path / "out"), "--jobs", "1"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [  # in the order of the sources' paths
        f"Warning: {tmp_path / 'named.txt'}: not a regular file (a FIFO), skipped",
        f"Warning: {src / 'fifo.txt'}: not a regular file (a FIFO), skipped",
        f"Warning: {src / 'zero.txt'}: not a regular file (a character device), skipped",
    ]
    assert "Built 1, unchanged 0, failed 0" in result.stdout
    assert_complete(tmp_path / "out")


def test_a_source_that_cannot_be_read_fails_alone_and_keeps_its_last_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    first, second = corpus(src)
    assert build([src], out).ok
    kept = {path: digest for entry in tei.corpus.manifest.load_manifest(out).documents.values()
            if entry.id.endswith("100001") for path, digest in entry.outputs.items()}
    (src / "dangling.txt").symlink_to("nowhere.txt")
    (src / "loop-a.txt").symlink_to("loop-b.txt")
    (src / "loop-b.txt").symlink_to("loop-a.txt")
    # chmod 000 stops anyone but root, who runs these tests: the file cannot be opened then
    second.chmod(0)
    hash_file = tei.corpus.sources.hash_file

    def cannot_open(path: str | os.PathLike[str]) -> str:
        if Path(path) == second:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return hash_file(path)

    monkeypatch.setattr(tei.corpus.sources, "hash_file", cannot_open)
    change(first)
    result = run(src, "-o", out)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if not line.startswith("Warning:")]
    assert errors == [
        f"Error: {src / 'dangling.txt'}: a broken symbolic link (to nowhere.txt): not read",
        f"Error: {src / 'loop-a.txt'}: a loop of symbolic links: not read",
        f"Error: {src / 'loop-b.txt'}: a loop of symbolic links: not read",
        f"Error: {second}: cannot be read: permission denied",
    ]
    assert "Built 1, unchanged 0, failed 4" in result.stdout and "published" in result.stdout
    assert_complete(out)
    assert "Добрый вечер" in (out / "text" / "kremlin-100000.txt").read_text(encoding="utf-8")
    assert kept and all(tei.corpus.hashes.hash_file(out / path) == digest
                        for path, digest in kept.items())


# -- 12.6: OS errors while the staged build is written ------------------------------------------


def first_argument(*args: Any) -> Any:
    """The file an OS error names: a function's first argument."""
    return args[0]


def patch(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, error: int,
          when: Callable[..., bool] = lambda *args: True,
          filename: Callable[..., Any] = first_argument) -> None:
    """Make ``owner.name`` raise ``OSError(error)`` naming ``filename(*args)`` when
    ``when(*args)`` holds; otherwise it does what it did."""
    real = getattr(owner, name)

    def stand_in(*args: Any, **kwargs: Any) -> Any:
        if when(*args):
            raise OSError(error, os.strerror(error), str(filename(*args)))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, stand_in)


def full_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus index's disk is full: adding a summary fails with SQLite's own error of a
    full disk (SQLITE_FULL, made by a database limited to one page)."""
    scratch = sqlite3.connect(":memory:")
    scratch.execute("PRAGMA max_page_count = 1")
    with pytest.raises(sqlite3.OperationalError) as full:
        scratch.execute("CREATE TABLE t (x)")
        scratch.execute("INSERT INTO t VALUES (zeroblob(10000))")
    assert full.value.sqlite_errorname == "SQLITE_FULL"

    def add(self: CorpusIndex, summary: dict[str, Any]) -> None:
        raise full.value

    monkeypatch.setattr(CorpusIndex, "add", add)


def in_store(path: object, *args: Any) -> bool:
    """True for a path in a store of builds."""
    return ".builds" in str(path)


FAILURES: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], str]] = {
    "lock on a read-only mount": (
        lambda m: patch(m, os, "open", errno.EROFS, lambda path, *a: str(path).endswith(".lock")),
        "read-only file system"),
    "staged folder on a read-only mount": (
        lambda m: patch(m, BuildDir, "stage", errno.EROFS, filename=lambda store: store.store),
        "read-only file system"),
    "document outputs on a full disk": (
        lambda m: patch(m, pathlib.Path, "write_bytes", errno.ENOSPC, in_store),
        "no space left on device"),
    "corpus index on a full disk": (full_index, "database or disk is full"),
    "corpus pages on a full disk": (
        lambda m: patch(m, tei.corpus.scheduling, "write_output", errno.ENOSPC),
        "no space left on device"),
    "manifest on a full disk": (
        lambda m: patch(m, tei.corpus.manifest, "atomic_write", errno.ENOSPC),
        "no space left on device"),
    "switch on a read-only mount": (
        lambda m: patch(m, BuildDir, "_link", errno.EROFS, filename=lambda store, target: target),
        "read-only file system"),
}
"""Where an OS error is simulated, and the reason the build gives for it."""


@pytest.mark.parametrize("where", sorted(FAILURES))
def test_an_os_error_while_writing_keeps_the_previous_edition(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    first, _ = corpus(src)
    assert build([src], out).ok
    previous = assert_complete(out)
    change(first)
    simulate, reason = FAILURES[where]
    simulate(monkeypatch)
    result = run(src, "-o", out, "--jobs", "1")  # one process: the workers see the failure too
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: {reason}: the previous edition is kept\n"
    assert result.stdout == ""
    assert assert_complete(out) == previous
    assert store_is_tidy(out, previous)
    assert build([src], out).ok and assert_complete(out) != previous


def test_an_os_error_on_a_first_build_publishes_nothing(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    corpus(tmp_path / "src")
    patch(monkeypatch, pathlib.Path, "write_bytes", errno.ENOSPC, in_store)
    result = run(tmp_path / "src", "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'out'}: no space left on device: nothing was " \
                            f"published\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_an_os_error_of_a_file_outside_the_output_names_that_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus(tmp_path / "src", 1)
    authority = tmp_path / "authority.csv"
    shutil.copy(ROOT / "examples" / "authority.csv", authority)
    patch(monkeypatch, tei.corpus.runner, "hash_file", errno.EACCES,
          lambda path, *a: Path(path) == authority)  # root reads a chmod 000 file
    result = run(tmp_path / "src", "-o", tmp_path / "out", "--authority", authority)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {authority}: permission denied: nothing was published\n"


def test_sqlite_errors_that_are_not_of_the_disk_are_not_hidden(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus(tmp_path / "src", 1)

    def broken(self: CorpusIndex, summary: dict[str, Any]) -> None:
        self.db.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(CorpusIndex, "add", broken)
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        build([tmp_path / "src"], tmp_path / "out")


# -- a first build with nothing to publish ------------------------------------------------------


def test_a_first_build_in_which_every_document_fails_publishes_nothing(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "undated.txt").write_text("Заголовок\n\nВ.Путин: Добрый день.\n", encoding="utf-8")
    result = run(src, "-o", out)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and all(line.startswith("Error: ") for line in errors)
    assert errors[-1] == f"Error: {out}: no document could be built: no edition was published"
    assert "failed 2" in result.stdout and "nothing published" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
    corpus(src, 1)
    assert run(src, "-o", out).exit_code == 1  # two still fail; the third is published
    assert_complete(out)


def test_a_first_build_of_no_source_publishes_nothing(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    report = build([tmp_path / "src"], tmp_path / "out")
    assert not report.ok and not report.published
    assert isinstance(report.unpublished, TeiEditionError)
    assert str(report.unpublished) == (f"{tmp_path / 'out'}: no transcript, saved page or TEI "
                                       f"file was found in the sources: no edition was published")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_removing_every_source_of_an_edition_still_publishes_the_removal(tmp_path: Path) -> None:
    sources = corpus(tmp_path / "src")
    assert build([tmp_path / "src"], tmp_path / "out", BuildOptions(jobs=1)).ok
    for path in sources:
        path.unlink()
    report = build([tmp_path / "src"], tmp_path / "out")
    assert report.ok and report.published
    assert not list((tmp_path / "out" / "tei").iterdir())


def test_the_commands_output_ends_with_it_not_with_the_removal_of_older_builds(
        tmp_path: Path) -> None:
    """The process that removes the builds a rebuild replaced is not waited for, and holds
    none of the command's streams: a script that reads the output through a pipe has all
    of it, to its end, once the command exits (here the removal is made to take a minute,
    by a ``sitecustomize`` that only the removing process acts on)."""
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "sitecustomize.py").write_text(
        "import sys, time\nif 'shutil.rmtree' in ' '.join(sys.orig_argv):\n    time.sleep(60)\n",
        encoding="utf-8")
    sources, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOT / "examples", sources)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(slow), str(ROOT)])}
    command = [sys.executable, "-m", "tei", "build", str(sources), "-o", str(out), "--no-search"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    transcript = sources / "64534.txt"
    transcript.write_text(transcript.read_text(encoding="utf-8") + "\nВ.Путин: Спасибо.\n",
                          encoding="utf-8")
    done = subprocess.run(command, env=env, capture_output=True, timeout=30)
    assert done.returncode == 0 and b"Built 1," in done.stdout
    assert [p.name for p in (tmp_path / ".out.builds").iterdir() if p.name.startswith(".")]
