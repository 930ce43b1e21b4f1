"""The words of names and offices: patterns, small vocabularies and a comparison key.

Shared by the speaker-label rules (:mod:`tei.readers.rules.labels`), the lead's
names and the speakers; no dictionary is loaded here.
"""

from __future__ import annotations

import re

from tei.ids import slug


ANONYMOUS_ROLES: dict[str, str] = {
    "вопрос": "questioner", "question": "questioner",
    "реплика": "remark", "remark": "remark",
    "ответ": "respondent", "answer": "respondent", "response": "respondent",
    "reply": "respondent",
    "голос из зала": "audience", "voice from the audience": "audience",
    "ведущий": "moderator", "ведущая": "moderator", "модератор": "moderator",
    "moderator": "moderator",
    "журналист": "journalist", "journalist": "journalist",
    "корреспондент": "journalist", "correspondent": "journalist",
    "переводчик": "interpreter", "interpreter": "interpreter",
}
"""Labels that name a role, not a person (casefolded), and the role they stand for."""


CONNECTORS = frozenset({"of", "the", "for", "and", "on", "in", "at", "de", "и", "по", "о", "при"})
"""Small words that may stand inside an office (``President of Russia``, ``Министр по делам…``)."""


ENGLISH_TITLES = frozenset({
    "president", "minister", "premier", "chancellor", "secretary", "chairman", "chair",
    "governor", "mayor", "director", "head", "king", "queen", "prince", "ambassador",
    "speaker", "deputy", "aide", "adviser", "advisor", "commissioner", "patriarch", "emir",
    "sultan", "ceo", "chief", "spokesman", "spokesperson", "commander", "leader",
})
"""Head words of English offices, for finding ``President of Belarus Alexander Lukashenko``."""


ENGLISH_SENTENCE_WORDS = frozenset({
    "i", "we", "you", "he", "she", "it", "they", "this", "that", "these", "those", "a", "an",
    "and", "but", "so", "now", "then", "thank", "thanks", "dear", "well", "yes", "no", "here",
    "there", "what", "why", "how", "when", "where", "who", "let", "please", "ladies", "my",
    "our", "your", "his", "her", "their", "if", "as", "good", "okay", "ok", "look", "listen",
})
"""English words that open sentences, never names: ``Thank You:``, ``Dear Friends:``."""


WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"
"""A word: letters, with inner hyphens or apostrophes (``Касым-Жомарт``, ``O'Brien``)."""


NAME_WORD = r"(?=[^\W\d_a-zа-яё])" + WORD
"""A capitalised word."""


INITIALS_LABEL = (r"(?P<initials>(?:[^\W\d_]{1,2}\.[ \u00a0]?-?[ \u00a0]?)+)"
                  rf"(?P<surname>{NAME_WORD})")
"""``В.Путин``, ``К.-Ж.Токаев``, ``Дж. Байден``: initials, then a surname."""


WORDS = re.compile(WORD)


NAME_WORD_PATTERN = re.compile(NAME_WORD)


INITIALS_PATTERN = re.compile(INITIALS_LABEL)


INITIAL = re.compile(r"[^\W\d_]{1,2}")


SPACES_ONLY = re.compile(r"[ \u00a0]+")


AFTER_NAME = re.compile(r"[ \u00a0]*(?:[,.;:)–—]|(?:и|and)\b|$)")


CLAUSE_BREAK = re.compile(r"[,;:.!?()–—]|\s(?:и|and)\s")


def is_cyrillic(word: str) -> bool:
    """True when ``word`` is written in Cyrillic."""
    return any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in word)


def is_name_word(word: str) -> bool:
    """A capitalised word that may be part of a name."""
    return bool(NAME_WORD_PATTERN.fullmatch(word)) and any(ch.islower() for ch in word)


def name_key(text: str) -> str:
    """A comparison key for names: romanised, so ``Путин`` is ``Putin`` and ``ё`` is ``е``."""
    return slug(text.replace("ё", "е").replace("Ё", "Е"), max_length=200)
