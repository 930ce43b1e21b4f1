"""tei-edition: political transcripts in, a citable TEI P5 edition out.

One way through, one module per stage: a reader (``tei.readers``) turns a
transcript into the document model (``tei.model``); the encoder
(``tei.encode``) writes TEI; ``tei.validation`` checks it against the project's
schema; the renderers (``tei.render``) turn any TEI into HTML and plain text;
``tei.corpus`` builds a whole edition; ``tei.cli`` is a thin command line.
"""

__version__ = "0.1.0"

DEFAULT_PUBLISHER = "tei-edition"
"""The publisher written in the publication statement when none is given (kept here, not in
:mod:`tei.encode`, so that the command line shows it without importing the encoder)."""

ENCODER = "tei-edition"
"""The name this tool writes as the encoder in every TEI it makes (``titleStmt/respStmt/name``):
how a TEI document says it is tei-edition's, and so is held to the profile."""
