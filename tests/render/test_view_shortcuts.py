"""A paragraph or line of text alone is read into the view as the general inline walk reads it:
the same pieces, the same words, on every such element of the TEI in tests/data; and words are
counted as the runs of word characters they are, on that TEI and on any text."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from render_support import FOREIGN, sample_bytes
from tei.render.inline import (LinkRegistry, collapse, content_of, count_words, pieces_of, tidy,
                               words_in)
from tei.xmlio import TEI_NS, parse_bytes, parse_file

DATA = Path(__file__).parents[1] / "data"


def test_text_alone_reads_as_the_inline_walk_reads_it() -> None:
    roots = [parse_bytes(sample_bytes(), "64534.xml").getroot()]
    roots += [parse_file(path).getroot() for path in FOREIGN.values()]
    plain = walked = 0
    for root in roots:
        for el in root.iter(f"{{{TEI_NS}}}p", f"{{{TEI_NS}}}l", f"{{{TEI_NS}}}seg",
                            f"{{{TEI_NS}}}ab", f"{{{TEI_NS}}}head"):
            general = tidy(pieces_of(el, LinkRegistry()))
            assert content_of(el, LinkRegistry()) == (general, count_words(general))
            plain += not len(el)
            walked += bool(len(el))
    assert plain > 300 and walked > 20  # both ways taken, many times


WORD = re.compile(r"\w+")
MARKS = st.sampled_from([" ", "\u00a0", "\n", "-", "—", ",", ".", "«", "»", "_", "'", "²", "(",
                         "́", "Ё", "ё", "a", "7", "٣", "…", "%", "/", "”",
                         "’", "я", "\u047f", "\u0480", "\u0482", "\u0483", "é", "\u2009"])


def test_words_in_counts_the_runs_of_word_characters_in_the_test_data() -> None:
    """:func:`words_in` counts as ``\\w+`` does, on every text and tail of the TEI in tests/data
    (collapsed as the view collapses them, and as they are)."""
    roots = [parse_bytes(sample_bytes(), "64534.xml").getroot()]
    roots += [parse_file(path).getroot() for path in FOREIGN.values()]
    texts = [t for root in roots for t in root.itertext()]
    assert len(texts) > 1000
    for text in texts:
        for form in (text, collapse(text)):
            assert words_in(form) == len(WORD.findall(form)), form


@given(st.lists(st.one_of(MARKS, st.text(max_size=4)), max_size=40).map("".join))
@settings(max_examples=500, deadline=None)
def test_words_in_counts_the_runs_of_word_characters_in_any_text(text: str) -> None:
    """The same on any text: punctuation, white space and word characters of any script,
    underscores and combining marks run together in any order (the Cyrillic letters counted
    by their bytes, and the signs and marks beside them that are not letters, among them)."""
    assert words_in(text) == len(WORD.findall(text))
