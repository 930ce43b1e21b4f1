"""HTML and plain-text editions of any TEI document.

The renderers read TEI only, never :mod:`tei.model`: a hand-corrected TEI or
another corpus's TEI renders as well as ours. Each document goes TEI tree ->
:class:`~tei.render.view.DocumentView` (:func:`build_view`) -> Jinja2
templates (``transform/html``, ``transform/text``, or the user's own)::

    from tei.render import RenderOptions, render_file
    render_file("build/tei/kremlin-64534.xml", Path("build"))
    # -> build/html/kremlin-64534.html, build/text/kremlin-64534.txt

A corpus build renders many documents: it calls :func:`render_html` and
:func:`render_text` per document and :func:`write_static` once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from lxml import etree

from tei.errors import RenderError, TeiEditionError
from tei.render.build import build_view
from tei.render.options import RenderOptions
from tei.render.templates import context, environment, search_path, tidy_text
from tei.render.view import DocumentView
from tei.xmlio import (atomic_write, input_name, name_key, parse_bytes, parse_file, read_input,
                       xml_files)

FORMATS = ("html", "text")
SUFFIXES = {"html": ".html", "text": ".txt"}
TEMPLATES = {"html": "document.html", "text": "document.txt"}
_PLAIN_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})


@dataclass(slots=True)
class RenderReport:
    """What :func:`render_paths` did: files written, and one error per file that failed."""

    written: list[Path] = field(default_factory=list)
    errors: list[TeiEditionError] = field(default_factory=list)


def _view(tree: etree._ElementTree | etree._Element | DocumentView) -> DocumentView:
    """A view, built unless one is given (callers rendering twice build it once)."""
    return tree if isinstance(tree, DocumentView) else build_view(tree)


def render_html(tree: etree._ElementTree | etree._Element | DocumentView,
                options: RenderOptions | None = None) -> str:
    """The HTML edition of one TEI document (a page linking ``static/edition.css``)."""
    options = options or RenderOptions()
    return _render("html", _view(tree), options)


def render_text(tree: etree._ElementTree | etree._Element | DocumentView,
                options: RenderOptions | None = None) -> str:
    """The plain-text edition of one TEI document: UTF-8 text, LF line ends."""
    options = options or RenderOptions()
    text = tidy_text(_render("text", _view(tree), options))
    return text.translate(_PLAIN_SPACES) if options.plain_spaces else text


def _render(kind: str, view: DocumentView, options: RenderOptions) -> str:
    """Fill the document template of ``kind``; a broken (user) template is a RenderError."""
    try:
        template = environment(kind, options.templates).get_template(TEMPLATES[kind])
        return template.render(context(view, options))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template error: {exc.message}", path=exc.filename or exc.name,
                          line=exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template error in {TEMPLATES[kind]} or a template it uses: {exc}",
                          path=view.id) from None


def output_name(doc_id: str, fallback: str) -> str:
    """A safe file name (without suffix) from a document identifier.

    Letters, digits, ``.``, ``_`` and ``-`` are kept, anything else becomes
    ``_``; leading dots go (no hidden files, no ``..``). An identifier with
    nothing usable left gives way to ``fallback`` (the input's stem), then to
    ``document``.
    """
    for candidate in (doc_id, fallback):
        name = re.sub(r"[^\w.-]+", "_", candidate, flags=re.UNICODE).lstrip(".")[:150]
        if name.strip("._-"):
            return name
    return "document"


def write_static(out_dir: Path, options: RenderOptions | None = None) -> list[Path]:
    """Copy the pages' stylesheet and script to ``out_dir/html/static`` (files that changed only).

    The user's ``static`` folder, if their templates have one, overrides the bundled files.
    """
    options = options or RenderOptions()
    target = Path(out_dir) / "html" / options.static.strip("/")
    sources: dict[str, Path] = {}
    for folder in reversed(search_path("html", options.templates)):
        static = folder / "static"
        if static.is_dir():
            sources.update({p.name: p for p in sorted(static.iterdir()) if p.is_file()})
    written: list[Path] = []
    for name, source in sorted(sources.items()):
        destination = target / name
        data = source.read_bytes()
        if not destination.is_file() or destination.read_bytes() != data:
            atomic_write(destination, data)
            written.append(destination)
    return written


def render_file(path: str | os.PathLike[str], out_dir: Path,
                formats: Sequence[str] = FORMATS, options: RenderOptions | None = None,
                static: bool = True) -> list[Path]:
    """Render one TEI file to ``out_dir/html/<id>.html`` and ``out_dir/text/<id>.txt``.

    Files are written atomically. ``static`` also writes the stylesheet and
    script (skip it when rendering many files: call :func:`write_static` once).
    Raises :class:`~tei.errors.TeiEditionError` (with file and line) on bad input.
    """
    options = options or RenderOptions()
    path = Path(path)
    view = build_view(parse_file(path), name=path.stem)
    written = _write(view, output_name(view.id, path.stem), Path(out_dir), formats, options,
                     str(path))
    if static and "html" in formats:
        write_static(Path(out_dir), options)
    return written


def render_paths(paths: Iterable[str | os.PathLike[str]], out_dir: Path,
                 formats: Sequence[str] = FORMATS,
                 options: RenderOptions | None = None,
                 stdin: bytes | None = None) -> RenderReport:
    """Render many TEI files (or folders of them), going on past a file that fails.

    A path ``-`` stands for the bytes ``stdin`` (standard input, read by the
    caller). Two inputs with the same identifier would overwrite each other, and so
    would ``Doc`` and ``doc`` on a case-insensitive file system: the second is
    reported as an error and not written.
    """
    options = options or RenderOptions()
    report = RenderReport()
    names: dict[str, tuple[str, str]] = {}  # name_key(output name) -> (input, output name)
    for path in xml_files(paths):
        source = input_name(path)
        stem = "stdin" if isinstance(path, str) else path.stem
        try:
            view = build_view(parse_bytes(read_input(path, stdin), source), name=stem)
            name = output_name(view.id, stem)
            key = name_key(name)
            if key in names:
                raise _same_output(source, name, *names[key])
            names[key] = (source, name)
            report.written.extend(_write(view, name, Path(out_dir), formats, options, source))
        except OSError as exc:
            report.errors.append(RenderError(exc.strerror or str(exc),
                                             path=exc.filename or source))
        except TeiEditionError as error:
            error.path = source
            report.errors.append(error)
    if names and "html" in formats:
        try:
            report.written.extend(write_static(Path(out_dir), options))
        except OSError as exc:
            report.errors.append(RenderError(f"cannot write the stylesheet: {exc.strerror}",
                                             path=exc.filename or str(out_dir)))
    return report


def _same_output(source: str, name: str, other: str, other_name: str) -> RenderError:
    """The error for an input whose output name is ``other``'s, or differs only in case."""
    if name == other_name:
        return RenderError(f"has the same identifier as {other} (output {name!r}); "
                           "not rendered", path=source)
    return RenderError(f"has an identifier that differs from that of {other} only in case "
                       f"(outputs {name!r} and {other_name!r}: one file on a case-insensitive "
                       "file system); not rendered", path=source)


def _write(view: DocumentView, name: str, out_dir: Path, formats: Sequence[str],
           options: RenderOptions, source: str) -> list[Path]:
    """Write the editions of one view."""
    written: list[Path] = []
    for kind in _check_formats(formats, source):
        data = render_html(view, options) if kind == "html" else render_text(view, options)
        destination = out_dir / kind / f"{name}{SUFFIXES[kind]}"
        atomic_write(destination, data.encode("utf-8"))
        written.append(destination)
    return written


def _check_formats(formats: Sequence[str], source: str) -> list[str]:
    """The formats asked for, each known (``html``, ``text``)."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderError(f"unknown format {unknown[0]!r} (use html or text)", path=source)
    return list(dict.fromkeys(formats))


__all__ = ["RenderOptions", "RenderReport", "build_view", "render_html", "render_text",
           "render_file", "render_paths", "write_static", "output_name", "DocumentView", "FORMATS"]
