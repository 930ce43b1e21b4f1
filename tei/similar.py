"""Strings within two edits of each other, found without comparing every pair.

A corpus of 20,000 transcripts names some 50,000 persons: comparing every pair of
their IDs is a billion comparisons. The pigeonhole principle (as in Li, Deng, Wang
and Feng's Pass-Join, VLDB 2011) finds the candidates instead: cut a string ``b``
into three segments; two edits can spoil at most two of them, so a string ``a``
within two edits of ``b`` holds one of ``b``'s segments unchanged, shifted by at
most two places (fewer for the first and last: Pass-Join's position-aware
selection). :class:`SegmentIndex` files every string under its segments, and
:meth:`SegmentIndex.candidates` looks a string's substrings up at those places:
a superset of the strings within two edits, to be checked one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache

EDITS = 2
"""The most insertions, deletions or substitutions between two strings found together."""

Key = tuple[str, int, int, str]
"""A segment as filed: the string's group, its length, the segment's number, its text."""


@cache
def segments(length: int) -> tuple[tuple[int, int], ...]:
    """Where the ``EDITS + 1`` segments of a string of ``length`` start, and their
    lengths: as even as can be, the longer ones last."""
    count = EDITS + 1
    short, longer = divmod(length, count)
    sizes = [short] * (count - longer) + [short + 1] * longer
    starts = [sum(sizes[:i]) for i in range(count)]
    return tuple(zip(starts, sizes))


class SegmentIndex:
    """Strings filed under their segments, to find those near a given string."""

    def __init__(self, strings: Iterable[str], shortest: int,
                 group: Callable[[str], str] = lambda string: "") -> None:
        """File every string of at least ``shortest`` characters (shorter ones have
        segments too short to tell anything apart); only strings of one ``group`` are
        ever candidates for each other."""
        self.shortest = max(shortest, EDITS + 1)
        self.group = group
        self.filed: dict[Key, list[str]] = {}
        for string in strings:
            if len(string) >= self.shortest:
                for number, (start, size) in enumerate(segments(len(string))):
                    key = (group(string), len(string), number, string[start:start + size])
                    self.filed.setdefault(key, []).append(string)

    def candidates(self, string: str) -> set[str]:
        """The filed strings that may be within :data:`EDITS` edits of ``string``
        (every one that is, and some that are not)."""
        return set(self._candidates(string))

    def _candidates(self, string: str) -> Iterator[str]:
        if len(string) < self.shortest:
            return
        group = self.group(string)
        for length in range(max(self.shortest, len(string) - EDITS), len(string) + EDITS + 1):
            longer = len(string) - length
            for number, (start, size) in enumerate(segments(length)):
                # Pass-Join's position-aware bounds: the edits before a segment shift it by
                # at most its number, those after it leave the rest of the length to make up
                first = max(-number, longer - (EDITS - number))
                last = min(number, longer + (EDITS - number))
                for begin in range(start + max(first, -start), start + last + 1):
                    if begin + size <= len(string):
                        yield from self.filed.get((group, length, number,
                                                  string[begin:begin + size]), ())


def within_edits(a: str, b: str, edits: int = EDITS) -> bool:
    """True when at most ``edits`` insertions, deletions or substitutions turn ``a`` into
    ``b`` (Levenshtein's distance, by RapidFuzz: given up on past ``edits``)."""
    return bool(_distance()(a, b, score_cutoff=edits) <= edits)


@cache
def _distance() -> Callable[..., int]:
    """RapidFuzz's Levenshtein distance, imported once it is first needed (a build's
    warning of duplicates compares hundreds of thousands of pairs)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance
