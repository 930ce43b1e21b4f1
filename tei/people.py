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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import pymorphy3

from tei.ids import make_unique, person_id, role_id, slug
from tei.model import Person

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

_SENTENCE_POS = frozenset({"VERB", "INFN", "GRND", "PRTS", "NPRO", "CONJ", "PRCL", "PREP",
                           "INTJ", "ADVB", "PRED", "ADJS", "COMP", "NUMR"})
"""Russian parts of speech that make a candidate label a sentence (``Мне сказали``)."""

_OFFICE_POS = frozenset({"NOUN", "ADJF", "PRTF", "NUMR"})
_VERB_POS = frozenset({"VERB", "INFN", "GRND", "PRTS"})
_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})

WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"
"""A word: letters, with inner hyphens or apostrophes (``Касым-Жомарт``, ``O'Brien``)."""

NAME_WORD = r"(?=[^\W\d_a-zа-яё])" + WORD
"""A capitalised word."""

INITIALS_LABEL = (r"(?P<initials>(?:[^\W\d_]{1,2}\.[ \u00a0]?-?[ \u00a0]?)+)"
                  rf"(?P<surname>{NAME_WORD})")
"""``В.Путин``, ``К.-Ж.Токаев``, ``Дж. Байден``: initials, then a surname."""

_WORDS = re.compile(WORD)
NAME_WORD_PATTERN = re.compile(NAME_WORD)
INITIALS_PATTERN = re.compile(INITIALS_LABEL)
_INITIAL = re.compile(r"[^\W\d_]{1,2}")
_SPACES_ONLY = re.compile(r"[ \u00a0]+")
_AFTER_NAME = re.compile(r"[ \u00a0]*(?:[,.;:)–—]|(?:и|and)\b|$)")
_CLAUSE_BREAK = re.compile(r"[,;:.!?()–—]|\s(?:и|and)\s")


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    """The Russian morphological analyser, created once (it takes a moment to load)."""
    return pymorphy3.MorphAnalyzer()


def is_cyrillic(word: str) -> bool:
    """True when ``word`` is written in Cyrillic."""
    return any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in word)


def is_name_word(word: str) -> bool:
    """A capitalised word that may be part of a name."""
    return bool(NAME_WORD_PATTERN.fullmatch(word)) and any(ch.islower() for ch in word)


@lru_cache(maxsize=512)
def parses(word: str) -> tuple[Any, ...]:
    """pymorphy3's analyses of ``word``, most likely first; cached, as names and offices
    recur from transcript to transcript."""
    return tuple(morph().parse(word))


def _best(word: str) -> Any:
    return parses(word)[0]


def is_sentence_word(word: str) -> bool:
    """True when ``word`` shows that a candidate label is a sentence, not a name."""
    if is_cyrillic(word):
        parse = _best(word)
        return parse.is_known and parse.tag.POS in _SENTENCE_POS and not _has_name_parse(word)
    return word.lower() in ENGLISH_SENTENCE_WORDS


def may_be_name(word: str) -> bool:
    """False for a Russian word that can only be an adjective, verb…: ``Уважаемые``."""
    if not is_cyrillic(word):
        return word.lower() not in ENGLISH_SENTENCE_WORDS
    analyses = parses(word)
    return not analyses[0].is_known or any(p.tag.POS == "NOUN" for p in analyses)


def is_office_word(word: str) -> bool:
    """A word that may stand inside an office: ``иностранных``, ``дел``, ``of``."""
    if word in CONNECTORS:
        return True
    if is_cyrillic(word):
        return _best(word).tag.POS in _OFFICE_POS
    return word[:1].isupper()


def _has_name_parse(word: str) -> bool:
    return any(p.tag.grammemes & _NAME_TAGS for p in parses(word))


def _known_forename(word: str) -> Any | None:
    """The dictionary parse of ``word`` as a forename (``Владимира``), if it is one."""
    if not is_cyrillic(word):
        return None
    best = _best(word)
    if "Name" in best.tag.grammemes and best.is_known:
        return best
    return None


def _patronymic(word: str) -> bool:
    return is_cyrillic(word) and any("Patr" in p.tag.grammemes for p in parses(word))


def _not_a_name(word: str) -> bool:
    """A dictionary word that cannot be part of a name: a place, or a common animate noun."""
    if not is_cyrillic(word):
        return word.lower() in ENGLISH_TITLES or word.lower() in ENGLISH_SENTENCE_WORDS
    best = _best(word)
    if not best.is_known or best.tag.grammemes & _NAME_TAGS:
        return False
    return bool({"Geox", "Orgn", "Abbr"} & best.tag.grammemes) or (
        best.tag.POS == "NOUN" and "anim" in best.tag.grammemes)


def _recase(word: str, pattern: str) -> str:
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
    forename = _known_forename(words[0])
    if forename is not None:
        case = forename.tag.case
    if case in (None, "nomn"):
        return list(words)
    result = []
    for word in words:
        nouns = [p for p in parses(word) if p.tag.case == case and p.tag.POS == "NOUN"
                 and p.tag.number != "plur"]
        nouns.sort(key=lambda p: not p.tag.grammemes & _NAME_TAGS)
        inflected = nouns[0].inflect({"nomn"}) if nouns else None
        result.append(_recase(inflected.word, word) if inflected else word)
    return result


def office_nominative(office: str, case: str | None) -> str:
    """An office in the nominative: ``Президентом Франции`` -> ``Президент Франции``.

    Only the words that agree with the head noun change (adjectives,
    participles, the head itself); the dependent words after it stay as printed.
    """
    if case in (None, "nomn"):
        return office
    tokens = list(_WORDS.finditer(office))
    pieces: list[str] = []
    pos = 0
    for token in tokens:
        word = token.group()
        parse = next((p for p in parses(word) if p.tag.case == case
                      and p.tag.POS in {"NOUN", "ADJF", "PRTF"}), None)
        inflected = parse.inflect({"nomn"}) if parse else None
        if parse is None or inflected is None:
            break
        pieces.append(office[pos:token.start()] + _recase(inflected.word, word))
        pos = token.end()
        if parse.tag.POS == "NOUN":
            break
    return "".join(pieces) + office[pos:]


def _office_case(office: str | None) -> str | None:
    """The grammatical case of an office's head (``Президентом``: ablt), for unknown names."""
    if not office:
        return None
    for token in _WORDS.finditer(office):
        if is_office_head(token.group()):
            return _best(token.group()).tag.case if is_cyrillic(token.group()) else None
    return None


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
    tokens = list(_WORDS.finditer(text))
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
    forename = _known_forename(words[0])
    case = forename.tag.case if forename is not None else _office_case(office)
    nominal = nominative(words, case)
    return LeadName(surface=surface, forename=nominal[0], surname=nominal[-1],
                    patronymic=nominal[1] if len(nominal) == 3 else None,
                    occupation=office_nominative(office, case) if office else None)


def _capitalised_runs(text: str, tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Maximal sequences of capitalised words separated by spaces only."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for token in tokens:
        adjacent = current and _SPACES_ONLY.fullmatch(text[current[-1].end():token.start()])
        if is_name_word(token.group()) and (adjacent or not current):
            current.append(token)
            continue
        if len(current) >= 2:
            runs.append(current)
        current = [token] if is_name_word(token.group()) else []
    if len(current) >= 2:
        runs.append(current)
    return runs


def _name_length(words: list[str]) -> int:
    """Two words, or three when the middle one is a patronymic."""
    return 3 if len(words) >= 3 and _patronymic(words[1]) else 2


def _forename_span(run: list[re.Match[str]]) -> list[re.Match[str]] | None:
    """The name in a run that starts with a forename the dictionary knows."""
    for i, token in enumerate(run[:-1]):
        if _known_forename(token.group()) is None:
            continue
        size = _name_length([t.group() for t in run[i:i + 3]])
        span = run[i:i + size]
        if len(span) == size and not any(_not_a_name(t.group()) for t in span[1:]):
            return span
    return None


def _list_item_span(text: str, run: list[re.Match[str]]) -> list[re.Match[str]] | None:
    """The last words of a run that ends a list item (before ``,``, ``.``, ``и``…)."""
    if not _AFTER_NAME.match(text, run[-1].end()):
        return None
    span = run[-_name_length([t.group() for t in run[-3:]]):]
    if any(_not_a_name(t.group()) for t in span):
        return None
    return span


def _office(text: str, name_start: int) -> str | None:
    """The office printed before a name in the same clause: ``Премьер-министр Армении``."""
    breaks = list(_CLAUSE_BREAK.finditer(text, 0, name_start))
    clause_start = breaks[-1].end() if breaks else 0
    words = list(_WORDS.finditer(text, clause_start, name_start))
    if breaks == [] and words:
        words = words[1:] if not is_office_head(words[0].group()) else words
    words = _after_last_verb(words)
    while words and _is_lead_in(words[0].group()):
        words = words[1:]
    if not words or not any(is_office_head(w.group()) for w in words):
        return None
    return text[words[0].start():words[-1].end()]


def _after_last_verb(words: list[re.Match[str]]) -> list[re.Match[str]]:
    for i in range(len(words) - 1, -1, -1):
        word = words[i].group()
        if is_cyrillic(word) and _best(word).tag.POS in _VERB_POS:
            return words[i + 1:]
        if not is_cyrillic(word) and word.islower() and word not in CONNECTORS:
            return words[i + 1:]
    return words


def _is_lead_in(word: str) -> bool:
    """A word before an office that is not part of it: ``участие``, ``с``, ``by``."""
    if not is_cyrillic(word):
        return word.lower() in CONNECTORS or word.lower() in ENGLISH_SENTENCE_WORDS
    best = _best(word)
    return best.tag.POS in {"PREP", "CONJ", "PRCL"} or (
        best.tag.POS == "NOUN" and "inan" in best.tag.grammemes)


def is_office_head(word: str) -> bool:
    """``Президент``, ``секретарь``, ``исполняющий``, ``President``: the head of an office."""
    if not is_cyrillic(word):
        return word.lower() in ENGLISH_TITLES
    best = _best(word)
    return (best.tag.POS == "NOUN" and "anim" in best.tag.grammemes
            and not best.tag.grammemes & _NAME_TAGS) or best.tag.POS == "PRTF"


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
        initials = tuple(_INITIAL.findall(match.group("initials")))
        return LabelName(label, surname=match.group("surname"), initials=initials)
    words = label.split()
    if len(words) == 1:
        return LabelName(label, surname=words[0])
    name_size = _label_name_size(words, known)
    office = " ".join(words[:-name_size]) or None
    name = words[-name_size:]
    if len(name) == 3 and _patronymic(name[1]):
        return LabelName(label, surname=name[2], forename=name[0], patronymic=name[1],
                         office=office)
    return LabelName(label, surname=name[-1], forename=" ".join(name[:-1]), office=office)


def _label_name_size(words: list[str], known: Sequence[tuple[str, str]]) -> int:
    """How many of the last words of a label are the name, the rest being an office."""
    for forename, surname in known:
        size = len(f"{forename} {surname}".split())
        if size <= len(words) and name_key(" ".join(words[-size:])) == name_key(f"{forename} {surname}"):
            return size
    if any(w in CONNECTORS or is_office_word(w) and is_office_head(w) for w in words[:-2]):
        return _name_length(words[-3:])
    return len(words)


def name_key(text: str) -> str:
    """A comparison key for names: romanised, so ``Путин`` is ``Putin`` and ``ё`` is ``е``."""
    return slug(text.replace("ё", "е").replace("Ё", "Е"), max_length=200)


def _initials_fit(initials: tuple[str, ...], forename: str | None) -> bool:
    """``("К", "Ж")`` fits ``Касым-Жомарт``; ``("В",)`` fits ``Владимир``."""
    if not forename:
        return False
    parts = re.split(r"[-\s]+", forename)
    return len(parts) >= len(initials) and all(
        name_key(part).startswith(name_key(initial)) for initial, part in zip(initials, parts))


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

    def known_names(self) -> frozenset[str]:
        """Keys (:func:`name_key`) of the full names and surnames of the lead: accepted as labels."""
        names = {name_key(f"{n.forename} {n.surname}") for n in self.lead}
        return frozenset(names | {name_key(n.surname) for n in self.lead})

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
                found.setdefault(f"{person.forename} {person.surname}", person.id)
        return found

    def _lead_person(self, persons: list[Person], name: LeadName) -> Person:
        return next(p for p in persons if _same_name(p, name.forename, name.surname))

    def _resolve_all(self) -> list[Person]:
        persons: list[Person] = []
        for name in self.lead:
            existing = next((p for p in persons if _same_name(p, name.forename, name.surname)),
                            None)
            if existing is None:
                full = " ".join(w for w in (name.forename, name.patronymic, name.surname) if w)
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
                is_name_word(w) and not _not_a_name(w) for w in words):
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
        name = " ".join(w for w in (item.forename, item.patronymic, item.surname) if w)
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
