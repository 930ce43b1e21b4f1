"""The ways a text names a person: every grammatical case, with or without forename.

``Станислав Васильевич Зась`` is thanked as ``Станислава Васильевича Зася``,
addressed as ``Станислав Васильевич``, quoted as ``Зась сказал``; ``Paolo
Gentiloni`` is ``Mr Gentiloni``. :func:`surface_forms` lists the forms a
document may print for one of its persons, in Russian from pymorphy3's
inflections (each word under the name tag it carries: forename, patronymic,
surname), in English the full name and the surname after a title.

No statistics: a form is only ever the person's own name, inflected. Forms two
persons of the document share (two Novaks) belong to neither.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from functools import lru_cache

from tei.model import Person
from tei.readers.names.analyses import analyses, inflect
from tei.readers.names.order import printed
from tei.readers.names.words import is_cyrillic

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
"""The six Russian cases a name is inflected in."""

ENGLISH_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "President", "Prime Minister", "Minister",
                  "Chancellor", "Governor", "Mayor", "Ambassador")
"""Titles before a bare surname in English transcripts: ``Mr Gentiloni``."""

_TAGS = {"forename": "Name", "patronymic": "Patr", "surname": "Surn"}

MIN_SURNAME = 4
"""Shortest surname that is looked for alone in Russian text (``Зась`` yes; ``Ли`` no: too
often another word)."""


@lru_cache(maxsize=4096)
def inflections(word: str, part: str, gender: str | None) -> tuple[str, ...]:
    """``word`` (a forename, patronymic or surname in the nominative) in each of :data:`CASES`.

    The analysis tagged as that part of a name is preferred, then any noun; a
    word with no analysis in a case stays as printed in that case (``Рахмон``
    declines, ``Лукашенко`` does not).
    """
    tag = _TAGS[part]
    candidates = [p for p in analyses(word) if p.case == "nomn"]
    if part == "surname" and not any(tag in p.grammemes for p in candidates):
        return declined_surname(word, gender)
    candidates.sort(key=lambda p: (tag not in p.grammemes,
                                   gender is not None and gender not in p.grammemes
                                   and "ms-f" not in p.grammemes,
                                   p.pos != "NOUN"))
    forms: list[str] = []
    for case in CASES:
        inflected = None
        for analysis in candidates[:1]:
            grammemes = {case} | ({gender} if gender and part != "forename" else set())
            inflected = inflect(word, analysis, grammemes)
            if inflected is None:
                inflected = inflect(word, analysis, {case})
        forms.append(_recased(inflected, word) if inflected is not None else word)
    return tuple(forms)


_VOWELS = "аеёиоуыэюя"


def declined_surname(word: str, gender: str | None) -> tuple[str, ...]:
    """A surname the dictionary does not know, in each case by the rules of Russian grammar.

    ``Мамытов`` -> ``Мамытова``, ``Зась`` -> ``Зася``, ``Пашинян`` -> ``Пашиняна``;
    ``Захарова`` -> ``Захаровой``; a surname ending in a vowel (``Лукашенко``), and a
    woman's ending in a consonant, do not decline.
    """
    lower = word.lower()
    if gender == "femn":
        if lower.endswith(("ова", "ева", "ёва", "ина", "ына")):
            stem = word[:-1]
            return (word, f"{stem}ой", f"{stem}ой", f"{stem}у", f"{stem}ой", f"{stem}ой")
        if lower.endswith("ская") or lower.endswith("цкая"):
            stem = word[:-2]
            return (word, f"{stem}ой", f"{stem}ой", f"{stem}ую", f"{stem}ой", f"{stem}ой")
        return (word,) * len(CASES)
    if lower.endswith(("ский", "цкий")):
        stem = word[:-2]
        return (word, f"{stem}ого", f"{stem}ому", f"{stem}ого", f"{stem}им", f"{stem}ом")
    if lower.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return (word, f"{word}а", f"{word}у", f"{word}а", f"{word}ым", f"{word}е")
    if lower.endswith(("ь", "й")):
        stem = word[:-1]
        return (word, f"{stem}я", f"{stem}ю", f"{stem}я", f"{stem}ем", f"{stem}е")
    if lower[-1:] in _VOWELS or not lower[-1:].isalpha():
        return (word,) * len(CASES)
    return (word, f"{word}а", f"{word}у", f"{word}а", f"{word}ом", f"{word}е")


def _recased(form: str, pattern: str) -> str:
    """``form`` with the capitals of ``pattern`` (``касым-жомарта`` -> ``Касым-Жомарта``)."""
    parts, originals = form.split("-"), pattern.split("-")
    return "-".join(p.capitalize() if i < len(originals) and originals[i][:1].isupper() else p
                    for i, p in enumerate(parts))


def _gender(forename: str | None) -> str | None:
    """``masc`` or ``femn`` from the dictionary's forename, when it knows one."""
    for analysis in analyses(forename or ""):
        if "Name" in analysis.grammemes and analysis.gender in ("masc", "femn"):
            return str(analysis.gender)
    return None


def _patronymic(person: Person) -> str | None:
    """The middle word of a three-word Russian name: ``Васильевич``."""
    words = person.name.split()
    if len(words) == 3 and person.forename == words[0] and person.surname == words[2]:
        return words[1]
    return None


def russian_forms(person: Person) -> set[str]:
    """Every case of ``Forename [Patronymic] Surname``, ``Forename Patronymic`` and, for a
    surname long enough to stand alone, ``Surname``."""
    if not person.surname:
        return set()
    gender = _gender(person.forename)
    surnames = inflections(person.surname, "surname", gender)
    forms: set[str] = set()
    if len(person.surname) >= MIN_SURNAME:
        forms.update(surnames)
    if person.forename:
        forenames = inflections(person.forename, "forename", gender)
        patronymic = _patronymic(person)
        patronymics = inflections(patronymic, "patronymic", gender) if patronymic else ()
        for case, (first, last) in enumerate(zip(forenames, surnames)):
            forms.add(f"{first} {last}")
            if patronymics:
                middle = patronymics[case]
                forms.add(f"{first} {middle} {last}")
                forms.add(f"{first} {middle}")
    return forms


def english_forms(person: Person) -> set[str]:
    """``Paolo Gentiloni`` and ``Mr Gentiloni``, ``President Gentiloni``…"""
    if not person.surname:
        return set()
    forms = {f"{title} {person.surname}" for title in ENGLISH_TITLES}
    if person.forename:
        forms.add(printed(person.forename, person.surname))
    return forms


def surface_forms(persons: Iterable[Person]) -> dict[str, str]:
    """Each form by which the text may name one of ``persons``, mapped to that person's ID.

    A form that names two persons (a surname two of them share) is left out.
    """
    owners: dict[str, set[str]] = {}
    for person in persons:
        if person.anonymous or not person.surname:
            continue
        cyrillic = is_cyrillic(person.surname)
        for form in itertools.chain(russian_forms(person) if cyrillic else (),
                                    english_forms(person) if not cyrillic else ()):
            owners.setdefault(form, set()).add(person.id)
    return {form: next(iter(ids)) for form, ids in owners.items() if len(ids) == 1}
