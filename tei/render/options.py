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
    ``plain_spaces``: no-break spaces become plain spaces in both editions (True),
    stay (False), or (None, the default) become plain spaces in English only, where the
    source puts them after short words (``the``, ``of``) and ordinary English breaks
    lines there, while Russian typography keeps them (``в Москве``, ``2 декабря``);
    ``static``: where pages find the stylesheet and script, relative to them;
    ``home``: the address of the edition's index, which each page then links
    back to (set by a corpus build; None: no such link); ``persons``: files of
    ``listPerson``/``listOrg`` (a ParlaMint corpus's) where speakers a document
    does not describe are found (``render --persons``).
    """

    templates: Path | None = None
    wrap: int | None = None
    numbers: bool = False
    plain_spaces: bool | None = None
    static: str = "static/"
    home: str | None = None
    persons: tuple[Path, ...] = ()

    def plain_spaces_in(self, lang: str) -> bool:
        """Whether no-break spaces become plain spaces in a document of language ``lang``."""
        if self.plain_spaces is not None:
            return self.plain_spaces
        return lang.split("-")[0].lower() == "en"
