"""What a rebuild does on disk besides its outputs: it reads a source again only when its
stat changed, and flushes what it wrote, and only that (issue 17, item 1)."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from build_support import assert_complete, store_is_tidy, write_change
from test_build_safety import change, corpus, run

import tei.corpus.manifest
import tei.corpus.sources
import tei.corpus.stages
import tei.corpus.store
from tei.corpus import BuildOptions, BuildReport, build
from tei.corpus.layered import BASES
from tei.corpus.layout import MANIFEST
from tei.corpus.manifest import load_manifest
from tei.corpus.store import sync_build

SOURCES = ("64534.txt", "8015.html")
FOLDERS = ("kremlin-ru", "kremlin-en-more")


@pytest.fixture()
def hashed(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Two real transcripts in ``tmp_path/src``; the names of the sources each build hashes
    (recorded here). Files just written count as settled (no wait for their clock's tick)."""
    (tmp_path / "src").mkdir()
    for folder, name in zip(FOLDERS, SOURCES):
        (tmp_path / "src" / name).write_bytes((data_dir / folder / name).read_bytes())
    monkeypatch.setattr(tei.corpus.sources, "RACY_NS", 0)
    names: list[str] = []
    real = tei.corpus.sources.hash_file

    def hash_file(path: str | os.PathLike[str]) -> str:
        names.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(tei.corpus.sources, "hash_file", hash_file)
    return names


def _build(tmp_path: Path) -> BuildReport:
    return build([tmp_path / "src"], tmp_path / "out", BuildOptions(search=False))


def test_a_source_whose_stat_is_unchanged_is_not_read_again(
        hashed: list[str], tmp_path: Path) -> None:
    """A rebuild reads no source whose size, times, inode and device are as recorded; one
    touched (new times, same content) is read again and found unchanged."""
    assert _build(tmp_path).built == 2
    assert sorted(hashed) == sorted(SOURCES)
    hashed.clear()
    assert _build(tmp_path).unchanged == 2 and hashed == []
    os.utime(tmp_path / "src" / SOURCES[0])
    report = _build(tmp_path)
    assert (report.built, report.unchanged, hashed) == (0, 2, [SOURCES[0]])


def test_a_rebuild_looks_at_each_source_once(hashed: list[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged rebuild takes one stat of each source (when it is found: hashing goes by
    that one) and none of a sidecar its folder's listing did not show."""
    assert _build(tmp_path).built == 2
    src = tmp_path / "src"
    seen: list[str] = []
    real = os.stat

    def counted(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if isinstance(path, (str, os.PathLike)) and os.path.dirname(os.fspath(path)) == str(src):
            seen.append(os.path.basename(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counted)
    assert _build(tmp_path).unchanged == 2
    assert sorted(seen) == sorted(SOURCES)


def test_a_sidecar_put_beside_an_unchanged_source_is_read(hashed: list[str],
                                                          tmp_path: Path) -> None:
    """A sidecar added to a transcript whose own stat did not move changes its hash: the
    transcript is built again, with the sidecar's title."""
    assert _build(tmp_path).built == 2
    (tmp_path / "src" / "64534.meta.toml").write_text('title = "Заседание с коляской"\ndate = 2020-12-02\n',
                                                     encoding="utf-8")
    hashed.clear()
    report = _build(tmp_path)
    assert (report.built, report.unchanged) == (1, 1) and hashed == [SOURCES[0], "64534.meta.toml"]
    assert any("Заседание с коляской" in path.read_text(encoding="utf-8")
               for path in (tmp_path / "out" / "tei").iterdir())


def test_same_size_and_restored_mtime_is_still_seen_as_changed(
        hashed: list[str], tmp_path: Path) -> None:
    """Content changed to as many bytes, its modification time set back: the change time
    still moves, so the source is read again and rebuilt."""
    assert _build(tmp_path).built == 2
    path = tmp_path / "src" / SOURCES[0]
    before = os.stat(path)
    data = path.read_bytes()
    end = data.rindex("Путин".encode())
    path.write_bytes(data[:end] + "Путен".encode() + data[end + len("Путин".encode()):])
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    hashed.clear()
    report = _build(tmp_path)
    assert (report.built, report.unchanged, hashed) == (1, 1, [SOURCES[0]])


def _rebuilt_page(tmp_path: Path) -> tuple[Path, Path]:
    """A current build and a staged one: ``html/old.html`` linked from it, ``html/new.html``
    written afresh."""
    current, staged = tmp_path / "current", tmp_path / "builds" / "staged"
    (current / "html").mkdir(parents=True)
    (staged / "html").mkdir(parents=True)
    (current / "html" / "old.html").write_text("unchanged")
    os.link(current / "html" / "old.html", staged / "html" / "old.html")
    (staged / "html" / "new.html").write_text("rebuilt")
    return current, staged


def test_sync_build_flushes_what_the_build_wrote_not_what_it_linked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before a build is published, its own files, its folders (where its links are) and
    its entry are flushed; files linked from the current build are on disk already."""
    current, staged = _rebuilt_page(tmp_path)
    (staged / "index.html").write_text("rebuilt")
    os.symlink("index.html", staged / "home.html")
    flushed: list[str] = []
    monkeypatch.setattr(tei.corpus.store, "_fsync", lambda path, flags: flushed.append(path))
    sync_build(staged)
    assert sorted(os.path.relpath(path, tmp_path) for path in flushed) == [
        "builds", "builds/staged", "builds/staged/html", "builds/staged/html/new.html",
        "builds/staged/index.html"]


def test_sync_build_told_the_current_build_flushes_each_file_not_linked_from_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Told the current build, it tells a linked file by its inode there (no stat of each
    file): a file the build wrote is flushed even if it has another link elsewhere, one
    linked from the current build is not."""
    current, staged = _rebuilt_page(tmp_path)
    os.link(staged / "html" / "new.html", tmp_path / "elsewhere.html")
    (staged / "index.html").write_text("rebuilt")
    flushed: list[str] = []
    monkeypatch.setattr(tei.corpus.store, "_fsync", lambda path, flags: flushed.append(path))
    sync_build(staged, current)
    assert sorted(os.path.relpath(path, tmp_path) for path in flushed) == [
        "builds", "builds/staged", "builds/staged/html", "builds/staged/html/new.html",
        "builds/staged/index.html"]


def test_sync_build_of_many_written_files_syncs_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that wrote more files than a flush each is worth (a first build) syncs once."""
    (tmp_path / "staged").mkdir()
    for number in range(3):
        (tmp_path / "staged" / f"{number}.html").write_text("new")
    calls: list[str] = []
    monkeypatch.setattr(tei.corpus.store, "FSYNC_FILES", 2)
    monkeypatch.setattr(tei.corpus.store, "_fsync", lambda path, flags: calls.append(path))
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    sync_build(tmp_path / "staged")
    assert calls == ["sync"]


def test_sync_build_really_flushes(tmp_path: Path) -> None:
    """Unpatched, it opens and flushes every one of them without error (folders too)."""
    (tmp_path / "staged" / "html").mkdir(parents=True)
    (tmp_path / "staged" / "html" / "a.html").write_text("a")
    sync_build(tmp_path / "staged")


def test_a_manifest_of_format_1_still_loads(hashed: list[str], tmp_path: Path) -> None:
    """A manifest of the earlier layout (format 1: every entry and page in ``manifest.json``,
    indented, as an earlier version could write it) reads as the same record, and a
    rebuild over it carries every document."""
    assert _build(tmp_path).built == 2
    path = tmp_path / "out" / MANIFEST
    written = load_manifest(tmp_path / "out")
    documents = {key: {name: getattr(entry, name) for name in entry.__slots__}
                 for key, entry in written.documents.items()}
    path.write_bytes(json.dumps({"format": 1, "tool": written.tool, "settings": written.settings,
                                 "pages": written.pages, "documents": documents},
                                ensure_ascii=False, indent=1).encode())
    assert load_manifest(tmp_path / "out") == written
    hashed.clear()
    assert _build(tmp_path).unchanged == 2 and hashed == []


def test_the_manifest_lists_one_source_a_line_and_a_rebuild_writes_only_what_changed(
        hashed: list[str], tmp_path: Path) -> None:
    """The first build writes each map of the manifest in full, in a base (one source a
    line); a rebuild that changed one source links that base and writes that source's
    entry alone, and reads as a build from scratch of the same sources."""
    assert _build(tmp_path).built == 2
    out = tmp_path / "out"
    first = json.loads((out / MANIFEST).read_bytes())
    base = out / BASES / first["documents"]["base"]
    assert len(base.read_bytes().splitlines()) == 2 + len(SOURCES)  # braces, sources
    assert first["documents"]["set"] == {} and first["pages"]["set"] == {}
    change(tmp_path / "src" / SOURCES[0])
    assert _build(tmp_path).built == 1
    second = json.loads((out / MANIFEST).read_bytes())
    assert second["documents"]["base"] == first["documents"]["base"]
    assert (out / BASES / second["documents"]["base"]).stat().st_ino == base.stat().st_ino
    assert list(second["documents"]["set"]) == [str(tmp_path / "src" / SOURCES[0])]
    rebuilt = load_manifest(out)
    assert build([tmp_path / "src"], tmp_path / "cold", BuildOptions(search=False)).built == 2
    cold = load_manifest(tmp_path / "cold")
    assert (rebuilt.pages, rebuilt.settings) == (cold.pages, cold.settings)
    assert ({key: (e.hash, e.outputs, e.item, e.versions) for key, e in rebuilt.documents.items()}
            == {key: (e.hash, e.outputs, e.item, e.versions) for key, e in cold.documents.items()})


def test_a_manifest_whose_base_is_gone_rebuilds_everything(hashed: list[str],
                                                           tmp_path: Path) -> None:
    """Without its base a manifest says nothing: every source is built again (and the
    build that replaces it is whole)."""
    assert _build(tmp_path).built == 2
    out = tmp_path / "out"
    for base in (out / BASES).iterdir():
        if base.name.startswith("manifest-documents."):
            base.unlink()
    assert load_manifest(out).documents == {}
    assert _build(tmp_path).built == 2
    assert len(load_manifest(out).documents) == 2

def test_one_changed_source_is_built_in_the_build_process_and_fails_alone(
        hashed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild of one source runs it here, not in a worker (a stage patched in this
    process is seen); a bug there fails that source only: its last build is kept, the
    other document published as before."""
    assert _build(tmp_path).built == 2
    before = (tmp_path / "out" / "tei" / "kremlin-64534.xml").read_bytes()
    (tmp_path / "src" / SOURCES[0]).write_bytes(
        (tmp_path / "src" / SOURCES[0]).read_bytes().replace("Путин".encode(), "Путен".encode(), 1))

    ran_in: list[int] = []

    def broken(build: object, context: object) -> None:
        ran_in.append(os.getpid())
        raise RuntimeError("a bug")

    monkeypatch.setattr(tei.corpus.stages, "STAGES", [broken])
    report = _build(tmp_path)
    assert (report.built, report.unchanged, ran_in) == (0, 1, [os.getpid()])
    assert [str(error) for error in report.failures] == [
        f"{tmp_path / 'src' / SOURCES[0]}: internal error, please report it: RuntimeError: a bug"]
    assert (tmp_path / "out" / "tei" / "kremlin-64534.xml").read_bytes() == before
    assert (tmp_path / "out" / "html" / "kremlin-en-8015.html").is_file()


def test_a_source_whose_output_went_missing_is_built_again(
        hashed: list[str], tmp_path: Path) -> None:
    """The current build's files are listed folder by folder, not looked up one by one:
    a document whose text edition was deleted from the edition is still built again."""
    assert _build(tmp_path).built == 2
    (tmp_path / "out" / "text" / "kremlin-64534.txt").unlink()
    report = _build(tmp_path)
    assert (report.built, report.unchanged) == (1, 1)
    assert (tmp_path / "out" / "text" / "kremlin-64534.txt").is_file()


def test_an_os_error_of_a_copy_made_in_the_background_keeps_the_previous_edition(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild copies the runs of unchanged documents into its spliced files (``turns.tsv``,
    a speaker's downloads) in a thread of its own: a copy that fails there (a full disk) stops
    the build as a failure in the build's own thread does: nothing is published, the staged
    build is removed, the previous edition stays, and the error says so in one line."""
    src, out = tmp_path / "src", tmp_path / "out"
    first, _ = corpus(src)
    assert build([src], out).ok
    previous = assert_complete(out)
    change(first)
    threads: list[threading.Thread] = []

    def full(*args: Any) -> int:
        threads.append(threading.current_thread())
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "copy_file_range", full)
    monkeypatch.setattr(os, "pwrite", full)  # what is written where a range cannot be copied
    result = run(src, "-o", out, "--jobs", "1")
    monkeypatch.undo()
    assert threads and threading.main_thread() not in threads
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: no space left on device: the previous edition is kept\n"
    assert assert_complete(out) == previous
    assert store_is_tidy(out, previous)
    assert build([src], out).ok and assert_complete(out) != previous


def test_a_rebuild_stopped_before_its_manifest_keeps_the_edition_and_the_next_one_reads_it(
        hashed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk when the manifest is written (its bases linked or written already): the
    previous edition stays, its manifest whole, and the next rebuild carries what did not
    change over the same base."""
    assert _build(tmp_path).built == 2
    out = tmp_path / "out"
    before = out.resolve()
    first = json.loads((out / MANIFEST).read_bytes())
    change(tmp_path / "src" / SOURCES[0])

    def full(path: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    with monkeypatch.context() as patch:
        patch.setattr(tei.corpus.manifest, "atomic_write", full)
        with pytest.raises(Exception, match="previous edition is kept"):
            _build(tmp_path)
    assert out.resolve() == before and json.loads((out / MANIFEST).read_bytes()) == first
    assert len(load_manifest(out).documents) == 2
    report = _build(tmp_path)
    assert (report.built, report.unchanged) == (1, 1)
    assert json.loads((out / MANIFEST).read_bytes())["documents"]["base"] == \
        first["documents"]["base"]


def test_the_corpus_index_is_flushed_in_the_background_while_the_pages_are_written(
        hashed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The largest file of a rebuild (the corpus index, copied from the current build and
    updated) is handed to the thread that flushes as the pages are written (once their
    processes, if any, are forked), not left for the end; a flush that fails there (a disk
    error) stops the build with the previous edition kept."""
    import tei.corpus.changes
    import tei.corpus.scheduling
    from tei.errors import TeiEditionError

    assert _build(tmp_path).built == 2
    events: list[tuple[str, str]] = []
    real_later = tei.corpus.changes.Copies._flush_later
    real_flush, real_pages = tei.corpus.changes._flush_and_close, tei.corpus.scheduling.write_pages

    def later(self: tei.corpus.changes.Copies, fd: int) -> None:
        events.append(("handed", os.readlink(f"/proc/self/fd/{fd}")))
        real_later(self, fd)

    def flush(fd: int) -> None:
        events.append((threading.current_thread().name, os.readlink(f"/proc/self/fd/{fd}")))
        real_flush(fd)

    def write_pages(*args: Any, **kwargs: Any) -> Any:
        events.append(("pages", ""))
        try:
            return real_pages(*args, **kwargs)
        finally:
            events.append(("pages written", ""))

    monkeypatch.setattr(tei.corpus.changes.Copies, "_flush_later", later)
    monkeypatch.setattr(tei.corpus.changes, "_flush_and_close", flush)
    monkeypatch.setattr(tei.corpus.scheduling, "write_pages", write_pages)
    write_change(tmp_path / "src" / SOURCES[0], None, "Спасибо.")
    assert _build(tmp_path).built == 1
    index = [event for event in events if event[1].endswith("/.tei-edition/corpus.sqlite")]
    assert index[0][0] == "handed" and index[1][0].startswith("tei-flushes")
    assert (events.index(("pages", "")) < events.index(index[0])
            < events.index(("pages written", "")))

    def failing(fd: int) -> None:
        os.close(fd)
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(tei.corpus.changes, "_flush_and_close", failing)
    current = os.readlink(tmp_path / "out")
    write_change(tmp_path / "src" / SOURCES[0], None, "Да.")
    with pytest.raises(TeiEditionError, match="(?i)input/output error"):
        _build(tmp_path)
    assert os.readlink(tmp_path / "out") == current
    assert store_is_tidy(tmp_path / "out", current)
