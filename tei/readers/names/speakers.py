"""Who speaks and who is named: speaker labels and lead mentions resolved to persons.

Every speaker label of a transcript maps to one :class:`Person`. The lead of a
kremlin.ru transcript names the participants with their offices
(``Премьер-министр Армении Никол Пашинян``); labels give initials and a surname
(``Н.Пашинян``), a full name, an office and a name, or an anonymous role
(``Вопрос``). Resolution is a function of the set of names, never of the order
they were met in, so the same person gets the same identifier everywhere.

Russian grammar comes from pymorphy3: names in the lead stand in any case
(``Под председательством Владимира Путина``) and are listed in the nominative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tei.ids import make_unique, person_id, role_id
from tei.model import Person
from tei.readers.names.lead import LeadName, lead_names
from tei.readers.names.morphology import (is_office_head, is_office_word, name_length,
                                          not_a_name, patronymic)
from tei.readers.names.order import printed, surname_first
from tei.readers.names.words import (ANONYMOUS_ROLES, CONNECTORS, INITIAL, INITIALS_PATTERN,
                                     is_name_word, name_key)


@dataclass(frozen=True, slots=True)
class LabelName:
    """A speaker label taken apart: office, forename or initials, surname, or a role."""

    label: str
    surname: str | None = None
    forename: str | None = None
    patronymic: str | None = None
    initials: tuple[str, ...] = ()
    office: str | None = None
    role: str | None = None


def parse_label(label: str, known: Sequence[tuple[str, str]] = ()) -> LabelName:
    """Take a label apart; ``known`` lists (forename, surname) pairs that fix where an office ends."""
    role = ANONYMOUS_ROLES.get(label.casefold())
    if role:
        return LabelName(label, role=role)
    match = INITIALS_PATTERN.fullmatch(label)
    if match:
        initials = tuple(INITIAL.findall(match.group("initials")))
        return LabelName(label, surname=match.group("surname"), initials=initials)
    words = label.split()
    if len(words) == 1:
        return LabelName(label, surname=words[0])
    name_size = _label_name_size(words, known)
    office = " ".join(words[:-name_size]) or None
    name = words[-name_size:]
    if surname_first(name[0], " ".join(name[1:])):
        return LabelName(label, surname=name[0], forename=" ".join(name[1:]), office=office)
    if len(name) == 3 and patronymic(name[1]):
        return LabelName(label, surname=name[2], forename=name[0], patronymic=name[1],
                         office=office)
    return LabelName(label, surname=name[-1], forename=" ".join(name[:-1]), office=office)


def _label_name_size(words: list[str], known: Sequence[tuple[str, str]]) -> int:
    """How many of the last words of a label are the name, the rest being an office."""
    for forename, surname in known:
        full = printed(forename, surname)
        size = len(full.split())
        if size <= len(words) and name_key(" ".join(words[-size:])) == name_key(full):
            return size
    for size in (3, 2):  # Мун Чжэ Ин, Xi Jinping: a surname-first name closes the label
        if len(words) > size and surname_first(words[-size], " ".join(words[-size + 1:])):
            return size
    if any(w in CONNECTORS or is_office_word(w) and is_office_head(w) for w in words[:-2]):
        return name_length(words[-3:])
    return len(words)


def _initials_fit(initials: tuple[str, ...], forename: str | None) -> bool:
    """``("К", "Ж")`` fits ``Касым-Жомарт``; ``("В",)`` fits ``Владимир``."""
    if not forename:
        return False
    parts = re.split(r"[-\s]+", forename)
    return len(parts) >= len(initials) and all(
        name_key(part).startswith(name_key(initial)) for initial, part in zip(initials, parts))


@dataclass(slots=True)
class Cast:
    """The persons of one document, resolved at once from its lead and all its labels."""

    persons: list[Person]
    """Everyone: people of the lead in lead order, then speakers by first label."""
    by_label: dict[str, Person]
    """The person each speaker label stands for."""
    mentions: dict[str, str]
    """Surface forms in the lead (``Владимира Путина``) mapped to person IDs."""


@dataclass(slots=True)
class Speakers:
    """The persons of one document: people of the lead, then every speaker label.

    Add every label first (:meth:`add_label`), then ask (:meth:`resolve`,
    :meth:`persons`): a label is matched against all names of the document
    at once (``В.Путин`` joins ``Владимир Путин`` wherever either stands), so
    the result does not depend on the order in which labels were met.
    """

    lead: list[LeadName] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    _persons: list[Person] | None = None
    _by_label: dict[str, Person] = field(default_factory=dict)

    @classmethod
    def from_lead(cls, paragraphs: list[str]) -> Speakers:
        """Speakers seeded with the people the lead paragraphs name."""
        return cls(lead=[name for text in paragraphs for name in lead_names(text)])

    @property
    def known(self) -> frozenset[str]:
        """Keys (:func:`name_key`) of the full names and surnames of the lead: accepted as labels."""
        names = {name_key(printed(n.forename, n.surname)) for n in self.lead}
        return frozenset(names | {name_key(n.surname) for n in self.lead})

    def cast(self, labels: Iterable[str]) -> Cast:
        """Every label of the document resolved at once, with the lead's people."""
        for label in labels:
            self.add_label(label)
        persons = self.persons()
        return Cast(persons, dict(self._by_label), self.mentions())

    def add_label(self, label: str) -> None:
        """Note a speaker label (each one once); persons are resolved when first asked for."""
        if label not in self.labels:
            self.labels.append(label)
            self._persons = None

    def resolve(self, label: str) -> Person:
        """The person a label stands for (the label is added if new)."""
        self.add_label(label)
        self.persons()
        return self._by_label[label]

    def persons(self) -> list[Person]:
        """Everyone: people of the lead in lead order, then speakers by first label."""
        if self._persons is None:
            self._persons = self._resolve_all()
        return self._persons

    def mentions(self) -> dict[str, str]:
        """Surface forms in the lead (``Владимира Путина``) mapped to person IDs."""
        persons = self.persons()
        found = {name.surface: self._lead_person(persons, name).id for name in self.lead}
        for person in persons:
            if person.forename and person.surname and not person.anonymous:
                found.setdefault(printed(person.forename, person.surname), person.id)
        return found

    def _lead_person(self, persons: list[Person], name: LeadName) -> Person:
        return next(p for p in persons if _same_name(p, name.forename, name.surname))

    def _resolve_all(self) -> list[Person]:
        persons: list[Person] = []
        for name in self.lead:
            existing = next((p for p in persons if _same_name(p, name.forename, name.surname)),
                            None)
            if existing is None:
                full = printed(name.forename, name.surname, name.patronymic)
                persons.append(Person(id="", name=full,
                                      forename=name.forename, surname=name.surname,
                                      occupation=name.occupation))
            else:
                existing.occupation = existing.occupation or name.occupation
        known = ([(p.forename or "", p.surname or "") for p in persons]
                 + _full_name_labels(self.labels))
        parsed = [parse_label(label, known) for label in self.labels]
        self._by_label = {}
        for item in sorted(parsed, key=lambda n: (bool(n.initials), n.forename is None, n.label)):
            person = _match(persons, item) or _new_person(item)
            if person not in persons:
                persons.append(person)
            person.labels.append(item.label)
            person.occupation = person.occupation or item.office
            self._by_label[item.label] = person
        persons.sort(key=lambda p: _first_seen(p, self.lead, self.labels))
        for person in persons:
            person.labels.sort(key=self.labels.index)
        _assign_ids(persons)
        return persons


def _full_name_labels(labels: list[str]) -> list[tuple[str, str]]:
    """(forename, surname) of labels that are a bare name: ``Vladimir Putin``, or three words
    none of which is an office (``Asif Ali Zardari``), so that ``President of Pakistan Asif Ali
    Zardari`` in the same document ends its office before ``Asif``."""
    pairs = []
    for label in labels:
        words = label.split()
        if len(words) == 2 and all(is_name_word(w) for w in words) or len(words) == 3 and all(
                is_name_word(w) and not not_a_name(w) for w in words):
            if surname_first(words[0], " ".join(words[1:])):
                pairs.append((" ".join(words[1:]), words[0]))
            else:
                pairs.append((" ".join(words[:-1]), words[-1]))
    return pairs


def _same_name(person: Person, forename: str | None, surname: str | None) -> bool:
    return (not person.anonymous and name_key(person.surname or "") == name_key(surname or "")
            and name_key(person.forename or "") == name_key(forename or ""))


def _match(persons: list[Person], item: LabelName) -> Person | None:
    """The one listed person a label refers to, if exactly one fits."""
    if item.role:
        return next((p for p in persons if p.anonymous and p.name == item.label), None)
    same_surname = [p for p in persons if not p.anonymous
                    and name_key(p.surname or "") == name_key(item.surname or "")]
    if item.forename:
        fits = [p for p in same_surname if name_key(p.forename or "") == name_key(item.forename)]
    elif item.initials:
        fits = [p for p in same_surname if _initials_fit(item.initials, p.forename)
                or (not p.forename and p.labels and _same_initials(p, item))]
    else:
        fits = [p for p in same_surname if p.forename]
    return fits[0] if len(fits) == 1 else None


def _same_initials(person: Person, item: LabelName) -> bool:
    other = parse_label(person.labels[0])
    return tuple(map(name_key, other.initials)) == tuple(map(name_key, item.initials))


def _new_person(item: LabelName) -> Person:
    """A person built from the label alone (or an anonymous role)."""
    if item.role:
        return Person(id="", name=item.label, role=item.role, anonymous=True)
    if item.forename:
        name = printed(item.forename, item.surname, item.patronymic)
        return Person(id="", name=name, forename=item.forename, surname=item.surname)
    name = item.label if item.initials else (item.surname or item.label)
    return Person(id="", name=name, surname=item.surname)


def _first_seen(person: Person, lead: list[LeadName], labels: list[str]) -> tuple[int, int]:
    for i, name in enumerate(lead):
        if _same_name(person, name.forename, name.surname):
            return (0, i)
    return (1, min(labels.index(label) for label in person.labels))


def _assign_ids(persons: list[Person]) -> None:
    """IDs from names (``putin-vladimir``, ``putin-v``, ``role-vopros``), unique in the document."""
    taken: set[str] = set()
    for person in persons:
        if person.anonymous:
            wanted = role_id(person.name)
        elif person.forename:
            wanted = person_id(person.surname, person.forename, person.name)
        else:
            initials = parse_label(person.labels[0]).initials if person.labels else ()
            wanted = person_id(person.surname, " ".join(initials) or None, person.name)
        person.id = make_unique(wanted, taken)
