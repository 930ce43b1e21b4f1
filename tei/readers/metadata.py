"""Header data of a transcript: date-time, place and source, from text to the model.

Readers find these as strings (a date line, a place line, a URL); the same
strings may come from options or a sidecar. One function per datum turns the
string into model objects, so every reader treats them alike.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo
from tei.ids import place_id
from tei.model import Place, Source
from tei.readers.table import SITES

MOSCOW = ZoneInfo("Europe/Moscow")
"""kremlin.ru prints Moscow local time; the offset comes from the tz database, per date."""


MAX_OFFSET = timedelta(hours=14)
"""The largest UTC offset a date-time may have (XSD's, and the world's: Kiribati, +14:00)."""

_DATE_LINE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", re.ASCII)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
"""What ``xml:lang`` takes (XSD ``language``, the shape of a BCP 47 tag)."""


def is_date_line(text: str) -> bool:
    """True for a kremlin.ru date-time line such as ``2020-12-02 13:15:00``."""
    return bool(_DATE_LINE.fullmatch(text.strip()))


def is_language_tag(text: str) -> bool:
    """True for a language tag such as ``ru``, ``en-GB``, ``ru-Latn``."""
    return bool(_LANGUAGE_TAG.fullmatch(text))


def parse_when(text: str) -> datetime | date | None:
    """An aware datetime from an ISO date-time (naive times are Moscow time), or a date.

    A bare date stays a date: no time of day is invented for it. Returns None
    when ``text`` is no ISO date, or its UTC offset is beyond :data:`MAX_OFFSET`
    (the caller knows where it came from and says so).
    """
    value = text.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=MOSCOW)
    offset = when.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return None
    return when


def parse_place(line: str) -> Place | None:
    """A place from ``Region, Settlement`` (the last part is the settlement)."""
    parts = [part.strip() for part in line.split(",") if part.strip()]
    if not parts:
        return None
    name = parts[-1]
    region = ", ".join(parts[:-1]) or None
    return Place(id=place_id(name), name=name, region=region)


def make_source(url: str | None, path: str | None) -> Source:
    """Source data from an address: what a site of :data:`tei.readers.table.SITES` knows of
    it, else the address alone."""
    if not url:
        return Source(path=path)
    url = url.strip()
    for site in SITES:
        found: Source | None = site.load().source(url, path)
        if found is not None:
            return found
    return Source(url=url, path=path)
