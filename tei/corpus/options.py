"""What a build is asked (:class:`BuildOptions`) and what it tells (:class:`BuildReport`,
and its progress as it goes): :func:`tei.corpus.runner.build`'s arguments and answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tei.encode import DEFAULT_PUBLISHER
from tei.errors import TeiEditionError
from tei.readers import ReadOptions

Progress = Callable[[int, int], None]
"""Called with (documents done, documents to build) as a build goes on."""


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    out: Path
    built: int = 0
    unchanged: int = 0
    failures: list[TeiEditionError] = field(default_factory=list)
    warnings: list[TeiEditionError] = field(default_factory=list)
    """What stopped nothing but is worth telling: a source skipped (not a regular file), a
    change made to a source built in this run (a stray byte replaced; recorded in its TEI
    header too), how far TEI from other corpora is from the profile, an XInclude left out,
    probable duplicate persons."""
    published: bool = False
    """True when a new build replaced the previous one."""
    unpublished: TeiEditionError | None = None
    """Why nothing was published where there was no earlier edition: no document could be
    built, or none was found. The build has then failed."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no document failed and the build left an edition."""
        return not self.failures and self.unpublished is None


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build (everything besides the sources and the output folder)."""

    authority: Path | None = None
    templates: Path | None = None
    publisher: str = DEFAULT_PUBLISHER
    title: str = "tei-edition"
    """Title of the edition as a whole, on the corpus pages and in ``corpus.xml``."""
    force: bool = False
    """Replace hand-corrected TEI files (that differ from what this tool wrote)."""
    jobs: int | None = None
    """Worker processes (None: one per core)."""
    read_options: ReadOptions = field(default_factory=ReadOptions)
    """How transcripts are read: ``fmt`` is ``--from`` (``auto`` chooses by content)."""
    search: bool = True
    """Write the full-text search index and give every page a search box (``--no-search``:
    neither)."""
    base_url: str | None = None
    """Where the edition will be published (``--base-url``): the pages' own addresses in
    how-to-cite, canonical links and ``sitemap.xml``; None: not known."""
    by_year: bool = False
    """Write ``turns.tsv`` and each speaker's downloads one file a year (``--by-year``:
    ``turns.2019.tsv``), so that a rebuild rewrites only the years it changed."""
