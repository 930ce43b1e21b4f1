"""pymorphy3's answers about Russian words, as plain data, remembered across runs.

The names code asks two things of the dictionary, both pure functions of their arguments:
a word's analyses (:func:`analyses`: part of speech, grammemes, most likely first) and an
analysis inflected (:func:`inflect`). The answers are plain tuples, strings and frozensets,
kept in the user's cache folder (:mod:`tei.usercache`) in one file read once per process on
the first question, keyed by the dictionary's version, this tool's version and
:data:`PREPARATION`. A word the file answers never loads pymorphy3 (its import and
dictionary cost several times an interpreter's start): names and offices recur from
transcript to transcript and from run to run. New answers are written at the end of the
process (:func:`save`, also called by build workers every few seconds), merged with what is
on disk by then, atomically; a missing, corrupt or unwritable cache only means asking
pymorphy3.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tei import __version__
from tei.usercache import cache_dir, read_cached, write_cached

if TYPE_CHECKING:
    import pymorphy3

DICT_PATH_VARIABLE = "PYMORPHY2_DICT_PATH"
"""The environment variable by which pymorphy3 is given another dictionary (its
``MorphAnalyzer.DICT_PATH_ENV_VARIABLE``, named here to be read without importing it)."""

PREPARATION = "1"
"""The version of the answers' form below: change it when what is stored would change."""

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


InflectionKey = tuple[str, int, tuple[str, ...]]
"""A word, the index of one of its analyses and the grammemes it is inflected to."""


@dataclass(slots=True)
class _Answers:
    """The answers this process knows (from the cache file and pymorphy3), and those it
    learnt (to be saved)."""

    path: Path
    parses: dict[str, tuple[tuple[object, ...], ...]]
    inflections: dict[InflectionKey, str | None]
    learnt: bool = field(default=False)


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
    import hashlib  # here: an English transcript never asks

    key = hashlib.sha256("\n".join([dictionary_version(), __version__, PREPARATION])
                         .encode()).hexdigest()
    return cache_dir() / f"morphology-{key[:32]}.marshal"


def _read(path: Path) -> tuple[dict[str, tuple[tuple[object, ...], ...]],
                               dict[InflectionKey, str | None]]:
    """The answers kept at ``path``; none when it is missing or corrupt."""
    body = read_cached(path)
    if body is not None:
        with contextlib.suppress(ValueError, TypeError, EOFError):  # corrupt: asked anew
            parses, inflections = marshal.loads(body)
            if isinstance(parses, dict) and isinstance(inflections, dict):
                return parses, inflections
    return {}, {}


@cache
def _answers() -> _Answers:
    """This process's answers, read from the cache file on the first question; saved when
    the process ends."""
    path = cache_file()
    parses, inflections = _read(path)
    atexit.register(save)
    return _Answers(path, parses, inflections)


def save() -> None:
    """Write the answers this process learnt to the cache file, merged with what it holds
    now (another process may have written since); nothing when nothing was learnt."""
    if _answers.cache_info().currsize == 0:
        return
    answers = _answers()
    if not answers.learnt:
        return
    parses, inflections = _read(answers.path)
    for word, fields in answers.parses.items():
        if len(parses) >= MOST_WORDS:
            break
        parses.setdefault(word, fields)
    inflections.update((key, form) for key, form in answers.inflections.items()
                       if key[0] in parses)
    try:
        body = marshal.dumps((parses, inflections))
    except ValueError:  # not plain data: never kept
        return
    write_cached(answers.path, body)
    answers.learnt = False


def _plain(word: str) -> tuple[tuple[object, ...], ...]:
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
    answers = _answers()
    stored = answers.parses.get(word)
    if stored is None:
        stored = answers.parses[word] = _plain(word)
        answers.learnt = True
    return tuple(Analysis(i, *fields) for i, fields in enumerate(stored))  # type: ignore[arg-type]


def inflect(word: str, analysis: Analysis, grammemes: set[str]) -> str | None:
    """``word`` under ``analysis`` inflected to ``grammemes`` (lower case, as pymorphy3 gives
    it), or None when it has no such form."""
    answers = _answers()
    key = (word, analysis.rank, tuple(sorted(grammemes)))
    if key in answers.inflections:
        return answers.inflections[key]
    inflected = morph().parse(word)[analysis.rank].inflect(grammemes)
    form = answers.inflections[key] = None if inflected is None else str(inflected.word)
    answers.learnt = True
    return form
