"""Label rules: is the start of a paragraph a speaker label such as ``В.Путин:``?

A candidate is the text before the first colon of a paragraph, with an
optional parenthetical (``Т.Карлсон (как переведено):``), followed by space
and more text. A paragraph that ends with its colon, or whose "label" is a
sentence (``And now I come to the main thing:``, ``Во-первых:``), is never a
turn: the candidate must have the shape of a speaker, which the rules below
recognise, each one kind of shape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from tei.readers.names.morphology import (is_office_head, is_office_word, is_sentence_word,
                                          may_be_name)
from tei.readers.names.words import (ANONYMOUS_ROLES, CONNECTORS, INITIALS_PATTERN,
                                     NAME_WORD_PATTERN, name_key)
from tei.readers.rules import active


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A recognised speaker label and the text that follows it."""

    label: str
    """As printed, without colon and parenthetical: ``В.Путин``."""
    note: str | None
    """The parenthetical, without parentheses: ``как переведено``."""
    rest: str
    """The paragraph's text after the colon and the space after it."""
    rule: str
    """The name of the rule that recognised the label."""


LabelRule = Callable[[str, frozenset[str]], bool]
"""A rule: does this label candidate (and the known names) have its shape?"""

MAX_LABEL = 80
"""Longest label accepted, in characters (``President of Russia Vladimir Putin``: 34)."""

MAX_OFFICE_WORDS = 40
"""Longest office accepted before a name (``Chairman of the National Council for the
Coordination of Cooperation with the Russian Federation and the People's Republic of China,
President of the Republic of Serbia (2012–2017)``: 29 words)."""

OFFICE_LINKS = CONNECTORS | {"to", "with"}
"""Small words that join the parts of a long office (``Envoy to the Far Eastern Federal
District``, ``Cooperation with the Russian Federation``), sentence words elsewhere."""

_PARENTHETICAL = re.compile(r"\([^()]*\)")

_CANDIDATE = re.compile(
    r"(?P<head>[^\s:()\[\]<>«»\"“”!?;,…][^:()\[\]<>«»\"“”!?;,…]{0,%d}?)"
    r"(?:[ \u00a0]\((?P<note>[^()\n]{1,60})\))?:\s+(?P<rest>\S.*)" % (MAX_LABEL - 1), re.S)
"""``Label:`` or ``Label (note):``, then space and text; no space before the colon, so that
the label and its parenthetical can be printed back exactly as the source has them."""

_COLON_WITHIN = MAX_LABEL + 64
"""The colon of a :data:`_CANDIDATE` stands within this many characters: after a head of
:data:`MAX_LABEL` at most and a note of 60 in `` (…)``. A paragraph with none there (most of
a transcript) is no turn, told without trying the pattern at every length of head."""


def anonymous(head: str, known: frozenset[str]) -> bool:
    """``Вопрос``, ``Реплика``, ``Question``, ``Remark``: a role, not a name."""
    return head[:1].isupper() and head.casefold() in ANONYMOUS_ROLES


def initials(head: str, known: frozenset[str]) -> bool:
    """``В.Путин``, ``К.-Ж.Токаев``, ``В. Путин``: initials and a surname."""
    return bool(INITIALS_PATTERN.fullmatch(head))


def known_name(head: str, known: frozenset[str]) -> bool:
    """A name the lead gives, whole or surname only (``Пашинян``)."""
    return name_key(head) in known


def full_name(head: str, known: frozenset[str]) -> bool:
    """``Владимир Путин``, ``Tucker Carlson``: two to four capitalised name words."""
    words = head.split()
    return (2 <= len(words) <= 4 and all(_is_name(w) for w in words)
            and not any(is_sentence_word(w) for w in words))


def office_name(head: str, known: frozenset[str]) -> bool:
    """``President of Russia Vladimir Putin``: an office, then a name of two or more words."""
    words = head.split()
    if not 3 <= len(words) <= 10 or not words[0][:1].isupper():
        return False
    if not all(_is_name(w) for w in words[-2:]):
        return False
    return all(NAME_WORD_PATTERN.fullmatch(w) or w in CONNECTORS or is_office_word(w)
               for w in words[:-2]) and not any(is_sentence_word(w) for w in words)


def long_office(head: str, known: frozenset[str]) -> bool:
    """``Deputy Prime Minister of the Russian Federation and Presidential Plenipotentiary Envoy
    to the Far Eastern Federal District Yury Trutnev``: an office of any length, then a name.

    The office may join several (``…, President of the Republic of Serbia``)
    and hold a country or years in parentheses (``University of Granada (Spain)``);
    each of its words is an office word or a small joining word, never a sentence word,
    and one is the head of an office (``Minister``, ``Chairman``), so that
    ``Congratulations to Ivan Petrov`` stays a sentence.
    """
    words = _PARENTHETICAL.sub(" ", head).split()
    office, name = [word.removesuffix(",") for word in words[:-2]], words[-2:]
    if not 1 <= len(office) <= MAX_OFFICE_WORDS or not office[0][:1].isupper():
        return False
    return (all(_is_name(word) for word in name) and any(map(is_office_head, office))
            and all(word in OFFICE_LINKS or is_office_word(word) and not is_sentence_word(word)
                    for word in office))


def _is_name(word: str) -> bool:
    return bool(NAME_WORD_PATTERN.fullmatch(word)) and may_be_name(word)


LABEL_RULES: tuple[tuple[str, LabelRule], ...] = (
    ("anonymous", anonymous),
    ("initials", initials),
    ("known-name", known_name),
    ("full-name", full_name),
    ("office-name", office_name),
    ("long-office", long_office),
)
"""Label rules in the order they are tried; the first that accepts names the match."""


def label_rule(head: str, disabled: frozenset[str] = frozenset(),
               known: frozenset[str] = frozenset()) -> str | None:
    """The name of the first rule that takes ``head`` for a speaker's label, or None."""
    return next((name for name, rule in active(LABEL_RULES, disabled) if rule(head, known)),
                None)


def document_rules(disabled: frozenset[str] = frozenset(),
                   known: frozenset[str] = frozenset()) -> Callable[[str], str | None]:
    """:func:`label_rule` for one document's options and lead names, each head decided once:
    a transcript prints its few labels hundreds of times, and a rule may ask the dictionary
    about every word of a head."""
    return functools.cache(functools.partial(label_rule, disabled=disabled, known=known))


def find_label(text: str,
               rule_of: Callable[[str], str | None] = label_rule) -> LabelMatch | None:
    """The speaker label that opens ``text``, or None when the paragraph is no turn.

    ``rule_of`` names the rule that takes a head for a label: by default every rule with
    no lead names known; for a document's paragraphs, its :func:`document_rules`."""
    if text.find(":", 0, _COLON_WITHIN) < 0:
        return None
    match = _CANDIDATE.match(text)
    if not match:
        return None
    head = match.group("head")
    if head != head.rstrip():
        return None
    rule = rule_of(head)
    if rule is None:
        return None
    return LabelMatch(head, match.group("note"), match.group("rest"), rule)
