"""A first authority file, drafted from the corpus itself: one row per person, every variant.

Each document names its persons by what it prints, so one person can get
several identifiers across a corpus: ``putin-v`` in a transcript whose labels
say only ``В.Путин``, ``putin-vladimir`` where the lead names him in full. The
draft gathers every person of every source (labels, lead names, page names, in
both languages), merges what the corpus makes unambiguous, and leaves the rest
for the editor to confirm:

- persons whose full names agree once romanised (``Владимир Путин``, ``Vladimir
  Putin``: both ``putin-vladimir``) are one row;
- a label-only person (``В.Путин``: surname and initials) joins the one full name
  of the corpus with that surname and those initials; with two candidates
  (``Александр Новак``, ``Алексей Новак``) it stays a row of its own;
- the same item published in two languages (kremlin.ru and en.kremlin.ru share
  the item number) pairs its persons: the n-th person of each, when both have as
  many turns, is one row, under the ID the English page gives (the Latin spelling
  of a foreign name: ``carlson-tucker``, not the romanised ``karlson-taker``);
- IDs that differ by a letter or two (``karlson-taker``/``carlson-tucker``,
  ``shakhidjanyan``/``shakhijanyan``: transliteration variants) are flagged in
  the ``check`` column, never merged.

The CSV is the one ``--authority`` reads (:mod:`tei.authority`); ``check`` is
ignored there. :func:`probable_duplicates` is also what ``build`` warns with
when it has no authority file.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tei.errors import TeiEditionError
from tei.model import Document, Person
from tei.readers.names.words import INITIAL, INITIALS_PATTERN, name_key
from tei.similar import SegmentIndex, within_edits

CHECK_COLUMN = "check"
"""The draft's column for what the editor should confirm (``--authority`` ignores it)."""


@dataclass(slots=True)
class Row:
    """One person of the draft: an ID, a name and every variant the corpus gives."""

    id: str
    name: str
    forename: str | None
    surname: str | None
    variants: Counter[str] = field(default_factory=Counter)
    """Every label and name that means this person, with how often it occurs."""
    ids: set[str] = field(default_factory=set)
    """The IDs the documents gave this person (merged into ``id``)."""
    check: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        """The row as the CSV has it."""
        variants = sorted((v for v in self.variants if v != self.name),
                          key=lambda v: (-self.variants[v], v))
        return ["person", self.id, self.name, self.forename or "", self.surname or "",
                "|".join(variants), "; ".join(self.check)]


def _initials(label: str) -> tuple[str, ...] | None:
    """The romanised initials of a label such as ``К.-Ж.Токаев`` (None: no initials)."""
    match = INITIALS_PATTERN.fullmatch(label)
    if match is None:
        return None
    return tuple(name_key(i) for i in INITIAL.findall(match.group("initials")))


def _fits(initials: tuple[str, ...], forename: str) -> bool:
    """``("k", "zh")`` fits ``Касым-Жомарт``; ``("v",)`` fits ``Vladimir``."""
    parts = [name_key(p) for p in forename.replace("-", " ").split()]
    return len(parts) >= len(initials) and all(p.startswith(i) for i, p in zip(initials, parts))


class Draft:
    """The persons of a corpus, gathered document by document, then merged."""

    def __init__(self) -> None:
        self.full: dict[tuple[str, str], Row] = {}
        """Persons with a forename and a surname, by their romanised keys."""
        self.partial: list[tuple[Person, str]] = []
        """Persons known by a surname (and initials) only, with the document's ID for them."""
        self.items: dict[tuple[str, str], dict[str, list[tuple[str, int]]]] = {}
        """Documents by source item (number type, number), by language: their persons' IDs
        and turn counts, in the order the documents list them."""

    def add(self, doc: Document) -> None:
        """Add one document's persons (anonymous roles are not persons of an authority)."""
        persons = [p for p in doc.persons if not p.anonymous]
        if doc.source.number:
            turns = Counter(turn.who for turn in doc.turns())
            item = self.items.setdefault((doc.source.number_type or "", doc.source.number), {})
            item[doc.language] = [(p.id, turns[p.id]) for p in persons]
        for person in persons:
            names = Counter([person.name, *person.labels])
            if person.forename and person.surname:
                key = (name_key(person.forename), name_key(person.surname))
                row = self.full.setdefault(key, Row(person.id, person.name, person.forename,
                                                    person.surname))
                row.variants.update(names)
                row.ids.add(person.id)
            else:
                self.partial.append((person, person.id))

    def rows(self) -> list[Row]:
        """Every person once, sorted by ID, label-only persons merged where unambiguous."""
        rows = list(self.full.values())
        alone: dict[str, Row] = {}
        for person, ident in self.partial:
            target = self._full_name_of(person)
            if target is None:
                target = alone.setdefault(ident, Row(ident, person.name, None, person.surname))
            target.variants.update([person.name, *person.labels])
            target.ids.add(ident)
        rows.extend(alone.values())
        rows = self._join_translations(rows)
        for row in rows:
            row.name = _most_common(row.variants, row.name, full=row.forename is not None)
        by_id = {row.id: row for row in rows}
        for first, second, reason in probable_duplicates(by_id):
            by_id[first].check.append(f"{reason} {second}?")
            by_id[second].check.append(f"{reason} {first}?")
        return sorted(rows, key=lambda row: row.id)

    def _join_translations(self, rows: list[Row]) -> list[Row]:
        """Rows of the n-th persons of an item's two languages joined, when their turns agree."""
        row_of = {ident: row for row in rows for ident in row.ids}
        for languages in self.items.values():
            if len(languages) != 2 or "en" not in languages:
                continue
            english = languages["en"]
            other = next(persons for lang, persons in languages.items() if lang != "en")
            if len(english) != len(other):
                continue
            for (kept_id, turns), (joined_id, other_turns) in zip(english, other):
                kept, joined = row_of[kept_id], row_of[joined_id]
                if kept is joined or turns != other_turns:
                    continue
                kept.variants.update(joined.variants)
                kept.ids |= joined.ids
                row_of.update(dict.fromkeys(joined.ids, kept))
        return list({id(row): row for row in row_of.values()}.values())

    def _full_name_of(self, person: Person) -> Row | None:
        """The one full-name row a surname-and-initials person fits, if exactly one does."""
        initials = next((i for i in map(_initials, person.labels) if i), None)
        surname = name_key(person.surname or person.name)
        fits = [row for (forename, key), row in self.full.items()
                if key == surname and (initials is None or _fits(initials, forename))]
        return fits[0] if len(fits) == 1 else None


def _most_common(variants: Counter[str], fallback: str, full: bool) -> str:
    """The name most sources print (of two words or more for a full name), else ``fallback``."""
    candidates = [v for v in variants if not full or len(v.split()) >= 2 and "." not in v]
    return max(candidates, key=lambda v: (variants[v], len(v), v)) if candidates else fallback


def probable_duplicates(ids: Iterable[str],
                        new: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """Pairs of person IDs that probably mean one person: ``(first, second, reason)``,
    ``first`` < ``second``, in order.

    ``initials``: the second is the first's surname with a forename whose initial the
    first gives (``putin-v``, ``putin-vladimir``); ``spelling``: the two differ by at
    most two letters (``shakhidjanyan-…``, ``shakhijanyan-…``). Pairs are compared within
    the same opening letters only, and only those an index proposes (a prefix for
    ``initials``, :class:`~tei.similar.SegmentIndex` for ``spelling``), so the cost grows
    with the corpus, not its square. ``new``: only the pairs with at least one of these
    IDs (a rebuild that added a few persons to a corpus whose other pairs are known).
    """
    ordered = sorted(set(ids))
    near = SegmentIndex(ordered, shortest=SPELLING_FROM, group=opening)
    present = set(ordered)
    compared = present if new is None else set(new)
    found: list[tuple[str, str, str]] = []
    for one in sorted(compared):
        group = opening(one)
        for other in _initials_partners(one, ordered, present) | near.candidates(one):
            if other == one or opening(other) != group:
                continue
            if other < one and other in compared:
                continue  # a pair of two compared IDs is taken from its first one's side
            first, second = min(one, other), max(one, other)
            reason = _duplicate_reason(first, second)
            if reason:
                found.append((first, second, reason))
    return sorted(found)


SPELLING_FROM = 8
"""The shortest IDs compared for spelling: shorter ones differ by two letters too often."""


def opening(ident: str) -> str:
    """The opening letters two IDs must share to be compared at all (a rebuild compares
    the persons it added with those of their opening letters only)."""
    return ident[:2]


def _initials_partners(ident: str, ordered: list[str], present: set[str]) -> set[str]:
    """The IDs that may pair with ``ident`` by initials: those it may be the initials of
    (found by prefix in ``ordered``), and those that may be its own initials."""
    surname, _, last = ident.rpartition("-")
    if not surname:
        return set()
    partners = {f"{surname}-{last[:size]}" for size in (1, 2) if len(last) > size} & present
    if len(last) <= 2:
        at = bisect.bisect_left(ordered, ident)
        while at < len(ordered) and ordered[at].startswith(ident):
            partners.add(ordered[at])
            at += 1
    return partners


def _duplicate_reason(first: str, second: str) -> str | None:
    """Why two IDs probably mean one person, or None."""
    for short, long in ((first, second), (second, first)):
        surname, _, initial = short.rpartition("-")
        if surname and 0 < len(initial) <= 2 and long.startswith(f"{surname}-{initial}"):
            rest = long[len(surname) + 1:]
            if "-" not in rest and len(rest) > len(initial):
                return "initials"
    if min(len(first), len(second)) >= SPELLING_FROM and within_edits(first, second):
        return "spelling"
    return None


def write_csv(rows: Iterable[Row]) -> bytes:
    """The draft as the CSV ``--authority`` reads (UTF-8, header row, LF)."""
    from tei.authority import CSV_COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, CHECK_COLUMN])
    writer.writerows(row.cells() for row in rows)
    return buffer.getvalue().encode("utf-8")


@dataclass(slots=True)
class DraftReport:
    """What drafting did: the rows, and one error per source that could not be read."""

    rows: list[Row] = field(default_factory=list)
    errors: list[TeiEditionError] = field(default_factory=list)


def draft_authority(sources: Iterable[str | Path]) -> DraftReport:
    """Read every transcript of ``sources`` (files or folders) and draft their authority."""
    from tei.pipeline import read_document
    from tei.readers import SUFFIXES, ReadOptions
    from tei.xmlio import input_files

    draft = Draft()
    report = DraftReport()
    for path in input_files(sources, SUFFIXES):
        try:
            draft.add(read_document(path, ReadOptions()))
        except TeiEditionError as error:
            report.errors.append(error)
        except OSError as error:
            report.errors.append(TeiEditionError(error.strerror or str(error), path=str(path)))
    report.rows = draft.rows()
    return report
