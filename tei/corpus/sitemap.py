"""``sitemap.xml``: every page of the edition at its published address (``--base-url``).

The sitemaps.org protocol wants absolute addresses; an edition built without
``--base-url`` does not know its own, so its sitemap lists nothing and says why
in a comment (the file is there either way, so an edition always has the same files).
Written from the corpus index, in the index's order: the corpus pages, then each
document's page.
"""

from __future__ import annotations

from tei.corpus.index import CorpusIndex
from tei.corpus.pages import INDEX_PAGE, HashingWriter, Page, PageSettings
from tei.corpus.registers import PERSONS, PLACES
from tei.xmlio import escape_text

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
CORPUS_PAGES = (INDEX_PAGE.path, PERSONS.index_page, PLACES.index_page)


def _write_sitemap(out: HashingWriter, index: CorpusIndex, settings: PageSettings) -> None:
    """The ``<urlset>``: one ``<url><loc>`` per page, or none and a comment without a base."""
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'.encode())
    if settings.base_url is None:
        out.write(b"  <!-- The edition's address is not known: give it to tei-edition build "
                  b"(option base-url) to list its pages here. -->\n")
    else:
        paths = (*CORPUS_PAGES, *(row.html for row in index.documents()))
        out.write_text(f"  <url><loc>{escape_text(settings.address(path) or '')}</loc></url>\n"
                       for path in paths)
    out.write(b"</urlset>\n")


SITEMAP = Page("sitemap.xml", _write_sitemap)
