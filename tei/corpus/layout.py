"""Where everything of a build goes: the one table of output kinds, and the build's own files.

Every document gives the files of :data:`DOCUMENT_OUTPUTS`, in this order
(the corpus member last: it changes the document's tree); once every document
is built, :data:`CORPUS_OUTPUTS` are written from the corpus index. The
build, the manifest, the corpus pages and ``corpus.xml`` all take paths from
these entries (``HTML.path("kremlin-64534")`` -> ``html/kremlin-64534.html``).
Adding an output means its module and one entry here.
"""

from __future__ import annotations

from pathlib import Path

from tei.corpus.dts import DtsIndex
from tei.corpus.pages import CORPUS_XML, DOCUMENTS_TSV, INDEX_PAGE, CorpusOutput
from tei.corpus.registers import PERSONS, PLACES
from tei.corpus.search import SEARCH
from tei.corpus.sitemap import SITEMAP
from tei.corpus.teicorpus import MEMBER
from tei.corpus.turns import TURNS_TSV
from tei.outputs import HTML, TEI, TEXT, DocumentOutput

META_DIR = ".tei-edition"
"""The build's own folder: its manifest, corpus index, the DTS API's data and, while it is
made, the parts."""

DOCUMENT_OUTPUTS: tuple[DocumentOutput, ...] = (TEI, HTML, TEXT, MEMBER)
"""The files of each document, in the order they are made."""

DTS = DtsIndex(f"{META_DIR}/dts.sqlite")
"""What ``tei-edition serve`` reads (:mod:`tei.corpus.dts`)."""

CORPUS_OUTPUTS: tuple[CorpusOutput, ...] = (INDEX_PAGE, PERSONS, PLACES, TURNS_TSV, DOCUMENTS_TSV,
                                            CORPUS_XML, DTS, SEARCH, SITEMAP)
"""The corpus-wide outputs, in the order the manifest lists them."""


def corpus_outputs(search: bool = True) -> tuple[CorpusOutput, ...]:
    """The corpus-wide outputs of a build: all of them, or all but the search index
    (``build --no-search``)."""
    return CORPUS_OUTPUTS if search else tuple(o for o in CORPUS_OUTPUTS if o is not SEARCH)

CORPUS_FILES = frozenset(path for output in CORPUS_OUTPUTS for path in output.paths)
"""The files the corpus-wide outputs write whatever the corpus (rewritten by every build that
publishes); the registers write more, in :data:`CORPUS_FOLDERS`."""

CORPUS_FOLDERS = frozenset(folder for output in CORPUS_OUTPUTS for folder in output.folders)
"""Folders whose every file a corpus-wide output writes (a register's page per person):
the build's manifest lists what they hold, and nothing in them is carried over as a user's."""

MANIFEST = f"{META_DIR}/manifest.json"
INDEX = f"{META_DIR}/corpus.sqlite"
PARTS = f"{META_DIR}/parts"
"""Where workers write each document's outputs before the build puts them in place."""
STATIC = "html/static"
"""The stylesheet and script of the pages, written afresh by every build."""

SUMMARY = "summary.json"
"""The part that carries a document's summary (into the corpus index, not published)."""


def part_path(folder: str | Path, key: str, name: str, suffix: str = "") -> Path:
    """Where the part ``name`` of the document ``key`` is in a worker's folder of parts
    (``17.0.tei.xml``, ``17.0.summary.json``: source 17, its first document)."""
    return Path(folder) / f"{key}.{name}{suffix}"
