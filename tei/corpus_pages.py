"""The corpus-wide pages: index, persons, places, ``turns.tsv`` and ``corpus.xml``.

Written from the corpus index (:mod:`tei.corpus_index`) once every document
is built, so no page can be stale or half made. Each page is streamed: Jinja's
``generate`` for the HTML, the index's ordered queries for the rest.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tei.corpus_index import TSV_COLUMNS, CorpusIndex
from tei.corpus_tei import CorpusHeader, write_corpus_xml
from tei.edition import end_with_parent, output_paths
from tei.encode import DEFAULT_PUBLISHER
from tei.render.labels import Labels, ui_attr, ui_lang

PAGES = ("index.html", "persons.html", "places.html", "turns.tsv", "corpus.xml")
"""The corpus-wide files of a build, at its top."""

CORPUS_LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "corpus": "Корпус", "documents": "Документы", "document": "Документ", "title": "Название",
        "speakers": "Говорящие", "corpus_persons": "Участники корпуса",
        "corpus_places": "Места корпуса", "mentions": "Упоминания (абзацы)", "setting": "место события",
        "sort_hint": "Щёлкните заголовок столбца, чтобы упорядочить таблицу.",
        "downloads": "Данные", "turns_tsv": "Реплики (TSV)", "corpus_xml": "Корпус (TEI)",
        "in_documents": "Документов",
    },
    "en": {
        "corpus": "Corpus", "documents": "Documents", "document": "Document", "title": "Title",
        "speakers": "Speakers", "corpus_persons": "Persons of the corpus",
        "corpus_places": "Places of the corpus", "mentions": "Mentioned (paragraphs)", "setting": "setting",
        "sort_hint": "Click a column heading to sort the table.",
        "downloads": "Data", "turns_tsv": "Turns (TSV)", "corpus_xml": "Corpus (TEI)",
        "in_documents": "Documents",
    },
}
"""Words of the corpus pages, besides those the document pages use (``tei.render.labels``)."""


# -- writing the pages ----------------------------------------------------------------------


class _HashingWriter:
    """A binary file that also hashes what is written to it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)

    def write_text(self, chunks: Iterable[str], batch: int = 2000) -> None:
        """Write many small strings (a template's output) as UTF-8, a batch at a time."""
        iterator = iter(chunks)
        while group := list(itertools.islice(iterator, batch)):
            self.write("".join(group).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class PageSettings:
    """What the corpus pages say about the edition as a whole."""

    title: str = "tei-edition"
    publisher: str = DEFAULT_PUBLISHER
    templates: Path | None = None


Writer = Callable[[_HashingWriter, CorpusIndex, PageSettings], None]


def write_pages(build_dir: Path, index_path: Path, settings: PageSettings,
                processes: int = 1) -> dict[str, str]:
    """Write every corpus-wide file into ``build_dir``; returns their SHA-256 by name.

    The pages do not depend on each other: with ``processes`` > 1 (see
    :func:`page_processes`) they are written by as many forked processes, each
    reading the index file at ``index_path``, the longest first.
    """
    if processes <= 1:
        hashes = dict(write_page(build_dir, index_path, settings, name) for name in PAGES)
    else:
        order = [*LONGEST, *(name for name in PAGES if name not in LONGEST)]
        with ProcessPoolExecutor(max_workers=processes, initializer=end_with_parent,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(write_page, build_dir, index_path, settings, name)
                       for name in order]
            hashes = dict(future.result() for future in futures)
    return {name: hashes[name] for name in PAGES}


LONGEST = ("persons.html", "corpus.xml")
"""The pages that take longest, started first (2,000 documents: 0.56 and 0.29 s; the
other three 0.14 s together), so that two processes finish together."""

PARALLEL_FROM = 500
"""Documents from which two processes write the pages sooner than one: a forked process
costs a few milliseconds, the pages of 13 documents take 13 (measured: 800 documents,
0.27 s in one process, 0.16 s in two)."""


def page_processes(jobs: int, documents: int) -> int:
    """How many processes should write the pages of ``documents`` documents.

    More than one only on Linux, where they are forked in milliseconds: where
    processes are spawned (macOS, Windows) each would first import the package,
    which costs more than the pages it would write.
    """
    if jobs <= 1 or documents < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    return min(jobs, len(PAGES))


def write_page(build_dir: Path, index_path: Path, settings: PageSettings,
               name: str) -> tuple[str, str]:
    """Write one corpus-wide file from the index; returns its name and SHA-256."""
    index = CorpusIndex(index_path, read_only=True)
    try:
        with open(build_dir / name, "wb") as handle:
            out = _HashingWriter(handle)
            WRITERS[name](out, index, settings)
    finally:
        index.close()
    return name, out.digest.hexdigest()


class CorpusLabels(Labels):
    """The words of the document pages and of the corpus pages, in one language."""

    __slots__ = ()

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self._words = {**self._words, **CORPUS_LABELS.get(self.lang, CORPUS_LABELS["en"])}


def _page_context(index: CorpusIndex, settings: PageSettings, title_key: str) -> dict[str, Any]:
    """What every corpus template sees (the variables ``base.html`` needs included)."""
    lang = index.lang()
    ui = ui_lang(lang)
    words = CorpusLabels(lang)
    documents, turns, total_words = index.totals()
    return {
        "doc": {"lang": lang, "title": f"{words[title_key]} — {settings.title}",
                "ids": {"main": "main", "status": "status"}},
        "corpus": {"title": settings.title, "documents": documents, "turns": turns,
                   "words": total_words},
        "L": words, "ui_lang": ui,
        "ui_attr": ui_attr(lang),
        "static": "html/static/",
    }


def _html_writer(template_name: str, title_key: str, rows: Callable[[CorpusIndex], Any]) -> Writer:
    """A writer that streams the template ``corpus/<template_name>`` over ``rows(index)``."""
    def write(out: _HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
        from tei.render.templates import environment

        template = environment("html", settings.templates).get_template(f"corpus/{template_name}")
        context = _page_context(index, settings, title_key)
        context["rows"] = rows(index)
        out.write_text(template.generate(context))
    return write


def _write_tsv(out: _HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """``turns.tsv``: a header row, then one row per turn; UTF-8, LF, tab-separated."""
    out.write(("\t".join(TSV_COLUMNS) + "\n").encode("utf-8"))
    for chunk in index.tsv_chunks():
        out.write(chunk.encode("utf-8"))


def _write_corpus(out: _HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """``corpus.xml``: the ``teiCorpus`` with its header and one XInclude per document."""
    documents, turns, words = index.totals()
    header = CorpusHeader(title=settings.title, publisher=settings.publisher, lang=index.lang(),
                          documents=documents, turns=turns, words=words)
    members = (output_paths(row.id)["member"] for row in index.documents())
    write_corpus_xml(out, header, index.entities(("person", "group")),
                     index.entities(("place",)), members)


WRITERS: dict[str, Writer] = {
    "index.html": _html_writer("index.html", "documents", lambda index: index.documents()),
    "persons.html": _html_writer("persons.html", "corpus_persons",
                                 lambda index: index.entities(("person", "group"))),
    "places.html": _html_writer("places.html", "corpus_places",
                                lambda index: index.entities(("place",))),
    "turns.tsv": _write_tsv,
    "corpus.xml": _write_corpus,
}
"""Corpus-wide file -> the function that writes it from the index."""
