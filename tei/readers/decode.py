"""Bytes to lines of text, refusing what is not a UTF-8 text with a clear message.

Checks run in the order a person would fix the problems: an empty file, a
binary file, a wrong encoding, then stray control characters, each naming
the line (and column) where it is found.
"""

from __future__ import annotations

import codecs
import re

from tei.errors import ReadError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 control characters other than tab, line feed and carriage return."""
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_lines(data: bytes, path: str) -> list[str]:
    """The lines of a UTF-8 text (BOM dropped, CRLF and CR read as LF), 0-based list."""
    if data.startswith(_UTF16_BOMS):
        raise ReadError("the file is UTF-16: save it as UTF-8", path=path, line=1)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if not data.strip():
        raise ReadError("empty file: no text to read", path=path, line=1)
    if b"\x00" in data:
        raise ReadError("binary data (a NUL byte): this is not a text file", path=path,
                        line=data.count(b"\n", 0, data.index(b"\x00")) + 1)
    text = _utf8(data, path).replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)  # one search of the whole text; its line only if found
    if control:
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        raise ReadError(f"control character U+{ord(control.group()):04X} in the text "
                        f"(column {column}): remove it", path=path,
                        line=text.count("\n", 0, control.start()) + 1, column=column)
    return text.split("\n")


def _utf8(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        hint = _encoding_hint(data)
        raise ReadError(f"not UTF-8: byte 0x{data[error.start]:02X} at column {column} "
                        f"cannot be decoded{hint}", path=path, line=line, column=column) from None


def _encoding_hint(data: bytes) -> str:
    """``; it looks like Windows-1251 …`` when the bytes read well as Cyrillic cp1251."""
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return ""
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if letters and cyrillic / len(letters) > 0.3:
        return ("; it looks like Windows-1251 (cp1251): convert it, "
                "e.g. iconv -f cp1251 -t utf-8 FILE > FILE.utf8")
    return ""
