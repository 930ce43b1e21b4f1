"""Errors of the library: one base, structured attributes, no click.

The CLI turns them into ``FILE:LINE: message`` lines; the library never prints.
"""

from __future__ import annotations


def format_location(path: str | None, line: int | None, column: int | None = None) -> str:
    """``FILE:LINE:COLUMN`` as far as known: ``x.xml:12:5``, ``x.xml:12``, ``x.xml``."""
    parts = [path or "<input>"]
    if line:
        parts.append(str(line))
        if column:
            parts.append(str(column))
    return ":".join(parts)


class TeiEditionError(Exception):
    """A problem with a user's input or output that a person can act on."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[type[TeiEditionError],
                                  tuple[str, str | None, int | None, int | None]]:
        """Pickled with its place (errors cross from worker processes)."""
        return (type(self), (self.message, self.path, self.line, self.column))

    def location(self) -> str:
        """``FILE:LINE:COLUMN`` as far as known."""
        return format_location(self.path, self.line, self.column)

    def __str__(self) -> str:
        """``FILE:LINE: message``; the message alone for a problem that is in no file."""
        if self.path is None and not self.line:
            return self.message
        return f"{self.location()}: {self.message}"


class ReadError(TeiEditionError):
    """A transcript could not be read into the document model."""


class EncodeError(TeiEditionError):
    """The encoder produced, or would produce, an invalid TEI document."""


class UnsafeXMLError(TeiEditionError):
    """An XML input was refused: a DTD, entities, or beyond the size or depth limits."""


class XMLSyntaxError(TeiEditionError):
    """An XML input is not well-formed."""


class OverwriteError(TeiEditionError):
    """An existing file differs from what would be written (a hand edit?): use --force."""


class RenderError(TeiEditionError):
    """A TEI document could not be rendered."""


class TemplateError(RenderError):
    """A template (the bundled ones or a user's own) failed: placed at the template's file and
    line, never at the TEI document being rendered."""
