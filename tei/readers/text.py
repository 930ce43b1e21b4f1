"""Readers for plain-text transcripts: the kremlin.ru text export and headerless transcripts.

Both find paragraphs (each non-blank line is one) and hand a
:class:`RawDocument` to :func:`tei.readers.assemble.assemble`. The export has
a header (title, date-time line, optional place line), a lead, ``* * *`` and
the transcript, and often a URL as its last line; a headerless transcript is
all text, its metadata coming from options or a sidecar file
(:func:`tei.readers.detect` tells the two apart).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from tei.errors import ReadError
from tei.readers.assemble import RawDocument, RawParagraph, is_separator, split_lead
from tei.readers.decode import Decoded, decode_lines
from tei.readers.metadata import is_date_line, parse_when
from tei.read_options import ReadOptions
from tei.readers.rules.labels import find_label

_URL = re.compile(r"https?://\S+")
_SENTENCE_END = ".!?…:;»\"”)"
MAX_PLACE_LINE = 120


def paragraphs(decoded: Decoded) -> list[RawParagraph]:
    """Every non-blank line, as a paragraph with its 1-based line number."""
    return [RawParagraph(line, number)
            for number, line in enumerate(decoded.lines, start=1) if line.strip()]


def looks_headed(lines: list[str]) -> bool:
    """A kremlin.ru export: its second non-blank line is the date line (``2020-12-02 13:15:00``).

    Nothing weaker: a first paragraph that is no turn may be the opening of a
    headerless transcript, and taken for a title it would be lost.
    """
    return len(lines) >= 2 and is_date_line(lines[1])


def read_kremlin_text(data: bytes, path: str, options: ReadOptions) -> RawDocument:
    """A kremlin.ru text export: title, date-time, place, lead, ``* * *``, turns, URL."""
    decoded = decode_lines(data, path)
    items, url = _split_url(paragraphs(decoded))
    if not items:
        raise ReadError("no text: the file holds only a URL", path=path, line=1)
    title: str | None = items[0].text.strip()
    rest = items[1:]
    if is_date_line(items[0].text):
        title, rest = None, items
    when: datetime | date | None = None
    if rest and is_date_line(rest[0].text):
        when = parse_when(rest[0].text)
        if when is None:
            raise ReadError(f"the date line {rest[0].text.strip()!r} is no valid date "
                            "(YYYY-MM-DD HH:MM:SS)", path=path, line=rest[0].line)
        rest = rest[1:]
    place = None
    if len(rest) > 1 and _is_place_line(rest[0].text):
        place = rest[0].text.strip()
        rest = rest[1:]
    lead, body = split_lead(
        rest, lambda p: find_label(p.text.strip(), options.disabled_rules) is not None)
    return RawDocument(path=path, title=title, when=when, place_line=place, url=url,
                       lead=lead, body=body, language=guess_language(items),
                       normalizations=decoded.notes)


def read_transcript(data: bytes, path: str, options: ReadOptions) -> RawDocument:
    """A headerless transcript: all of it is text; metadata only from options or the sidecar.

    Even a last line that is only a URL stays a paragraph: metadata given
    would replace it, and none of the text may be lost that way.
    """
    decoded = decode_lines(data, path)
    items = paragraphs(decoded)
    return RawDocument(path=path, title=None, when=None, place_line=None, url=None,
                       body=items, language=guess_language(items), normalizations=decoded.notes)


def _split_url(items: list[RawParagraph]) -> tuple[list[RawParagraph], str | None]:
    """The paragraphs without a last line that is only a URL, and that URL."""
    if items and _URL.fullmatch(items[-1].text.strip()):
        return items[:-1], items[-1].text.strip()
    return items, None


def _is_place_line(text: str) -> bool:
    """``Московская область, Ново-Огарёво``: short, no sentence end, not a separator."""
    text = text.strip()
    return (0 < len(text) <= MAX_PLACE_LINE and not is_separator(text)
            and not text.endswith(tuple(_SENTENCE_END)) and find_label(text) is None
            and text.count(",") <= 3)


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")


_LANGUAGE_SAMPLE = 4_000
"""Characters enough to tell Russian from English text (a transcript has 60,000 to 200,000)."""


def guess_language(items: list[RawParagraph]) -> str:
    """``ru`` when Cyrillic letters outnumber Latin ones in the text's opening, else ``en``."""
    text = "\n".join(item.text for item in items)[:_LANGUAGE_SAMPLE]
    return "ru" if len(_CYRILLIC.findall(text)) >= len(_LATIN.findall(text)) else "en"
