"""The corpus build: many transcripts in, a browsable, citable edition out (see ``runner``).

``sources`` finds what SRC names; ``pool`` and ``stages`` build each document in
workers; ``summary`` and ``index`` keep what the corpus pages need; ``pages``
and ``teicorpus`` write the corpus-wide outputs; ``layout`` says where
everything goes; ``manifest`` and ``store`` make builds incremental and atomic.
"""

from tei.corpus.runner import DEFAULT_OUT, BuildOptions, BuildReport, build

__all__ = ["DEFAULT_OUT", "BuildOptions", "BuildReport", "build"]
