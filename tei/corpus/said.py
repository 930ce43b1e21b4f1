"""What a speaker said, the downloads beside their register page.

``persons/putin-vladimir.txt`` (a heading per document, then each paragraph as
``[n] text``) and ``.tsv`` (:data:`SAID_COLUMNS`), one run per document in date
order: a rebuild copies the runs of unchanged documents from the previous files.
With ``build --by-year`` a speaker has one such pair a year of the documents' dates
(``persons/putin-vladimir.2019.txt``, :mod:`tei.corpus.years`), and a rebuild links the
years no change touched.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from tei.corpus.changes import Changes, Reuse, Span
from tei.corpus.index import CorpusIndex
from tei.corpus.rows import Entity, Groups, Said
from tei.corpus.writers import HashingWriter, write_rows, write_tsv
from tei.corpus.years import year_of, year_path
from tei.ids import file_name

SAID_COLUMNS = ("document_id", "date", "turn", "paragraph_id", "text")
"""Columns of a speaker's TSV download: one row per paragraph they said, in date order."""

class _Files(Protocol):
    """Where a register writes its files (:class:`tei.corpus.registers._Files`)."""

    def open(self, path: str) -> HashingWriter: ...

    def close(self, path: str, out: HashingWriter) -> None: ...


class _Plan(Protocol):
    """What a register's rebuild reuses (:class:`tei.corpus.registers._Plan`)."""

    changes: Changes | None
    blocks: dict[str, dict[str, Span]]
    by_year: bool
    years: dict[str, str]

    def unchanged_year(self, year: str, txt: str, tsv: str, heading: bytes) -> bool: ...

    def carry(self, files: Any, paths: list[str]) -> None: ...


Pairs = dict[str | None, tuple[str, str]]
"""The files of a speaker's downloads, text and TSV, by year (None: whole)."""


def download_paths(folder: str, entity: Entity, by_year: bool) -> dict[str, Any]:
    """Where what ``entity`` said is, as its page links it: ``txt`` and ``tsv``, or by year
    (``years``: each year with its ``txt`` and ``tsv``)."""
    stem = f"{folder}/{file_name(entity.id)}"
    if not by_year:
        return {"txt": f"{stem}.txt", "tsv": f"{stem}.tsv"}
    return {"years": [{"year": year, "txt": year_path(f"{stem}.txt", year),
                       "tsv": year_path(f"{stem}.tsv", year)} for year in entity.said_years]}


def _pairs(paths: dict[str, Any]) -> Pairs:
    """The files of :func:`download_paths`, by year."""
    if "years" not in paths:
        return {None: (paths["txt"], paths["tsv"])}
    return {y["year"]: (y["txt"], y["tsv"]) for y in paths["years"]}


def write_downloads(files: _Files, folder: str, entity: Entity, index: CorpusIndex,
                    said: Groups | None, plan: _Plan, kinds: tuple[str, ...]) -> dict[str, Any]:
    """Write what ``entity`` said (see the module): in one pass over ``said`` (every
    speaker's paragraphs, in order), or, in a rebuild, reading only the changed documents'
    paragraphs and copying the other runs (linking the untouched years' files); the paths,
    as :func:`download_paths`."""
    paths = download_paths(folder, entity, plan.by_year)
    pairs = _pairs(paths)
    heading = f"{entity.name} ({entity.id})\n".encode("utf-8")
    if said is not None:
        paragraphs = (row[2] for row in said.take((_folded(entity.id), entity.id)))
        _write_pairs(files, pairs, heading, paragraphs, plan.by_year)
        return paths
    assert plan.changes is not None
    year = plan.years if plan.by_year else {}
    documents: dict[str | None, list[str]] = {}
    for document in index.spoken_in(entity.id, kinds):
        documents.setdefault(year.get(document), []).append(document)
    for this_year, (txt, tsv) in pairs.items():
        if this_year is not None and plan.unchanged_year(this_year, txt, tsv, heading):
            plan.carry(files, [txt, tsv])
            continue
        _splice_pair(files, txt, tsv, heading, documents.get(this_year, []), entity.id,
                     index, plan)
    return paths


def _write_pairs(files: _Files, pairs: Pairs, heading: bytes, paragraphs: Iterable[Said],
                 by_year: bool) -> None:
    """Write the text and TSV downloads of ``pairs`` from one speaker's ``paragraphs`` (in
    date order), a run per document, each in the files of its year (or the whole pair)."""
    opened: dict[str | None, tuple[HashingWriter, HashingWriter]] = {}
    try:
        for year, (txt, tsv) in pairs.items():
            opened[year] = text, table = files.open(txt), files.open(tsv)
            text.write(heading)
            write_tsv(table, SAID_COLUMNS, ())
        for document, group in itertools.groupby(paragraphs, lambda p: p.document):
            first = next(group)
            text, table = opened[year_of(first.when) if by_year else None]
            with text.block(document), table.block(document):
                write_rows(table, _said_rows(text, itertools.chain((first,), group)))
    finally:
        for year, (text, table) in opened.items():
            files.close(pairs[year][0], text)
            files.close(pairs[year][1], table)


def _splice_pair(files: _Files, txt: str, tsv: str, heading: bytes, documents: list[str],
                 ident: str, index: CorpusIndex, plan: _Plan) -> None:
    """Write one text and TSV download in a rebuild: the runs of ``documents`` copied from the
    previous files where unchanged, else read from the index."""
    assert plan.changes is not None
    text, table = files.open(txt), files.open(tsv)
    reused = [Reuse(plan.changes, path, plan.blocks.get(path, {})) for path in (txt, tsv)]
    text_runs, table_runs = reused
    copied: list[list[tuple[str, Span]]] = [[], []]  # each file's, since the last written
    try:
        text.write(heading)
        write_tsv(table, SAID_COLUMNS, ())
        for document in documents:
            text_span = text_runs.span(document)
            table_span = table_runs.span(document) if text_span is not None else None
            if text_span is not None and table_span is not None:
                copied[0].append((document, text_span))
                copied[1].append((document, table_span))
                continue
            _copy_runs((text, table), reused, copied)
            with text.block(document), table.block(document):
                write_rows(table, _said_rows(text, index.said_by(ident, document)))
        _copy_runs((text, table), reused, copied)
    finally:
        for previous in reused:
            previous.close()
        files.close(txt, text)
        files.close(tsv, table)


def _copy_runs(outs: tuple[HashingWriter, ...], reused: list[Reuse],
               copied: list[list[tuple[str, Span]]]) -> None:
    """Copy the runs gathered for each file from its previous version, and forget them."""
    for out, previous, runs in zip(outs, reused, copied):
        if runs:
            out.copy_runs(previous.file(), runs)
            runs.clear()


def _said_rows(text: HashingWriter, said: Iterable[Said]) -> Iterator[list[str | bytes]]:
    """The rows of a speaker's TSV, writing the same paragraphs to their text on the way:
    a heading for each document (title, date, ID), then each paragraph as ``[n] text``
    (its UTF-8 as the index keeps it)."""
    document = None
    lines: list[bytes] = []
    for paragraph in said:
        if paragraph.document != document:
            document = paragraph.document
            heading = ", ".join(x for x in (paragraph.date, paragraph.document) if x)
            lines.append(f"\n\n{paragraph.title}\n{heading}\n".encode("utf-8"))
        lines.append(b"".join((f"\n[{paragraph.n}] ".encode("utf-8"), paragraph.text, b"\n")))
        if len(lines) >= 500:
            text.write(b"".join(lines))
            lines = []
        yield [paragraph.document, paragraph.when or "", paragraph.turn, paragraph.paragraph,
               paragraph.text]
    if lines:
        text.write(b"".join(lines))


def _folded(ident: str) -> str:
    """An ID case aside as SQLite's ``lower()`` folds it (ASCII letters only), which orders
    the index's queries."""
    return "".join(c.lower() if c.isascii() else c for c in ident)
