"""Reader of headerless transcripts: all text, metadata from options or a sidecar file.

Also the plain-text helpers every text reader shares: a paragraph is a
non-blank line; a last line that is only a URL is the source's address; the
language is told by the script of the opening.
"""

from __future__ import annotations

import re

from tei.readers.assemble import RawDocument, RawParagraph
from tei.readers.decode import Decoded, decode_lines
from tei.readers.options import ReadOptions

_URL = re.compile(r"https?://\S+")


def paragraphs(decoded: Decoded) -> list[RawParagraph]:
    """Every non-blank line, as a paragraph with its 1-based line number."""
    return [RawParagraph(line, number)
            for number, line in enumerate(decoded.lines, start=1) if line.strip()]


def opening(data: bytes, size: int = 8192) -> bytes:
    """The first lines of ``data``, about ``size`` bytes: what telling the format needs.

    Cut after a newline byte, which never stands inside a UTF-8 character.
    """
    end = data.rfind(b"\n", 0, size)
    return data if len(data) <= size or end < 0 else data[:end + 1]


def first_lines(data: bytes) -> list[str]:
    """The non-blank lines of ``data``, decoded leniently: telling the format refuses
    nothing, the reader chosen reports what is wrong with the whole file."""
    text = data.decode("utf-8-sig", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return [line for line in text.split("\n") if line.strip()]


def read(data: bytes, path: str, options: ReadOptions) -> RawDocument:
    """A headerless transcript: all of it is text; metadata only from options or the sidecar.

    Even a last line that is only a URL stays a paragraph: metadata given
    would replace it, and none of the text may be lost that way.
    """
    decoded = decode_lines(data, path)
    items = paragraphs(decoded)
    return RawDocument(path=path, title=None, when=None, place_line=None, url=None,
                       body=items, language=guess_language(items), normalizations=decoded.notes,
                       checked=True)


def split_url(items: list[RawParagraph]) -> tuple[list[RawParagraph], str | None]:
    """The paragraphs without a last line that is only a URL, and that URL."""
    if items and _URL.fullmatch(items[-1].text.strip()):
        return items[:-1], items[-1].text.strip()
    return items, None


_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_LATIN = re.compile("[A-Za-z]+")


_LANGUAGE_SAMPLE = 4_000
"""Characters enough to tell Russian from English text (a transcript has 60,000 to 200,000)."""


def guess_language(items: list[RawParagraph]) -> str:
    """``ru`` when Cyrillic letters outnumber Latin ones in the text's opening, else ``en``."""
    opening: list[str] = []
    size = 0
    for item in items:  # as many paragraphs as the sample takes, not the whole text joined
        if size >= _LANGUAGE_SAMPLE:
            break
        opening.append(item.text)
        size += len(item.text) + 1
    text = "\n".join(opening)[:_LANGUAGE_SAMPLE]
    return "ru" if _letters(_CYRILLIC, text) >= _letters(_LATIN, text) else "en"


def _letters(runs: re.Pattern[str], text: str) -> int:
    """How many letters of ``text`` the pattern's runs of letters hold (counted by run:
    a list of every letter, as ``findall`` of one letter gives, is thousands of strings)."""
    return sum(map(len, runs.findall(text)))


def sniff(data: bytes, name: str, options: ReadOptions) -> bool:
    """Any text is a headerless transcript: the reader of last resort."""
    return True
