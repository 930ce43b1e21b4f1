"""How to render: the options every renderer and template sees."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render.

    ``templates``: a folder of your own templates searched before the bundled
    ones; ``wrap``: wrap the text edition at this many characters (None: no
    wrapping); ``numbers``: paragraph numbers in the text edition's margin;
    ``plain_spaces``: no-break spaces become plain spaces in the text edition;
    ``static``: where pages find the stylesheet and script, relative to them;
    ``home``: the address of the edition's index, which each page then links
    back to (set by a corpus build; None: no such link); ``api``: the address of the
    edition's DTS API (``tei-edition serve``) relative to the page, which each page then
    links to (set by a corpus build; None: the page is not served, no such link);
    ``registers``: the address of the edition's top relative to the page, under which
    every person and place of the page has a register page (``persons/<id>.html``,
    ``places/<id>.html``), which its entry and its mentions then link to (set by a
    corpus build; None: a page alone, whose persons and places link within it).
    """

    templates: Path | None = None
    wrap: int | None = None
    numbers: bool = False
    plain_spaces: bool = False
    static: str = "static/"
    home: str | None = None
    api: str | None = None
    registers: str | None = None
