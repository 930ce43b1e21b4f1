"""The pieces the corpus pages are written with fast give what the slow way gave: TSV rows as
csv writes them, a document's links as the register template's loops wrote them."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any

import jinja2
import pytest

from tei.corpus.pages import paragraph_links, turn_links
from tei.corpus.writers import tsv_bytes, tsv_text

CELLS = ["Путин", "", " ", "a\tb", "a\nb", "a\rb", 'say "yes"', '"', "\x00", "a\\b", 1, 0,
         None, 2.5, True]


def csv_text(rows: list[list[Any]]) -> str:
    """The rows as csv writes them (as the pages did)."""
    buffer = io.StringIO()
    csv.writer(buffer, dialect="excel-tab", lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [1, 2, 3])
def test_tsv_rows_are_written_as_csv_writes_them(width: int) -> None:
    for cells in itertools.product(CELLS, repeat=width):
        rows: list[list[Any]] = [list(cells), ["kremlin-1", "2020-12-02", "text"]]
        assert tsv_text(rows) == csv_text(rows), cells
        assert tsv_text(rows[:1]) == csv_text(rows[:1]), cells


LOOPS = jinja2.Environment(autoescape=True).from_string(
    '{% for n, span, href in turns %}<a href="{{ up }}{{ href }}">{{ span or turn ~ " " ~ n }}'
    '</a>{{ " " if not loop.last }}{% endfor %}|{% for n, href in mentions %}<a href="{{ up }}'
    '{{ href }}">{{ n or "¶" }}</a>{{ " " if not loop.last }}{% endfor %}')
"""What the register's occurrence macro wrote before the links were made in Python."""


@pytest.mark.parametrize("value", ["12–15", "", "a&b", "<i>", 'x"y', "it's", "\x00", "7"])
def test_a_documents_links_are_what_the_template_wrote(value: str) -> None:
    turns = [("1", value, f"../html/d.html#{value}"), ("2", "3–4", "../html/d.html#p3"),
             ("3", "", "x&y")]
    mentions = [(value, f"../html/d.html#{value}"), ("", "../html/d.html#p9")]
    expected = LOOPS.render(up="../", turns=turns, mentions=mentions, turn="Turn")
    assert f"{turn_links('../', turns, 'Turn')}|{paragraph_links('../', mentions)}" == expected
    assert turn_links("../", [], "Turn") == "" and paragraph_links("../", []) == ""


@pytest.mark.parametrize("width", [1, 2, 3])
def test_tsv_rows_ending_in_utf8_are_written_as_csv_writes_their_text(width: int) -> None:
    texts = [c for c in CELLS if isinstance(c, str)]
    for cells in itertools.product(CELLS, repeat=width - 1):
        for last in texts:
            rows: list[list[Any]] = [[*cells, last.encode()], ["kremlin-1", 7, "Да".encode()]]
            decoded = [[c.decode() if isinstance(c, bytes) else c for c in row] for row in rows]
            assert tsv_bytes(rows) == csv_text(decoded).encode(), rows
            assert tsv_bytes(rows[:1]) == csv_text(decoded[:1]).encode(), rows
