"""Identifiers a scholar may cite: ASCII, from a standard romanisation, stable across builds.

Every identifier is a function of the thing it names (a name, a number, a
position), never of the order in which a run met it, so the same person gets
the same ID in every transcript and a paragraph keeps its ID between builds.
Russian is romanised with the Wikipedia system of the ``iuliia`` library
(Ново-Огарёво -> Novo-Ogaryovo), the system readers of English-language
scholarship know best.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime

_NON_WORD = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=8192)
def romanize(text: str) -> str:
    """Romanise Cyrillic with iuliia's Wikipedia schema; other scripts pass through.

    Cached: speaker matching asks for the same few names hundreds of times. iuliia is
    imported at the first call: rendering and validating never romanise.
    """
    import iuliia

    return str(iuliia.WIKIPEDIA.translate(text))


@functools.lru_cache(maxsize=8192)
def slug(text: str, max_length: int = 60) -> str:
    """A lower-case ASCII slug of ``text``: ``Ново-Огарёво`` -> ``novo-ogaryovo``.

    Letters with diacritics lose them (``Dvořák`` -> ``dvorak``); anything else
    becomes a hyphen. Cut at a word boundary when longer than ``max_length``.
    Cached, like :func:`romanize`.
    """
    ascii_text = unicodedata.normalize("NFKD", romanize(text))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    result = _NON_WORD.sub("-", ascii_text).strip("-")
    if len(result) > max_length:
        result = result[:max_length].rsplit("-", 1)[0] or result[:max_length]
    return result


def ncname(text: str, prefix: str = "x") -> str:
    """``text`` made a valid XML NCName (an ``xml:id``): prefixed when it starts badly."""
    if not text:
        return prefix
    if not (text[0].isalpha() or text[0] == "_"):
        return f"{prefix}-{text}"
    return text


def person_id(surname: str | None, forename: str | None, label: str) -> str:
    """``putin-vladimir`` from surname and forename; from the label when no name is known.

    Surname first, as in library authority files, so that ``В.Путин`` and
    ``Владимир Путин`` sort together (``putin-v``, ``putin-vladimir``).
    """
    if surname:
        base = slug(f"{surname} {forename or ''}")
    else:
        base = slug(label)
    return ncname(base or "person", "person")


def role_id(label: str) -> str:
    """The ID of an anonymous role such as ``Вопрос``: ``role-vopros``."""
    return f"role-{slug(label) or 'anonymous'}"


def place_id(name: str) -> str:
    """``novo-ogaryovo`` from ``Ново-Огарёво``."""
    return ncname(slug(name) or "place", "place")


def document_id(number: str | None, when: datetime | date | None, title: str,
                prefix: str) -> str:
    """``kremlin-64534`` from a site's number and prefix; else ``doc-2024-02-09-<title slug>``."""
    if number:
        return ncname(f"{prefix}-{slug(number)}", "doc")
    date = when.strftime("%Y-%m-%d") if when else "undated"
    return f"doc-{date}-{slug(title, 40) or 'untitled'}"


def make_unique(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``… if already taken; adds the result to ``taken``."""
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


_UNSAFE = re.compile(r"[^\w.-]+", flags=re.UNICODE)
"""What a file name may not hold (compiled once: a rebuild names some 20,000 files)."""


def file_name(doc_id: str, fallback: str = "") -> str:
    """A safe file name (without suffix) from a document identifier.

    Letters, digits, ``.``, ``_`` and ``-`` are kept, anything else becomes
    ``_``; leading dots go (no hidden files, no ``..``). An identifier with
    nothing usable left gives way to ``fallback`` (the input's stem), then to
    ``document``.
    """
    for candidate in (doc_id, fallback):
        name = _UNSAFE.sub("_", candidate).lstrip(".")[:150]
        if name.strip("._-"):
            return name
    return "document"
