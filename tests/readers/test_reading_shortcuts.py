"""The readers' shortcuts give what the general way gives: plain paragraphs without the inline
rules, the language from runs of letters, a saved page's headings told from its bold marks,
paragraphs with no colon near their start told no turn without the label pattern, text with
white space squeezed by replacing, not by a pattern.

Each shortcut is compared with the general definition it stands for (written out here), on
constructed cases and on every paragraph of the saved pages in tests/data.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from tei.model import Omission, Stage, Supplied
from tei.readers.names.words import name_key
from tei.readers.kremlin.dom import squeeze
from tei.readers.kremlin.html import BREAK, Styled, all_bold, styled_text, text_blocks
from tei.readers.rules.inline import parse_inline
from tei.readers.rules.labels import (_CANDIDATE, MAX_LABEL, LabelMatch, document_rules,
                                      find_label, label_rule)
from tei.readers.transcript import RawParagraph, guess_language

DATA = Path(__file__).parents[1] / "data"
PAGES = sorted([*(DATA / "kremlin-en").glob("*.html"), *(DATA / "kremlin-en-more").glob("*.html"),
                DATA / "kremlin-html" / "64534.html"])


@pytest.mark.parametrize("text", ["Уважаемые коллеги! Добрый день.", "a", " leading space"])
def test_a_paragraph_without_marks_is_one_string(text: str) -> None:
    assert parse_inline(text) == [text]


def test_an_empty_paragraph_has_no_items() -> None:
    assert parse_inline("") == []


def test_text_before_a_mark_is_kept_whole() -> None:
    assert parse_inline("Начнём (Смех.) и [Путиным] <…> конец") == [
        "Начнём ", Stage("Смех.", "laughter"), " и ", Supplied("Путиным"), " ",
        Omission(mark="<…>"), " конец"]


def test_an_opener_that_starts_no_mark_stays_in_the_text() -> None:
    assert parse_inline("ОДКБ (Организация) & co < 3") == ["ОДКБ (Организация) & co < 3"]


def test_a_rule_switched_off_leaves_its_mark_as_text() -> None:
    text = "Начнём (Смех.) конец"
    assert parse_inline(text, frozenset({"stage"})) == [text]
    assert parse_inline(text) != [text]  # the same paragraph with the rule on


def _letters_one_by_one(text: str) -> str:
    """The language as the guess was first defined: a list of every letter of each script."""
    cyrillic = len(re.findall("[\u0400-\u04ff]", text))
    latin = len(re.findall("[A-Za-z]", text))
    return "ru" if cyrillic >= latin else "en"


@pytest.mark.parametrize("text", [
    "Владимир Путин: Добрый день!", "Vladimir Putin: Good afternoon!", "",
    "ОДКБ and CSTO", "abc абв", "a b c d абв", "ab-cd ёЁ xyz", "Ъ I",
    (DATA / "kremlin-ru" / "64534.txt").read_text(encoding="utf-8")[:4000],
    (DATA / "kremlin-en" / "carlson-interview-en.txt").read_text(encoding="utf-8")[:4000],
])
def test_the_language_is_that_of_more_letters(text: str) -> None:
    assert guess_language([RawParagraph(text, 1)]) == _letters_one_by_one(text)


def _all_bold_by_character(styled: Styled, start: int, end: int) -> bool:
    """The heading test as first defined: the bold marks of every character but spaces."""
    marks = [bold for char, bold in zip(styled.text[start:end], styled.bold[start:end])
             if not char.isspace()]
    return bool(marks) and all(marks)


@pytest.mark.parametrize(("text", "bold", "expected"), [
    ("Heading", [True] * 7, True),
    (" Head ", [False, True, True, True, True, False], True),
    ("   ", [True] * 3, False),
    ("", [], False),
    ("Bold then not", [True] * 5 + [False] * 8, False),
    ("a\u00a0b", [True, False, True], True),  # a no-break space is a space
])
def test_all_bold_cases(text: str, bold: list[bool], expected: bool) -> None:
    styled = Styled(text, bold)
    assert all_bold(styled, 0, len(text)) is expected
    assert _all_bold_by_character(styled, 0, len(text)) is expected


def _up_to_bold_run(styled: Styled, start: int, end: int) -> tuple[int, int]:
    """From ``start`` to the end of the first run of bold characters after it (a label)."""
    first = next((i for i in range(start, end) if styled.bold[i]), end)
    return start, next((i for i in range(first, end) if not styled.bold[i]), end)


def test_all_bold_agrees_on_every_part_of_every_saved_page() -> None:
    checked = headings = 0
    for page in PAGES:
        root = lxml.html.document_fromstring(page.read_bytes())
        for _, nodes in text_blocks(root.body):
            styled = styled_text(nodes)
            cuts = [-1, *(i for i, c in enumerate(styled.text) if c == BREAK), len(styled.text)]
            lines = [(a + 1, b) for a, b in zip(cuts, cuts[1:])] + [(0, len(styled.text))]
            for start, end in lines + [_up_to_bold_run(styled, a, b) for a, b in lines]:
                expected = _all_bold_by_character(styled, start, end)
                assert all_bold(styled, start, end) is expected, (page.name, styled.text[start:end])
                checked += 1
                headings += expected
    assert checked > 1000 and 100 < headings < checked  # bold parts (labels) and others found


def _find_label_by_pattern(text: str) -> LabelMatch | None:
    """The label as first found: the candidate pattern tried on every paragraph."""
    match = _CANDIDATE.match(text)
    if not match or match["head"] != match["head"].rstrip():
        return None
    rule = label_rule(match["head"])
    return None if rule is None else LabelMatch(match["head"], match["note"], match["rest"], rule)


def test_the_longest_candidate_label_is_still_tried() -> None:
    """A head of the most characters, a note of 60: a label when the lead names the head."""
    head = ("Иван Петрович " * 6)[:MAX_LABEL - 2].strip() + "ов"
    assert len(head) == MAX_LABEL
    text = f"{head} ({'н' * 60}): Текст."
    found = find_label(text, document_rules(known=frozenset({name_key(head)})))
    assert found is not None and found.label == head and found.note == "н" * 60


def test_labels_found_as_the_pattern_finds_them_in_every_paragraph() -> None:
    texts = [line for path in [*(DATA / "kremlin-ru").glob("*.txt"),
                               *(DATA / "kremlin-en").glob("*.txt")]
             for line in path.read_text(encoding="utf-8").splitlines()]
    for page in PAGES:
        root = lxml.html.document_fromstring(page.read_bytes())
        texts += [styled_text(nodes).text for _, nodes in text_blocks(root.body)]
    found = [find_label(text.strip()) for text in texts]
    assert found == [_find_label_by_pattern(text.strip()) for text in texts]
    assert sum(f is not None for f in found) > 500 and len(found) > 3000


def _squeezed_by_pattern(text: str) -> str:
    """Squeezing as first defined: every run of source whitespace replaced by a space."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


@pytest.mark.parametrize("text", [
    "", " ", "a b", "a  b", "a\nb", "a\tb", "a\rb", "a\fb", "a\vb", " a \u00a0 b ", "a\u00a0\u00a0b",
    "a \n b", "\n", "a" + " " * 9 + "b", "a \t\n \r\n\f\v  b  c", "\u2028a\u3000 b", "  \n  ",
])
def test_squeeze_cases(text: str) -> None:
    assert squeeze(text) == _squeezed_by_pattern(text)


def test_squeeze_agrees_on_every_paragraph_of_every_saved_page() -> None:
    texts = []
    for page in PAGES:
        root = lxml.html.document_fromstring(page.read_bytes())
        texts += [styled_text(nodes).text for _, nodes in text_blocks(root.body)]
    assert [squeeze(t) for t in texts] == [_squeezed_by_pattern(t) for t in texts]
    assert sum(squeeze(t) != t.strip() for t in texts) > 100  # some had runs to squeeze
