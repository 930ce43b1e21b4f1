"""The reader table: every reader by the name ``--from`` takes, and the sites readers know.

A reader is a module with two functions (pandoc's readers, one per format)::

    sniff(data, name, options) -> bool        is this file in my format?
    read(data, name, options) -> RawDocument  header strings and paragraphs

``--from auto`` asks each reader in the table's order and takes the first
that claims the file (the last, ``transcript``, claims any text). A site
module has ``source(url, path) -> Source | None``: what an address on that
site says (item number, publisher, licence). Modules are imported only when
used, so naming the readers costs nothing at start-up.

A new source (a government.ru reader, say) is its folder under
``tei/readers/`` and a line in each table it needs here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True, slots=True)
class Entry:
    """A reader or site module, by name."""

    name: str
    module: str
    summary: str
    sniffer: str | None = None
    """The module of the reader's ``sniff``, when a lighter one than the reader's own (so
    that trying the reader on a file of another kind does not import all of it)."""

    def load(self) -> ModuleType:
        """The module itself."""
        return importlib.import_module(self.module)

    def sniffs(self) -> ModuleType:
        """The module whose ``sniff`` tells this reader's files."""
        return importlib.import_module(self.sniffer or self.module)


READERS: tuple[Entry, ...] = (
    Entry("kremlin-html", "tei.readers.kremlin.html",
          "a saved kremlin.ru or en.kremlin.ru web page", sniffer="tei.readers.kremlin.encoding"),
    Entry("kremlin-text", "tei.readers.kremlin.text",
          "the kremlin.ru text export (title, date-time and place lines, lead, * * *, turns)"),
    Entry("transcript", "tei.readers.transcript",
          "a headerless transcript: all text, metadata from options or NAME.meta.toml"),
)
"""Readers in the order ``--from auto`` tries them."""

SITES: tuple[Entry, ...] = (
    Entry("kremlin.ru", "tei.readers.kremlin.site", "kremlin.ru and en.kremlin.ru"),
)
"""Sites whose addresses give more than a URL."""

SUFFIXES = (".txt", ".html", ".htm")
"""What transcript files are called: the files a folder named as input is searched for."""

FORMATS = ("auto", *(entry.name for entry in READERS))
"""Reader names accepted by ``--from``; ``auto`` chooses by content."""


def reader(name: str) -> Entry | None:
    """The reader called ``name``, if there is one."""
    return next((entry for entry in READERS if entry.name == name), None)
