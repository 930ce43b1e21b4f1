"""Incremental search bundles: a base bundle kept, the pages changed since indexed into deltas.

Pagefind cannot update a bundle, and indexing a year of a language afresh costs
35-60 ms of CPU a page (a year of 243 sample-sized pages: some 12 s). So a
rebuild that changes, adds or removes pages of a year keeps that year's bundle
(the *base*, hard-linked from the previous build) and indexes only the pages
that are new or changed since the base was made into *delta* bundles
(``search/2020-ru-delta/``, ``search/2020-ru-delta2/``…) of their own. The base's pages that are changed or
gone are *superseded*: they stay in its index but are left out of its filters
and sorts (:func:`tei.corpus.stable.make_stable` with ``drop``), and the search
page always searches with a year filter (every page has a year), so neither a
search nor a filter count finds them; the delta gives their new versions.

A year has deltas of growing sizes, as a log-structured merge tree has levels:
the first holds at most :data:`DELTA_PAGES` pages, each next one
:data:`LEVEL_GROWTH` times as many as the one before (4, 16, 64, 256…). A page
changed again is superseded in the delta that had it, as in the base. The
pages to index go into the first delta, indexed whole with them; when it would
grow past its size, its pages and they go into the second, indexed whole, the
first emptied, and so on up. So a rebuild indexes a few pages most times, and
a larger delta only as often as its size allows. (With one delta of up to 16
pages, the year was indexed afresh at its 17th changed page: 16 s instead of
1.5-2.4 s at 2,000 documents, 365 a year; minutes at kremlin.ru's 3,000-4,000 a
year. And each rebuild indexed the whole delta: 0.07 s a page.) Only once the
deltas would hold more than a quarter of the year's pages (:func:`compacts`),
or its base has lost a quarter of its pages, is the year indexed afresh
(compaction). A cold build has no deltas.

Pagefind matches a word by the words of its index that start with it or, when
none does, by the longest word of its index that it starts with (so a word that
no page has, *квакозябра*, finds every page with *к*). A delta of a few pages
would fall back to such a prefix where its year's bundle does not (a changed
page found by *в* or *с* for a word it lacks), so each delta also indexes one
page of every word of its base (:func:`base_vocabulary`, kept in the delta as
:data:`VOCABULARY`), a page in no filter, so never shown:
base and delta then match each word alike. The words are made with the base, as it is
indexed, and kept in the build's own folder while the base is (:data:`VOCABULARIES`): the
year's first delta reads them there instead of parsing the year's fragments (a second of
CPU for a year of 333 sample-sized pages; for a base made by an earlier version, they are
still made so, by a process started as the rebuild begins). Where the words of a year changed,
a search can still differ from a cold build's until compaction: a word that
only superseded pages had is still known to the base (a cold build falls back
to a prefix for it, the incremental one finds nothing), and a word new to the
year is unknown to the base (which falls back to a prefix of it, if its pages
have one, and so shows those pages besides the delta's).

The search page learns of the deltas from the ``pagefind-entry.json`` of each
language's first bundle (the one it loads Pagefind from), which an incremental
build gives a key :data:`ENTRY_KEY`: the deltas' folders, a list for each size
(every year's first deltas, then its second ones…), and the year filter's
values, so that the page opens a Pagefind for that language over each list and
searches all with the year filter. A year has at most one delta of each size:
each Pagefind then gives a year's results in date order, as from one bundle (two
bundles of a year merged into one Pagefind give theirs one after the other). A
cold build's files stay as Pagefind writes them; those of an incremental build
differ from a cold build's (the same answers, not the same files, until
compaction or a cold build).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import subprocess
import sys
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from tei.corpus.listing import Tree, inodes_of, tree
from tei.corpus.processes import helper
from tei.corpus.recycle import write_new

DELTA_PAGES = 4
"""The most pages the first (smallest) delta of a year may hold: what most rebuilds index
(each page some 0.07 s of a rebuild)."""
LEVEL_GROWTH = 4
"""Each delta of a year may hold this many times the pages of the one before it."""
DELTA_SHARE = 4
"""The deltas of a year may hold at most one page in this many of its bundle's; its base may
lose as many before the year is indexed afresh."""
DELTA_SUFFIX = "-delta"
"""``2020-ru`` -> ``2020-ru-delta``: the first delta's folder, next to its base (the second's
``2020-ru-delta2``, and so on)."""
VOCABULARY = "vocabulary.txt.gz"
"""The file of a delta that keeps its base's words (see :func:`base_vocabulary`)."""
HEAD_BYTES = 1024
"""What :func:`page_numbers` reads of a fragment to find its address (some 1,800 bytes of
text: the address is its first field)."""
ENTRY_KEY = "tei-edition"
"""The key of ``pagefind-entry.json`` that lists a language's deltas for the search page."""


class Action(Enum):
    """What a build does with a year's bundle."""

    KEEP = "keep"
    """The previous build's base and deltas as they are: none of its pages changed."""
    DELTA = "delta"
    """The previous base, with the changed and new pages in its deltas."""
    FRESH = "fresh"
    """Indexed afresh: no base to keep, or its deltas would grow too large (compaction)."""


@dataclass(frozen=True, slots=True)
class Delta:
    """One delta bundle of a year, as the previous build left it or as this one makes it."""

    level: int
    """1 for the first (smallest), 2 for the next… (see :func:`capacity`)."""
    pages: tuple[str, ...]
    """The pages it indexes, superseded ones included."""
    superseded: tuple[str, ...] = ()
    """Its pages changed or gone since it was indexed: left out of its filters and sorts."""
    reindex: bool = False
    """True when this build indexes it (else the previous build's is kept)."""

    @property
    def live(self) -> tuple[str, ...]:
        """The pages whose versions it gives."""
        gone = set(self.superseded)
        return tuple(page for page in self.pages if page not in gone)


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with one year's bundle, and which pages go where."""

    action: Action
    base: tuple[str, ...] = ()
    """The pages the base bundle indexes (those of a fresh bundle: every page)."""
    superseded: tuple[str, ...] = ()
    """The base's pages that are changed or gone: left out of its filters and sorts."""
    deltas: tuple[Delta, ...] = ()
    """The year's deltas after this build, the first (smallest) first."""


def delta_suffix(level: int) -> str:
    """What the folder of a year's delta of ``level`` adds to its base's: ``-delta`` (the
    first), ``-delta2``…; nothing for the base (level 0)."""
    return "" if level == 0 else DELTA_SUFFIX if level == 1 else f"{DELTA_SUFFIX}{level}"


def recorded_deltas(record: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The deltas a build recorded of a year (``search/shards.json``), by level: each with its
    ``pages``, ``files`` and ``superseded`` (a record made before deltas had levels gives its one
    ``delta`` as the first)."""
    found = record.get("deltas")
    if found is None and isinstance(record.get("delta"), dict):
        found = [{**record["delta"], "level": 1}]
    if not isinstance(found, list):
        return {}
    return {delta["level"]: delta for delta in found
            if isinstance(delta, dict) and type(delta.get("level")) is int and delta["level"] > 0
            and is_page_list(delta.get("pages")) and is_page_list(delta.get("superseded", []))}


def is_page_list(value: Any) -> bool:
    """True of a list of pages as a record holds them (strings). A record that is not what a
    build writes (edited by hand, damaged) is left out: its pages are then indexed again."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def previous_deltas(record: dict[str, Any]) -> list[Delta]:
    """The deltas of :func:`recorded_deltas`, for :func:`plan`."""
    return [Delta(level, tuple(delta["pages"]), tuple(delta.get("superseded", ())))
            for level, delta in sorted(recorded_deltas(record).items())]


def capacity(level: int) -> int:
    """The most pages the delta of ``level`` may hold: 4, 16, 64…"""
    return DELTA_PAGES * int(LEVEL_GROWTH ** (level - 1))


def compacts(changed: int, pages: int) -> bool:
    """True when ``changed`` pages in deltas (or lost by the base) are too many for a bundle of
    ``pages``: the year is then indexed afresh."""
    return changed * DELTA_SHARE > pages


def plan(pages: Collection[str], base: Collection[str] | None,
         superseded: Collection[str] = (), deltas: Collection[Delta] = (),
         changed: Callable[[str], bool] = lambda page: True) -> Plan:
    """The plan for a bundle of ``pages`` now, given what the previous build recorded (its
    base's pages, None when there is no base to keep; the base's superseded pages; its
    deltas) and ``changed``, true of a page whose file is not the previous build's.

    A page unchanged stays where its version is (the base, or the smallest delta that gives
    it); the others are indexed into the first delta, which, if it would hold more than
    :func:`capacity` allows, goes with them into the second, and so on up."""
    now = sorted(pages)
    if base is None:
        return Plan(Action.FRESH, tuple(now))
    current, kept = set(now), set(base)
    gone = set(superseded) | {page for page in kept if page not in current or changed(page)}
    in_base = kept - gone
    before = {delta.level: delta for delta in deltas}
    live = _still_given(before, current, in_base, changed)
    located = in_base.union(*live.values())
    waiting = [page for page in now if page not in located]
    in_deltas = len(now) - len(in_base)
    if not in_base or compacts(in_deltas, len(now)) or compacts(len(gone), len(kept)):
        return Plan(Action.FRESH, tuple(now))
    indexed = _index_into(live, waiting)
    made = tuple(_delta_made(level, live[level], before.get(level), level in indexed)
                 for level in sorted(live) if live[level])
    same = (gone == set(superseded) and not indexed
            and [(d.level, d.superseded) for d in made]
            == [(d.level, d.superseded) for d in sorted(deltas, key=lambda d: d.level)])
    return Plan(Action.KEEP if same else Action.DELTA, tuple(sorted(kept)), tuple(sorted(gone)),
                made)


def _still_given(before: dict[int, Delta], current: set[str], in_base: set[str],
                 changed: Callable[[str], bool]) -> dict[int, list[str]]:
    """By level, the pages of each previous delta whose version it still gives: there now,
    unchanged, given neither by the base nor by a smaller delta (the newest version)."""
    live: dict[int, list[str]] = {}
    located = set(in_base)
    for level in sorted(before):
        live[level] = [page for page in before[level].live
                       if page in current and page not in located and not changed(page)]
        located.update(live[level])
    return live


def _index_into(live: dict[int, list[str]], waiting: list[str]) -> set[int]:
    """Put the ``waiting`` pages into the first delta of ``live`` (its pages by level), its
    pages and they into the next one when they would overflow it, and so on; the levels
    changed (to be indexed, or emptied)."""
    indexed: set[int] = set()
    level = 1
    while waiting:
        merged = sorted({*live.get(level, ()), *waiting})
        indexed.add(level)
        if len(merged) <= capacity(level):
            live[level], waiting = merged, []
        else:
            live[level], waiting = [], merged
            level += 1
    return indexed


def _delta_made(level: int, pages: list[str], old: Delta | None, indexed: bool) -> Delta:
    """The delta of ``level`` giving ``pages``: indexed now, or the previous one (``old``) kept,
    its other pages superseded."""
    if indexed or old is None:
        return Delta(level, tuple(pages), (), True)
    own = set(pages)
    return Delta(level, old.pages, tuple(page for page in old.pages if page not in own))


class Previous:
    """The previous build as one write of the search index sees it (with the build being
    made): each folder of either listed once, when first needed."""

    def __init__(self, build_dir: Path, previous: Path, recorded: dict[str, Any],
                 version: str) -> None:
        self.build_dir, self.previous = build_dir, previous
        self.shards: dict[str, Any] = (recorded.get("shards", {})
                                       if recorded.get("pagefind") == version else {})
        """The bundles recorded, by name (none when another Pagefind made them)."""
        self.trees: dict[str, Tree] = {}
        self.pages: dict[tuple[bool, str], dict[str, int]] = {}

    def tree(self, folder: str) -> Tree:
        """The folder of the previous build (a bundle's), listed once."""
        found = self.trees.get(folder)
        if found is None:
            found = self.trees[folder] = tree(self.previous, folder)
        return found

    def changed(self, page: str) -> bool:
        """True of a page whose file is not the previous build's (a page carried over
        unchanged is the very same file, a hard link): their inodes compared, from one
        listing of each folder of pages in each build."""
        folder, _, name = page.rpartition("/")
        now = self._listed(False, folder).get(name)
        return now is None or now != self._listed(True, folder).get(name)

    def _listed(self, before: bool, folder: str) -> dict[str, int]:
        """The inode of each entry of ``folder`` in the previous build or in this one."""
        found = self.pages.get((before, folder))
        if found is None:
            top = self.previous if before else self.build_dir
            found = self.pages[before, folder] = inodes_of(str(top / folder))
        return found


def page_numbers(folder: Path, pages: Collection[str]) -> frozenset[int]:
    """The numbers Pagefind gave ``pages`` (relative to the build's top) in the bundle at
    ``folder``: their places in its metadata's list, found from each fragment's address
    (only the start of each fragment is decompressed)."""
    from tei.corpus.stable import read_meta

    wanted = {f"/{page}" for page in pages}
    numbers = []
    for number, (fragment, _words) in enumerate(read_meta(folder)[1]):
        if _fragment_url(folder / "fragment" / f"{fragment}.pf_fragment") in wanted:
            numbers.append(number)
    return frozenset(numbers)


def _fragment_url(path: Path) -> str:
    """The address a Pagefind fragment is of (``/html/x.html``), from its first bytes (the
    address comes first: a fragment's first kilobyte is read, not the whole of its text)."""
    with open(path, "rb") as handle:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(handle.read(HEAD_BYTES), 4096)
    marker = b'{"url":"'
    start = head.find(marker)
    end = head.find(b'"', start + len(marker)) if start >= 0 else -1
    if end < 0:  # not in the first bytes: read the whole fragment
        data = gzip.decompress(path.read_bytes())
        return str(json.loads(data[data.find(b"{"):])["url"])
    return json.loads(b'"' + head[start + len(marker):end] + b'"')  # type: ignore[no-any-return]


def year_values(folder: Path) -> list[str]:
    """The values of the year filter in the bundle at ``folder``."""
    from tei.corpus.stable import read_filter

    return sorted(str(value[0]) for value in read_filter(folder, "year"))


def set_entry_key(folder: Path, value: dict[str, list[Any]] | None) -> bool:
    """Give the ``pagefind-entry.json`` of the bundle at ``folder`` the key :data:`ENTRY_KEY`
    with ``value`` (None: without it), written anew (never through a hard link); True when
    the file changed."""
    path = folder / "pagefind-entry.json"
    entry = json.loads(path.read_bytes())
    if entry.get(ENTRY_KEY) == value or (value is None and ENTRY_KEY not in entry):
        return False
    entry.pop(ENTRY_KEY, None)
    if value is not None:
        entry[ENTRY_KEY] = value
    write_new(path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return True


def base_vocabulary(folder: Path) -> bytes:
    """Every word of the pages of the bundle at ``folder`` (as Pagefind took them from the
    pages: its fragments' text), one a line, sorted, gzip-compressed without a time stamp."""
    pieces: set[bytes] = set()
    words: set[str] = set()
    for path in (folder / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        if not _pieces_of(data, pieces, words):
            fragment = json.loads(data[data.index(b"{"):])
            words.update(str(fragment.get("content", "")).split())
            words.update(str(fragment.get("meta", {}).get("title", "")).split())
    for piece in pieces:  # cut again where str.split cuts and bytes.split does not
        words.update(piece.decode().split())
    from tei.corpus.stable import gzipped

    return gzipped("\n".join(sorted(words)).encode(), 6)


CONTENT, WORD_COUNT = b',"content":"', b'","word_count":'
META, ANCHORS = b',"meta":', b',"anchors":'
"""Where a fragment's text and metadata are, as Pagefind lays it out (``url``, ``content``,
``word_count``, ``filters``, ``meta``, ``anchors``)."""


def _pieces_of(data: bytes, pieces: set[bytes], words: set[str]) -> bool:
    """Add a fragment's text, cut at ASCII whitespace, to ``pieces`` and its title's words to
    ``words``; False, adding nothing, when it is not laid out as Pagefind writes it or its text
    has an escape (it is then read as JSON). A year's text is some 60 MB for 243 pages: cut
    as bytes, the JSON left unparsed, it takes 0.6 of the CPU time (the same words: its text
    holds no quote or backslash unescaped, and UTF-8 is never cut inside a character at an
    ASCII byte)."""
    start = data.find(CONTENT)
    end = data.find(WORD_COUNT, start)
    meta = data.find(META, end)
    anchors = data.find(ANCHORS, meta)
    if min(start, end, meta, anchors) < 0 or data.find(b"\\", start, end) >= 0:
        return False
    try:
        found = json.loads(data[meta + len(META):anchors])
    except ValueError:
        return False
    if not isinstance(found, dict):
        return False
    pieces.update(data[start + len(CONTENT):end].split())
    words.update(str(found.get("title", "")).split())
    return True


VOCABULARIES = ".tei-edition/vocabularies"
"""Where a build keeps the vocabulary of each base bundle it holds (:func:`stored_vocabulary`):
made with the base, carried while it is kept, so that the year's first delta need not parse
the year's fragments (a second of CPU at 2,000 documents, minutes' worth at 20,000's)."""
ALONE_PAGES = 32
"""Pages of a bundle up to which :func:`vocabulary_of` parses its fragments in this process:
fewer than a process costs to start."""


def stored_vocabulary(name: str, files: Collection[str]) -> str:
    """Where a build keeps the vocabulary of the base bundle ``name`` (``2020-ru``) whose files
    are ``files`` (as ``search/shards.json`` records them), relative to the build's top: named
    by its fragments, which Pagefind names by their content, so that a base indexed afresh
    has another (filters and sorts left out: :func:`~tei.corpus.stable.make_stable` rewrites
    them as pages are superseded, the words staying the same)."""
    fragments = "\n".join(sorted(path for path in files if "/fragment/" in path))
    return f"{VOCABULARIES}/{name}.{hashlib.sha256(fragments.encode()).hexdigest()[:24]}.txt.gz"


def vocabulary_of(folder: Path, pages: int) -> bytes:
    """:func:`base_vocabulary` of the bundle at ``folder``, of ``pages`` pages: in this
    process for a few, else by a process of its own (:func:`vocabulary_aside`)."""
    return base_vocabulary(folder) if pages <= ALONE_PAGES else vocabulary_aside(folder)


def vocabulary_aside(folder: Path) -> bytes:
    """:func:`base_vocabulary` of ``folder``, made by a process of its own: parsing a year's
    fragments (some 60 MB of JSON for 243 sample-sized pages, a second of CPU) then takes
    the other core, where a thread of the build would hold the interpreter's lock that the
    other corpus outputs are written under. The process :func:`start_vocabulary` started
    for it, if any; made here when no process can be started, or it failed."""
    process = _started.pop(folder, None) or _vocabulary_process(folder)
    if process is None:
        return base_vocabulary(folder)
    made, _ = process.communicate()
    return made if process.returncode == 0 else base_vocabulary(folder)


def start_vocabulary(folder: Path) -> None:
    """Start making the vocabulary of the bundle at ``folder`` (of the current build), which
    :func:`vocabulary_aside` will be asked for: started as a rebuild begins, it is made while
    the changed documents are, rather than after."""
    if folder not in _started and (process := _vocabulary_process(folder)) is not None:
        _started[folder] = process


def forget_vocabularies() -> None:
    """End the processes :func:`start_vocabulary` started that nothing asked for (the year
    was indexed afresh, or the build stopped)."""
    while _started:
        _, process = _started.popitem()
        process.kill()
        process.communicate()


_started: dict[Path, subprocess.Popen[bytes]] = {}
"""The vocabularies being made ahead, by the folder of their bundle."""


def _vocabulary_process(folder: Path) -> subprocess.Popen[bytes] | None:
    """A process that writes the vocabulary of ``folder`` to its output."""
    return helper("tei.corpus.delta", str(folder), stdin=subprocess.DEVNULL,
                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def vocabulary_page(vocabulary: bytes, lang: str) -> bytes:
    """A page for Pagefind of the words of :func:`base_vocabulary`: indexed, in no filter."""
    words = html.escape(gzip.decompress(vocabulary).decode().replace("\n", " "))
    return (f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><title>-</title></head>'
            f"<body><main data-pagefind-body>{words}</main></body></html>").encode()


if __name__ == "__main__":  # vocabulary_aside's process: the vocabulary of the bundle named
    sys.stdout.buffer.write(base_vocabulary(Path(sys.argv[1])))
