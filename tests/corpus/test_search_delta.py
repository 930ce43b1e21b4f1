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
from tei.corpus.delta import (DELTA_PAGES, ENTRY_KEY, VOCABULARIES, VOCABULARY, Action, Delta,
                              Plan, base_vocabulary, capacity, compacts, forget_vocabularies, plan,
                              stored_vocabulary, vocabulary_aside)
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
    assert kept.action is Action.KEEP and newest(kept) == () and kept.superseded == ()


def recorded(planned: Plan) -> tuple[Delta, ...]:
    """The deltas of a plan as the next build reads them back from its record."""
    return tuple(Delta(d.level, d.pages, d.superseded) for d in planned.deltas)


def after(planned: Plan, pages: list[str], *changed: str) -> Plan:
    """The plan of the next build, after ``planned``, with ``changed`` pages changed."""
    return plan(pages, planned.base, planned.superseded, recorded(planned),
                changed_only(*changed))


def newest(planned: Plan) -> tuple[str, ...]:
    """Every page whose version a plan's deltas give (new, or changed since its base)."""
    return tuple(sorted(page for delta in planned.deltas for page in delta.live))


def shape(planned: Plan) -> list[tuple[int, int, bool]]:
    """Each delta of a plan: its level, how many pages it indexes, whether it is indexed now."""
    return [(d.level, len(d.pages), d.reindex) for d in planned.deltas]


def test_a_changed_page_goes_into_the_delta_and_supersedes_its_base_version() -> None:
    one = plan(PAGES, PAGES, changed=changed_only("html/p03.html"))
    assert one.action is Action.DELTA and one.base == tuple(PAGES)
    assert one.deltas == (Delta(1, ("html/p03.html",), (), True),)
    assert newest(one) == ("html/p03.html",) and one.superseded == ("html/p03.html",)
    same = after(one, PAGES)
    assert same.action is Action.KEEP and newest(same) == newest(one)
    assert shape(same) == [(1, 1, False)]
    again = after(one, PAGES, "html/p03.html")
    assert again.action is Action.DELTA and newest(again) == newest(one)
    assert shape(again) == [(1, 1, True)]
    two = after(one, PAGES, "html/p07.html")
    assert newest(two) == ("html/p03.html", "html/p07.html") == two.superseded
    assert shape(two) == [(1, 2, True)]


def test_an_added_page_goes_into_the_delta_a_removed_one_is_only_superseded() -> None:
    added = plan([*PAGES, "html/new.html"], PAGES, changed=changed_only("html/new.html"))
    assert newest(added) == ("html/new.html",) and added.superseded == ()
    removed = plan(PAGES[1:], PAGES, changed=changed_only())
    assert removed.action is Action.DELTA and removed.deltas == ()
    assert removed.superseded == (PAGES[0],)
    gone_again = after(added, PAGES)  # the new page removed: its delta is dropped, not indexed
    assert gone_again.action is Action.DELTA and gone_again.deltas == ()
    assert after(gone_again, PAGES).action is Action.KEEP


YEAR = [f"html/q{n:03d}.html" for n in range(400)]


def test_a_full_first_delta_goes_with_the_pages_into_the_second() -> None:
    assert [capacity(level) for level in (1, 2, 3)] == [DELTA_PAGES, 4 * DELTA_PAGES,
                                                        16 * DELTA_PAGES]
    full = plan(YEAR, YEAR, changed=changed_only(*YEAR[:DELTA_PAGES]))
    assert shape(full) == [(1, DELTA_PAGES, True)]
    up = after(full, YEAR, YEAR[DELTA_PAGES])  # one more: 17 pages, into the second
    assert shape(up) == [(2, DELTA_PAGES + 1, True)] and up.action is Action.DELTA
    next_one = after(up, YEAR, YEAR[DELTA_PAGES + 1])  # a new first delta, the second kept
    assert shape(next_one) == [(1, 1, True), (2, DELTA_PAGES + 1, False)]
    changed_again = after(next_one, YEAR, YEAR[0])  # a page of the second, changed again
    first, second = changed_again.deltas
    assert first.pages == (YEAR[0], YEAR[DELTA_PAGES + 1]) and first.reindex
    assert second.superseded == (YEAR[0],) and not second.reindex
    assert newest(changed_again) == tuple(YEAR[:DELTA_PAGES + 2])  # each page's newest, once
    assert after(changed_again, YEAR).action is Action.KEEP


def test_the_deltas_past_a_quarter_of_the_year_compact_it() -> None:
    assert not compacts(100, 400) and compacts(101, 400)
    assert not compacts(2, 8) and compacts(3, 8)
    quarter = plan(YEAR, YEAR, changed=changed_only(*YEAR[:100]))
    level = next(level for level in range(1, 10) if capacity(level) >= 100)
    assert quarter.action is Action.DELTA and shape(quarter) == [(level, 100, True)]
    assert after(quarter, YEAR, YEAR[100]).action is Action.FRESH  # 101 of 400
    assert after(quarter, YEAR, YEAR[0]).action is Action.DELTA  # the same 100 pages
    assert plan(PAGES, PAGES, changed=changed_only(*PAGES[:11])).action is Action.FRESH
    assert plan(PAGES[10:], PAGES, changed=changed_only()).action is Action.DELTA  # 10 gone
    assert plan(PAGES[:29], PAGES, changed=changed_only()).action is Action.FRESH  # 11 gone


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["change", "add", "remove"]),
                          st.integers(min_value=0, max_value=10**6)), max_size=120))
def test_every_page_is_found_in_one_bundle_whatever_the_changes(
        steps: list[tuple[str, int]]) -> None:
    """Over any run of rebuilds, each changing, adding or removing a page of a year: each page's
    newest version is in exactly one bundle (the base or one delta) and a superseded one in none;
    no delta holds more than its size; a rebuild indexes the year afresh only once its deltas
    would hold a quarter of it, and otherwise at most the pages of the deltas it merges."""
    pages = list(YEAR[:200])
    state = plan(pages, None)
    added = 0
    for action, number in steps:
        changed: tuple[str, ...] = ()
        if action == "add":
            added += 1
            pages = sorted([*pages, f"html/r{added:04d}.html"])
            changed = (f"html/r{added:04d}.html",)
        elif action == "remove" and len(pages) > 1:
            pages = [p for p in pages if p != pages[number % len(pages)]]
        else:
            changed = (pages[number % len(pages)],)
        before = state
        state = after(state, pages, *changed)
        if state.action is Action.FRESH:
            assert state.base == tuple(pages) and state.deltas == ()
            assert compacts(len(newest(before)) + len(changed), len(pages)) or compacts(
                len(set(before.superseded) | set(changed)), len(before.base)) or not (
                set(before.base) - set(before.superseded) - set(changed))
            continue
        homes = [set(state.base) - set(state.superseded)] + [set(d.live) for d in state.deltas]
        assert sum(len(home) for home in homes) == len(pages)
        assert set().union(*homes) == set(pages)
        assert not set(state.superseded) & homes[0] and set(changed).isdisjoint(homes[0])
        for delta in state.deltas:
            assert len(delta.pages) <= capacity(delta.level)
            assert set(delta.superseded) <= set(delta.pages)
            assert not delta.reindex or delta.superseded == ()
        assert not compacts(len(newest(state)), len(pages))


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
    assert record["superseded"] == record["deltas"][0]["pages"] == ["html/kremlin-100003.html"]
    assert record["deltas"][0]["level"] == 1
    base = out.resolve() / "search" / "2015-ru"
    assert {p.name: p.stat().st_ino for p in (base / "fragment").iterdir()} == inodes  # kept
    years = read_filter(base, "year")
    assert len(years) == 1 and len(years[0][1]) == 7  # its old version is in no filter
    assert all(len(order) == 7 for _, order in read_meta(base)[4])  # and in no sort
    entry = json.loads((base / "pagefind-entry.json").read_bytes())
    assert entry[ENTRY_KEY] == {"deltas": [["search/2015-ru-delta/"]], "years": ["2015"]}
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


def test_a_full_delta_goes_into_a_larger_one_and_a_page_changed_again_is_superseded_there(
        tmp_path: Path, indexed: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Deltas of two pages, then four (instead of 16, 64…), on sixteen transcripts: the third
    changed page takes the first delta's two into a second, and a page of that second changed
    again is left out of its filters there and indexed into a new first delta."""
    monkeypatch.setattr(tei.corpus.delta, "DELTA_PAGES", 2)
    monkeypatch.setattr(tei.corpus.delta, "LEVEL_GROWTH", 2)
    src, out = tmp_path / "src", tmp_path / "out"
    paths = bench_module().make_corpus(16, src, "64534")
    assert build([src], out).ok and indexed == [("2015-ru", 16)]
    steps = [(3, [("2015-ru-delta", 1)]), (5, [("2015-ru-delta", 2)]),
             (6, [("2015-ru-delta2", 3)])]
    for number, expected in steps:
        indexed.clear()
        write_change(paths[number], None, f"Зюзюкварк{number}.")
        assert build([src], out).ok and indexed == expected
    search = out.resolve() / "search"
    assert not (search / "2015-ru-delta").exists()  # emptied into the second
    second = {p.name: p.stat().st_ino for p in (search / "2015-ru-delta2" / "fragment").iterdir()}

    indexed.clear()
    write_change(paths[5], "Зюзюкварк5.", "Квакозябра5.")
    assert build([src], out).ok and indexed == [("2015-ru-delta", 1)]
    search = out.resolve() / "search"
    assert {p.name: p.stat().st_ino
            for p in (search / "2015-ru-delta2" / "fragment").iterdir()} == second  # linked
    record = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]
    page = "html/kremlin-{:06d}.html".format
    assert record["superseded"] == [page(100000 + n) for n in (3, 5, 6)]
    assert [(d["level"], d["pages"], d.get("superseded")) for d in record["deltas"]] == [
        (1, [page(100005)], None),
        (2, [page(100000 + n) for n in (3, 5, 6)], [page(100005)])]
    years = read_filter(search / "2015-ru-delta2", "year")
    assert len(years) == 1 and len(years[0][1]) == 2  # the old version of 100005 in none
    entry = json.loads((search / "2015-ru" / "pagefind-entry.json").read_bytes())
    assert entry[ENTRY_KEY] == {"deltas": [["search/2015-ru-delta/"], ["search/2015-ru-delta2/"]],
                                "years": ["2015"]}  # a Pagefind for each size
    for name in ("2015-ru-delta", "2015-ru-delta2"):
        assert (search / name / VOCABULARY).is_file()  # each with its base's words

    indexed.clear()
    write_change(paths[7], None, "Зюзюкварк7.")  # four of sixteen: a quarter, still deltas
    assert build([src], out).ok and indexed == [("2015-ru-delta", 2)]
    indexed.clear()
    write_change(paths[8], None, "Зюзюкварк8.")  # five: past a quarter, the year afresh
    assert build([src], out).ok and indexed == [("2015-ru", 16)]
    assert sorted(p.name for p in (out.resolve() / "search").iterdir()) == [
        "2015-ru", "shards.json"]


def edit_record(out: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Change what the build at ``out`` recorded of the bundle ``name`` in ``shards.json``
    (written anew: the file is a hard link to the build before's)."""
    shards = out.resolve() / SHARDS
    data = json.loads(shards.read_bytes())
    edit(data["shards"][name])
    shards.unlink()
    shards.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                      encoding="utf-8")


def test_a_delta_recorded_before_deltas_had_sizes_is_kept_as_the_first(
        tmp_path: Path, indexed: list[tuple[str, int]]) -> None:
    """A build made before deltas had sizes recorded its one delta as ``delta``: the next
    build keeps it as the first delta, linked, not indexed again."""
    src, out = tmp_path / "src", tmp_path / "out"
    paths = bench_module().make_corpus(6, src, "all")  # Russian and English, of 2015
    assert build([src], out).ok
    write_change(paths[0], None, "Зюзюкварк.")
    assert build([src], out).ok
    first = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]["deltas"][0]

    def as_it_was_written(record: dict[str, Any]) -> None:
        del record["deltas"]
        record["delta"] = {"pages": first["pages"], "files": first["files"]}

    edit_record(out, "2015-ru", as_it_was_written)
    delta = out.resolve() / "search" / "2015-ru-delta"
    inodes = {p.name: p.stat().st_ino for p in (delta / "fragment").iterdir()}
    indexed.clear()
    write_change(paths[2], None, "Jabberwocky.")  # an English document: the Russian delta kept
    assert build([src], out).ok and indexed == [("2015-en", 2)]  # (one of two: afresh)
    record = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]
    assert "delta" not in record and record["deltas"] == [
        {"level": 1, "pages": first["pages"], "files": first["files"]}]
    delta = out.resolve() / "search" / "2015-ru-delta"
    assert {p.name: p.stat().st_ino for p in (delta / "fragment").iterdir()} == inodes


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
    assert "deltas" not in record and "superseded" not in record
    assert all((out / path).is_file() for path in record["files"])
    assert build([src], cold).ok  # every page found as a cold build finds it: the same files
    assert search_files(out) == search_files(cold)


@pytest.mark.parametrize("damage", [
    {"level": "x"}, {"level": None}, {"level": True}, {"level": 0},
    {"pages": "html/kremlin-100003.html"}, {"pages": [3]},
    {"superseded": "html/kremlin-100003.html"}, {"files": ["search/2015-ru-delta/x"]},
    {"files": {}}, None, {"base": {"superseded": 5}}, {"base": {"pages": [None]}}])
def test_a_damaged_record_of_a_years_bundles_never_stops_the_build(
        tmp_path: Path, indexed: list[tuple[str, int]], damage: dict[str, Any] | None) -> None:
    """A ``shards.json`` whose record of a year's base or delta is not what a build writes
    (edited by hand, damaged): the next build does not stop on it, and what it cannot trust it
    indexes again: every file it records is there, and both changed pages' new versions are
    in a bundle that gives them."""
    src, out = tmp_path / "src", tmp_path / "out"
    paths = bench_module().make_corpus(16, src, "64534")
    assert build([src], out).ok
    write_change(paths[3], None, "Зюзюкварк.")
    assert build([src], out).ok

    def damaged(record: dict[str, Any]) -> None:
        if damage is None:
            record["deltas"] = "not a list"
        elif "base" in damage:
            record.update(damage["base"])
        else:
            record["deltas"][0].update(damage)

    edit_record(out, "2015-ru", damaged)
    write_change(paths[5], None, "Квакозябра.")
    assert build([src], out).ok
    record = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]
    assert all((out / path).is_file() for bundle in (record, *record.get("deltas", ()))
               for path in bundle["files"])
    pages = {page for delta in record.get("deltas", ()) for page in delta["pages"]}
    assert {"html/kremlin-100003.html", "html/kremlin-100005.html"} <= pages | (
        set(record["pages"]) - set(record.get("superseded", ())))


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


def _stored_vocabularies(out: Path) -> dict[str, bytes]:
    """The vocabularies a build keeps in its own folder, by file name."""
    folder = out.resolve() / VOCABULARIES
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_bases_vocabulary_is_made_with_it_and_kept_for_its_first_delta(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build keeps each base's words in its own folder: the year's first delta takes
    them from there (no process started, none parsing the year's fragments), the same words;
    the next build carries them while the base is kept, and a base indexed afresh has its
    own."""
    src, out = tmp_path / "src", tmp_path / "out"
    paths = bench_module().make_corpus(8, src, "64534")  # eight transcripts of 2015
    assert build([src], out).ok
    base = out.resolve() / "search" / "2015-ru"
    record = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]
    name = Path(stored_vocabulary("2015-ru", record["files"])).name
    assert _stored_vocabularies(out) == {name: base_vocabulary(base)}
    started: list[Path] = []
    monkeypatch.setattr(tei.corpus.search, "start_vocabulary", started.append)
    monkeypatch.setattr(tei.corpus.delta, "_vocabulary_process", started.append)
    write_change(paths[3], None, "Зюзюкварк.")
    assert build([src], out).ok and started == []
    assert (out / "search" / "2015-ru-delta" / VOCABULARY).read_bytes() == base_vocabulary(
        out.resolve() / "search" / "2015-ru")
    assert _stored_vocabularies(out) == {name: base_vocabulary(base)}
    for path in paths[:3]:  # with the first, 4 of the year's 8 pages changed: indexed afresh
        write_change(path, None, "Зюзюкварк.")
    assert build([src], out).ok and not (out / "search" / "2015-ru-delta").exists()
    record = json.loads((out / SHARDS).read_bytes())["shards"]["2015-ru"]
    assert _stored_vocabularies(out).keys() == {
        Path(stored_vocabulary("2015-ru", record["files"])).name} != {name}


def test_a_first_deltas_vocabulary_is_started_as_the_rebuild_begins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Of a base that keeps no vocabulary (made by an earlier version): the year of a changed
    page has no delta yet, so its base's vocabulary is started before the changed document is
    built, and that one is the delta's, kept from then on; once the year has a delta (which
    keeps the vocabulary), none is started; one started for nothing is ended."""
    src, out = tmp_path / "src", tmp_path / "out"
    paths = bench_module().make_corpus(8, src, "64534")  # eight transcripts of 2015
    assert build([src], out).ok
    shutil.rmtree(out.resolve() / VOCABULARIES)
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
    assert list(_stored_vocabularies(out).values()) == [base_vocabulary(kept)]
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
    """Not for a year with a delta already (its delta keeps the words), nor one whose base
    keeps its vocabulary, nor one that will be indexed afresh, nor one no changed page is in;
    at most one process a core."""
    pages = {name: [f"html/{name}-{n:02d}.html" for n in range(40)]
             for name in ("2015-ru", "2016-ru", "2017-ru", "2018-ru", "2019-ru", "2020-ru")}
    shards = {name: {"pages": found, "files": {f"search/{name}/fragment/ru_{name}.pf_fragment": ""}}
              for name, found in pages.items()}
    shards["2016-ru"]["delta"] = {"pages": [pages["2016-ru"][0]]}
    (tmp_path / SHARDS).parent.mkdir(parents=True)
    (tmp_path / SHARDS).write_text(json.dumps({"shards": shards}), encoding="utf-8")
    stored = tmp_path / stored_vocabulary("2020-ru", shards["2020-ru"]["files"])
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"")
    changed = {pages["2015-ru"][1], pages["2016-ru"][1], *pages["2017-ru"][:11],
               pages["2019-ru"][5], pages["2020-ru"][2], "html/elsewhere.html"}
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
    """A bundle's vocabulary as first made, uncompressed: every fragment read as JSON."""
    words: set[str] = set()
    for path in (folder / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        words.update(fragment["content"].split())
        words.update(fragment["meta"].get("title", "").split())
    return "\n".join(sorted(words)).encode()


def test_the_words_of_real_bundles_are_those_their_json_has(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([], out).ok
    bundles = sorted(p for p in (out.resolve() / "search").iterdir() if p.is_dir())
    assert len(bundles) == 4  # 2018 en, 2020 ru, 2024 ru and en
    for bundle in bundles:
        assert gzip.decompress(base_vocabulary(bundle)) == words_by_json(bundle), bundle.name


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
        assert gzip.decompress(base_vocabulary(Path(folder))) == words_by_json(Path(folder))
