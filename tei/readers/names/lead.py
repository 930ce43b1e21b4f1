"""The people a lead paragraph names: ``Премьер-министр Армении Никол Пашинян``.

A kremlin.ru lead names the participants with their offices, in any
grammatical case; :func:`lead_names` finds each name and office and gives
both in the nominative (:mod:`tei.readers.names.morphology`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tei.readers.names.morphology import (VERB_POS, best_parse, is_office_head, is_lead_in,
                                          known_forename, name_length, nominative, not_a_name,
                                          office_case, office_nominative)
from tei.readers.names.order import surname_first
from tei.readers.names.words import (AFTER_NAME, CLAUSE_BREAK, CONNECTORS, SPACES_ONLY, WORDS,
                                     is_cyrillic, is_name_word)


@dataclass(slots=True)
class LeadName:
    """A person named in the lead, with the words as printed and the name in the nominative."""

    surface: str
    """As printed: ``Владимира Путина``."""
    forename: str
    surname: str
    patronymic: str | None = None
    occupation: str | None = None


def lead_names(text: str) -> list[LeadName]:
    """The people one lead paragraph names, in order.

    A name is two capitalised words (three with a patronymic) that either
    start with a forename the dictionary knows (``Владимира Путина``) or end
    an item of a list of participants after an office (``Премьер-министр
    Армении Никол Пашинян,``).
    """
    tokens = list(WORDS.finditer(text))
    names: list[LeadName] = []
    for run in _capitalised_runs(text, tokens):
        by_forename = _forename_span(run)
        span = by_forename or _list_item_span(text, run)
        if span is None:
            continue
        start, end = span[0].start(), span[-1].end()
        office = _office(text, start)
        if by_forename is not None or office is not None:
            names.append(_lead_name(text[start:end], [m.group() for m in span], office))
    return names


def _lead_name(surface: str, words: list[str], office: str | None) -> LeadName:
    """A lead name and its office, both in the nominative."""
    forename = known_forename(words[0])
    case = forename.case if forename is not None else office_case(office)
    nominal = nominative(words, case)
    if surname_first(nominal[0], " ".join(nominal[1:])):
        return LeadName(surface=surface, forename=" ".join(nominal[1:]), surname=nominal[0],
                        occupation=office_nominative(office, case) if office else None)
    return LeadName(surface=surface, forename=nominal[0], surname=nominal[-1],
                    patronymic=nominal[1] if len(nominal) == 3 else None,
                    occupation=office_nominative(office, case) if office else None)


def _capitalised_runs(text: str, tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Maximal sequences of capitalised words separated by spaces only."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for token in tokens:
        adjacent = current and SPACES_ONLY.fullmatch(text[current[-1].end():token.start()])
        if is_name_word(token.group()) and (adjacent or not current):
            current.append(token)
            continue
        if len(current) >= 2:
            runs.append(current)
        current = [token] if is_name_word(token.group()) else []
    if len(current) >= 2:
        runs.append(current)
    return runs


def _forename_span(run: list[re.Match[str]]) -> list[re.Match[str]] | None:
    """The name in a run that starts with a forename the dictionary knows."""
    for i, token in enumerate(run[:-1]):
        if known_forename(token.group()) is None:
            continue
        size = name_length([t.group() for t in run[i:i + 3]])
        span = run[i:i + size]
        if len(span) == size and not any(not_a_name(t.group()) for t in span[1:]):
            return span
    return None


def _list_item_span(text: str, run: list[re.Match[str]]) -> list[re.Match[str]] | None:
    """The last words of a run that ends a list item (before ``,``, ``.``, ``и``…)."""
    if not AFTER_NAME.match(text, run[-1].end()):
        return None
    span = run[-name_length([t.group() for t in run[-3:]]):]
    if any(not_a_name(t.group()) for t in span):
        return None
    return span


def _office(text: str, name_start: int) -> str | None:
    """The office printed before a name in the same clause: ``Премьер-министр Армении``."""
    breaks = list(CLAUSE_BREAK.finditer(text, 0, name_start))
    clause_start = breaks[-1].end() if breaks else 0
    words = list(WORDS.finditer(text, clause_start, name_start))
    if breaks == [] and words:
        words = words[1:] if not is_office_head(words[0].group()) else words
    words = _after_last_verb(words)
    while words and is_lead_in(words[0].group()):
        words = words[1:]
    if not words or not any(is_office_head(w.group()) for w in words):
        return None
    return text[words[0].start():words[-1].end()]


def _after_last_verb(words: list[re.Match[str]]) -> list[re.Match[str]]:
    for i in range(len(words) - 1, -1, -1):
        word = words[i].group()
        if is_cyrillic(word) and best_parse(word).pos in VERB_POS:
            return words[i + 1:]
        if not is_cyrillic(word) and word.islower() and word not in CONNECTORS:
            return words[i + 1:]
    return words
