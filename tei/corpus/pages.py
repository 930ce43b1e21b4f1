"""The corpus-wide outputs: the index, ``documents.tsv`` and ``corpus.xml`` (``turns.tsv``:
:mod:`tei.corpus.turns`).

Written from the corpus index (:mod:`tei.corpus.index`) once every document
is built, so no page can be stale or half made. Each page is streamed: Jinja's
``generate`` for the HTML, the index's ordered queries for the rest.

A corpus-wide output is anything with the :class:`CorpusOutput` protocol:
the files it writes and a ``write`` from the index. :class:`Page` is the
one-file kind; an output that writes a folder (a search index, say) brings
its own ``write`` (the registers of persons and places, :mod:`tei.corpus.registers`,
write a folder of pages each). The build's table of them is
:data:`tei.corpus.layout.CORPUS_OUTPUTS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from markupsafe import Markup, escape

from tei.corpus.changes import Changes, Reuse, save_blocks
from tei.corpus.index import CorpusIndex
from tei.corpus.rows import Entity
from tei.corpus.teicorpus import MEMBER, CorpusHeader, write_corpus_xml
from tei.corpus.words import CorpusWords
from tei.corpus.years import TURNS, year_of, year_path, years_in_order
from tei.corpus.writers import HashingWriter as HashingWriter
from tei.corpus.writers import Runs, create, reuse, write_tsv
from tei.encode import DEFAULT_PUBLISHER
from tei.render.options import RenderOptions
from tei.render.words import ui_attr, ui_lang

# -- writing the pages ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusFacts:
    """What the corpus pages say of the corpus as a whole: its language and size, asked of
    the index once a build (each is a scan of every document: some 3 ms at 2,000)."""

    lang: str
    documents: int
    turns: int
    words: int

    @classmethod
    def of(cls, index: CorpusIndex) -> CorpusFacts:
        """The facts of the corpus in ``index``."""
        return cls(index.lang(), *index.totals())

    @classmethod
    def read(cls, path: Path) -> CorpusFacts:
        """The facts of the corpus whose index is at ``path``."""
        index = CorpusIndex(path, read_only=True)
        try:
            return cls.of(index)
        finally:
            index.close()


@dataclass(frozen=True, slots=True)
class PageSettings:
    """What the corpus pages say about the edition as a whole."""

    title: str = "tei-edition"
    publisher: str = DEFAULT_PUBLISHER
    templates: Path | None = None
    search: bool = True
    """True when the build has a search index: the pages then carry a search box."""
    previous: Path | None = None
    """The build this one replaces, whose files an output may reuse where its inputs are
    unchanged (the search index does, per year and language)."""
    base_url: str | None = None
    """Where the edition is published (``--base-url``), None when not known."""
    changes: Changes | None = None
    """What changed since ``previous`` (None: everything is written afresh)."""
    facts: CorpusFacts | None = None
    """The language and size of the corpus, if the build asked the index already (None:
    each output asks)."""
    by_year: bool = False
    """True when ``turns.tsv`` and the speakers' downloads are written one file a year
    (``build --by-year``, :mod:`tei.corpus.years`)."""

    def facts_of(self, index: CorpusIndex) -> CorpusFacts:
        """The language and size of the corpus in ``index``."""
        return self.facts if self.facts is not None else CorpusFacts.of(index)

    def address(self, path: str) -> str | None:
        """The published address of the file at ``path`` (relative to the build's top)."""
        return RenderOptions(base_url=self.base_url).address(path)


Writer = Callable[[HashingWriter, CorpusIndex, PageSettings], None]
"""Streams one corpus-wide file from the index."""


class CorpusOutput(Protocol):
    """A corpus-wide output: written from the index once every document is built."""

    @property
    def paths(self) -> tuple[str, ...]:
        """The files it writes, relative to the build's top."""

    @property
    def folders(self) -> tuple[str, ...]:
        """Folders it owns, relative to the build's top: it writes files there that ``paths``
        cannot name in advance (one per person, say), and every file in them is its own (none
        is carried from the previous build as a user's file)."""

    @property
    def slow(self) -> bool:
        """True when it takes long: started first when pages are written in parallel."""

    # An output may also have ``waits`` (see :func:`tei.corpus.scheduling.waits`) and ``parts``
    # (:class:`DividedOutput`): both are optional, False and () when missing.

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        """Write its files into ``build_dir``; returns each one's SHA-256 by path."""


@dataclass(frozen=True, slots=True)
class Page:
    """A corpus-wide output of one file at the build's top, streamed by ``writer``."""

    path: str
    writer: Writer
    slow: bool = False

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,)

    @property
    def folders(self) -> tuple[str, ...]:
        return ()

    def write(self, build_dir: Path, index: CorpusIndex,
              settings: PageSettings) -> dict[str, str]:
        out = HashingWriter(create(build_dir / self.path))
        try:
            self.writer(out, index, settings)
        finally:
            out.close()
        if out.ranges:
            save_blocks(build_dir, self.path, {self.path: out.ranges})
        return {self.path: out.hexdigest()}


def touched_entities(changes: Changes, index: CorpusIndex, kinds: tuple[str, ...]) -> set[str]:
    """The persons and roles (or places) of a changed document, in its old or new version:
    everything said of any other is as it was."""
    previous = CorpusIndex(changes.index, read_only=True)
    try:
        return {*index.entities_of(kinds, changes.touched),
                *previous.entities_of(kinds, changes.touched)}
    finally:
        previous.close()


def touched_years(changes: Changes, index: CorpusIndex) -> frozenset[str]:
    """The years a rebuild's changes touch (``--by-year``): those of the changed, added and
    removed documents, in their new version (``index``) and their old one."""
    previous = CorpusIndex(changes.index, read_only=True)
    try:
        return frozenset(year_of(when) for source in (index, previous)
                         for when in source.dates_of(changes.touched))
    finally:
        previous.close()


class DividedOutput(CorpusOutput, Protocol):
    """A corpus-wide output that processes may write a part each, at once (the register of
    persons: its pages, and what its speakers said), joined by the build's process."""

    @property
    def parts(self) -> tuple[str, ...]:
        """Its parts, the slowest first (one: it is written whole)."""

    def write_part(self, build_dir: Path, index: CorpusIndex, settings: PageSettings,
                   part: str) -> Any:
        """Write the files of ``part``; what :meth:`join` needs of them."""

    def join(self, build_dir: Path, written: list[Any]) -> dict[str, str]:
        """Finish the output from what its parts wrote; each file's SHA-256 by path."""


def turn_links(up: str, turns: Iterable[tuple[str, str, str]], turn: str) -> Markup:
    """``{{ turn_links(up, o.turns, L.turn) }}``: the links to a person's turns in one
    document, each showing its paragraphs (or ``turn`` and its number), a space between;
    made here, not by a loop in the template: a speaker's page has one a turn."""
    parts = _escaped([up, *(x for n, span, href in turns for x in (href, span or f"{turn} {n}"))])
    start = parts[0]
    return Markup(" ".join([f'<a href="{start}{parts[i]}">{parts[i + 1]}</a>'
                            for i in range(1, len(parts), 2)]))


def paragraph_links(up: str, links: Iterable[tuple[str, str]]) -> Markup:
    """``{{ paragraph_links(up, o.mentions) }}``: links to numbered paragraphs (``¶`` for
    one without a number), a space between."""
    parts = _escaped([up, *(x for n, href in links for x in (href, n or "¶"))])
    start = parts[0]
    return Markup(" ".join([f'<a href="{start}{parts[i]}">{parts[i + 1]}</a>'
                            for i in range(1, len(parts), 2)]))


def _escaped(values: list[str]) -> list[str]:
    """Each of ``values`` escaped as Jinja escapes what a template writes, by one call for
    all of them (one per value costs more than the page's other lines together)."""
    joined = "\x00".join(values)
    if joined.count("\x00") != len(values) - 1:  # a NUL of their own: one by one
        return [str(escape(value)) for value in values]
    return str(escape(joined)).split("\x00")


def corpus_context(index: CorpusIndex, settings: PageSettings) -> dict[str, Any]:
    """What every corpus template sees (the variables ``base.html`` needs included), made once
    for any number of pages; :func:`page_context` adds one page's title, depth and address."""
    facts = settings.facts_of(index)
    lang = facts.lang
    return {
        "doc": {"lang": lang, "title": settings.title, "ids": {"main": "main", "status": "status"}},
        "corpus": {"title": settings.title, "documents": facts.documents, "turns": facts.turns,
                   "words": facts.words},
        "L": CorpusWords(lang), "ui_lang": ui_lang(lang),
        "ui_attr": ui_attr(lang),
        "static": "html/static/", "up": "",
        "searchable": settings.search, "search": "search.html" if settings.search else None,
        "base_url": settings.base_url, "canonical": None,
        "turn_links": turn_links, "paragraph_links": paragraph_links,
        "by_year": settings.by_year,
    }


def turn_years(index: CorpusIndex, settings: PageSettings) -> dict[str, Any]:
    """What the corpus index adds to the pages' context: ``turn_years``, the files of
    ``turns.tsv`` by year when the build is ``--by-year`` (each year and its path, in date
    order; None: one file)."""
    if not settings.by_year:
        return {"turn_years": None}
    return {"turn_years": [{"year": year, "path": year_path(TURNS, year)} for year in
                           years_in_order(when for _, when in index.document_dates())]}


def page_context(context: dict[str, Any], title: str, up: str = "",
                 path: str | None = None) -> dict[str, Any]:
    """The context of one corpus page: its title, ``up``, the way from the page to the
    build's top (``../`` for ``persons/putin-vladimir.html``), which its links start with,
    and its published address when the page's ``path`` and ``--base-url`` are known."""
    base = context["base_url"]
    return {**context, "doc": {**context["doc"], "title": f"{title} — {context['corpus']['title']}"},
            "up": up, "static": f"{up}html/static/",
            "search": f"{up}search.html" if context["searchable"] else None,
            "canonical": RenderOptions(base_url=base).address(path) if base and path else None}


def _page_context(index: CorpusIndex, settings: PageSettings, title_key: str,
                  path: str) -> dict[str, Any]:
    """What the template of the corpus page at ``path`` (at the build's top) sees."""
    context = corpus_context(index, settings)
    return page_context(context, context["L"][title_key], path=path)


Extra = Callable[[CorpusIndex, PageSettings], dict[str, Any]]
"""What one corpus page's template sees beyond what every corpus page sees."""


def _write_html(template_name: str, title_key: str, rows: Callable[[CorpusIndex], Any],
                runs: bool, extra: Extra | None, out: HashingWriter, index: CorpusIndex,
                settings: PageSettings) -> None:
    """Stream the template ``corpus/<template_name>`` over ``rows(index)`` (with ``runs``,
    one run per row, named by its ``id``: a rebuild copies those of unchanged documents),
    with what ``extra`` adds to its context."""
    import jinja2

    from tei.render.templates import environment, template_error

    name = f"corpus/{template_name}"
    try:
        template = environment("html", settings.templates).get_template(name)
        context = _page_context(index, settings, title_key, template_name)
        if extra is not None:
            context.update(extra(index, settings))
        if not runs:
            context["rows"] = rows(index)
            out.write_text(template.generate(context))
            return
        changes = settings.changes
        writer = Runs(out, reuse(changes, template_name, template_name)
                      if changes is not None and changes.same_language else None)
        context["rows"] = writer.items(rows(index), key=lambda row: str(row.id))
        writer.render(template, context)
    except jinja2.TemplateError as exc:
        raise template_error(exc, name, template_name) from None


def html_page(template_name: str, title_key: str, rows: Callable[[CorpusIndex], Any],
              slow: bool = False, runs: bool = False, extra: Extra | None = None) -> Page:
    """A corpus page made by the template ``corpus/<template_name>``, at the build's top
    (``runs``: its loop over ``rows`` written in runs, see :class:`Runs`; ``extra``: what
    its template sees besides)."""
    return Page(template_name, functools.partial(_write_html, template_name, title_key, rows,
                                                 runs, extra), slow)


def _documents(index: CorpusIndex) -> Any:
    return index.documents()


CORPUS = "corpus.xml"

DOCUMENT_COLUMNS = ("document_id", "date", "title", "place", "language", "source", "publisher",
                    "licence", "speakers", "turns", "words", "speaker_ids")
"""Columns of ``documents.tsv``: one row per document, in date order, the metadata that
ParlaMint's ``-meta.tsv`` repeats on every speech (Text_ID, Date, Title, Lang...) kept once;
``turns.tsv`` joins it by ``document_id``."""


def _write_documents(out: HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """``documents.tsv``: one row per document (:data:`DOCUMENT_COLUMNS`)."""
    write_tsv(out, DOCUMENT_COLUMNS, (
        [d.id, d.when or "", d.title, d.place or "", d.lang, source or "", publisher or "",
         licence or "", d.speakers, d.turns, d.words, speakers or ""]
        for d, (source, publisher, licence, speakers) in index.document_rows()))


def _write_corpus(out: HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """``corpus.xml``: the ``teiCorpus`` with its header and one XInclude per document; each
    person and place of the header is a run (a rebuild copies those no change touched)."""
    facts = settings.facts_of(index)
    header = CorpusHeader(title=settings.title, publisher=settings.publisher, lang=facts.lang,
                          documents=facts.documents, turns=facts.turns, words=facts.words)
    members = (MEMBER.path(doc) for doc in index.document_order())
    persons, places = (_corpus_entries(out, index, settings.changes, kinds, folder)
                       for kinds, folder in ((PERSON_KINDS, "persons"), (("place",), "places")))
    write_corpus_xml(out, header, persons, places, members)


PERSON_KINDS = ("person", "group")
"""The kinds of entity of the register of persons, and of the header's ``listPerson``."""


def _corpus_entries(out: HashingWriter, index: CorpusIndex, changes: Changes | None,
                    kinds: tuple[str, ...], folder: str) -> Iterator[Entity] | None:
    """The persons (or places) of ``corpus.xml``, each a run named ``<folder>/<ID>``: in a
    rebuild, only those a changed document touches are read from the index and written, the
    runs of the others are copied. None when there are none."""
    keys = [ident for ident, _ in index.entity_keys(kinds, folded=False)]
    if not keys:
        return None
    previous = None
    if changes is not None:
        touched = {f"{folder}/{ident}" for ident in touched_entities(changes, index, kinds)}
        previous = Reuse(changes, CORPUS, changes.blocks(CORPUS).get(CORPUS, {}), touched)
    names = [f"{folder}/{ident}" for ident in keys]
    only = (None if previous is None
            else {ident for ident, name in zip(keys, names) if previous.span(name) is None})
    return _decoded(Runs(out, previous), names, index.entities(kinds, only=only))


def _decoded(writer: Runs, names: list[str], entities: Iterator[Entity]) -> Iterator[Entity]:
    """The entity of each run of ``names`` that ``writer`` does not copy, from ``entities``
    (those, in the same order)."""
    try:
        for name in writer.items(names, key=str):
            entity = next(entities)
            assert name.endswith(f"/{entity.id}"), (name, entity.id)
            yield entity
    finally:
        writer.close()


INDEX_PAGE = html_page("index.html", "documents", _documents, runs=True, extra=turn_years)
DOCUMENTS_TSV = Page("documents.tsv", _write_documents)
CORPUS_XML = Page(CORPUS, _write_corpus, slow=True)
