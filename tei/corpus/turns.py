"""``turns.tsv``: one row per turn of the corpus, with what was said; or one file a year.

One run of rows per document, in date order (:data:`~tei.corpus.summary.TSV_COLUMNS`):
a rebuild copies the runs of unchanged documents from the previous file. With
``build --by-year`` the same rows are cut into ``turns.2019.tsv``... (see
:mod:`tei.corpus.years`), and a rebuild links the years no change touched.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from tei.corpus.changes import Changes, Reuse, Span, save_blocks
from tei.corpus.linker import link
from tei.corpus.index import CorpusIndex
from tei.corpus.pages import Page, PageSettings, touched_years
from tei.corpus.summary import TSV_COLUMNS
from tei.corpus.writers import HashingWriter, create, reuse, write_rows, write_runs, write_tsv
from tei.corpus.years import TURNS, year_of, year_path


def _write_turns(out: HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """``turns.tsv``: one row per turn, with what was said (:data:`TSV_COLUMNS`), one run
    of rows per document (a rebuild copies those of unchanged documents)."""
    write_tsv(out, TSV_COLUMNS, ())
    if settings.changes is None:
        rows = index.turn_rows()
        for document, group in itertools.groupby(rows, key=lambda row: row[0]):
            with out.block(document):
                write_rows(out, group)
        return
    write_runs(out, index.document_order(), lambda d: write_rows(out, index.turn_rows(d)),
               reuse(settings.changes, TURNS, TURNS))


@dataclass(frozen=True, slots=True)
class TurnsTable:
    """The corpus-wide output of the turns: ``turns.tsv``, or one file a year of the
    documents' dates when the build is ``--by-year`` (:attr:`PageSettings.by_year`)."""

    whole: Page = Page(TURNS, _write_turns, slow=True)
    slow: bool = True

    @property
    def paths(self) -> tuple[str, ...]:
        return self.whole.paths

    @property
    def folders(self) -> tuple[str, ...]:
        return ()  # by year, the manifest lists each file it wrote

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        if not settings.by_year:
            return self.whole.write(build_dir, index, settings)
        if settings.changes is None:
            hashes, blocks = _all_years(build_dir, index)
        else:
            hashes, blocks = _changed_years(build_dir, index, settings.changes)
        save_blocks(build_dir, TURNS, blocks)
        return hashes


Written = tuple[dict[str, str], dict[str, dict[str, Span]]]
"""The hashes of the files written, by path, and their runs."""


def _all_years(build_dir: Path, index: CorpusIndex) -> Written:
    """Every year's file, from one pass over the rows of the whole corpus (each document's
    rows to the file of its year, open until the end: the years need not come in turn). A
    year whose documents have no turns has a file of the header alone, as a rebuild has."""
    path_of = {doc: year_path(TURNS, year_of(when))
               for doc, when in index.document_dates()}
    opened: dict[str, HashingWriter] = {}
    try:
        for path in dict.fromkeys(path_of.values()):
            opened[path] = _opened(build_dir / path)
        for document, rows in itertools.groupby(index.turn_rows(), key=lambda row: row[0]):
            out = opened[path_of[document]]
            with out.block(document):
                write_rows(out, rows)
    finally:
        for out in opened.values():
            out.close()
    return ({path: out.hexdigest() for path, out in opened.items()},
            {path: out.ranges for path, out in opened.items()})


def _changed_years(build_dir: Path, index: CorpusIndex, changes: Changes) -> Written:
    """The files of the years a change touched, their unchanged documents' runs copied; the
    other years' files linked from the previous build."""
    touched = touched_years(changes, index)
    before = changes.blocks(TURNS)
    hashes: dict[str, str] = {}
    blocks: dict[str, dict[str, Span]] = {}
    documents: dict[str, list[str]] = {}
    for doc, when in index.document_dates():
        documents.setdefault(year_of(when), []).append(doc)
    for this_year, group in documents.items():
        path = year_path(TURNS, this_year)
        if this_year not in touched and path in changes.pages:
            link(str(changes.previous / path), str(build_dir / path))
            hashes[path], blocks[path] = changes.pages[path], before.get(path, {})
            continue
        out = _opened(build_dir / path)
        try:
            write_runs(out, group, lambda d: write_rows(out, index.turn_rows(d)),
                       Reuse(changes, path, before.get(path, {})))
        finally:
            out.close()
        hashes[path], blocks[path] = out.hexdigest(), out.ranges
    return hashes, blocks


def _opened(path: Path) -> HashingWriter:
    """A new TSV file of turns at ``path``, its header written."""
    out = HashingWriter(create(path))
    write_tsv(out, TSV_COLUMNS, ())
    return out


TURNS_TSV = TurnsTable()
