"""The corpus build: many transcripts in, a browsable, citable edition out (see ``runner``).

``sources`` finds what SRC names; ``pool`` and ``stages`` build each document in
workers; ``summary`` and ``index`` keep what the corpus pages need; ``pages``
and ``teicorpus`` write the corpus-wide outputs; ``layout`` says where
everything goes; ``manifest`` and ``store`` make builds incremental and atomic.

The names below are loaded from ``runner`` when first used, so that importing one
module of the package (``store``, for ``encode``'s check of its output folder) does
not import the whole build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tei.corpus.runner import DEFAULT_OUT, BuildOptions, BuildReport, build

__all__ = ["DEFAULT_OUT", "BuildOptions", "BuildReport", "build"]


def __getattr__(name: str) -> Any:
    """``DEFAULT_OUT``, ``BuildOptions``, ``BuildReport``, ``build``: from ``runner``."""
    if name in __all__:
        from tei.corpus import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
