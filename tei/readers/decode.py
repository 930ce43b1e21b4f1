"""Bytes to text for every reader, and the one place that decides what characters a text may hold.

Checks run in the order a person would fix the problems: an empty file, a
binary file, a wrong encoding, then characters a TEI document cannot hold,
each naming the line (and column) where it is found.

**Characters.** A text may hold what XML 1.0 allows (its ``Char`` production:
tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD,
U+10000-U+10FFFF) less what the profile refuses besides: DEL and the C1
controls (U+007F-U+009F, never text, mostly a sign of a wrong decoding) and
the Unicode non-characters (U+FDD0-U+FDEF and the last two code points of every
plane, U+FFFE, U+FFFF, U+1FFFE …, which XML 1.0 asks documents to avoid).
:data:`FORBIDDEN` matches every other character.

**Stray bytes.** A file that is UTF-8 except for a few stray bytes is read
with each run of invalid bytes replaced by one U+FFFD, and a
:class:`tei.model.Normalization` for each (a warning, and a line of the TEI
header). A file that is mostly not UTF-8 is refused, with a hint for
Windows-1251 and KOI8-R: see :func:`decode_utf8` for where the line is drawn.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, field

from tei.errors import ReadError
from tei.model import Normalization


def _noncharacters() -> str:
    """The non-characters as a regex class body: U+FDD0-U+FDEF, U+nFFFE and U+nFFFF."""
    ends = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}"
                   for plane in range(17))
    return "\ufdd0-\ufdef" + ends


FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_noncharacters()}]")
"""A character no text of a TEI document may hold (see the module's docstring)."""

_MAYBE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\U0010ffff]")
"""A character outside the few ranges that hold no :data:`FORBIDDEN` one (tab, line feed,
carriage return, U+0020-U+007E, U+00A0-U+D7FF, U+E000-U+FDCF): searched first, as its six
ranges are tried in a few steps where FORBIDDEN's many take long on a long text. Written as
those ranges' complement, not as a negated class: that would compile to a table of the
whole Basic Multilingual Plane, some 8 ms at every start."""

MAX_REPLACED = 8
"""Most runs of invalid bytes replaced in one file; more, and the file is not UTF-8."""
VALID_PER_REPLACED = 10
"""Correctly encoded non-ASCII characters needed per replaced run (beyond the first):
a Windows-1251 or KOI8-R file has almost none, a damaged UTF-8 file thousands."""

_ESCAPED = re.compile("[\udc80-\udcff]+")
"""A run of bytes that were not UTF-8, as ``surrogateescape`` decodes them."""
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
"""Byte-order marks, UTF-32 first: its little-endian mark begins with UTF-16's."""
_COMMON_RUSSIAN = frozenset("оеаинтсрвл")
"""The ten commonest letters of Russian text, in lower case."""
_LEGACY_CYRILLIC = (("cp1251", "Windows-1251 (cp1251)"), ("koi8-r", "KOI8-R"))
_HINT_SAMPLE = 65_536
"""Bytes enough to tell a legacy encoding (both are one byte a character)."""


@dataclass(slots=True)
class Decoded:
    """A text file as lines, and what was changed to read it."""

    lines: list[str]
    notes: list[Normalization] = field(default_factory=list)


def bom_encoding(data: bytes) -> str | None:
    """``utf-8``, ``utf-16`` or ``utf-32`` when ``data`` starts with that byte-order mark."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def describe(char: str) -> str:
    """``control character U+0007``, ``non-character U+FFFE``, ``lone surrogate U+DCFF``."""
    code = ord(char)
    kind = ("lone surrogate" if 0xD800 <= code <= 0xDFFF
            else "control character" if code < 0x20 or 0x7F <= code <= 0x9F
            else "non-character")
    return f"{kind} U+{code:04X}"


def has_forbidden(text: str) -> bool:
    """True when ``text`` holds a character that :data:`FORBIDDEN` matches."""
    return bool(_MAYBE_FORBIDDEN.search(text)) and bool(FORBIDDEN.search(text))


def refuse_characters(text: str, path: str, line: int | None = None, what: str = "the text",
                      columns: bool = False, references: bool = False) -> None:
    """Raise :class:`ReadError` at the first character of ``text`` that :data:`FORBIDDEN` matches.

    ``line`` is where ``text`` starts in the file (None: unknown); lines inside
    ``text`` are counted from there; ``columns`` names the column too (when
    ``text`` is lines of the file as they are); ``references`` says how a web
    page may write the character (``&#x1;``), which the message then names.
    """
    found = FORBIDDEN.search(text) if _MAYBE_FORBIDDEN.search(text) else None
    if found is None:
        return
    start = found.start()
    column = start - (text.rfind("\n", 0, start) + 1) + 1 if columns else None
    where = f" (column {column})" if column else ""
    hint = f" (a web page may write it as &#x{ord(found.group()):X};)" if references else ""
    raise ReadError(f"{describe(found.group())} in {what}{where}: remove it{hint}", path=path,
                    line=line + text.count("\n", 0, start) if line else None, column=column)


def binary_error(path: str, line: int) -> ReadError:
    """The error for a NUL: no text holds one (a binary file, or UTF-16 without a mark)."""
    return ReadError("binary data (a NUL byte): this is not a text file", path=path, line=line)


def decode_lines(data: bytes, path: str) -> Decoded:
    """The lines of a UTF-8 text (BOM dropped, CRLF and CR read as LF), 0-based list."""
    encoding = bom_encoding(data)
    if encoding in ("utf-16", "utf-32"):
        raise ReadError(f"the file is {encoding.upper()}: save it as UTF-8", path=path, line=1)
    if encoding == "utf-8":
        data = data[len(codecs.BOM_UTF8):]
    if not data.strip():
        raise ReadError("empty file: no text to read", path=path, line=1)
    if b"\x00" in data:
        raise binary_error(path, data.count(b"\n", 0, data.index(b"\x00")) + 1)
    text, notes = decode_utf8(data, path)
    if "\r" in text:  # one search; most files have none
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if notes or not _plainly_allowed(data):
        refuse_characters(text, path, line=1, columns=True)  # one search of the whole text
    return Decoded(text.split("\n"), notes)


_SUSPECT_BYTES = frozenset([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0xEF,
                            *range(0xF0, 0x100)])
_HARMLESS_BYTES = bytes(byte for byte in range(256) if byte not in _SUSPECT_BYTES)
"""The bytes of UTF-8 that are no part of a :data:`FORBIDDEN` character: all but the
control characters and the lead bytes of U+0080-U+00BF (``0xC2``), U+F000-U+FFFF (``0xEF``)
and of every character beyond U+FFFF. (A surrogate is no UTF-8 at all.)"""
_C1_CONTROL = re.compile(b"\xc2[\x80-\x9f]")


def _plainly_allowed(data: bytes) -> bool:
    """True when the UTF-8 ``data`` (decoded as it is, nothing replaced) can hold no
    :data:`FORBIDDEN` character, told by the bytes: none is left once every harmless byte
    is deleted but the lead bytes of U+0080-U+00BF (no-break spaces, guillemets), and none of
    those leads a C1 control. Several times faster than the search of the decoded text,
    which :func:`refuse_characters` makes only when this cannot tell."""
    rest = data.translate(None, _HARMLESS_BYTES)
    return not rest or (not rest.strip(b"\xc2") and _C1_CONTROL.search(data) is None)


def decode_utf8(data: bytes, path: str) -> tuple[str, list[Normalization]]:
    """UTF-8 text, a few stray bytes replaced by U+FFFD (a note for each run of them).

    The file is refused as not UTF-8 (naming the first bad byte, with a hint
    when it reads as Windows-1251 or KOI8-R) when it has more than
    :data:`MAX_REPLACED` runs of invalid bytes, or more than one and fewer than
    :data:`VALID_PER_REPLACED` correctly encoded non-ASCII characters for each.
    A single stray byte is always replaced: one bad byte never costs a file.
    """
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8"), []
    text = data.decode("utf-8", "surrogateescape")
    runs = []
    for run in _ESCAPED.finditer(text):
        runs.append(run)
        if len(runs) > MAX_REPLACED:
            break
    valid = len(text) - len(text.encode("ascii", "ignore")) - sum(len(r.group()) for r in runs)
    if len(runs) > MAX_REPLACED or (len(runs) > 1 and valid < VALID_PER_REPLACED * len(runs)):
        first = runs[0].start()
        line = text.count("\n", 0, first) + 1
        column = first - (text.rfind("\n", 0, first) + 1) + 1
        raise ReadError(f"not UTF-8: byte 0x{ord(text[first]) - 0xDC00:02X} at column {column} "
                        f"cannot be decoded{_encoding_hint(data)}", path=path, line=line,
                        column=column)
    notes = [Normalization("invalid-utf8", " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in r.group()),
                           line=text.count("\n", 0, r.start()) + 1) for r in runs]
    return _ESCAPED.sub("\ufffd", text), notes


def _encoding_hint(data: bytes) -> str:
    """``; it looks like KOI8-R …`` for bytes that read as Russian in a legacy encoding.

    Both Windows-1251 and KOI8-R decode any Cyrillic bytes to Cyrillic letters;
    the right one gives mostly the commonest lower-case letters (the wrong one
    swaps the cases, and letters), so the one giving more of them is named.
    """
    best: tuple[int, str, str] | None = None
    for codec, name in _LEGACY_CYRILLIC:
        try:
            text = data[:_HINT_SAMPLE].decode(codec)
        except UnicodeDecodeError:
            continue
        letters = sum(1 for ch in text if ch.isalpha())
        common = sum(1 for ch in text if ch in _COMMON_RUSSIAN)
        if letters and common / letters > 0.3 and (best is None or common > best[0]):
            best = (common, codec, name)
    if best is None:
        return ""
    return (f"; it looks like {best[2]}: convert it, "
            f"e.g. iconv -f {best[1]} -t utf-8 FILE > FILE.utf8")
