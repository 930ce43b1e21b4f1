"""Russian morphology for names and offices, from pymorphy3's dictionary.

Names in a lead stand in any case (``Под председательством Владимира Путина``)
and are listed in the nominative; offices agree with them. The dictionary's answers
come from :mod:`tei.readers.names.analyses` as plain data, remembered across runs: pymorphy3
is imported, and its dictionary loaded, only for a word no earlier run asked about, and a
process that reads no Russian name (an English page, ``validate``, ``render``) never pays
for it.
"""

from __future__ import annotations

from tei.readers.names.analyses import Analysis, analyses, inflect
from tei.readers.names.words import (CONNECTORS, ENGLISH_SENTENCE_WORDS, ENGLISH_TITLES, WORDS,
                                     is_cyrillic)


_SENTENCE_POS = frozenset({"VERB", "INFN", "GRND", "PRTS", "NPRO", "CONJ", "PRCL", "PREP",
                           "INTJ", "ADVB", "PRED", "ADJS", "COMP", "NUMR"})
"""Russian parts of speech that make a candidate label a sentence (``Мне сказали``)."""

_OFFICE_POS = frozenset({"NOUN", "ADJF", "PRTF", "NUMR"})


VERB_POS = frozenset({"VERB", "INFN", "GRND", "PRTS"})


_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


def best_parse(word: str) -> Analysis:
    return analyses(word)[0]


def is_sentence_word(word: str) -> bool:
    """True when ``word`` shows that a candidate label is a sentence, not a name."""
    if is_cyrillic(word):
        parse = best_parse(word)
        return parse.known and parse.pos in _SENTENCE_POS and not has_name_parse(word)
    return word.lower() in ENGLISH_SENTENCE_WORDS


def may_be_name(word: str) -> bool:
    """False for a Russian word that can only be an adjective, verb…: ``Уважаемые``."""
    if not is_cyrillic(word):
        return word.lower() not in ENGLISH_SENTENCE_WORDS
    found = analyses(word)
    return not found[0].known or any(p.pos == "NOUN" for p in found)


def is_office_word(word: str) -> bool:
    """A word that may stand inside an office: ``иностранных``, ``дел``, ``of``."""
    if word in CONNECTORS:
        return True
    if is_cyrillic(word):
        return best_parse(word).pos in _OFFICE_POS
    return word[:1].isupper()


def has_name_parse(word: str) -> bool:
    return any(p.grammemes & _NAME_TAGS for p in analyses(word))


def known_forename(word: str) -> Analysis | None:
    """The dictionary parse of ``word`` as a forename (``Владимира``), if it is one."""
    if not is_cyrillic(word):
        return None
    best = best_parse(word)
    if "Name" in best.grammemes and best.known:
        return best
    return None


def patronymic(word: str) -> bool:
    return is_cyrillic(word) and any("Patr" in p.grammemes for p in analyses(word))


def not_a_name(word: str) -> bool:
    """A dictionary word that cannot be part of a name: a place, or a common animate noun."""
    if not is_cyrillic(word):
        return word.lower() in ENGLISH_TITLES or word.lower() in ENGLISH_SENTENCE_WORDS
    best = best_parse(word)
    if not best.known or best.grammemes & _NAME_TAGS:
        return False
    return bool({"Geox", "Orgn", "Abbr"} & best.grammemes) or (
        best.pos == "NOUN" and "anim" in best.grammemes)


def recase(word: str, pattern: str) -> str:
    """``word`` with the capitals of ``pattern`` at the starts of hyphenated parts."""
    parts = word.split("-")
    originals = pattern.split("-")
    return "-".join(p.capitalize() if i < len(originals) and originals[i][:1].isupper() else p
                    for i, p in enumerate(parts))


def nominative(words: list[str], case: str | None = None) -> list[str]:
    """A Russian name in the nominative: ``Владимира Путина`` -> ``Владимир Путин``.

    The case is that of the forename as the dictionary knows it, or ``case``
    when the forename is unknown (taken from the office before the name).
    pymorphy3 inflects each word under the name tag it carries (forename,
    patronymic, surname), else as a noun of that case; a word with no parse
    in that case stays as printed.
    """
    forename = known_forename(words[0])
    if forename is not None:
        case = forename.case
    if case in (None, "nomn"):
        return list(words)
    result = []
    for word in words:
        nouns = [p for p in analyses(word) if p.case == case and p.pos == "NOUN"
                 and p.number != "plur"]
        nouns.sort(key=lambda p: not p.grammemes & _NAME_TAGS)
        inflected = inflect(word, nouns[0], {"nomn"}) if nouns else None
        result.append(recase(inflected, word) if inflected is not None else word)
    return result


def office_nominative(office: str, case: str | None) -> str:
    """An office in the nominative: ``Президентом Франции`` -> ``Президент Франции``.

    Only the words that agree with the head noun change (adjectives,
    participles, the head itself); the dependent words after it stay as printed.
    """
    if case in (None, "nomn"):
        return office
    tokens = list(WORDS.finditer(office))
    pieces: list[str] = []
    pos = 0
    for token in tokens:
        word = token.group()
        parse = next((p for p in analyses(word) if p.case == case
                      and p.pos in {"NOUN", "ADJF", "PRTF"}), None)
        inflected = inflect(word, parse, {"nomn"}) if parse else None
        if parse is None or inflected is None:
            break
        pieces.append(office[pos:token.start()] + recase(inflected, word))
        pos = token.end()
        if parse.pos == "NOUN":
            break
    return "".join(pieces) + office[pos:]


def office_case(office: str | None) -> str | None:
    """The grammatical case of an office's head (``Президентом``: ablt), for unknown names."""
    if not office:
        return None
    for token in WORDS.finditer(office):
        if is_office_head(token.group()):
            return best_parse(token.group()).case if is_cyrillic(token.group()) else None
    return None


def is_office_head(word: str) -> bool:
    """``Президент``, ``секретарь``, ``исполняющий``, ``President``: the head of an office."""
    if not is_cyrillic(word):
        return word.lower() in ENGLISH_TITLES
    best = best_parse(word)
    return (best.pos == "NOUN" and "anim" in best.grammemes
            and not best.grammemes & _NAME_TAGS) or best.pos == "PRTF"


def is_lead_in(word: str) -> bool:
    """A word before an office that is not part of it: ``участие``, ``с``, ``by``."""
    if not is_cyrillic(word):
        return word.lower() in CONNECTORS or word.lower() in ENGLISH_SENTENCE_WORDS
    best = best_parse(word)
    return best.pos in {"PREP", "CONJ", "PRCL"} or (
        best.pos == "NOUN" and "inan" in best.grammemes)


def name_length(words: list[str]) -> int:
    """Two words, or three when the middle one is a patronymic."""
    return 3 if len(words) >= 3 and patronymic(words[1]) else 2
