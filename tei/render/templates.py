"""Jinja2 environments for the HTML and text editions, and the filters their templates use.

Templates are looked up as mkdocs looks up a theme: the user's folder first
(``--templates DIR``: ``DIR/html`` or ``DIR/text``, then ``DIR`` itself), then
the bundled ``transform/html`` or ``transform/text``. An environment is
compiled once per (kind, folder) and kept: rendering a thousand documents
compiles each template once. HTML templates autoescape everything and every
template fails loudly on an undefined variable.
"""

from __future__ import annotations

import functools
import re
import textwrap
from pathlib import Path
from typing import Any, TypedDict

import jinja2
from markupsafe import Markup

from tei.ids import file_name
from tei.render import emit
from tei.render.inline import gap_mark
from tei.render.words import Words, ui_attr, words_for
from tei.render.options import RenderOptions
from tei.render.view import DocumentView, Paragraph, Piece, Turn
from tei.resources import data_dir

KINDS = ("html", "text")


def search_path(kind: str, templates: Path | None) -> list[Path]:
    """Folders searched for templates of ``kind``, most specific first."""
    folders: list[Path] = []
    if templates is not None:
        folders += [templates / kind, templates]
    folders.append(data_dir("transform") / kind)
    return [folder for folder in folders if folder.is_dir()]


@functools.lru_cache(maxsize=32)
def environment(kind: str, templates: Path | None = None) -> jinja2.Environment:
    """The compiled-once Jinja2 environment for ``html`` or ``text`` templates."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of template {kind!r}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(kind, templates)]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml"),
                                            default=kind == "html"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(html=html_filter, text=text_filter, event_html=event_html_filter,
                       gap_mark=gap_mark, parenthesise=emit.parenthesise, block=block, label_prefix=label_prefix,
                       heading_level=heading_level)
    env.tests.update(verse=is_verse)
    return env


@jinja2.pass_context
def html_filter(ctx: Any, pieces: list[Piece]) -> Markup:
    """``{{ pieces | html }}``: inline pieces as escaped HTML (mentions of the page's persons
    and places linked to their register pages when there are such pages)."""
    return emit.html(pieces, ctx["L"], ctx.get("targets"))


@jinja2.pass_context
def event_html_filter(ctx: Any, pieces: list[Piece]) -> Markup:
    """``{{ pieces | event_html }}``: a stage direction's content, in parentheses."""
    return emit.event_html(pieces, ctx["L"], ctx.get("targets"))


@jinja2.pass_context
def text_filter(ctx: Any, pieces: list[Piece]) -> str:
    """``{{ pieces | text }}``: inline pieces as plain text."""
    return emit.text(pieces, ctx["L"])


def is_verse(item: object) -> bool:
    """True for a verse line (``<l>``): the text edition keeps a poem's lines together."""
    return isinstance(item, Paragraph) and item.kind == "l"


def heading_level(level: int) -> int:
    """The HTML heading (h2..h6) of a section at ``level`` (the title is h1)."""
    return min(max(level, 1) + 1, 6)


@jinja2.pass_context
def label_prefix(ctx: Any, turn: Turn) -> str:
    """How a turn's first block starts in the text edition: ``В.Путин (как переведено): ``."""
    label = turn.label
    if turn.note:
        note = emit.text(turn.note, ctx["L"])
        label = f"{label} ({note})" if label else f"({note})"
    if not label:
        return ""
    return f"{label} " if label[-1] in ".:" else f"{label}: "


@jinja2.pass_context
def block(ctx: Any, text: str, number: str | None = None, margin: bool = True) -> str:
    """One block of the text edition: numbered in the margin and wrapped as the options say.

    ``margin`` False (header lines) keeps the block out of the number margin.
    Lines from ``<lb/>`` stay lines; wrapping never breaks a word or a no-break space.
    """
    options = ctx["options"]
    width = ctx["margin"] if margin and options.numbers else 0
    lines: list[str] = []
    for index, line in enumerate(str(text).split("\n")):
        first = (f"{number or '':>{width - 2}}  " if index == 0 else " " * width) if width else ""
        wrapped = _wrap(line, options.wrap - width if options.wrap else None)
        lines.append(first + wrapped[0])
        lines.extend(" " * width + rest for rest in wrapped[1:])
    return "\n".join(lines)


def _wrap(line: str, width: int | None) -> list[str]:
    """A line wrapped at ``width`` (None: not wrapped); words longer than that are kept whole."""
    if width is None:
        return [line]
    return textwrap.wrap(line, width=max(width, 20), break_long_words=False,
                         break_on_hyphens=False) or [""]


TITLED = ("summary", "transcript", "front", "back")
"""Section types that get a heading in the page's language when the TEI gives none."""


class TemplateContext(TypedDict):
    """The variables every document template sees."""

    doc: DocumentView
    """The document (see :mod:`tei.render.view`)."""
    options: RenderOptions
    L: Words
    """The words the page adds (``L.how_to_cite``), in the document's language or English."""
    ui_attr: Markup
    """`` lang="en"`` for elements holding added words when they are not in the document's
    language; empty otherwise."""
    static: str
    """Where the stylesheet and script are, relative to the page (``static/``)."""
    titled: tuple[str, ...]
    """Section types that get a heading from ``L`` when the TEI gives none."""
    margin: int
    """Width of the text edition's number margin."""
    example: Paragraph | None
    """The paragraph "How to cite" shows as an example."""
    citation: str
    """A citation of the whole document, ready to copy."""
    registers: dict[str, str]
    """The register page of each person and place of the page, by its ID (empty unless
    ``options.registers``: a page alone has no registers to link to)."""
    targets: dict[str, str]
    """Where mentions (``#id`` links) of those persons and places point instead."""


REGISTER_FOLDERS = {"person": "persons", "place": "places"}
"""The folders of an edition's register pages, by kind (one page per person or place)."""


def register_path(kind: str, ident: str) -> str:
    """The register page of a person or place, relative to the edition's top
    (``persons/putin-vladimir.html``); named by the rule that names documents' files."""
    return f"{REGISTER_FOLDERS[kind]}/{file_name(ident)}.html"


def register_links(view: DocumentView, options: RenderOptions) -> dict[str, str]:
    """The register page of every person and place of the page, by ID, relative to the page."""
    if options.registers is None:
        return {}
    pages = {person.id: register_path("person", person.id) for person in view.persons}
    pages.update({place.id: register_path("place", place.id) for place in view.places})
    return {ident: options.registers + path for ident, path in pages.items()}


def context(view: DocumentView, options: RenderOptions) -> TemplateContext:
    """The variables for the document templates."""
    registers = register_links(view, options)
    return {
        "doc": view,
        "options": options,
        "L": words_for(view.lang),
        "ui_attr": ui_attr(view.lang),
        "static": options.static,
        "titled": TITLED,
        "margin": margin_width([p.n for p in view.paragraphs if p.n]),
        "example": example_paragraph(view),
        "citation": citation(view),
        "registers": registers,
        "targets": {f"#{ident}": href for ident, href in registers.items()},
    }


def citation(view: DocumentView) -> str:
    """A citation of the whole document, ready to copy.

    ``Title. Publisher, date. URL: address. Identifier (TEI), licence.``
    """
    head = ", ".join(x.rstrip(". ") for x in (view.source_publisher,
                                               view.date.text if view.date else None) if x)
    parts = [view.title.rstrip(". "), head]
    if view.source:
        parts.append(f"URL: {view.source.url}")
    licence = view.licence.text if view.licence else None
    parts.append(f"{words_for(view.lang).document_id}: {view.id}" + (f", {licence}" if licence else ""))
    return ". ".join(p for p in parts if p) + "."


def example_paragraph(view: DocumentView) -> Paragraph | None:
    """The paragraph the "How to cite" block shows as an example: the 12th, or the last."""
    numbered = view.paragraphs
    return numbered[min(11, len(numbered) - 1)] if numbered else None


_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def tidy_text(text: str) -> str:
    """The text edition's final form: no trailing spaces, one blank line between blocks, LF."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip("\n")
    return text + "\n"


def margin_width(numbers: list[str]) -> int:
    """Width of the number margin: the longest number and two spaces."""
    return max((len(n) for n in numbers), default=1) + 2

