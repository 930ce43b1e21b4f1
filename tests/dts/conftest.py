"""Fixtures of the DTS tests: a built edition, a client of its server, the JSON Schemas.

The edition is the bundled examples (as a new user builds them) and one TEI
source corrected by hand that declares a second citation tree
(``<refsDecl n="turns">``), so that ``tree`` has something to find.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tei.corpus import BuildOptions, build

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).parent / "schemas"
SECOND_TREE = ('<refsDecl n="turns"><citeStructure unit="turn" match="/TEI/text/body/div/sp" '
               'use="@n"/></refsDecl>')


def _hand_corrected(build_dir: Path, folder: Path) -> Path:
    """A copy of the example 57137's TEI, renamed, that declares a second tree of turns."""
    text = (build_dir / "tei" / "kremlin-en-57137.xml").read_text(encoding="utf-8")
    text = text.replace('xml:id="kremlin-en-57137"', 'xml:id="hand-corrected"', 1)
    text = text.replace("</refsDecl>", f"</refsDecl>\n      {SECOND_TREE}", 1)
    path = folder / "hand-corrected.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples and a hand-corrected TEI with two trees, built (``build`` link)."""
    work = tmp_path_factory.mktemp("dts")
    first = work / "first"
    examples = BuildOptions(authority=ROOT / "examples" / "authority.csv")
    report = build([ROOT / "examples"], first, examples)
    assert report.ok, report.failures
    sources = work / "sources"
    sources.mkdir()
    _hand_corrected(first, sources)
    out = work / "build"
    report = build([ROOT / "examples", sources], out, examples)
    assert report.ok, report.failures
    return out


@pytest.fixture(scope="session")
def client(edition: Path) -> Iterator[Any]:
    """A Starlette TestClient of the server over ``edition``; a server error fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette would rather have httpx2; httpx is declared
        from starlette.testclient import TestClient

        from tei.serve.app import create_app

        with TestClient(create_app(edition), raise_server_exceptions=True) as test_client:
            yield test_client


@pytest.fixture(scope="session")
def schema() -> Callable[[str, Any], None]:
    """``schema(name, data)``: assert ``data`` is valid against ``schemas/<name>.json``."""
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.json"))]
    registry: Registry[Any] = Registry().with_resources(
        (document["$id"], Resource.from_contents(document)) for document in documents)
    by_name = {document["$id"].rsplit("/", 1)[1].removesuffix(".json"): document
               for document in documents}
    for document in documents:
        Draft202012Validator.check_schema(document)

    def check(name: str, data: Any) -> None:
        validator = Draft202012Validator(by_name[name], registry=registry)
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])

    return check
