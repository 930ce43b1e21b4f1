"""What is written for one document: a table of output kinds, each a name, a place and a writer.

An output kind (TEI, HTML, plain text; a corpus build adds its own, see
:mod:`tei.corpus.layout`) is one :class:`DocumentOutput`: the ``--format``
name, the folder and suffix of its file, and a function from the document's
:class:`Artefacts` to the file's bytes. ``render`` and ``build`` iterate over
such tables; neither knows an output kind by name. Adding an output means
its module (and templates) and one entry in a table.

File names come from document identifiers by one rule, :func:`file_name`,
so a page always knows where another document's files are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from tei.ids import file_name as file_name  # the rule lives below the renderers, which use it too
from tei.render import DocumentView, RenderOptions, render_html, render_text


@dataclass(slots=True)
class Artefacts:
    """What every writer of one document may use, made once: the TEI, its tree and its view."""

    doc_id: str
    tei: bytes
    """The TEI as published (the encoder's bytes, or a TEI source as it is)."""
    tree: etree._ElementTree
    """The TEI's tree (parsed, or as encoded: :attr:`tei.pipeline.Encoded.tree`); a writer that
    changes it must come last."""
    view: DocumentView
    options: RenderOptions
    ours: bool = True
    """True when the TEI is this tool's own encoding (already indented as it writes TEI)."""


@dataclass(frozen=True, slots=True)
class DocumentOutput:
    """One kind of file written for every document."""

    name: str
    """What ``render --format`` and the build's manifest call it (``html``)."""
    folder: str
    """The folder of these files, in an edition or a render's output folder (``html``)."""
    suffix: str
    write: Callable[[Artefacts], bytes]

    def path(self, doc_id: str) -> str:
        """Where the file of ``doc_id`` goes, relative to the output folder."""
        return f"{self.folder}/{file_name(doc_id)}{self.suffix}"


def _page_options(artefacts: Artefacts) -> RenderOptions:
    """The render options for one document, told where its page is (for citation URLs)."""
    return replace(artefacts.options, page=HTML.path(artefacts.doc_id))


TEI = DocumentOutput("tei", "tei", ".xml", lambda a: a.tei)
HTML = DocumentOutput("html", "html", ".html",
                      lambda a: render_html(a.view, _page_options(a)).encode("utf-8"))
TEXT = DocumentOutput("text", "text", ".txt",
                      lambda a: render_text(a.view, _page_options(a)).encode("utf-8"))

RENDERED: dict[str, DocumentOutput] = {output.name: output for output in (HTML, TEXT)}
"""The editions ``render`` writes from any TEI, by ``--format`` name."""


def formats(names: str | Sequence[str],
            table: dict[str, DocumentOutput] = RENDERED) -> list[DocumentOutput]:
    """The outputs named (``"html,text"`` or a list), in the order given; raises ValueError
    naming what is unknown."""
    wanted = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    wanted = list(dict.fromkeys(n for n in wanted if n))
    unknown = [n for n in wanted if n not in table]
    if unknown or not wanted:
        raise ValueError(f"use {', '.join(table)} (got {','.join(unknown or wanted) or 'nothing'})")
    return [table[n] for n in wanted]

