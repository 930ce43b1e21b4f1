"""Persons kept outside a document: the ``listPerson`` and ``listOrg`` its corpus provides.

ParlaMint keeps a sitting's speakers in corpus-wide files (``ParlaMint-GB-listPerson.xml``,
``ParlaMint-GB-listOrg.xml``): the sitting's ``<u who="#RobertBlackman">`` points at a
person it does not describe. :class:`PersonLists` holds such files' ``<person>``,
``<personGrp>`` and ``<org>`` elements by ``xml:id``; the view takes a speaker it does
not find in the document from them, with their affiliations on the day of the document
(party, government, or a role such as the Speaker's) as :func:`affiliations` words them.

Where the lists come from: files given by the user (``render --persons``), and the
files a document XIncludes or names in a pointer (``who="ParlaMint-GB-listPerson.xml#X"``),
see :func:`linked_files`. Reading the files is the callers' (:mod:`tei.pipeline`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei.errors import RenderError, TeiEditionError
from tei.render.header import person_name, preferred_text
from tei.render.inline import collapse, text_of
from tei.xmlio import NSMAP, in_text, is_stdin, parse_file, tei, xml

XINCLUDE = "{http://www.w3.org/2001/XInclude}include"
POINTERS = ("who",)
"""Attributes whose pointers may name a file of persons (``file.xml#id``)."""


@dataclass(slots=True)
class PersonLists:
    """Persons, groups and organisations of other files, by ``xml:id`` (the first one wins)."""

    persons: dict[str, etree._Element] = field(default_factory=dict)
    orgs: dict[str, etree._Element] = field(default_factory=dict)

    def add(self, tree: etree._ElementTree | etree._Element) -> PersonLists:
        """Take the persons, groups and organisations of one file (outside any ``<text>``)."""
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        for el in root.iter(tei("person"), tei("personGrp"), tei("org")):
            key = el.get(xml("id"))
            if key and not in_text(el):
                table = self.orgs if el.tag == tei("org") else self.persons
                table.setdefault(key, el)
        return self

    def merged(self, other: PersonLists | None) -> PersonLists:
        """These lists, then what ``other`` adds."""
        if other is None:
            return self
        return PersonLists({**other.persons, **self.persons}, {**other.orgs, **self.orgs})

    def __bool__(self) -> bool:
        return bool(self.persons or self.orgs)


def linked_files(root: etree._Element) -> list[tuple[str, int | None]]:
    """The files a document XIncludes or names in a ``who`` pointer, with the line that does.

    Relative references only (``ParlaMint-GB-listPerson.xml``, ``../persons.xml``): an
    absolute path or a web address is not followed.
    """
    found: dict[str, int | None] = {}
    for el in root.iter(XINCLUDE):
        _add_reference(found, el.get("href") or "", el.sourceline)
    for value in _POINTER_VALUES(root):  # found by libxml2, not by a lookup per element
        for pointer in str(value).split():
            if "#" in pointer and not pointer.startswith("#"):
                _add_reference(found, pointer.split("#", 1)[0], value.getparent().sourceline)
    return list(found.items())


_POINTER_VALUES = etree.XPath(" | ".join(f"descendant-or-self::*/@{name}[contains(., '#')]"
                                         for name in POINTERS))
"""The values of the ``POINTERS`` attributes of an element and those below it, in document
order, that hold a ``#`` (each knows its element: ``getparent()``)."""


def _add_reference(found: dict[str, int | None], href: str, line: int | None) -> None:
    """Keep ``href`` when it is a relative file reference (first line that names it)."""
    if href and ":" not in href and not href.startswith(("/", "\\")):
        found.setdefault(href, line)


def affiliations(person: etree._Element, lists: PersonLists, when: str | None,
                 lang: str) -> str | None:
    """What a person was on the day ``when`` (ISO, None: today's affiliations), in words.

    Parties and governments by name (``Conservative Party``), other roles with their
    organisation (``Speaker, House of Commons``); plain membership of a parliament is left
    out, as a sitting of that parliament says it. A ``roleName`` in the affiliation wins.
    """
    words: list[str] = []
    for el in person.iterfind("tei:affiliation", NSMAP):
        if not _in_force(el, when):
            continue
        org = lists.orgs.get((el.get("ref") or "").lstrip("#"))
        org_name = _org_name(org, lang) if org is not None else ""
        role_name = preferred_text(el.findall("tei:roleName", NSMAP), lang)
        role = el.get("role") or ""
        if role_name:
            words.append(", ".join(x for x in (role_name, org_name) if x))
        elif role in ("", "member"):
            if org is not None and org.get("role") != "parliament" and org_name:
                words.append(org_name)
        else:
            words.append(", ".join(x for x in (role[:1].upper() + role[1:], org_name) if x))
    return "; ".join(dict.fromkeys(words)) or None


def _org_name(org: etree._Element, lang: str) -> str:
    """An organisation's full name in the document's language, else its first name."""
    names = org.findall("tei:orgName", NSMAP)
    full = [n for n in names if n.get("full") in (None, "yes")]
    return preferred_text(full or names, lang)


def _in_force(el: etree._Element, when: str | None) -> bool:
    """True when an affiliation's ``from``/``to`` include the day ``when`` (None: ends never)."""
    start, end = el.get("from") or "", el.get("to") or ""
    if when is None:
        return not end
    day = when[:10]
    return (not start or start[:10] <= day) and (not end or day <= _last_day(end[:10]))


def _last_day(value: str) -> str:
    """A date of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a string no day of it sorts after."""
    return value + "-99-99"[len(value) - 4:] if len(value) < 10 else value


def display_name(el: etree._Element, lang: str) -> str:
    """The name of a person or group from another file, as :func:`person_name` gives it."""
    return person_name(el, lang) or collapse(text_of(el))


# -- reading the files ----------------------------------------------------------------------


def load_lists(paths: Iterable[str | os.PathLike[str]]) -> PersonLists:
    """The persons and organisations of the files at ``paths`` (``render --persons``)."""
    lists = PersonLists()
    for path in paths:
        lists = lists.merged(_read_file(Path(path)))
    return lists


def linked_lists(root: etree._Element, path: str | None) -> PersonLists:
    """The persons of the files the document at ``path`` XIncludes or names (none for
    standard input). A file that cannot be read is an error at the line that names it."""
    lists = PersonLists()
    if path is None or is_stdin(path):
        return lists
    for href, line in linked_files(root):
        try:
            lists = lists.merged(_read_file(Path(path).parent / href))
        except (OSError, TeiEditionError) as error:
            reason = error.strerror if isinstance(error, OSError) else error.message
            raise RenderError(f"{href}, which this document XIncludes or names, cannot be "
                              f"read: {reason or error}", path=path, line=line) from None
    return lists


def _read_file(path: Path) -> PersonLists:
    """One file's lists, parsed once for as long as the file is unchanged (a thousand
    sittings XInclude one file of persons)."""
    stat = path.stat()
    return _parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed(path: str, mtime: int, size: int) -> PersonLists:
    """The lists of the file at ``path`` as it is at ``mtime`` and ``size``."""
    return PersonLists().add(parse_file(path))
