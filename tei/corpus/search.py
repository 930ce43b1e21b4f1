"""The edition's full-text search: Pagefind bundles, one per year and language, and ``search.html``.

Pagefind (``pip install 'pagefind[bin]'``) indexes the document pages the
build has just written (``html/<id>.html`` in the staged build) and writes a
static bundle that the browser searches with WebAssembly: no server beyond
one that serves files. What it indexes is marked in the templates
(``transform/html/edition.html``): the title and the text with its speaker
labels (``data-pagefind-body``), not the page furniture; the results' date and
place (``data-pagefind-meta``), the filters (language, year, place, source,
speaker) and the date to sort by.

Choices, measured (``bench/bench_search.py 2000``, 2,000 transcripts, the three
samples cycled, on a shared 2-core machine; the figures are in the README):

* **A page per document, hits placed by its anchors.** Pagefind records every
  element with an id and where it starts in the page's words, so the search
  page (its script) places each hit in its paragraph (``#p12``) or
  turn and shows the turn's speaker. The other way, a custom record per
  paragraph through the Python API, does not scale: the API's service loop
  reads one answer per 0.1 s (measured: 0.10 s a record), i.e. 13.5 hours for
  the 484,617 paragraphs of 2,000 sample-sized documents, against 137 s for
  their pages. (Its small records would make excerpts cheaper to fetch: a
  page's data is its whole text, some 90 KB compressed.)
* **Each page given as its indexed copy** (:func:`indexed_copy`): Pagefind keeps, with
  each anchor, the element's own text, a second copy of every paragraph in the fragment a
  result loads. The copy it is given has each paragraph's id on an empty paragraph before it:
  the same anchors (element, id, word location), no second copy. Measured with
  ``bench/bench_indexed_copy.py`` (120 documents, 3 runs each): 0.82x Pagefind's CPU, 0.52x
  the fragments (34 KB a page instead of 64, gzip).
* **The Pagefind binary, run on a folder of the pages' copies.** The Python
  API's ``add_html_file`` pays the same 0.1 s per page; the binary the
  ``pagefind_bin`` package ships indexes a folder in one run. It is found as
  the Python API finds it (:func:`pagefind_executable`, in the order of
  :func:`pagefind.service.get_executable`, whose module imports ``asyncio``: 20 ms of
  every build's search thread before Pagefind can start).
* **One bundle per year and language.** Pagefind keeps everything in memory
  while it indexes (2.6 MB and 25-100 ms per sample-sized document: 2,000
  documents took 5.2 GB and nearly 4 minutes in one run) and cannot update an
  index. A bundle per year bounds both (the largest Pagefind process: 681 MB,
  for a year of 244 documents), and a build that changes one document
  re-indexed that document's year and language (34 s, of which one bundle of
  243 documents; an unchanged rebuild: 0.6 s, nothing indexed); the others are
  carried over from the previous build (hard links) when none of their pages
  changed. Now a year whose pages changed keeps its bundle too, and only the
  pages changed since it was made are indexed, into a delta bundle
  (:mod:`tei.corpus.delta`): the files of ``search/`` then differ from a cold
  build's (the same answers, not the same files, until compaction or a cold
  build).
  Each bundle has one language (``--force-language``), so it is searched with
  that language's stemmer whatever the language of the page searching it:
  Pagefind's ``mergeIndex`` would search a merged index with the stemmer of
  the page's own language, so the search page opens one Pagefind instance per
  bundle and merges their results itself (by score, or by date: bundles of
  different years never interleave).
* **Byte-identical.** Pagefind writes the same bytes for the same pages
  (checked by building twice) except where it keeps things in randomly seeded
  hash maps: the languages of ``pagefind-entry.json`` (so each bundle has one)
  and the filters (so :mod:`tei.corpus.stable` rewrites them in order).

The files of the bundles, ``search/shards.json`` (the pages of each bundle, to
tell the next build which bundles it can keep; after an incremental build also
each bundle's superseded pages and its deltas) and ``search.html`` are listed
in the manifest like every corpus-wide output. ``build --no-search`` writes
none of them, and the pages then have no search box.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tei.corpus.delta import (VOCABULARY, Action, Delta, Plan, Previous, compacts, delta_suffix,
                              is_page_list, page_numbers, plan, previous_deltas,
                              recorded_deltas, set_entry_key, start_vocabulary,
                              stored_vocabulary, vocabulary_aside, vocabulary_of,
                              vocabulary_page, year_values)
from tei.corpus.index import CorpusIndex
from tei.corpus.linker import link
from tei.corpus.listing import tree
from tei.corpus.pages import Page, PageSettings, html_page
from tei.corpus.processes import ended_with_build
from tei.corpus.recycle import kept_all, write_new
from tei.corpus.stable import FormatError, make_stable
from tei.errors import TeiEditionError
from tei.outputs import HTML

SEARCH_DIR = "search"
"""The folder of the bundles, at the build's top."""
SHARDS = f"{SEARCH_DIR}/shards.json"
"""What each bundle was made from: language, year, pages and files."""
EXCLUDED = (".pnum",)
"""Elements inside the indexed text that are not words of it: paragraph numbers."""
KEPT = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
"""The files of a bundle that the search page loads (besides the index itself)."""
INDEX_FOLDERS = ("index", "fragment", "filter")
UNDATED = "undated"


class SearchError(TeiEditionError):
    """The search index could not be made (Pagefind missing or failing)."""


@dataclass(frozen=True, slots=True)
class Shard:
    """One Pagefind bundle: the pages of one year (or of no date) in one language."""

    lang: str
    year: str
    pages: tuple[str, ...]
    """The document pages it indexes, relative to the build's top, in order."""
    level: int = 0
    """0 for the year's bundle (its base), 1, 2… for its deltas: bundles of its pages changed
    since the base was made (:mod:`tei.corpus.delta`)."""

    @property
    def name(self) -> str:
        """``2020-ru``: the bundle's folder under ``search/`` (``2020-ru-delta``: its first
        delta, ``2020-ru-delta2`` the second)."""
        return f"{self.year}-{self.lang}{delta_suffix(self.level)}"

    @property
    def folder(self) -> str:
        """The bundle's folder, relative to the build's top."""
        return f"{SEARCH_DIR}/{self.name}"


def shards_of(index: CorpusIndex) -> list[Shard]:
    """The bundles of the corpus: one per year and language, in year order (undated last)."""
    pages: dict[tuple[str, str], list[str]] = {}
    languages: dict[str, str] = {}
    for doc, found_lang, when in index.document_languages():
        year = when[:4] if when and when[:4].isdigit() else UNDATED
        lang = languages.get(found_lang) or languages.setdefault(found_lang,
                                                                 _language(found_lang))
        pages.setdefault((year, lang), []).append(HTML.path(doc))
    return [Shard(lang, year, tuple(sorted(found)))
            for (year, lang), found in sorted(pages.items(),
                                              key=lambda item: (item[0][0] == UNDATED, item[0]))]


def _language(lang: str) -> str:
    """The ISO 639 code Pagefind stems by (``ru``, ``en``), from a document's language."""
    base = lang.split("-")[0].lower()
    return base if re.fullmatch(r"[a-z]{2,3}", base) else "unknown"


SEARCH_HTML = "search.html"
"""The results page, with the filters and the bundles it searches."""


def _search_page(shards: list[Shard]) -> Page:
    """The results page of ``shards``: each bundle's folder, language and year for its script
    (:meth:`SearchIndex.write` writes it from the bundles it has listed already)."""
    rows = [{"path": f"{shard.folder}/", "lang": shard.lang, "year": shard.year}
            for shard in shards]
    return html_page(SEARCH_HTML, "search", lambda _index: rows)


@dataclass(frozen=True, slots=True)
class Pagefind:
    """The Pagefind binary and its version."""

    executable: str
    version: str

    @classmethod
    def find(cls) -> Pagefind:
        """The binary the Python API would use; a :class:`SearchError` that says how to get
        it when there is none."""
        executable = pagefind_executable()
        if executable is None or not executable.is_file():
            raise SearchError("Pagefind is not installed: pip install 'pagefind[bin]' "
                              "(or build with --no-search)")
        version = _run([str(executable), "--version"]).strip()
        return cls(str(executable), version)

    def index(self, site: Path, out: Path, lang: str) -> None:
        """Index every page under ``site`` as ``lang`` into the bundle folder ``out``."""
        command = [self.executable, "--site", str(site), "--output-path", str(out),
                   "--force-language", lang, "--silent"]
        for selector in EXCLUDED:
            command += ["--exclude-selectors", selector]
        _run(command, long=True)


def pagefind_executable() -> Path | None:
    """The Pagefind binary, looked for where :func:`pagefind.service.get_executable` looks,
    in its order (a test holds the two to the same answer), without importing that module
    and, through it, ``asyncio``: the binary ``PAGEFIND_BINARY_PATH`` names, that of the
    ``pagefind_bin_extended`` or ``pagefind_bin`` package, else ``pagefind_extended`` or
    ``pagefind`` on the ``PATH``."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found = importlib.import_module(package).get_executable()
        except (ImportError, OSError):  # not installed, or its binary missing
            continue
        return Path(found)
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path is not None else None


def _run(command: list[str], long: bool = False) -> str:
    """Run Pagefind; its output, or a :class:`SearchError` with what it said. ``long``: a run
    that takes a while (indexing), so ended with the build if the build ends first
    (:func:`~tei.corpus.processes.ended_with_build`)."""
    guarded, env = ended_with_build(command) if long else (command, None)
    try:
        done = subprocess.run(guarded, capture_output=True, text=True, check=False, env=env)
    except OSError as error:
        raise SearchError(f"Pagefind could not be started: {error}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise SearchError(f"Pagefind failed ({done.returncode}): {said[-1] if said else ''}")
    return done.stdout


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _bundle_files(build_dir: Path, shard: Shard) -> dict[str, str]:
    """Every file of a bundle written in ``build_dir``, by path, with its SHA-256."""
    return {path: _sha256(build_dir / path)
            for path in sorted(tree(build_dir, shard.folder).files)}


def _prune(folder: Path) -> None:
    """Remove what the search page never loads: Pagefind's own interfaces, other wasm."""
    entry = json.loads((folder / "pagefind-entry.json").read_bytes())
    wanted = {f"wasm.{language['wasm']}.pagefind" for language in entry["languages"].values()}
    wanted |= {f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()}
    for path in folder.iterdir():
        if path.is_dir():
            if path.name not in INDEX_FOLDERS:
                shutil.rmtree(path)
        elif path.name not in KEPT and path.name not in wanted:
            path.unlink()


PARAGRAPH_ID = re.compile(
    rb'<p(?=\s)((?:(?!data-pagefind)[^>])*?)\s+id="([^"]*)"((?:(?!data-pagefind)[^>])*)>')
"""A paragraph's start tag with an id (and no Pagefind attribute, whose scope the id stays in)."""


def indexed_copy(page: bytes) -> bytes:
    """The page as Pagefind is given it: each paragraph's id on an empty paragraph just before
    it (``<p id="p4"></p><p class="para">``).

    Pagefind stores with each anchor (an element with an id) the element's own text, in the
    fragment that a result loads: for a transcript's paragraphs, a second copy of all its
    words, which the search page never reads (it places hits by the anchors' element, id and
    word location, which are the same). Without it a fragment is half the size (a result
    loads half as much), and Pagefind, which compresses fragments at gzip's best level,
    indexes a page in 0.8x the time (``bench/bench_indexed_copy.py``)."""
    return PARAGRAPH_ID.sub(rb'<p id="\2"></p><p\1\3>', page)


def index_shard(pagefind: Pagefind, build_dir: Path, shard: Shard,
                vocabulary: bytes | None = None) -> dict[str, str]:
    """Index one bundle's pages (their :func:`indexed_copy` in a folder of its own, removed
    after); a delta's with the page of its base's ``vocabulary`` (kept in the bundle's
    folder)."""
    site = Path(tempfile.mkdtemp(prefix=f".search-{shard.name}-", dir=build_dir))
    try:
        if vocabulary is not None:
            (site / "vocabulary.html").write_bytes(vocabulary_page(vocabulary, shard.lang))
        for page in shard.pages:
            target = site / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                html = (build_dir / page).read_bytes()
            except FileNotFoundError:
                raise SearchError(f"{page} is not in the build: it cannot be indexed",
                                  path=str(build_dir / page)) from None
            target.write_bytes(indexed_copy(html))
        out = build_dir / shard.folder
        shutil.rmtree(out, ignore_errors=True)  # the current build's, where written over it
        pagefind.index(site, out, shard.lang)
        _prune(out)
        try:
            make_stable(out)
        except (FormatError, ValueError, KeyError, OSError) as error:
            raise SearchError(f"{pagefind.version} wrote a bundle this tool cannot make "
                              f"byte-stable ({error}): use Pagefind 1.5") from None
        if vocabulary is not None:
            (out / VOCABULARY).write_bytes(vocabulary)
    finally:
        shutil.rmtree(site, ignore_errors=True)
    return _bundle_files(build_dir, shard)


def _record(path: Path | None) -> dict[str, Any]:
    """The bundles a build recorded in ``search/shards.json`` (empty when none)."""
    if path is None:
        return {}
    try:
        data = json.loads((path / SHARDS).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _previous_shard(previous: Previous, shard: Shard) -> dict[str, Any] | None:
    """What the previous build recorded of ``shard``'s bundle, when it can be kept: made by
    the same Pagefind, recorded as this one records it, and every file of it (and of its
    deltas) still there (one listing of each folder, no stat a file)."""
    old = previous.shards.get(shard.name)
    if not (isinstance(old, dict) and is_page_list(old.get("pages"))
            and is_page_list(old.get("superseded", []))):
        return None
    bundles = [(shard.folder, old.get("files"))] + [
        (_delta_of(shard, level).folder, delta.get("files"))
        for level, delta in recorded_deltas(old).items()]
    for folder, files in bundles:
        if (not isinstance(files, dict) or not files
                or not previous.tree(folder).files.keys() >= files.keys()):
            return None
    return old


def _delta_of(shard: Shard, level: int, pages: tuple[str, ...] = ()) -> Shard:
    """The delta bundle of ``level`` of ``shard``'s year and language, of ``pages``."""
    return Shard(shard.lang, shard.year, pages, level)


def plan_shard(shard: Shard, previous: Previous | None) -> tuple[Plan, dict[str, Any]]:
    """What to do with ``shard``'s bundle (:func:`tei.corpus.delta.plan`), and what the
    previous build recorded of it (empty when nothing can be kept)."""
    old = None if previous is None else _previous_shard(previous, shard)
    if old is None or previous is None:
        return plan(shard.pages, None), {}
    return plan(shard.pages, old.get("pages", []), old.get("superseded", []),
                previous_deltas(old), previous.changed), old


def _link_folder(previous: Previous, folder: str) -> None:
    """A bundle's folder of the previous build, hard-linked into the build being made (its
    folders made and its files linked as one listing found them; copied where links fail)."""
    source, target = previous.previous, previous.build_dir
    listed = previous.tree(folder)
    if kept_all(source, target, (*listed.folders, *listed.files)):
        return
    old, new = f"{source}{os.sep}", f"{target}{os.sep}"
    try:
        os.makedirs(target / folder)
        for made in listed.folders[1:]:
            os.mkdir(new + made)
        for path in listed.files:
            os.link(old + path, new + path)
    except OSError:
        shutil.rmtree(target / folder, ignore_errors=True)
        shutil.copytree(source / folder, target / folder)


def _rehash(previous: Previous, folder: str, known: dict[str, str]) -> dict[str, str]:
    """Every file of a bundle in the build being made: the recorded hash of those still the
    previous build's file, the SHA-256 of those written anew."""
    before = previous.tree(folder).files
    return {path: known[path] if path in known and before.get(path) == inode
            else _sha256(previous.build_dir / path)
            for path, inode in sorted(tree(previous.build_dir, folder).files.items())}


def _workers(count: int) -> int:
    """Pagefind runs at once: one per core, at most four (each holds its year in memory)."""
    return max(1, min(count, os.cpu_count() or 1, 4))


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The corpus-wide output of the search: the bundles, their record and ``search.html``."""

    slow: bool = True
    waits: bool = True
    """Its time is Pagefind's: written in a thread beside the other outputs."""

    @property
    def paths(self) -> tuple[str, ...]:
        """The files it always writes (the bundles' files are named by their content)."""
        return (SEARCH_HTML, SHARDS)

    @property
    def folders(self) -> tuple[str, ...]:
        """The folder of the bundles: every file in it is the index's own."""
        return (SEARCH_DIR,)

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        """Keep each bundle none of whose pages changed, index the changed pages of the others
        into deltas or their years afresh (:mod:`tei.corpus.delta`), then record them and
        write the search page; returns the SHA-256 of every file by path."""
        pagefind = Pagefind.find()
        shards = shards_of(index)
        previous = None if settings.previous is None else Previous(
            build_dir, settings.previous, _record(settings.previous), pagefind.version)
        records: dict[str, dict[str, Any]] = {}
        # each bundle to index, the record of it to fill in, the previous build's of its year
        jobs: list[tuple[Shard, dict[str, Any], dict[str, Any]]] = []
        kept: list[tuple[Shard, Plan, dict[str, Any], dict[str, Any]]] = []
        for shard in shards:
            planned, old = plan_shard(shard, previous)
            record: dict[str, Any] = {"lang": shard.lang, "year": shard.year,
                                      "pages": list(planned.base)}
            records[shard.name] = record
            if planned.action is Action.FRESH:
                jobs.append((Shard(shard.lang, shard.year, planned.base), record, {}))
                continue
            kept.append((shard, planned, old, record))
            for delta in planned.deltas:
                entry = _delta_record(delta)
                record.setdefault("deltas", []).append(entry)
                if delta.reindex:
                    jobs.append((_delta_of(shard, delta.level, delta.pages), entry, old))

        def run(job: tuple[Shard, dict[str, Any], dict[str, Any]]) -> dict[str, str]:
            shard, _target, old = job
            if shard.level:
                assert previous is not None
                return index_shard(pagefind, build_dir, shard, _vocabulary(previous, shard, old))
            files = index_shard(pagefind, build_dir, shard)
            _store_vocabulary(build_dir, shard.name, files,
                              vocabulary_of(build_dir / shard.folder, len(shard.pages)))
            return files

        vocabularies: list[str] = []  # the stored ones carried or written, for the manifest

        with ThreadPoolExecutor(max_workers=_workers(len(jobs))) as pool:
            indexed = pool.map(run, jobs)
            for shard, planned, old, record in kept:  # while Pagefind runs
                assert previous is not None
                _keep(previous, shard, planned, old, record)
                vocabularies.append(stored_vocabulary(shard.name, old["files"]))
            page = _search_page(shards).write(build_dir, index, settings)
            years = _years(build_dir, [shard for shard, *_ in kept], records)
            for (_shard, record, _old), files in zip(jobs, indexed):
                record["files"] = files
        _tell_search_page(build_dir, shards, records, years)
        hashes = {path: digest for record in records.values()
                  for bundle in (record, *record.get("deltas", ()))
                  for path, digest in bundle["files"].items()}
        for shard, _record_of, old in jobs:
            base = _delta_of(shard, 0)
            vocabularies.append(stored_vocabulary(
                base.name, old["files"] if shard.level else records[base.name]["files"]))
        hashes.update({path: _sha256(build_dir / path) for path in sorted(set(vocabularies))
                       if (build_dir / path).is_file()})
        hashes[SHARDS] = _write_record(build_dir, pagefind.version, records)
        hashes.update(page)
        return hashes


def _delta_record(delta: Delta) -> dict[str, Any]:
    """What ``search/shards.json`` says of a delta (its ``files`` are added once known)."""
    entry: dict[str, Any] = {"level": delta.level, "pages": list(delta.pages)}
    if delta.superseded:
        entry["superseded"] = list(delta.superseded)
    return entry


def _keep(previous: Previous, shard: Shard, planned: Plan, old: dict[str, Any],
          record: dict[str, Any]) -> None:
    """Link the previous build's base bundle and the deltas not indexed again, leave their
    superseded pages out of their filters and sorts, and fill in ``record``."""
    record["files"] = _keep_bundle(previous, shard.folder, old["files"], planned.superseded,
                                   tuple(old.get("superseded", [])))
    stored = stored_vocabulary(shard.name, old["files"])
    if (previous.previous / stored).is_file():  # (not by a build made before bases kept one)
        link(f"{previous.previous}/{stored}", f"{previous.build_dir}/{stored}")
    if planned.superseded:
        record["superseded"] = list(planned.superseded)
    before = recorded_deltas(old)
    for delta, entry in zip(planned.deltas, record.get("deltas", ())):
        if not delta.reindex:
            was = before[delta.level]
            entry["files"] = _keep_bundle(previous, _delta_of(shard, delta.level).folder,
                                          was["files"], delta.superseded,
                                          tuple(was.get("superseded", [])))


def _keep_bundle(previous: Previous, folder: str, files: dict[str, str],
                 superseded: tuple[str, ...], before: tuple[str, ...]) -> dict[str, str]:
    """Link a bundle of the previous build (``files``: its files and hashes, as recorded),
    leaving ``superseded`` out of its filters and sorts where they are not what they were
    (``before``); its files and hashes now."""
    _link_folder(previous, folder)
    if superseded == before:
        return dict(files)
    path = previous.build_dir / folder
    make_stable(path, page_numbers(path, superseded))
    return _rehash(previous, folder, files)


def _vocabulary(previous: Previous, delta: Shard, old: dict[str, Any]) -> bytes:
    """The words of a delta's base: kept in each of the previous build's deltas of the year
    (``old``: its record of the year) and in its own folder, else read from the base (the
    previous build's, whose pages the base linked into this build keeps), and kept from now
    on."""
    for level in sorted(recorded_deltas(old)):
        try:
            return (previous.previous / _delta_of(delta, level).folder / VOCABULARY).read_bytes()
        except OSError:
            continue
    base = _delta_of(delta, 0)
    with contextlib.suppress(OSError):  # kept by the previous build, unless made before
        return (previous.previous / stored_vocabulary(base.name, old["files"])).read_bytes()
    vocabulary = vocabulary_aside(previous.previous / base.folder)
    _store_vocabulary(previous.build_dir, base.name, old["files"], vocabulary)
    return vocabulary


def _store_vocabulary(build_dir: Path, name: str, files: dict[str, str],
                      vocabulary: bytes) -> None:
    """Keep the vocabulary of the base bundle ``name`` (``files``: its files) in the build's own
    folder (:func:`~tei.corpus.delta.stored_vocabulary`), for the year's first delta."""
    path = build_dir / stored_vocabulary(name, files)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, vocabulary)


def start_vocabularies(current: Path, pages: AbstractSet[str]) -> None:
    """As a rebuild of the documents of ``pages`` (their pages in the current build) begins,
    start making the vocabulary of each year's bundle that holds some of them and will have
    its first delta (:func:`_vocabulary`), so that it is ready when the search index is
    written: at 2,000 documents, a year's vocabulary takes 0.6 s of the other core. Not for
    a base that keeps its own (made with it, by this version), nor for a year that will be
    indexed afresh (too many of its pages changed), and at most one
    process a core: a rebuild of many documents needs its cores for them."""
    cores, started = os.cpu_count() or 1, 0
    for name, old in _record(current).get("shards", {}).items():
        if started == cores:
            return
        if (not isinstance(old, dict) or recorded_deltas(old)
                or not isinstance(old.get("pages"), list) or not isinstance(old.get("files"), dict)
                or (current / stored_vocabulary(name, old["files"])).is_file()):
            continue
        changed = sum(1 for page in old["pages"] if page in pages)
        if changed and not compacts(changed, len(old["pages"])):
            start_vocabulary(current / SEARCH_DIR / name)
            started += 1


def _years(build_dir: Path, shards: list[Shard],
           records: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The year filter's values of each of ``shards`` (bundles done with) whose language has
    a delta (:func:`_tell_search_page` lists them), by bundle name."""
    languages = {record["lang"] for record in records.values() if "deltas" in record}
    return {shard.name: year_values(build_dir / shard.folder)
            for shard in shards if shard.lang in languages}


def _tell_search_page(build_dir: Path, shards: list[Shard], records: dict[str, dict[str, Any]],
                      years: dict[str, list[str]]) -> None:
    """List each language's deltas, by size (a list of each year's first deltas, then of its
    second ones…: the search page opens a Pagefind over each list), and its year filter's values
    (those in ``years`` read already), in the entry file of its first bundle (where the search
    page loads Pagefind from), or no list where it has none."""
    for lang in dict.fromkeys(shard.lang for shard in shards):
        own = [shard for shard in shards if shard.lang == lang]
        levels: dict[int, list[str]] = {}
        for shard in own:
            for delta in records[shard.name].get("deltas", ()):
                levels.setdefault(delta["level"], []).append(
                    f"{_delta_of(shard, delta['level']).folder}/")
        deltas = [levels[level] for level in sorted(levels)]
        value: dict[str, list[Any]] | None = None
        if deltas:
            value = {"deltas": deltas, "years": sorted(
                {year for shard in own for year in (years[shard.name] if shard.name in years
                                                    else year_values(build_dir / shard.folder))})}
        first = own[0]
        if set_entry_key(build_dir / first.folder, value):
            entry = f"{first.folder}/pagefind-entry.json"
            records[first.name]["files"][entry] = _sha256(build_dir / entry)


def _write_record(build_dir: Path, version: str, records: dict[str, dict[str, Any]]) -> str:
    """Write ``search/shards.json``; returns its SHA-256."""
    data = {"pagefind": version, "shards": records}
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode() + b"\n"
    path = build_dir / SHARDS
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, payload)
    return hashlib.sha256(payload).hexdigest()


SEARCH = SearchIndex()
"""The search index, as :data:`tei.corpus.layout.CORPUS_OUTPUTS` lists it."""
