"""Incremental search bundles: which pages a rebuild indexes into a year's delta, when the year is
indexed afresh (compaction), and what the build writes; the browser side is in
``tests/render/test_search_browser.py``."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tei.corpus.delta
import tei.corpus.search
from build_support import bench_module, write_change
from tei.corpus import build
from tei.corpus.delta import (DELTA_PAGES, ENTRY_KEY, VOCABULARY, Action, base_vocabulary,
                              compacts, forget_vocabularies, plan, vocabulary_aside)
from tei.corpus.search import SHARDS, Pagefind, start_vocabularies
from tei.corpus.stable import read_filter, read_meta

PAGES = [f"html/p{n:02d}.html" for n in range(40)]


def changed_only(*pages: str) -> Callable[[str], bool]:
    return lambda page: page in pages


def test_a_bundle_without_a_base_to_keep_is_indexed_afresh() -> None:
    assert plan(PAGES, None) == plan(PAGES, None, changed=changed_only())
    assert plan(PAGES, None).action is Action.FRESH and plan(PAGES, None).base == tuple(PAGES)


def test_nothing_changed_keeps_the_base_and_indexes_nothing() -> None:
    kept = plan(PAGES, PAGES, changed=changed_only())
    assert kept.action is Action.KEEP and kept.delta == () and kept.superseded == ()


def test_a_changed_page_goes_into_the_delta_and_supersedes_its_base_version() -> None:
    one = plan(PAGES, PAGES, changed=changed_only("html/p03.html"))
    assert one.action is Action.DELTA and one.base == tuple(PAGES)
    assert one.delta == ("html/p03.html",) and one.superseded == ("html/p03.html",)
    assert one.reindex_delta
    same = plan(PAGES, PAGES, one.delta, one.superseded, changed_only())
    assert same.action is Action.KEEP and same.delta == one.delta and not same.reindex_delta
    again = plan(PAGES, PAGES, one.delta, one.superseded, changed_only("html/p03.html"))
    assert again.action is Action.DELTA and again.delta == one.delta and again.reindex_delta
    two = plan(PAGES, PAGES, one.delta, one.superseded, changed_only("html/p07.html"))
    assert two.delta == ("html/p03.html", "html/p07.html") == two.superseded


def test_an_added_page_goes_into_the_delta_a_removed_one_is_only_superseded() -> None:
    added = plan([*PAGES, "html/new.html"], PAGES, changed=changed_only("html/new.html"))
    assert added.delta == ("html/new.html",) and added.superseded == ()
    removed = plan(PAGES[1:], PAGES, changed=changed_only())
    assert removed.action is Action.DELTA and removed.delta == ()
    assert removed.superseded == (PAGES[0],) and not removed.reindex_delta
    gone_again = plan(PAGES, PAGES, added.delta, added.superseded, changed_only())
    assert gone_again.action is Action.KEEP and gone_again.delta == ()  # the new page removed


def test_a_delta_past_its_limit_compacts_the_year() -> None:
    assert not compacts(DELTA_PAGES, 1000) and compacts(DELTA_PAGES + 1, 1000)
    assert not compacts(2, 8) and compacts(3, 8)  # at most a quarter of the bundle
    many = [f"html/q{n:03d}.html" for n in range(200)]
    changed = many[:DELTA_PAGES + 1]
    assert plan(many, many, changed=changed_only(*changed)).action is Action.FRESH
    assert plan(many, many, changed=changed_only(*changed[:-1])).action is Action.DELTA
    assert plan(PAGES, PAGES, changed=changed_only(*PAGES[:11])).action is Action.FRESH
    assert plan(PAGES[10:], PAGES, changed=changed_only()).action is Action.DELTA  # 10 gone
    assert plan(PAGES[:29], PAGES, changed=changed_only()).action is Action.FRESH  # 11 gone


def search_files(out: Path) -> dict[str, bytes]:
    top = out.resolve()
    return {p.relative_to(top).as_posix(): p.read_bytes()
            for p in sorted((top / "search").rglob("*")) if p.is_file()}


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The bundles Pagefind indexes (folder name, pages), as the build runs it."""
    found: list[tuple[str, int]] = []
    run = Pagefind.index

    def counted(self: Pagefind, site_dir: Path, bundle: Path, lang: str) -> None:
        found.append((bundle.name, sum(1 for p in site_dir.rglob("*.html")
                                       if p.name != "vocabulary.html")))
        run(self, site_dir, bundle, lang)

    monkeypatch.setattr(Pagefind, "index", counted)
    return found


def test_rebuilds_index_the_changed_page_alone_until_the_year_is_compacted(
        tmp_path: Path, indexed: list[tuple[str, int]]) -> None:
    src, out, again = tmp_path / "src", tmp_path / "out", tmp_path / "again"
    paths = bench_module().make_corpus(8, src, "64534")  # eight transcripts of 2015
    shutil.copytree(src, tmp_path / "src-again")
    assert build([src], out).ok and indexed == [("2015-ru", 8)]
    base = out.resolve() / "search" / "2015-ru"
    inodes = {p.name: p.stat().st_ino for p in (base / "fragment").iterdir()}

    indexed.clear()
    write_change(paths[3], None, "Зюзюкварк.")
    assert build([src], out).ok
    assert indexed == [("2015-ru-delta", 1)]  # the changed page alone
    assert (out / "search" / "2015-ru-delta" / VOCABULARY).is_file()  # (and its base's words)
    record = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]
    assert record["superseded"] == record["delta"]["pages"] == ["html/kremlin-100003.html"]
    base = out.resolve() / "search" / "2015-ru"
    assert {p.name: p.stat().st_ino for p in (base / "fragment").iterdir()} == inodes  # kept
    years = read_filter(base, "year")
    assert len(years) == 1 and len(years[0][1]) == 7  # its old version is in no filter
    assert all(len(order) == 7 for _, order in read_meta(base)[4])  # and in no sort
    entry = json.loads((base / "pagefind-entry.json").read_bytes())
    assert entry[ENTRY_KEY] == {"deltas": ["search/2015-ru-delta/"], "years": ["2015"]}
    first_delta = search_files(out)

    indexed.clear()
    assert build([src], out).published is False and indexed == []  # unchanged: nothing

    write_change(paths[3], "Зюзюкварк.", "Квакозябра.")  # the same page again: the same delta
    assert build([src], out).ok and indexed == [("2015-ru-delta", 1)]
    indexed.clear()
    write_change(paths[5], None, "Зюзюкварк.")  # another page: the delta holds both
    assert build([src], out).ok and indexed == [("2015-ru-delta", 2)]
    incremental = search_files(out)
    indexed.clear()
    write_change(paths[6], None, "Зюзюкварк.")  # three of eight: the year afresh
    assert build([src], out).ok and indexed == [("2015-ru", 8)]
    assert not (out / "search" / "2015-ru-delta").exists()
    compacted = search_files(out)

    indexed.clear()
    assert build([src], again).ok  # a cold build of the same sources: the very same files
    assert search_files(again) == compacted
    assert incremental != compacted  # (before compaction they differed)

    twice = tmp_path / "twice"  # the same builds again give the same files
    assert build([tmp_path / "src-again"], twice).ok
    write_change(tmp_path / "src-again" / paths[3].name, None, "Зюзюкварк.")
    assert build([tmp_path / "src-again"], twice).ok
    assert search_files(twice) == first_delta


@pytest.mark.parametrize("damaged", ["2015-ru", "2015-ru-delta"])
def test_a_bundle_whose_file_a_user_deleted_is_indexed_afresh_never_linked_broken(
        tmp_path: Path, indexed: list[tuple[str, int]], damaged: str) -> None:
    src, out, cold = tmp_path / "src", tmp_path / "out", tmp_path / "cold"
    paths = bench_module().make_corpus(8, src, "64534")  # eight transcripts of 2015
    assert build([src], out).ok
    write_change(paths[3], None, "Зюзюкварк.")
    assert build([src], out).ok  # the year's base and a delta of one page
    fragments = out.resolve() / "search" / damaged / "fragment"
    sorted(fragments.iterdir())[0].unlink()  # a user deletes one file of the bundle

    indexed.clear()
    write_change(paths[5], None, "Квакозябра.")
    assert build([src], out).ok
    assert indexed == [("2015-ru", 8)]  # the year afresh, not a delta over a broken base
    assert not (out / "search" / "2015-ru-delta").exists()
    record = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]
    assert "delta" not in record and "superseded" not in record
    assert all((out / path).is_file() for path in record["files"])
    assert build([src], cold).ok  # every page found as a cold build finds it: the same files
    assert search_files(out) == search_files(cold)


def test_a_bases_words_made_aside_are_those_made_here(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A delta's vocabulary is made by a process of its own (its CPU then is the other
    core's); it is the vocabulary made in the build's process, and made there when no
    process can be started."""
    out = tmp_path / "out"
    assert build([], out).ok
    bundle = out.resolve() / "search" / "2020-ru"
    here = base_vocabulary(bundle)
    words = gzip.decompress(here).decode().split("\n")
    assert len(words) > 500 and "COVID-19" in words and words == sorted(words)
    with monkeypatch.context() as patched:  # not made in this process
        patched.setattr(tei.corpus.delta, "base_vocabulary", lambda folder: b"")
        assert vocabulary_aside(bundle) == here
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    assert vocabulary_aside(bundle) == here


def test_a_first_deltas_vocabulary_is_started_as_the_rebuild_begins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The year of a changed page has no delta yet: its base's vocabulary is started before
    the changed document is built, and that one is the delta's; once the year has a delta
    (which keeps the vocabulary), none is started; one started for nothing is ended."""
    src, out = tmp_path / "src", tmp_path / "out"
    paths = bench_module().make_corpus(8, src, "64534")  # eight transcripts of 2015
    assert build([src], out).ok
    started: list[Path] = []
    start = tei.corpus.delta.start_vocabulary

    def recorded(folder: Path) -> None:
        started.append(folder)
        start(folder)

    monkeypatch.setattr(tei.corpus.search, "start_vocabulary", recorded)
    processes: list[Path] = []
    process_of = tei.corpus.delta._vocabulary_process

    def counted(folder: Path) -> Any:
        processes.append(folder)
        return process_of(folder)

    monkeypatch.setattr(tei.corpus.delta, "_vocabulary_process", counted)
    base = out.resolve() / "search" / "2015-ru"
    write_change(paths[3], None, "Зюзюкварк.")
    assert build([src], out).ok
    assert started == [base] and processes == [base]  # the process started is the one used
    kept = out.resolve() / "search" / "2015-ru"  # the base, linked into the new build
    assert (out / "search" / "2015-ru-delta" / VOCABULARY).read_bytes() == base_vocabulary(kept)
    assert tei.corpus.delta._started == {}
    started.clear()
    write_change(paths[5], None, "Зюзюкварк.")
    assert build([src], out).ok and started == []

    bundle = out.resolve() / "search" / "2015-ru"
    start(bundle)
    process = tei.corpus.delta._started[bundle]
    forget_vocabularies()
    assert tei.corpus.delta._started == {} and process.returncode is not None


def test_vocabularies_are_started_for_first_deltas_only_and_one_a_core(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not for a year with a delta already (its delta keeps the words), nor one that will be
    indexed afresh, nor one no changed page is in; at most one process a core."""
    pages = {name: [f"html/{name}-{n:02d}.html" for n in range(40)]
             for name in ("2015-ru", "2016-ru", "2017-ru", "2018-ru", "2019-ru")}
    shards = {name: {"pages": found} for name, found in pages.items()}
    shards["2016-ru"]["delta"] = {"pages": [pages["2016-ru"][0]]}
    (tmp_path / SHARDS).parent.mkdir(parents=True)
    (tmp_path / SHARDS).write_text(json.dumps({"shards": shards}), encoding="utf-8")
    changed = {pages["2015-ru"][1], pages["2016-ru"][1], *pages["2017-ru"][:11],
               pages["2019-ru"][5], "html/elsewhere.html"}
    started: list[str] = []
    monkeypatch.setattr(tei.corpus.search, "start_vocabulary",
                        lambda folder: started.append(folder.name))
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    start_vocabularies(tmp_path, changed)
    assert started == ["2015-ru", "2019-ru"]  # 2016: a delta; 2017: afresh; 2018: untouched
    started.clear()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    start_vocabularies(tmp_path, changed)
    assert started == ["2015-ru"]


def words_by_json(folder: Path) -> bytes:
    """A bundle's vocabulary as first made: every fragment read as JSON."""
    words: set[str] = set()
    for path in (folder / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        words.update(fragment["content"].split())
        words.update(fragment["meta"].get("title", "").split())
    return gzip.compress("\n".join(sorted(words)).encode(), compresslevel=6, mtime=0)


def test_the_words_of_real_bundles_are_those_their_json_has(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([], out).ok
    bundles = sorted(p for p in (out.resolve() / "search").iterdir() if p.is_dir())
    assert len(bundles) == 4  # 2018 en, 2020 ru, 2024 ru and en
    for bundle in bundles:
        assert base_vocabulary(bundle) == words_by_json(bundle), bundle.name


SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]
"""Every character str.split cuts at (ASCII's, the separators \\x1c-\\x1f, NBSP, U+2009...)."""
TEXT = st.lists(st.one_of(st.text(max_size=6), st.sampled_from([*SPACES, '"', "\\", "\x00"])),
                max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(content=TEXT, title=TEXT, url=st.text())
def test_the_words_of_any_fragment_are_those_its_json_has(content: str, title: str,
                                                           url: str) -> None:
    """Text with quotes, backslashes, control characters and every kind of whitespace: the
    shortcut through the bytes gives the words JSON does, or leaves the fragment to it."""
    fragment = {"url": url, "content": content, "word_count": 1,
                "filters": {"year": ["2020"]}, "meta": {"title": title, "date": "1"},
                "anchors": [{"element": "p", "id": "p1", "text": title, "location": 0}]}
    data = b"pagefind_dcd" + json.dumps(fragment, ensure_ascii=False,
                                        separators=(",", ":")).encode()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "fragment").mkdir()
        (Path(folder) / "fragment" / "x.pf_fragment").write_bytes(gzip.compress(data))
        assert base_vocabulary(Path(folder)) == words_by_json(Path(folder))
