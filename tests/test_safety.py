"""Hostile XML is refused quickly, without expanding or fetching anything.

tests/data/unsafe/ holds a billion-laughs document (in UTF-8 and UTF-16), an
XXE document reading /etc/passwd, one with an external DTD on the network,
and one nested deeper than the parser's limit.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei import xmlio
from tei.cli import cli
from tei.errors import UnsafeXMLError
from tei.validation import default_validator
from tei.xmlio import parse_bytes, parse_file

UNSAFE = Path(__file__).parent / "data" / "unsafe"
VALID = Path(__file__).parent / "data" / "valid"
DOCTYPES = ["billion-laughs.xml", "billion-laughs-utf16.xml", "xxe.xml", "external-dtd.xml"]
QUICK = 0.5
"""Seconds: refusing must take no longer than reading a small file (expanding would take hours)."""


def doctype_line(path: Path) -> int:
    """The line of the DOCTYPE declaration in a test file (decoded in whatever encoding)."""
    data = path.read_bytes()
    text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode()
    return next(n for n, line in enumerate(text.splitlines(), 1) if "<!DOCTYPE" in line)


@pytest.mark.parametrize("name", DOCTYPES)
def test_validate_refuses_doctypes_quickly_at_their_line(name: str) -> None:
    start = time.perf_counter()
    (finding,) = default_validator().validate_file(UNSAFE / name)
    assert time.perf_counter() - start < QUICK
    assert finding.rule == "safety"
    assert finding.line == doctype_line(UNSAFE / name)
    assert "DOCTYPE declaration is not allowed" in finding.message


@pytest.mark.parametrize("name", DOCTYPES)
def test_parse_refuses_doctypes_before_parsing(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser was reached")

    monkeypatch.setattr(xmlio.etree, "fromstring", no_parsing)
    with pytest.raises(UnsafeXMLError, match="DOCTYPE"):
        parse_file(UNSAFE / name)


@pytest.mark.parametrize("name", ["billion-laughs.xml", "billion-laughs-utf16.xml"])
def test_the_parser_does_not_expand_entities_even_past_the_first_wall(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlio, "check_safe", lambda data, name: None)
    start = time.perf_counter()
    with pytest.raises(UnsafeXMLError, match="entity expansion refused|DOCTYPE"):
        parse_bytes((UNSAFE / name).read_bytes(), name)
    assert time.perf_counter() - start < QUICK


def test_external_entities_are_never_read_even_past_the_first_wall(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER", encoding="utf-8")
    data = (UNSAFE / "xxe.xml").read_bytes().replace(b"file:///etc/passwd",
                                                     secret.as_uri().encode())
    parsed = etree.fromstring(data, xmlio._parser())
    assert "SECRET-MARKER" not in etree.tostring(parsed, encoding="unicode")
    monkeypatch.setattr(xmlio, "check_safe", lambda data, name: None)
    with pytest.raises(UnsafeXMLError, match="DOCTYPE"):
        parse_bytes(data, "xxe.xml")


def test_too_deep_nesting_is_refused_with_its_line() -> None:
    start = time.perf_counter()
    (finding,) = default_validator().validate_file(UNSAFE / "deep-nesting.xml")
    assert time.perf_counter() - start < QUICK
    assert finding.rule == "safety" and finding.line == 6
    assert f"nested deeper than {xmlio.MAX_DEPTH} levels" in finding.message


def test_an_oversized_document_is_refused_without_being_parsed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlio, "MAX_BYTES", 1000)
    size = (VALID / "full-header.xml").stat().st_size
    (finding,) = default_validator().validate_file(VALID / "full-header.xml")
    assert finding.rule == "safety"
    assert finding.message == (f"document of {size:,} bytes is larger than the limit of "
                               "1,000 bytes")
    with pytest.raises(UnsafeXMLError, match="larger than the limit"):
        parse_bytes((VALID / "full-header.xml").read_bytes())


def test_an_endless_file_is_read_no_further_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlio, "MAX_BYTES", 4096)
    start = time.perf_counter()
    (finding,) = default_validator().validate_file("/dev/zero")
    assert time.perf_counter() - start < QUICK
    assert finding.rule == "safety" and "larger than the limit of 4,096 bytes" in finding.message


def test_the_command_exits_2_for_every_unsafe_file() -> None:
    result = CliRunner().invoke(cli, ["validate", str(UNSAFE)], catch_exceptions=False)
    assert result.exit_code == 2
    lines = result.output.strip().split("\n")
    assert len(lines) == 6 and all(line.endswith("[safety]") for line in lines[:5])
    assert lines[-1].endswith(": 0 valid, 5 unreadable; 5 problems.")
    assert "lollol" not in result.output and "root:" not in result.output
