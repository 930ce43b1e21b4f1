"""Near-duplicate person IDs are found without comparing every pair, and all of them are found.

The build warns of probable duplicates across the whole corpus (tens of thousands of
persons at 20,000 transcripts): :mod:`tei.similar` proposes candidates through an index;
these tests hold it to the brute-force answer.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tei.authority_draft import _duplicate_reason, probable_duplicates
from tei.similar import SegmentIndex, within_edits

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
WORDS = st.text(alphabet="abdekv-", min_size=1, max_size=14)
"""IDs over a few letters and the hyphen, so that near pairs and initials are common."""


@PROPERTY
@given(st.lists(st.text(alphabet="ab", min_size=3, max_size=12), max_size=40))
def test_the_index_proposes_every_string_within_two_edits(strings: list[str]) -> None:
    index = SegmentIndex(strings, shortest=3)
    for one, other in itertools.product(strings, repeat=2):
        if within_edits(one, other):
            assert other in index.candidates(one)


def _brute_force(ids: list[str]) -> list[tuple[str, str, str]]:
    """Every pair of the same opening letters, compared."""
    found = []
    for first, second in itertools.combinations(sorted(set(ids)), 2):
        reason = _duplicate_reason(first, second) if first[:2] == second[:2] else None
        if reason:
            found.append((first, second, reason))
    return found


@PROPERTY
@given(st.lists(WORDS, max_size=40), st.data())
def test_probable_duplicates_are_those_every_pair_compared_gives(ids: list[str],
                                                                 data: st.DataObject) -> None:
    assert probable_duplicates(ids) == _brute_force(ids)
    new = data.draw(st.lists(st.sampled_from(ids), max_size=4)) if ids else []
    assert probable_duplicates(ids, new) == [pair for pair in _brute_force(ids)
                                             if pair[0] in new or pair[1] in new]


def test_a_transliteration_variant_and_a_label_only_name_are_found() -> None:
    ids = ["shakhidjanyan-marina", "shakhijanyan-marina", "putin-v", "putin-vladimir",
           "pashinyan-nikol"]
    assert probable_duplicates(ids) == [("putin-v", "putin-vladimir", "initials"),
                                        ("shakhidjanyan-marina", "shakhijanyan-marina",
                                         "spelling")]
