"""One file a year for the downloads that grow with the corpus (``build --by-year``).

``turns.tsv`` and each speaker's downloads (``persons/putin-vladimir.txt`` and
``.tsv``) hold a run of bytes for every document they cover. Whole, a rebuild after
one changed document must still write all of them afresh: a copy of the previous
file with one run replaced, some 600 MB at 2,000 kremlin.ru documents, where
Putin speaks in every one. With ``--by-year`` they are written one file a year
of the documents' dates instead, the year before the suffix (``turns.2019.tsv``,
``persons/putin-vladimir.2019.txt``; ``undated`` for documents without a date): the same
rows, in the same order, cut where the year changes, each file with its own header. The
files lie where the whole one would: no folder per speaker, which would cost a folder to
make and flush per speaker and build (4,700 at 2,000 documents). A rebuild writes the files
of the years a changed document has (in its old or new version) and links the
others from the previous build, so what it writes depends on the size of a year,
not of the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable

TURNS = "turns.tsv"
UNDATED = "undated"
"""The "year" of the documents that have no date (the last file, as they come last)."""


def year_of(when: str | None) -> str:
    """The year of a document dated ``when`` (ISO 8601, ``2019-12-19T12:00:00``), or
    :data:`UNDATED`."""
    if when and len(when) >= 4 and when[:4].isdigit():
        return when[:4]
    return UNDATED


def year_path(whole: str, year: str) -> str:
    """Where the part of year ``year`` of the file ``whole`` is
    (``year_path("turns.tsv", "2019")`` -> ``turns.2019.tsv``)."""
    stem, _, suffix = whole.rpartition(".")
    return f"{stem}.{year}.{suffix}"


def whole_path(path: str) -> str | None:
    """The file that ``path`` is a year's part of (``turns.2019.tsv`` -> ``turns.tsv``), or
    None when it is not one."""
    head, year, suffix = (path.rsplit(".", 2) + ["", ""])[:3]
    if suffix and (year == UNDATED or (len(year) == 4 and year.isdigit())):
        return f"{head}.{suffix}"
    return None


def years_in_order(whens: Iterable[str | None]) -> list[str]:
    """The years of documents given in date order (undated last), each once, in order."""
    return list(dict.fromkeys(year_of(when) for when in whens))
