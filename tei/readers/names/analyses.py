"""pymorphy3's answers about Russian words, as plain data, remembered across runs.

The names code asks two things of the dictionary, both pure functions of their arguments:
a word's analyses (:func:`analyses`: part of speech, grammemes, most likely first) and an
analysis inflected (:func:`inflect`). The answers are plain tuples, strings and frozensets,
kept in the user's cache folder (:mod:`tei.usercache`) in one file, keyed by the
dictionary's version, this tool's version and :data:`PREPARATION`. The file holds the words
in :data:`BUCKETS` buckets by a hash of the word, each bucket marshalled apart (its words'
analyses and the inflections asked of them): a process reads the file once, on the first
question, and decodes only the buckets of the words it asks about, so that a cache of
thousands of words costs a command little more than a cache of its own words (decoding all
of them took some 35 ms per 4,500 words, then freeing them at exit as much again). A word
the file answers never loads pymorphy3 (its import and dictionary cost several times an
interpreter's start): names and offices recur from transcript to transcript and from run to
run. New answers are written at the end of the process (:func:`save`, also called by build
workers every few seconds), merged with what is on disk by then, atomically; a missing,
corrupt or unwritable cache only means asking pymorphy3.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tei import __version__
from tei.usercache import cache_dir, prune_stale, read_cached, write_cached

if TYPE_CHECKING:
    import pymorphy3

DICT_PATH_VARIABLE = "PYMORPHY2_DICT_PATH"
"""The environment variable by which pymorphy3 is given another dictionary (its
``MorphAnalyzer.DICT_PATH_ENV_VARIABLE``, named here to be read without importing it)."""

PREPARATION = "2"
"""The version of the answers' form below: change it when what is stored would change
(2: the words in buckets marshalled apart)."""

BUCKETS = 4096
"""The buckets the cache file's words are spread over: a few words each when the file is
full, so that a transcript's few hundred words decode little more than themselves."""

MOST_WORDS = 20_000
"""The most words the cache file keeps (some 8 MB): a name vocabulary's worth (the names and
offices of an edition recur), while every process reads the file whole. Answers beyond it
are asked of pymorphy3 each time."""


class Analysis(NamedTuple):
    """One of pymorphy3's analyses of a word, as plain data."""

    rank: int
    """Its place among the word's analyses (0: the most likely)."""
    known: bool
    """The dictionary knows the word (not a guess from its ending)."""
    pos: str | None
    """The part of speech (``NOUN``, ``ADJF``...), None when there is none (``UNKN``)."""
    grammemes: frozenset[str]
    case: str | None
    gender: str | None
    number: str | None


Parses = tuple[tuple[object, ...], ...]
"""A word's analyses as stored: per analysis, the fields of :class:`Analysis` after ``rank``."""

InflectionKey = tuple[int, tuple[str, ...]]
"""The index of one of a word's analyses and the grammemes it is inflected to."""

Entry = tuple[Parses, dict[InflectionKey, str | None]]
"""What is known of one word: its analyses, and the inflections asked of them so far."""


@dataclass(slots=True, repr=False, eq=False)  # no __eq__, __repr__ to compile: never needed
class _Answers:
    """The answers this process knows: the cache file's, each word decoded when first asked
    about, and those learnt from pymorphy3 (to be saved)."""

    path: Path
    stored: list[bytes]
    """The cache file's buckets, each a dict of words to :data:`Entry` marshalled (none when
    the file is missing or corrupt)."""
    words: dict[str, Entry] = field(default_factory=dict)
    """The entries of the buckets decoded so far and of the words learnt."""
    decoded: set[int] = field(default_factory=set)
    """The buckets of :attr:`stored` whose words are in :attr:`words`."""
    learnt: set[str] = field(default_factory=set)
    """The words whose entries gained answers from pymorphy3 since the last save."""


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    """The Russian morphological analyser, created once per process, when first needed
    (importing it and loading its dictionary cost several times an interpreter's start).

    The dictionary is the one pymorphy3 would find for Russian (pymorphy3-dicts-ru, unless
    :data:`DICT_PATH_VARIABLE` names another), named here: finding it
    through the installed packages' entry points reads the metadata of every package, some
    25 ms.
    """
    import pymorphy3

    if DICT_PATH_VARIABLE in os.environ:
        return pymorphy3.MorphAnalyzer()
    import pymorphy3_dicts_ru

    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")


def dictionary_version() -> str:
    """What names the dictionary pymorphy3 uses: pymorphy3-dicts-ru's version, or the folder
    that :data:`DICT_PATH_VARIABLE` names (without importing pymorphy3)."""
    override = os.environ.get(DICT_PATH_VARIABLE)
    if override:
        return f"path:{override}"
    import pymorphy3_dicts_ru

    return f"pymorphy3-dicts-ru {pymorphy3_dicts_ru.__version__}"


def cache_file() -> Path:
    """The cache file of the answers of the dictionary in use."""
    named = "\n".join([dictionary_version(), __version__, PREPARATION]).encode()
    key = f"{zlib.crc32(named):08x}{zlib.adler32(named):08x}"  # not hashlib: 5 ms to import
    return cache_dir() / f"morphology-{key}.marshal"


def _read(path: Path) -> tuple[int, list[bytes]]:
    """The number of words kept at ``path`` and their buckets, still marshalled; none when
    the file is missing or corrupt."""
    body = read_cached(path)
    if body is not None:
        with contextlib.suppress(ValueError, TypeError, EOFError):  # corrupt: asked anew
            count, buckets = marshal.loads(body)
            if (isinstance(count, int) and isinstance(buckets, tuple)
                    and len(buckets) == BUCKETS
                    and all(isinstance(bucket, bytes) for bucket in buckets)):
                return count, list(buckets)
    return 0, []


def _bucket(word: str) -> int:
    """The bucket of ``word`` (the same in every process: not Python's ``hash``)."""
    return zlib.crc32(word.encode()) % BUCKETS


def _decode(stored: list[bytes], bucket: int) -> dict[str, Entry]:
    """The words of one bucket of the cache file with their entries; none if it has none
    (or not such)."""
    if bucket < len(stored) and stored[bucket]:
        with contextlib.suppress(ValueError, TypeError, EOFError):
            entries = marshal.loads(stored[bucket])
            if isinstance(entries, dict) and all(
                    isinstance(entry, tuple) and len(entry) == 2
                    and isinstance(entry[0], tuple) and isinstance(entry[1], dict)
                    for entry in entries.values()):
                return entries
    return {}


@cache
def _answers() -> _Answers:
    """This process's answers, read from the cache file on the first question; saved when
    the process ends."""
    path = cache_file()
    answers = _Answers(path, _read(path)[1])
    atexit.register(save)
    return answers


def _entry(word: str) -> Entry:
    """What is known of ``word``: from this process, else from the cache file, else asked of
    pymorphy3 (and to be saved)."""
    answers = _answers()
    entry = answers.words.get(word)
    if entry is None:
        bucket = _bucket(word)
        if bucket not in answers.decoded:
            answers.decoded.add(bucket)
            for known, kept in _decode(answers.stored, bucket).items():
                answers.words.setdefault(known, kept)
            entry = answers.words.get(word)
        if entry is None:
            entry = answers.words[word] = (_plain(word), {})
            answers.learnt.add(word)
    return entry


def save() -> None:
    """Write the answers this process learnt to the cache file, merged with what it holds
    now (another process may have written since); nothing when nothing was learnt."""
    if _answers.cache_info().currsize == 0:
        return
    answers = _answers()
    if not answers.learnt:
        return
    count, stored = _read(answers.path)
    fresh = not stored  # no file of this key yet (or a corrupt one): written afresh
    stored = stored or [b""] * BUCKETS
    changed: dict[int, dict[str, Entry]] = {}
    for word in sorted(answers.learnt):
        parses, inflections = answers.words[word]
        try:
            marshal.dumps((parses, inflections))  # type: ignore[arg-type]
        except ValueError:  # not plain data: never kept
            continue
        bucket = _bucket(word)
        if bucket not in changed:
            changed[bucket] = _decode(stored, bucket)
        entries = changed[bucket]
        kept = entries.get(word)
        if kept is not None:  # the file's analyses, and every inflection either knows
            entries[word] = (kept[0], {**kept[1], **inflections})
        elif count < MOST_WORDS:
            entries[word] = (parses, inflections)
            count += 1
    for bucket, entries in changed.items():
        stored[bucket] = marshal.dumps(entries)
    write_cached(answers.path, marshal.dumps((count, tuple(stored))))
    if fresh:  # a new key (an upgrade): the files of old ones go once unused
        prune_stale("morphology-*.marshal", {answers.path.name})
    answers.learnt.clear()


def _plain(word: str) -> Parses:
    """pymorphy3's analyses of ``word`` as tuples of built-in types (marshal's)."""
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return tuple((parse.is_known, text(parse.tag.POS),
                  frozenset(str(g) for g in parse.tag.grammemes), text(parse.tag.case),
                  text(parse.tag.gender), text(parse.tag.number))
                 for parse in morph().parse(word))


@cache
def analyses(word: str) -> tuple[Analysis, ...]:
    """pymorphy3's analyses of ``word``, most likely first."""
    return tuple(Analysis(i, *fields)  # type: ignore[arg-type]
                 for i, fields in enumerate(_entry(word)[0]))


def inflect(word: str, analysis: Analysis, grammemes: set[str]) -> str | None:
    """``word`` under ``analysis`` inflected to ``grammemes`` (lower case, as pymorphy3 gives
    it), or None when it has no such form."""
    inflections = _entry(word)[1]
    key = (analysis.rank, tuple(sorted(grammemes)))
    if key in inflections:
        return inflections[key]
    inflected = morph().parse(word)[analysis.rank].inflect(grammemes)
    form = inflections[key] = None if inflected is None else str(inflected.word)
    _answers().learnt.add(word)
    return form
