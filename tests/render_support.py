"""Helpers shared by the renderer tests: the encoded sample, fixtures, word and HTML checks."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from xml.etree import ElementTree

import html5lib
from lxml import etree

from tei.xmlio import TEI_NS, parse_file

DATA = Path(__file__).parent / "data"
RENDER = DATA / "render"
NS = {"t": TEI_NS}

FOREIGN = {
    "dracor-style": RENDER / "dracor-style.xml",
    "parlamint-style": RENDER / "parlamint-style.xml",
    "dracor-chekhov": DATA / "dracor" / "chekhov-tragik-ponevole.xml",
    "dracor-pushkin": DATA / "dracor" / "pushkin-mocart-i-saleri.xml",
    "parlamint-gb": DATA / "parlamint" / "ParlaMint-GB_2022-07-21-commons.xml",
    "parla-clarin-exemplar": DATA / "parlamint" / "Parla-CLARIN-Exemplar.xml",
}
"""Other corpora's TEI (real samples and fixtures written after them), by a short name."""


@functools.lru_cache(maxsize=1)
def sample_bytes() -> bytes:
    """The real sample (kremlin.ru 64534) read and encoded by the project's own pipeline."""
    from tei.encode import encode
    from tei.readers import ReadOptions
    from tei.readers.read import read_path
    from tei.xmlio import to_bytes

    return to_bytes(encode(read_path(DATA / "kremlin-ru" / "64534.txt", ReadOptions())))


def saved_page_tree(name: str) -> etree._ElementTree:
    """A real saved page of tests/data (``kremlin-en-more/57212.html``) read and encoded."""
    from tei.encode import encode
    from tei.readers import ReadOptions
    from tei.readers.read import read_path

    return encode(read_path(DATA / name, ReadOptions()))


def sample_tree() -> etree._ElementTree:
    """A fresh parse of the encoded sample (callers may not share a tree they change)."""
    from tei.xmlio import parse_bytes

    return parse_bytes(sample_bytes(), "kremlin-64534.xml")


def fixture(name: str) -> etree._ElementTree:
    """A TEI file of tests/data/render by name."""
    return parse_file(RENDER / f"{name}.xml")


def words(text: str) -> list[str]:
    """Word tokens, for comparing what a TEI says with what a rendering shows."""
    return re.findall(r"\w+", text)


def tei_text_words(tree: etree._ElementTree) -> list[str]:
    """Every word of every outer ``<text>`` (front, body, back), comments and PIs left out."""
    found: list[str] = []
    for text in tree.getroot().iter(f"{{{TEI_NS}}}text"):
        if any(True for _ in text.iterancestors(f"{{{TEI_NS}}}text")):
            continue
        found.extend(words(" ".join(text.xpath(".//text()"))))
    return found


def missing_in_order(expected: list[str], shown: list[str]) -> list[str]:
    """The words of ``expected`` that ``shown`` does not contain in the same order (empty: all there)."""
    position = 0
    for index, word in enumerate(expected):
        try:
            position = shown.index(word, position) + 1
        except ValueError:
            return expected[index:index + 12]
    return []


def parse_html(page: str) -> ElementTree.Element:
    """Parse a page with html5lib in strict mode: any parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)
