"""Reader of the kremlin.ru text export: header lines, lead, ``* * *``, turns, URL.

Paragraphs are found as for any plain-text transcript
(:func:`tei.readers.transcript.paragraphs`: each non-blank line is one). The
export has a header (title, date-time line, optional place line), a lead,
``* * *`` and the transcript, and often a URL as its last line.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from tei.errors import ReadError
from tei.model import Normalization
from tei.readers.assemble import RawDocument, RawParagraph, is_separator, split_lead
from tei.readers.kremlin import site
from tei.readers.metadata import is_date_line, parse_when
from tei.readers.options import ReadOptions
from tei.readers.rules.labels import document_rules, find_label
from tei.readers.decode import decode_lines
from tei.readers.transcript import first_lines, guess_language, opening, paragraphs, split_url

_SENTENCE_END = ".!?…:;»\"”)"
MAX_PLACE_LINE = 120


def looks_headed(lines: list[str]) -> bool:
    """A kremlin.ru export: its second non-blank line is the date line (``2020-12-02 13:15:00``).

    Nothing weaker: a first paragraph that is no turn may be the opening of a
    headerless transcript, and taken for a title it would be lost.
    """
    return len(lines) >= 2 and is_date_line(lines[1])


def read(data: bytes, path: str, options: ReadOptions) -> RawDocument:
    """A kremlin.ru text export: title, date-time, place, lead, ``* * *``, turns, URL."""
    decoded = decode_lines(data, path)
    items, url = split_url(paragraphs(decoded))
    notes = list(decoded.notes)
    if url is None and (found := _address_in_the_text(items)) is not None:
        moved, url, joined = found  # text added by hand: the document keeps its ID
        address = items.pop(moved)
        if joined:
            items.insert(moved, RawParagraph(joined, address.line))
        notes.append(Normalization("address-joined" if joined else "address-moved", url,
                                   line=address.line))
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
    rule_of = document_rules(options.disabled_rules)
    lead, body = split_lead(rest, lambda p: find_label(p.text.strip(), rule_of) is not None)
    return RawDocument(path=path, title=title, when=when, place_line=place, url=url,
                       lead=lead, body=body, language=guess_language(items),
                       normalizations=notes, checked=True)


def _address_in_the_text(items: list[RawParagraph]) -> tuple[int, str, str] | None:
    """The last paragraph that is a kremlin.ru address, when text follows it or is joined
    onto it (after a space, or straight after the item number): where it is, the address,
    and the text joined (``""``: none); None when there is none. An export ends with its
    address, and no line break after it: a line added after it by hand (``echo … >>
    64534.txt``) is joined onto it, and must not cost the document its ID, which the
    address gives."""
    for index in range(len(items) - 1, 0, -1):
        text = items[index].text.strip()
        if not text.startswith(("http://", "https://")):
            continue
        token, *rest = text.split(None, 1)  # the address alone, or text after a space
        if site.source(token, None) is not None:
            return index, token, rest[0] if rest else ""
        joined = _JOINED.fullmatch(text)
        if joined is not None and site.source(joined["address"], None) is not None:
            return index, joined["address"], joined["text"]
    return None


_JOINED = re.compile(r"(?P<address>https?://\S*?/\d+)(?=[^\W\d_])(?P<text>.+)", re.DOTALL)
"""An address whose item number runs straight into a word: text joined onto it."""


def _is_place_line(text: str) -> bool:
    """``Московская область, Ново-Огарёво``: short, no sentence end, not a separator."""
    text = text.strip()
    return (0 < len(text) <= MAX_PLACE_LINE and not is_separator(text)
            and not text.endswith(tuple(_SENTENCE_END)) and find_label(text) is None
            and text.count(",") <= 3)


def sniff(data: bytes, name: str, options: ReadOptions) -> bool:
    """True for a kremlin.ru export: no header metadata given, and its opening lines look
    headed (see :func:`looks_headed`)."""
    if options.gives_header():
        return False
    lines = first_lines(opening(data))
    if len(lines) < 2:
        lines = first_lines(data)
    return looks_headed(lines)
