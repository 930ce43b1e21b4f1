"""Pages of one source item in several languages, linked once every document is built.

A document's TEI says what it knows by itself (an en.kremlin.ru document points at the
kremlin.ru item of its number); that a corpus holds both documents is known only here,
after the workers: the pages of versions of one item then link to each other
(``hreflang``). Workers write pages without such links; this stage rewrites the page of
each document whose versions differ from those its page was written with (recorded in
the manifest), so that an unchanged corpus rewrites nothing and an added translation
rewrites two pages. The language and addresses of each document are kept in the
manifest too, so that the TEI of an unchanged document is not read again.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from tei.corpus.hashes import hash_bytes
from tei.corpus.manifest import Entry
from tei.outputs import HTML, TEI, Artefacts
from tei.pipeline import load_tei, view_of
from tei.render import RenderOptions
from tei.render.versions import Item, read_item, versions
from tei.render.view import Version
from tei.xmlio import atomic_write


def link_versions(staged: Path, documents: dict[str, Entry], options: RenderOptions) -> int:
    """Rewrite the pages whose versions changed, in the staged build; returns how many.

    ``documents`` are the manifest's entries by source path: their ``item`` is filled
    where missing, and their ``versions`` and page hashes follow the pages written. Only
    sources of one document take part (a ``teiCorpus``'s members, and a file that gave
    none, have no item of a site).
    """
    documents = {key: entry for key, entry in documents.items() if entry.id and not entry.ids}
    for key, entry in documents.items():
        if entry.item is None:
            entry.item = asdict(read_item((staged / TEI.path(entry.id)).read_bytes(), entry.id))
    found = versions(_item(entry) for entry in documents.values())
    rewritten = 0
    for key, entry in documents.items():
        wanted = [[lang, doc] for lang, doc in found.get(entry.id, [])]
        if wanted != entry.versions:
            _rewrite_page(staged, key, entry, wanted, options)
            rewritten += 1
    return rewritten


def _item(entry: Entry) -> Item:
    """The entry's :class:`Item`, as the manifest keeps it."""
    assert entry.item is not None
    data = entry.item
    return Item(str(data["id"]), str(data["lang"]), tuple(data["own"]), tuple(data["related"]))


def _rewrite_page(staged: Path, source: str, entry: Entry, wanted: list[list[str]],
                  options: RenderOptions) -> None:
    """Render the document's page again, with links to ``wanted``, over its staged page."""
    data = (staged / TEI.path(entry.id)).read_bytes()
    tree = load_tei(data, source, checked=False)
    view = view_of(tree, Path(source).stem, source)
    view.versions = [Version(lang, HTML.path(doc)) for lang, doc in wanted]
    page = HTML.write(Artefacts(entry.id, data, tree, view, options))
    atomic_write(staged / HTML.path(entry.id), page)
    entry.outputs[HTML.path(entry.id)] = hash_bytes(page)
    entry.versions = wanted
