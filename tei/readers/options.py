"""What a user may say about a transcript besides its text: the reader and metadata.

Options given on the command line win over a sidecar file (``NAME.meta.toml``),
which wins over what the transcript itself says; a field left ``None`` means
"not given", so the next source fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

METADATA_FIELDS = ("title", "date", "place", "source", "language", "licence")
"""Fields that a sidecar file may give."""

HEADER_FIELDS = ("title", "date", "place", "source")
"""The metadata a kremlin.ru export's header lines give: when any is given (option or
sidecar), the text is read as having no header (see :func:`tei.readers.read.detect`)."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read one transcript, and metadata that fills or overrides its own."""

    fmt: str = "auto"
    """Reader: ``auto``, ``kremlin-text``, ``transcript`` (headerless) or ``kremlin-html``."""
    title: str | None = None
    date: str | None = None
    """ISO date or date-time; without an offset it is Moscow local time."""
    place: str | None = None
    """A place line: ``Московская область, Ново-Огарёво`` (region, settlement) or a settlement."""
    source: str | None = None
    """The source URL (canonical or print view)."""
    language: str | None = None
    """``ru`` or ``en``; guessed from the script of the text when absent."""
    licence: str | None = None
    """URL of the source text's licence; kremlin.ru texts are CC BY 4.0 without saying so."""
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    """Names of reader rules to switch off (``stage``, ``supplied``, ``full-name``…)."""

    def gives_header(self) -> bool:
        """True when any of :data:`HEADER_FIELDS` is given."""
        return any(getattr(self, key) for key in HEADER_FIELDS)

    def filled_from(self, fallback: dict[str, Any]) -> ReadOptions:
        """These options, with metadata fields left ``None`` taken from ``fallback``."""
        updates: dict[str, Any] = {key: str(value) for key, value in fallback.items()
                                   if key in METADATA_FIELDS and getattr(self, key) is None}
        return replace(self, **updates)
