"""How to render: the options every renderer and template sees."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render.

    ``templates``: a folder of your own templates searched before the bundled
    ones; ``wrap``: wrap the text edition at this many characters (None: no
    wrapping); ``numbers``: paragraph numbers in the text edition's margin;
    ``plain_spaces``: no-break spaces become plain spaces in both editions (True),
    stay (False), or (None, the default) become plain spaces in English only, where the
    source puts them after short words (``the``, ``of``) and ordinary English breaks
    lines there, while Russian typography keeps them (``в Москве``, ``2 декабря``);
    ``static``: where pages find the stylesheet and script, relative to them;
    ``home``: the address of the edition's index, which each page then links
    back to (set by a corpus build; None: no such link); ``api``: the address of the
    edition's DTS API (``tei-edition serve``) relative to the page, which each page then
    links to (set by a corpus build; None: the page is not served, no such link);
    ``search``: the address of the edition's search page, which each page's search box
    sends its query to (set by a corpus build with a search index; None: no search box);
    ``persons``: files of
    ``listPerson``/``listOrg`` (a ParlaMint corpus's) where speakers a document
    does not describe are found (``render --persons``); ``base_url``: the address where
    the output folder (the edition) is published, ``https://example.org/edition/`` (None:
    not known, and how-to-cite says so); ``page``: this page's path in that folder
    (``html/kremlin-64534.html``), set for each document by the writers of
    :mod:`tei.outputs`;
    ``registers``: the address of the edition's top relative to the page, under which
    every person and place of the page has a register page (``persons/<id>.html``,
    ``places/<id>.html``), which its entry and its mentions then link to (set by a
    corpus build; None: a page alone, whose persons and places link within it).
    """

    templates: Path | None = None
    wrap: int | None = None
    numbers: bool = False
    plain_spaces: bool | None = None
    static: str = "static/"
    home: str | None = None
    api: str | None = None
    search: str | None = None
    persons: tuple[Path, ...] = ()
    base_url: str | None = None
    page: str | None = None
    registers: str | None = None

    def plain_spaces_in(self, lang: str) -> bool:
        """Whether no-break spaces become plain spaces in a document of language ``lang``."""
        if self.plain_spaces is not None:
            return self.plain_spaces
        return lang.split("-")[0].lower() == "en"

    def page_url(self) -> str | None:
        """The published address of this page (``base_url`` + ``page``), when known."""
        if not self.base_url or not self.page:
            return None
        return self.base_url.rstrip("/") + "/" + self.page.lstrip("/")

    def address(self, page: str) -> str | None:
        """The published address of another page of the edition (``index.html``), when known."""
        return replace(self, page=page).page_url()

    def link(self, page: str) -> str:
        """A link from this page to another page of the edition: its published address when
        known, else relative (``kremlin-en-73411.html`` beside this one)."""
        return self.address(page) or posixpath.relpath(page, posixpath.dirname(self.page or page))


NO_BREAK_SPACES = ("\u00a0", "\u2007", "\u202f")
"""No-break, figure and narrow no-break spaces: plain spaces where the options say so."""


def typeset(text: str, lang: str, options: RenderOptions | None = None) -> str:
    """``text`` of a document in ``lang`` with its no-break spaces as the options want
    them (plain in English by default, see ``RenderOptions.plain_spaces``)."""
    if not (options or RenderOptions()).plain_spaces_in(lang):
        return text
    for space in NO_BREAK_SPACES:  # str.replace: ~100x faster than str.translate on a page
        text = text.replace(space, " ")
    return text


def base_url(value: str) -> str:
    """A base address as given on the command line, checked and ending with ``/``.

    Raises ValueError unless it is an absolute http(s) address without query or fragment.
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"give an absolute http(s) address such as https://example.org/edition/ "
                         f"(got {value!r})")
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/"))
