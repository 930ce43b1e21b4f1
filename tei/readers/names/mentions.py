"""Who is mentioned: the names a document says mean one of its persons, found in its text.

Two sources, no statistics (the issue's rule: the source or the document itself
says who is meant):

- **the page's own links** to its catalogue (``person_tag`` links to
  ``/catalog/persons/110``; glossary terms; regions): a linked person is one of
  the document's persons, matched by name or added, with the catalogue page as
  an ``<idno type="URI">`` (the site's own authority), even if they never speak;
- **the persons' own names** in any grammatical case, with or without forename
  and patronymic (:mod:`tei.readers.names.forms`), and the forms the lead prints.

:func:`find_mentions` then finds every such name in a text by words, in one
pass: the cost grows with the text, not with the number of names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from tei.ids import make_unique, person_id
from tei.model import Idno, Person
from tei.readers.names.forms import ENGLISH_TITLES, surface_forms
from tei.readers.names.morphology import nominative, patronymic
from tei.readers.names.order import printed, surname_first
from tei.readers.names.words import WORD, is_cyrillic, name_key

_WORD = re.compile(WORD)
_INNER = re.compile("[-'’]")
"""What may join the letters inside a word (:data:`~tei.readers.names.words.WORD`)."""
_TITLE_WORDS = frozenset(word for title in ENGLISH_TITLES for word in title.split()) | {
    "господин", "госпожа", "господина", "госпожи"}


@dataclass(frozen=True, slots=True)
class Target:
    """What a name means: a person of the document (by ID), or a catalogue entry (by URL)."""

    kind: str
    """``person``, ``term`` or ``place``."""
    ref: str
    """A person's ID, or the catalogue page's address."""


def _name_words(text: str) -> list[str]:
    """The words of a linked name, titles before it left out (``Mr Lukashenko``)."""
    words = [m.group() for m in _WORD.finditer(text)]
    while len(words) > 1 and words[0] in _TITLE_WORDS:
        words = words[1:]
    return words


def _parts(words: list[str]) -> tuple[str | None, str | None, str | None]:
    """Forename, patronymic and surname of a name's words (in the nominative)."""
    if not words:
        return None, None, None
    if len(words) == 1:
        return None, None, words[0]
    if surname_first(words[0], " ".join(words[1:])):
        return " ".join(words[1:]), None, words[0]
    if len(words) == 3 and patronymic(words[1]):
        return words[0], words[1], words[2]
    return " ".join(words[:-1]), None, words[-1]


def _matches(person: Person, forename: str | None, surname: str) -> bool:
    """True when a listed person has this surname and, if both give one, this forename."""
    if person.anonymous or name_key(person.surname or person.name) != name_key(surname):
        return False
    return not (forename and person.forename) or name_key(forename) == name_key(person.forename)


def linked_person(text: str, url: str, persons: list[Person]) -> Person | None:
    """The person a catalogue link names: one of ``persons`` with that name (given the
    catalogue page as an identifier), or a new one added to them; None for no name."""
    words = _name_words(text)
    if is_cyrillic(" ".join(words)) and len(words) >= 2:
        words = nominative(words)  # a Russian page links "Сергея Лаврова"
    forename, middle, surname = _parts(words)
    if surname is None:
        return None
    fitting = [p for p in persons if _matches(p, forename, surname)]
    idno = Idno("URI", url)
    if len(fitting) == 1:
        person = fitting[0]
        if idno not in person.idnos:
            person.idnos.append(idno)
        return person
    taken = {p.id for p in persons}
    person = Person(id=make_unique(person_id(surname, forename, text), taken),
                    name=printed(forename, surname, middle), forename=forename, surname=surname,
                    idnos=[idno])
    persons.append(person)
    return person


class MentionTable(dict[str, Target]):
    """Names (their words joined by single spaces) -> what they mean, made once per document
    and searched in every paragraph; with, for each word that starts a name, how many words
    its names have (longest first), so a paragraph's other words are passed over at once."""

    def __init__(self, table: dict[str, Target]) -> None:
        super().__init__({" ".join(form.split()): target for form, target in table.items()})
        sizes: dict[str, set[int]] = {}
        for key in self:
            words = key.split(" ")
            sizes.setdefault(words[0], set()).add(len(words))
        self.starts = {word: tuple(sorted(counts, reverse=True)) for word, counts in sizes.items()}
        words = [word for word in self.starts if _WORD.fullmatch(word)]
        self.heads = frozenset(_INNER.split(word, maxsplit=1)[0] for word in words)
        """The letters each word that starts a name begins with, up to a hyphen or apostrophe."""
        self.runs = _runs("".join(sorted({word[0] for word in words})))
        """The pattern of letter runs that begin as such a word does."""

    def may_name(self, text: str) -> bool:
        """False when no word of ``text`` starts a name: a quick test before the words are
        looked at (a word starts after a non-letter, so its first letters are a run)."""
        return not self.heads.isdisjoint(self.runs.findall(text))


@lru_cache(maxsize=256)
def _runs(initials: str) -> re.Pattern[str]:
    """Runs of letters that begin with one of ``initials`` where a word begins (after no
    letter, nor after a hyphen or apostrophe that follows one: that is inside a word)."""
    return re.compile(f"[{re.escape(initials)}]{_WORD_START}[^\\W\\d_]*" if initials else "(?!)")


_WORD_START = r"(?<![^\W\d_].)(?<![^\W\d_][-'’].)"
"""After its first letter: that letter begins a :data:`~tei.readers.names.words.WORD` of
the text (every letter is in one, and one takes a hyphen or apostrophe with the letters
after it). Looked at after the letter, so that a search tries only the letters it may be."""


def mention_table(persons: list[Person], lead_forms: dict[str, str],
                  links: Iterable[tuple[str, str, str]]) -> MentionTable:
    """Every name the document's text may print for one of its persons or linked entries.

    ``lead_forms``: surfaces the lead prints, by person ID; ``links``: the page's catalogue
    links as ``(text, kind, url)``. Persons linked on the page are added to ``persons``.
    A link's words win over the lead's, the lead's over a person's inflected forms.
    """
    linked: dict[str, Target] = {}
    for text, kind, url in links:
        if kind == "person":
            person = linked_person(text, url, persons)
            if person is not None:
                linked.setdefault(text, Target("person", person.id))
        else:
            linked.setdefault(text, Target(kind, url))
    table = {form: Target("person", ident) for form, ident in surface_forms(persons).items()}
    table.update({form: Target("person", ident) for form, ident in lead_forms.items()})
    table.update(linked)
    return MentionTable(table)


def _spaced(text: str, words: list[re.Match[str]], i: int, most: int) -> int:
    """How many words from word ``i`` on (at most ``most``) follow each other with only
    spaces between them, no-break ones included: the words one name may span."""
    count = 1
    while count < most and not text[words[i + count - 1].end():words[i + count].start()].strip(
            " \u00a0"):
        count += 1
    return count


def _with_patronymic(words: list[re.Match[str]], i: int, spaced: int,
                     keys: MentionTable) -> Target | None:
    """The person of ``Forename Patronymic Surname`` at word ``i`` when the document knows
    them without patronymic (``Станислава Васильевича Зася`` for ``Станислав Зась``)."""
    if spaced < 3 or not is_cyrillic(words[i + 1].group()):
        return None
    target = keys.get(f"{words[i].group()} {words[i + 2].group()}")
    return target if target is not None and patronymic(words[i + 1].group()) else None


def find_mentions(text: str, table: dict[str, Target]) -> Iterator[tuple[int, int, Target]]:
    """``(start, end, target)`` of each name of ``table`` in ``text``, left to right, the
    longest at each place, whole words only (a form is matched with any spaces between its
    words, no-break ones included).

    Only the words that start a name are looked at (found as runs of letters, and the few
    words after each), and a paragraph with none of them costs one quick search.
    """
    keys = table if isinstance(table, MentionTable) else MentionTable(table)
    if not keys.may_name(text):
        return
    starts = keys.starts
    after = 0
    """Where the last name found ends: no other starts before it."""
    for run in keys.runs.finditer(text):
        if run.start() < after or run.group() not in keys.heads:
            continue
        first = _WORD.match(text, run.start())
        if first is None or first.group() not in starts:
            continue
        sizes = starts[first.group()]
        words = _following(text, first, max(sizes[0], 3))
        spaced = _spaced(text, words, 0, len(words))
        named = _with_patronymic(words, 0, spaced, keys) if 2 in sizes else None
        if named is not None:
            yield first.start(), words[2].end(), named
            after = words[2].end()
            continue
        for size in sizes:
            if size <= spaced:
                target = keys.get(" ".join(w.group() for w in words[:size]))
                if target is not None:
                    yield first.start(), words[size - 1].end(), target
                    after = words[size - 1].end()
                    break


def _following(text: str, first: re.Match[str], most: int) -> list[re.Match[str]]:
    """The word ``first`` and the words after it in ``text``, ``most`` at most."""
    words = [first]
    while len(words) < most and (word := _WORD.search(text, words[-1].end())) is not None:
        words.append(word)
    return words
