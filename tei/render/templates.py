"""Jinja2 environments for the HTML and text editions, and the filters their templates use.

Templates are looked up as mkdocs looks up a theme: the user's folder first
(``--templates DIR``: ``DIR/html`` or ``DIR/text``, then ``DIR`` itself), then
the bundled ``transform/html`` or ``transform/text``. An environment is
compiled once per (kind, folder) and kept: rendering a thousand documents
compiles each template once; the compiled templates are also kept in the user cache
(:func:`bytecode_cache`), so that the next process loads them instead of compiling them
again. HTML templates autoescape everything and every template fails loudly on an
undefined variable.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from types import TracebackType
from typing import Any, TypedDict, cast

import jinja2
from markupsafe import Markup

from tei import __version__
from tei.errors import TemplateError
from tei.ids import file_name
from tei.render import emit
from tei.render.inline import gap_mark
from tei.render.words import Words, language_name, ui_attr, words_for
from tei.render.options import RenderOptions, typeset
from tei.render.view import (Block, DocumentView, Event, Gap, Item, Note, Paragraph, Piece,
                             Separator, Turn, TurnRef)
from tei.resources import data_dir
from tei.usercache import cache_dir, mark_used, prune_stale

KINDS = ("html", "text")

PREPARATION = "1"
"""The version of the environments' options below (they shape the compiled code, which
Jinja2's cache does not key by): change it when they change."""


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
        bytecode_cache=bytecode_cache(kind),
    )
    env.filters.update(html=html_filter, text=text_filter, event_html=event_html_filter,
                       numbered_html=numbered_html_filter, speakers_html=emit.speakers_html,
                       speech_html=speech_html_filter, turn_html=_emitting(emit.turn_html),
                       items_html=_emitting(emit.items_html), items_text=items_text,
                       turn_links=turn_links_filter,
                       gap_mark=gap_mark, parenthesise=emit.parenthesise, block=block, label_prefix=label_prefix,
                       speech_text=speech_text, verse_speech=speech_text,  # its old name
                       turn_text=turn_text,
                       heading_level=heading_level, site=site, language_name=language_name)
    env.tests.update(verse=is_verse, verse_speech=is_verse_speech, speech=is_speech,
                     flat=is_flat)
    env.globals.update(shows=shows)
    env.filters.update(language_name=language_name, typeset=typeset_filter, css_string=css_string)
    return env


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates in a folder, which only ever saves work: a
    folder that cannot be made, read or written means compiling (a corrupt or stale file
    Jinja2 itself refuses, by its checksum of the source and its version mark)."""

    marked = False
    """Whether this process has marked the folder as used (:func:`mark_used`), once."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)
        if not self.marked:
            self.marked = True
            mark_used(Path(self.directory))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            folder = Path(self.directory)
            if not folder.is_dir():  # a new key (an upgrade): old keys' folders go once unused
                folder.mkdir(parents=True, exist_ok=True)
                prune_stale("jinja-*", {bytecode_folder(kind) for kind in KINDS})
            super().dump_bytecode(bucket)


def bytecode_cache(kind: str) -> jinja2.BytecodeCache:
    """Where the compiled templates of ``kind`` are kept: a folder of the user cache per
    kind (a template of ``--templates DIR`` may serve both, compiled with different
    defaults), this tool's version and :data:`PREPARATION`. Jinja2 keys each template by
    its name and file and checks its source's checksum, so an edited template is compiled
    afresh."""
    return _QuietBytecodeCache(str(cache_dir() / bytecode_folder(kind)))


def bytecode_folder(kind: str) -> str:
    """The name of :func:`bytecode_cache`'s folder for ``kind`` in the user cache."""
    key = hashlib.sha256("\n".join([kind, __version__, PREPARATION]).encode()).hexdigest()
    return f"jinja-{key[:16]}"


def typeset_filter(text: str, lang: str) -> str:
    """``{{ d.title | typeset(d.lang) }}``: another document's words on a corpus page, with
    no-break spaces as its own page has them (plain in English)."""
    return typeset(text, lang)


def css_string(text: str) -> Markup:
    """``{{ doc.title | css_string }}``: a CSS string literal, safe inside ``<style>``
    (quotes, backslashes, ``<``, ``>``, ``&`` and control characters as CSS escapes)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 0x20 or ord(c) == 0x7f
                      else c for c in text)
    return Markup(f'"{escaped}"')


CONTENTS_TEMPLATE = "edition.html"
"""The template that holds the page's contents (``nav.toc``) and the blocks it lists."""


@jinja2.pass_context
def shows(ctx: Any, name: str) -> bool:
    """``shows("places")``: whether the page's block ``name`` shows anything, so that the
    contents list no part a user's template removed (``{% block places %}{% endblock %}``).

    The block as the contents' own template defines it shows whenever its data exists (the
    contents test that); an override from another template is rendered once to see.
    """
    functions = ctx.blocks.get(name)
    if not functions:
        return False
    function = functions[0]
    if function.__globals__.get("name") == CONTENTS_TEMPLATE:
        return True
    return bool("".join(function(ctx)).strip())


def template_error(exc: jinja2.TemplateError, name: str, rendering: str) -> TemplateError:
    """A Jinja error as a :class:`TemplateError` at the template's own file and line.

    ``name`` is the template asked for (named when no frame of template code is
    found) and ``rendering`` what was being rendered (a document's ID, a page).
    """
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"template error: {exc.message}", path=exc.filename or exc.name,
                             line=exc.lineno)
    path, line = _template_frame(exc.__traceback__)
    return TemplateError(f"template error: {exc} (rendering {rendering})", path=path or name,
                         line=line)


def _template_frame(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The template file and line where a rendering failed: the innermost frame of template
    code (Jinja gives those frames the template's file name and line)."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and Path(filename).is_file():
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


@jinja2.pass_context
def html_filter(ctx: Any, pieces: list[Piece]) -> Markup:
    """``{{ pieces | html }}``: inline pieces as escaped HTML (mentions of the page's persons
    and places linked to their register pages when there are such pages)."""
    return emit.html(pieces, ctx["L"], ctx.get("targets"))


@jinja2.pass_context
def numbered_html_filter(ctx: Any, paragraph: Paragraph) -> Markup:
    """``{{ paragraph | numbered_html }}``: a numbered paragraph, its number linked to it."""
    return emit.numbered_html(paragraph, ctx["L"], ctx.get("targets"))


@jinja2.pass_context
def speech_html_filter(ctx: Any, blocks: list[Item]) -> Markup:
    """``{{ turn.blocks | speech_html }}``: a speech's blocks, each on a line, in one call."""
    return emit.speech_html(blocks, ctx["L"], ctx.get("targets"))


def _emitting(write: Callable[[Any, Words, dict[str, str] | None], Markup]) -> Any:
    """The filter of an emitter given the page's words and targets: ``{{ turn | turn_html }}``
    (a turn whose blocks are a speech), ``{{ items | items_html }}`` (items that are flat)."""
    return jinja2.pass_context(lambda ctx, value: write(value, ctx["L"], ctx.get("targets")))


@jinja2.pass_context
def turn_links_filter(ctx: Any, turns: list[TurnRef]) -> Markup:
    """``{{ person.turns | turn_links }}``: links to a person's turns, each after a space."""
    return emit.turn_links(turns, ctx["L"])


@jinja2.pass_context
def event_html_filter(ctx: Any, pieces: list[Piece]) -> Markup:
    """``{{ pieces | event_html }}``: a stage direction's content, in parentheses."""
    return emit.event_html(pieces, ctx["L"], ctx.get("targets"))


@jinja2.pass_context
def text_filter(ctx: Any, pieces: list[Piece]) -> str:
    """``{{ pieces | text }}``: inline pieces as plain text."""
    return emit.text(pieces, ctx["L"])


def site(url: str) -> str:
    """The web site an address belongs to, as the search page's source filter names it:
    ``http://en.kremlin.ru/events/...`` -> ``kremlin.ru`` (``www.`` and a language's
    subdomain left out, so both languages of a site are one source)."""
    host = urlsplit(url).hostname or url
    labels = host.lower().removeprefix("www.").split(".")
    if len(labels) > 2 and len(labels[0]) == 2:
        labels = labels[1:]
    return ".".join(labels)


def is_verse(item: object) -> bool:
    """True for a verse line (``<l>``): the text edition keeps a poem's lines together.

    False for anything else, ``loop.nextitem`` after the last item included (undefined)."""
    return isinstance(item, Paragraph) and item.kind == "l"


def is_verse_speech(blocks: object) -> bool:
    """True for a turn's blocks that are verse lines and stage directions only, a line at
    least (most speeches of a play in verse)."""
    return (isinstance(blocks, list) and any(is_verse(b) for b in blocks)
            and all(is_verse(b) or isinstance(b, Event) for b in blocks))


def is_speech(blocks: object) -> bool:
    """True for a turn's blocks when there are some and none is a turn itself (every turn of
    a transcript, every speech of a play): :func:`speech_text` writes them in one call."""
    return isinstance(blocks, list) and bool(blocks) and not any(
        isinstance(b, Turn) for b in blocks)


def is_flat(items: object) -> bool:
    """True for items that are each a block or a turn whose blocks are a speech (``is speech``;
    every section of a transcript): ``items_text`` and ``items_html`` write them in one call."""
    return isinstance(items, list) and all(not isinstance(it, Turn) or is_speech(it.blocks)
                                           for it in items)


@jinja2.pass_context
def items_text(ctx: Any, items: list[Item]) -> str:
    """``{{ items | items_text }}``: flat items (``is flat``) as the loop of ``_macros.txt``
    writes them: each turn by :func:`turn_text`, each run of blocks between by :func:`speech_text`."""
    written: list[str] = []
    run: list[Block] = []
    for it in items:
        if isinstance(it, Turn):
            if run:
                written.append(speech_text(ctx, run))
                run = []
            written.append(turn_text(ctx, it))
        else:
            run.append(it)
    if run:
        written.append(speech_text(ctx, run))
    return "".join(written)


@jinja2.pass_context
def speech_text(ctx: Any, blocks: list[Block], label: str = "") -> str:
    """``{{ turn.blocks | speech_text(label) }}``: a speech's blocks as the loop of
    ``_macros.txt`` writes them (``label`` starting the first block, a blank line after each
    block but between lines of verse), in one call for the whole speech instead of a template
    loop per block, which made a play in verse slower to write than the TEI Consortium's
    XSLT and an interview's hundreds of turns slow to write."""
    words = ctx["L"]
    plain = _as_they_are(ctx)
    written = []
    for index, it in enumerate(blocks):
        if isinstance(it, Paragraph):
            text = label + emit.text(it.pieces, words)
            written.append(text if plain else block(ctx, text, it.n))
        else:
            text = label + _block_text(it, words)
            written.append(text if plain else block(ctx, text))
        label = ""
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        written.append("\n" if is_verse(it) and is_verse(following) else "\n\n")
    return "".join(written)


@jinja2.pass_context
def turn_text(ctx: Any, turn: Turn) -> str:
    """``{{ turn | turn_text }}``: a turn whose blocks are a speech, its label starting the
    first, as the loop of ``_macros.txt`` writes it when no label is pending, in one call."""
    speech = cast("list[Block]", turn.blocks)  # a speech: no turn among them (``is speech``)
    return str(speech_text(ctx, speech, label_prefix(ctx, turn)))


def _block_text(it: Event | Gap | Note | Separator, words: Words) -> str:
    """A block other than a paragraph as the text edition prints it (before wrapping)."""
    if isinstance(it, Event):
        return emit.parenthesise(emit.text(it.pieces, words))
    if isinstance(it, Gap):
        return gap_mark(it.desc)
    if isinstance(it, Note):
        return f"[{words.note}: {emit.text(it.pieces, words)}]"
    return it.mark


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
    if _as_they_are(ctx, margin):  # the default (a play's every line is a block)
        return str(text)
    options = ctx["options"]
    width = ctx["margin"] if margin and options.numbers else 0
    lines: list[str] = []
    for index, line in enumerate(str(text).split("\n")):
        first = (f"{number or '':>{width - 2}}  " if index == 0 else " " * width) if width else ""
        wrapped = _wrap(line, options.wrap - width if options.wrap else None)
        lines.append(first + wrapped[0])
        lines.extend(" " * width + rest for rest in wrapped[1:])
    return "\n".join(lines)


def _as_they_are(ctx: Any, margin: bool = True) -> bool:
    """True when :func:`block` leaves blocks as they are: no wrapping, and no number margin
    (``margin`` False: none asked for the block)."""
    options = ctx["options"]
    return not options.wrap and not (margin and options.numbers and ctx["margin"])


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
    search: str | None
    """The edition's search page, relative to the page (None: no search box)."""
    titled: tuple[str, ...]
    """Section types that get a heading from ``L`` when the TEI gives none."""
    margin: int
    """Width of the text edition's number margin."""
    example: Paragraph | None
    """The paragraph "How to cite" shows as an example."""
    citation: Citation
    """A citation of the whole document, ready to copy (``{{ citation }}`` gives its text)."""
    canonical: str | None
    """The page's published address (``--base-url``), None when not known."""
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
    numbered = view.paragraphs  # a walk of every section: once, for the margin and the example
    return {
        "doc": view,
        "options": options,
        "L": words_for(view.lang),
        "ui_attr": ui_attr(view.lang),
        "static": options.static,
        "search": options.search,
        "titled": TITLED,
        "margin": margin_width([p.n for p in numbered if p.n]),
        "example": example_paragraph(view, numbered),
        "citation": citation(view, options.page_url()),
        "canonical": options.page_url(),
        "registers": registers,
        "targets": {f"#{ident}": href for ident, href in registers.items()},
    }


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation in two parts: up to its address, and after it, so that the page's script
    can put the access date in between when it is copied (the file stays the same)."""

    before: str
    after: str = ""

    def __str__(self) -> str:
        return self.before + self.after


def citation(view: DocumentView, address: str | None = None) -> Citation:
    """A citation of the whole document, ready to copy.

    ``Authors. Title. Publisher, date. URL: address. Source: its URL. Identifier, licence.``
    The address is the edition's own (``address``, from ``--base-url``) when known, else
    the source's.
    """
    words = words_for(view.lang)
    head = ", ".join(x.rstrip(". ") for x in (view.source_publisher,
                                               view.date.text if view.date else None) if x)
    parts = [", ".join(view.authors), view.title.rstrip(". "), head]
    url = address or (view.source.url if view.source else None)
    before = ". ".join(p for p in parts if p) + (f". URL: {url}" if url else "")
    rest = [f"{words.source}: {view.source.url}" if address and view.source else ""]
    licence = view.licence.text if view.licence else None
    rest.append(f"{words.document_id}: {view.id}" + (f", {licence}" if licence else ""))
    after = ". ".join(p for p in rest if p) + "."
    return Citation(before, ". " + after) if url else Citation(f"{before}. {after}")


def example_paragraph(view: DocumentView,
                      numbered: list[Paragraph] | None = None) -> Paragraph | None:
    """The paragraph the "How to cite" block shows as an example: the 12th, or the last
    (``numbered``: ``view.paragraphs``, when the caller has them already)."""
    numbered = view.paragraphs if numbered is None else numbered
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

