"""Writing the corpus-wide files: hashed as they are written, in runs a rebuild copies, as TSV.

:class:`HashingWriter` is the file (its hash, and where each document's run lies in it);
:func:`write_runs` and :class:`Runs` write one run per document (or person, or row) and
copy those of unchanged ones from the previous build's file; :func:`write_tsv` writes rows
as :mod:`csv` would, faster where no cell needs quoting (:func:`tsv_text`, :func:`tsv_bytes`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, TypeVar

from tei.corpus.changes import Changes, Previous, Reuse, Span, copies
from tei.corpus.recycle import create as create

T = TypeVar("T")


class HashingWriter:
    """A binary file that also hashes what is written to it, and can record where the run of
    each document lies in it (:attr:`ranges`: a file spliced by the next build).

    A file written in runs is hashed run by run: its hash (:meth:`hexdigest`) is then the
    SHA-256 of its runs' SHA-256 (and of what lies between them) prefixed ``runs:``, so that
    a rebuild that copies runs never reads them; any other file's is its SHA-256.
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.segment = hashlib.sha256()
        self.segments: list[str] = []
        """The SHA-256 of each stretch of the file closed so far (a run, or between runs)."""
        self.written = 0
        self.start = 0
        """Where the stretch being written began."""
        self.ranges: dict[str, Span] = {}
        """Each document's run: its first and end bytes, and its SHA-256."""
        self._run: tuple[str, int] | None = None
        self._owed: Previous | None = None
        """The previous file that owes this one a copy (:class:`~tei.corpus.changes.Previous`)."""
        self._target: int | None = None
        """The file's own descriptor for the copies made in the background (closed there)."""
        self._behind = False
        """True when the handle is behind the end of what was written: a copy lies between."""

    def write(self, data: bytes) -> int:
        if self._owed is not None:
            self._owed.flush()
            self._owed = None
        if self._behind:  # the copy is made in its place, later: the handle writes after it
            self.handle.seek(self.written)
            self._behind = False
        self.segment.update(data)
        self.written += len(data)
        return self.handle.write(data)

    def _close_segment(self) -> str:
        """End the stretch being written; its SHA-256 (an empty one is not counted: a file
        hashes the same however its runs were cut)."""
        digest = self.segment.hexdigest()
        if self.written > self.start:
            self.segments.append(digest)
        self.segment = hashlib.sha256()
        self.start = self.written
        return digest

    @contextmanager
    def block(self, document: str) -> Iterator[None]:
        """Record what is written inside as ``document``'s run."""
        self.begin(document)
        yield
        self.end()

    def begin(self, document: str) -> None:
        """Start ``document``'s run: what is written until :meth:`end`."""
        self._close_segment()
        self._run = (document, self.written)

    def end(self) -> None:
        """End the run begun last, if any, and record it."""
        if self._run is not None:
            document, start = self._run
            self.ranges[document] = [start, self.written, self._close_segment()]
            self._run = None

    def copy(self, previous: Previous, document: str, span: Span) -> None:
        """Copy ``document``'s run from the previous build's file (at ``span`` there)."""
        self.copy_runs(previous, [(document, span)])

    def copy_runs(self, previous: Previous, runs: Sequence[tuple[str, Span]]) -> None:
        """Copy runs, one after another, from the previous build's file (each named, at its
        span there), as :meth:`copy` of each would: a rebuild copies most runs of a file,
        in stretches between the few it writes."""
        if self.written > self.start:  # else nothing to close: runs copied one after another
            self._close_segment()
        if self._owed is not previous:
            if self._owed is not None:
                self._owed.flush()
            self._owed = previous
        if self._target is None:
            self._target = os.dup(self.handle.fileno())
        target, segments, ranges, written = self._target, self.segments, self.ranges, self.written
        for document, span in runs:
            start, end, digest = int(span[0]), int(span[1]), str(span[2])
            previous.copy(target, start, end, written)
            if end > start:
                segments.append(digest)
            ranges[document] = [written, written + end - start, digest]
            written += end - start
        self.written = self.start = written
        self._behind = True

    def close(self) -> None:
        """Close the file; once the copies into it still owed are made, a descriptor of its
        own is flushed and closed (:func:`~tei.corpus.changes.drain` waits for them)."""
        try:
            if self._owed is not None:
                self._owed.flush()
                self._owed = None
            self.handle.close()
        finally:
            if self._target is not None:
                copies().finish(self._target)
                self._target = None

    def hexdigest(self) -> str:
        """The file's hash, once it is all written (see the class)."""
        if not self.ranges:
            return self.segment.hexdigest()
        self._close_segment()
        return "runs:" + hashlib.sha256("".join(self.segments).encode()).hexdigest()

    def write_text(self, chunks: Iterable[str], batch: int = 2000) -> None:
        """Write many small strings (a template's output) as UTF-8, a batch at a time."""
        iterator = iter(chunks)
        while group := list(itertools.islice(iterator, batch)):
            self.write("".join(group).encode("utf-8"))


def reuse(changes: Changes | None, name: str, path: str) -> Reuse | None:
    """What of the previous ``path`` a rebuild can copy (its runs recorded under ``name``)."""
    return None if changes is None else Reuse(changes, path, changes.blocks(name).get(path, {}))


def write_runs(out: HashingWriter, documents: Iterable[str], render: Callable[[str], None],
               previous: Reuse | None) -> None:
    """Write one run per document, in order: copied from the previous file where the
    document is unchanged, else written by ``render(document)``; each run recorded."""
    try:
        for document in documents:
            span = previous.span(document) if previous is not None else None
            if previous is not None and span is not None:
                out.copy(previous.file(), document, span)
            else:
                with out.block(document):
                    render(document)
    finally:
        if previous is not None:
            previous.close()


class Runs:
    """A file streamed with one run per item of a loop (a template's ``for``, or any loop that
    writes each item as soon as it has it): an item whose run the previous file holds is
    copied from there, and the loop never sees it; the others are written, each recorded.

    The loop must ask for an item only once all it wrote for the one before has been handed
    out (a Jinja ``for`` that does not use ``loop`` does), so that is where one run ends and
    the next begins.
    """

    def __init__(self, out: HashingWriter, previous: Reuse | None) -> None:
        self.out = out
        self.previous = previous
        self._pending: list[str] = []
        """A template's output not written yet (strings are written a batch at a time)."""

    def _flush(self) -> None:
        if self._pending:
            self.out.write("".join(self._pending).encode("utf-8"))
            self._pending.clear()

    def items(self, items: Iterable[T], key: Callable[[T], str]) -> Iterator[T]:
        """``items`` less those whose run (named ``key(item)``) is copied; each other one's
        run is what is written between its turn and the next item's. The runs copied
        between two written ones are copied together (:meth:`_settle`)."""
        span_of = self.previous.span if self.previous is not None else None
        copied: list[tuple[str, Span]] = []
        for item in items:
            name = key(item)
            if span_of is not None and (span := span_of(name)) is not None:
                copied.append((name, span))  # nothing is written until the next item
                continue
            self._settle(copied)
            self.out.begin(name)
            yield item
        self._settle(copied)

    def _settle(self, copied: list[tuple[str, Span]]) -> None:
        """Write what the loop wrote for the last item written, end its run, then copy the
        runs of ``copied`` (those of the items since), and forget them."""
        self._flush()
        self.out.end()
        if copied:
            assert self.previous is not None
            self.out.copy_runs(self.previous.file(), copied)
            copied.clear()

    def render(self, template: Any, context: dict[str, Any]) -> None:
        """Stream ``template`` (a Jinja template whose loop is over :meth:`items`)."""
        pending = self._pending
        try:
            for chunk in template.generate(context):
                pending.append(chunk)
                if len(pending) >= 2000:
                    self._flush()
            self._flush()
        finally:
            self.close()

    def close(self) -> None:
        """Make the copy owed, and close the previous file."""
        if self.previous is not None:
            self.previous.close()


def write_tsv(out: HashingWriter, columns: Sequence[str], rows: Iterable[Sequence[Any]],
              batch: int = 500) -> None:
    """A TSV file: a header row, then ``rows``; UTF-8, LF, tab-separated, a cell quoted (as
    in CSV) only when it holds a tab, a quote or a line break; written a batch at a time."""
    write_rows(out, [columns], batch)
    write_rows(out, rows, batch)


def write_rows(out: HashingWriter, rows: Iterable[Sequence[Any]], batch: int = 500) -> None:
    """Rows of a TSV file (as :func:`write_tsv` writes them), a batch at a time."""
    iterator = iter(rows)
    group = list(itertools.islice(iterator, batch))
    while group:
        out.write(tsv_bytes(group))
        group = list(itertools.islice(iterator, batch))


def tsv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    """Rows as :func:`tsv_text` writes them, UTF-8; a row's last cell may be bytes (UTF-8
    text as the index keeps it, what was said: not decoded only to be encoded again).
    In UTF-8 no byte of another character is a tab, a line feed, a CR or a quote, so the
    rows' bytes are counted as :func:`tsv_text` counts their characters."""
    lines = []
    for row in rows:
        last = row[-1] if row else None
        if type(last) is bytes:
            lines.append(_joined(row[:-1]).encode("utf-8") + b"\t" + last if len(row) > 1
                         else last)
        else:
            lines.append(_joined(row).encode("utf-8"))
    data = b"\n".join(lines) + b"\n"
    if (min(map(len, rows)) > 1 and data.count(b"\t") == sum(map(len, rows)) - len(rows)
            and data.count(b"\n") == len(rows) and b'"' not in data and b"\r" not in data):
        return data
    return tsv_text([[c.decode("utf-8") if type(c) is bytes else c for c in row]
                     for row in rows]).encode("utf-8")


def _joined(cells: Sequence[Any]) -> str:
    """Cells joined by tabs, numbers and None as csv writes them (no quoting)."""
    try:
        return "\t".join(cells)
    except TypeError:
        return "\t".join([c if type(c) is str else "" if c is None else str(c) for c in cells])


def tsv_text(rows: Sequence[Sequence[Any]]) -> str:
    """Rows as :mod:`csv` writes them in the ``excel-tab`` dialect, lines ending in LF.

    Most rows hold no tab, quote or line break in any cell, and then csv writes each cell
    as it is: the rows are joined so (a few copies of the text, in C, where csv looks at each
    character of each cell), and the count of tabs and line feeds in the result tells
    whether that was so; if not, csv writes them."""
    try:
        lines = ["\t".join(row) for row in rows]
    except TypeError:  # numbers or None among the cells: as csv writes them
        lines = ["\t".join([c if type(c) is str else "" if c is None else str(c) for c in row])
                 for row in rows]
    text = "\n".join(lines) + "\n"
    if (min(map(len, rows)) > 1  # a row of one empty cell is written "" by csv
            and text.count("\t") == sum(map(len, rows)) - len(rows)
            and text.count("\n") == len(rows) and '"' not in text and "\r" not in text):
        return text
    buffer = io.StringIO()
    csv.writer(buffer, dialect="excel-tab", lineterminator="\n").writerows(rows)
    return buffer.getvalue()
