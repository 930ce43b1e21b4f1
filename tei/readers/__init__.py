"""Readers: transcripts as users have them, in, one :class:`tei.model.Document` out.

Each reader (:mod:`tei.readers.table` lists them) turns bytes into a
:class:`~tei.readers.assemble.RawDocument` (header strings and paragraphs);
:func:`~tei.readers.assemble.assemble` does the rest the same way for all,
with the speaker rules of :mod:`tei.readers.rules` and the Russian and
English names of :mod:`tei.readers.names`. :mod:`tei.readers.read` chooses
the reader and reads a file (``read_path``) or bytes (``read_bytes``).

Importing this package loads no reader: :class:`ReadOptions` and the reader
names are cheap to have.
"""

from tei.readers.options import METADATA_FIELDS, ReadOptions
from tei.readers.table import FORMATS, READERS, SUFFIXES

__all__ = ["FORMATS", "METADATA_FIELDS", "READERS", "ReadOptions", "SUFFIXES"]
