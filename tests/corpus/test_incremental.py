"""A rebuild that rewrites only what changed publishes what a build from scratch would.

A dozen real documents (the CSTO transcript and twelve saved en.kremlin.ru pages)
are built; then one source changes three ways at once (a paragraph added, a
speaker renamed so a person stops speaking and another starts, its date moved
so it sorts elsewhere), one is added and one removed, and the edition is rebuilt
incrementally. Every published file must be byte for byte those of a build of the same
sources into a new folder, and the manifest (less the sources' stat, a cache) must read the
same, though the rebuild wrote it as a layer over the first build's base and the build from
scratch in full; the corpus index must hold the same rows.
"""

from __future__ import annotations

import json
import os
import shutil
import re
import sqlite3
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from tei.corpus import BuildOptions, build, registers
from tei.corpus.changes import Span, read_blocks
from tei.corpus.index import CorpusIndex, speech_path
from tei.corpus.layered import BASES
from tei.corpus.manifest import load_manifest
from tei.corpus.rows import Entity
from tei.corpus.layout import INDEX, MANIFEST, META_DIR

CSTO = "64534.txt"
ADDED = ("kremlin-en", "55017.html")
REMOVED = "8015.html"
SPEECH = speech_path(Path(INDEX)).as_posix()


def sources(data_dir: Path, src: Path) -> None:
    """The first sources: the CSTO transcript and the twelve saved pages."""
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / CSTO, src / CSTO)
    for page in sorted((data_dir / "kremlin-en-more").glob("*.html")):
        shutil.copy(page, src / page.name)


def change(data_dir: Path, src: Path) -> None:
    """One source changed (paragraph, speaker, date), one added, one removed."""
    path = src / CSTO
    text = path.read_text(encoding="utf-8")
    assert "2020-12-02 13:15:00" in text and "\nТ.Мамытов:" in text
    text = text.replace("2020-12-02 13:15:00", "2009-01-15 10:00:00")
    text = text.replace("\nТ.Мамытов:", "\nС.Жапаров:")
    text = text.replace("\nВ.Путин: Добрый день!\n", "\nВ.Путин: Добрый день!\nЕщё одно слово.\n", 1)
    path.write_text(text, encoding="utf-8")
    shutil.copy(data_dir.joinpath(*ADDED), src / ADDED[1])
    (src / REMOVED).unlink()


def published(out: Path) -> dict[str, bytes]:
    """Every file of a build, by path, but the corpus index (compared by its rows: SQLite
    files differ in layout with the order rows were written), what was said in the
    documents built in the run (a rebuild's holds only those it built: the others' text is
    copied from the previous build's files) and the record of the runs of spliced files
    (byte ranges: the same files, but a document without turns has an empty run recorded
    when it was copied, none when it was written), and the bases of the build's own records
    (:mod:`tei.corpus.layered`): the manifest is compared as it reads."""
    root = out.resolve()
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            relative = os.path.relpath(os.path.join(folder, name), root)
            if (relative in (INDEX, SPEECH) or relative.startswith(f"{META_DIR}/blocks/")
                    or relative.startswith(f"{BASES}/")):
                continue
            found[relative] = Path(folder, name).read_bytes()
    found[MANIFEST] = _without_stat(out)
    return found


def _without_stat(out: Path) -> bytes:
    """The manifest as it reads, less each source's stat (a cache of when its hash was
    taken: the same source read in another second may have none)."""
    manifest = load_manifest(out.resolve())
    assert manifest.documents
    documents = {key: {name: value for name, value in vars_of(entry).items() if name != "stat"}
                 for key, entry in manifest.documents.items()}
    return json.dumps([manifest.settings, manifest.tool, manifest.pages, documents],
                      ensure_ascii=False, indent=1, sort_keys=True).encode()


def vars_of(entry: object) -> dict[str, object]:
    """An entry's fields by name."""
    return {name: getattr(entry, name) for name in entry.__slots__}  # type: ignore[attr-defined]


def blocks(out: Path, name: str) -> dict[str, dict[str, Span]]:
    """The byte ranges a build recorded under ``name``."""
    found = read_blocks(out.resolve(), name)
    assert found is not None
    return found.members


def index_rows(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """The rows of every table of a build's corpus index, sorted."""
    db = sqlite3.connect(out / INDEX)
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master "
                                               "WHERE type = 'table'")]
        return {table: sorted(db.execute(f"SELECT * FROM {table}"), key=repr)
                for table in tables}
    finally:
        db.close()


INODES: dict[str, int] = {}
"""The files of the register of persons in the first build, by name: their inodes."""

READ: list[tuple[tuple[str, ...], int | None]] = []
"""What the rebuild read of the persons and places: kinds and how many were asked for (None:
every one)."""



@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[Path, Path]:
    """The rebuilt edition and the same sources built from scratch."""
    work = tmp_path_factory.mktemp("incremental")
    src, out, cold = work / "src", work / "out", work / "cold"
    sources(data_dir, src)
    with pytest.MonkeyPatch.context() as patch:  # pages of 2 documents or more in runs
        patch.setattr(registers, "RUNS_FROM", 2)
        assert build([src], out, BuildOptions(jobs=2)).ok
        INODES.update({p.name: p.stat().st_ino for p in (out / "persons").iterdir()
                       if p.is_file()})
        change(data_dir, src)
        entities = CorpusIndex.entities

        def spy(self: CorpusIndex, kinds: tuple[str, ...], folded: bool = False,
                only: Collection[str] | None = None, texts: bool = True) -> Iterator[Entity]:
            READ.append((kinds, None if only is None else len(only)))
            return entities(self, kinds, folded, only, texts)

        patch.setattr(CorpusIndex, "entities", spy)
        report = build([src], out, BuildOptions(jobs=2))
        patch.setattr(CorpusIndex, "entities", entities)
        assert report.ok and report.published
        assert (report.built, report.unchanged) == (2, 11)
        assert build([src], cold, BuildOptions(jobs=2)).ok
    return out, cold


def test_a_rebuild_publishes_what_a_build_from_scratch_does(builds: tuple[Path, Path]) -> None:
    out, cold = builds
    rebuilt, fresh = published(out), published(cold)
    assert sorted(rebuilt) == sorted(fresh)
    differ = [path for path in fresh if rebuilt[path] != fresh[path]]
    assert differ == []


def test_the_rebuilt_corpus_index_holds_the_same_rows(builds: tuple[Path, Path]) -> None:
    out, cold = builds
    assert index_rows(out) == index_rows(cold)


def test_the_changes_reached_the_corpus_pages(builds: tuple[Path, Path]) -> None:
    out, _ = builds
    persons = out / "persons"
    assert (persons / "zhaparov-s.txt").is_file() or any(persons.glob("zhaparov*.txt"))
    assert not any(persons.glob("mamytov*.txt"))  # named in the text, no longer speaking
    turns = (out / "turns.tsv").read_text(encoding="utf-8")
    assert "Ещё одно слово." in turns and "kremlin-8015" not in turns
    documents = (out / "documents.tsv").read_text(encoding="utf-8").splitlines()
    assert documents[2].split("\t")[0] == "kremlin-64534"
    assert documents[2].split("\t")[1].startswith("2009-01-15")


def test_a_page_of_many_documents_is_written_in_runs(builds: tuple[Path, Path]) -> None:
    out, _ = builds
    runs = blocks(out, "persons")["persons/putin-vladimir.html"]
    assert "kremlin-64534" in runs and len(runs) >= 5
    page = (out / "persons" / "putin-vladimir.html").read_bytes()
    start, end, _ = runs["kremlin-64534"]
    assert page[start:end].lstrip().startswith(b'<li class="occurrence"><a href="../html/kremlin-64534')


def test_a_rebuild_reads_only_the_persons_and_places_a_change_touched(
        builds: tuple[Path, Path]) -> None:
    out, _ = builds
    index = CorpusIndex(out / INDEX, read_only=True)
    try:
        persons = len(index.entity_ids("person")) + len(index.entity_ids("group"))
        places = len(index.entity_ids("place"))
    finally:
        index.close()
    assert READ and all(count is not None for _, count in READ)  # never every entity
    read = {kinds: count or 0 for kinds, count in READ}
    assert 0 < read[("person", "group")] < persons // 2  # those of the changed documents
    assert read[("place",)] < max(places, 2)


def test_index_html_is_written_in_runs_and_a_moved_row_moves(builds: tuple[Path, Path]) -> None:
    out, _ = builds
    runs = blocks(out, "index.html")["index.html"]
    page = (out / "index.html").read_bytes()
    start, end, _ = runs["kremlin-64534"]
    assert page[start:end].lstrip().startswith(b'<tr id="kremlin-64534">')
    rows = re.findall(rb'<tr id="([^"]+)">', page)
    documents = (out / "documents.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert [r.decode() for r in rows] == [line.split("\t")[0] for line in documents]
    assert rows.index(b"kremlin-64534") == 1  # its new date (2009) sorts it second
    assert sorted(runs) == sorted(r.decode() for r in rows)


def test_corpus_xml_writes_each_person_and_place_as_a_run(builds: tuple[Path, Path]) -> None:
    out, _ = builds
    runs = blocks(out, "corpus.xml")["corpus.xml"]
    corpus = (out / "corpus.xml").read_bytes()
    start, end, _ = runs["persons/putin-vladimir"]
    assert corpus[start:end].strip().startswith(b'<person xml:id="putin-vladimir">')
    assert any(name.startswith("places/") for name in runs)


def test_a_letter_page_writes_each_entry_as_a_run(builds: tuple[Path, Path]) -> None:
    out, _ = builds
    runs = blocks(out, "persons")["persons/a-z/p.html"]
    page = (out / "persons" / "a-z" / "p.html").read_bytes()
    start, end, _ = runs["putin-vladimir"]
    assert page[start:end].lstrip().startswith(b'<li class="person"><a href="../../persons/putin-vladimir.html">')


def test_a_rebuild_links_the_register_pages_no_change_touched(
        builds: tuple[Path, Path]) -> None:
    out, _ = builds
    kept = {p.name for p in (out / "persons").iterdir()
            if p.is_file() and INODES.get(p.name) == p.stat().st_ino}
    assert "putin-vladimir.html" not in kept  # he speaks in the changed document
    assert "mamytov-talant.html" not in kept  # no longer speaking: no downloads linked
    assert len(kept) > len(INODES) // 2  # the persons of the eleven pages that did not change


def test_a_failed_rebuild_leaves_the_published_build_untouched(tmp_path: Path,
                                                              data_dir: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    sources(data_dir, src)
    assert build([src], out, BuildOptions(jobs=1)).ok
    before = published(out)
    target = out.resolve()
    change(data_dir, src)
    with pytest.MonkeyPatch.context() as patch:
        def fail(*args: object, **kwargs: object) -> None:  # once the pages are written
            raise OSError(28, "No space left on device", str(target))

        patch.setattr(registers, "save_blocks", fail)
        with pytest.raises(Exception, match="previous edition is kept"):
            build([src], out, BuildOptions(jobs=1))
    assert out.resolve() == target
    assert published(out) == before


def test_a_rebuild_that_tips_the_corpus_language_writes_every_page_in_it(
        tmp_path: Path, data_dir: Path) -> None:
    """Two English pages and a Russian transcript: the corpus pages are in English. Another
    Russian transcript in, one English page out, and they are in Russian: every page in the
    other language, as a build from scratch writes it, none linked or copied with the words
    of the first."""
    src, out, cold = tmp_path / "src", tmp_path / "out", tmp_path / "cold"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / CSTO, src / CSTO)
    for page in ("13679.html", "17164.html"):
        shutil.copy(data_dir / "kremlin-en-more" / page, src / page)
    with pytest.MonkeyPatch.context() as patch:  # pages of 2 documents or more in runs
        patch.setattr(registers, "RUNS_FROM", 2)
        assert build([src], out, BuildOptions(jobs=1)).ok
        assert '<html lang="en"' in (out / "index.html").read_text(encoding="utf-8")
        text = (src / CSTO).read_text(encoding="utf-8")
        (src / "64999.txt").write_text(text.replace("/news/copy/64534", "/news/copy/64999"),
                                       encoding="utf-8")
        (src / "17164.html").unlink()
        assert build([src], out, BuildOptions(jobs=1)).ok
        assert build([src], cold, BuildOptions(jobs=1)).ok
    rebuilt, fresh = published(out), published(cold)
    assert '<html lang="ru"' in fresh["index.html"].decode()
    assert sorted(rebuilt) == sorted(fresh)
    assert [path for path in fresh if rebuilt[path] != fresh[path]] == []
