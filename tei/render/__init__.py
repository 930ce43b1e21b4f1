"""HTML and plain-text editions of any TEI document.

The renderers read TEI only, never :mod:`tei.model`: a hand-corrected TEI or
another corpus's TEI renders as well as ours. Each document goes TEI tree ->
:class:`~tei.render.view.DocumentView` (:func:`build_view`) -> Jinja2
templates (``transform/html``, ``transform/text``, or the user's own)::

    from tei.render import build_view, render_html
    html = render_html(build_view(parse_file("build/tei/kremlin-64534.xml")))

Files are written by :mod:`tei.pipeline` (``render``) and :mod:`tei.corpus`
(``build``), which call :func:`render_html` and :func:`render_text` per
document and :func:`write_static` once.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from lxml import etree

from tei.render.walk import build_view
from tei.render.options import RenderOptions, typeset
from tei.render.templates import context, environment, search_path, template_error, tidy_text
from tei.render.view import DocumentView
from tei.xmlio import atomic_write

TEMPLATES = {"html": "document.html", "text": "document.txt"}


def _view(tree: etree._ElementTree | etree._Element | DocumentView) -> DocumentView:
    """A view, built unless one is given (callers rendering twice build it once)."""
    return tree if isinstance(tree, DocumentView) else build_view(tree)


def render_html(tree: etree._ElementTree | etree._Element | DocumentView,
                options: RenderOptions | None = None) -> str:
    """The HTML edition of one TEI document (a page linking ``static/edition.css``)."""
    options = options or RenderOptions()
    view = _view(tree)
    return typeset(_render("html", view, options), view.lang, options)


def render_text(tree: etree._ElementTree | etree._Element | DocumentView,
                options: RenderOptions | None = None) -> str:
    """The plain-text edition of one TEI document: UTF-8 text, LF line ends."""
    options = options or RenderOptions()
    view = _view(tree)
    return typeset(tidy_text(_render("text", view, options)), view.lang, options)


def _render(kind: str, view: DocumentView, options: RenderOptions) -> str:
    """Fill the document template of ``kind``; a broken (user) template is a TemplateError."""
    try:
        template = environment(kind, options.templates).get_template(TEMPLATES[kind])
        return template.render(context(view, options))
    except jinja2.TemplateError as exc:
        raise template_error(exc, TEMPLATES[kind], view.id) from None


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


__all__ = ["RenderOptions", "build_view", "render_html", "render_text", "write_static",
           "DocumentView"]
