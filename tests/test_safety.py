"""Hostile XML is refused quickly, without expanding or fetching anything.

tests/data/unsafe/ holds a billion-laughs document (in UTF-8 and UTF-16), an
XXE document reading /etc/passwd, one with an external DTD on the network,
one whose DOCTYPE hides behind a comment holding "<a" (issue 12.4), and one
nested deeper than the parser's limit.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tei import pipeline, xmlio
from tei.cli import cli
from tei.errors import TeiEditionError, UnsafeXMLError
from tei.model import Document
from tei.validation import default_validator
from tei.xmlio import parse_bytes, parse_file

UNSAFE = Path(__file__).parent / "data" / "unsafe"
VALID = Path(__file__).parent / "data" / "valid"
TRANSCRIPT = Path(__file__).parent / "data" / "kremlin-ru" / "64534.txt"
DOCTYPES = ["billion-laughs.xml", "billion-laughs-utf16.xml", "xxe.xml", "external-dtd.xml",
            "doctype-after-comment.xml"]


def doctype_line(path: Path) -> int:
    """The line of the DOCTYPE declaration in a test file (decoded in whatever encoding)."""
    data = path.read_bytes()
    text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode()
    return next(n for n, line in enumerate(text.splitlines(), 1) if "<!DOCTYPE" in line)


@pytest.mark.parametrize("name", DOCTYPES)
def test_validate_refuses_doctypes_at_their_line(name: str) -> None:
    (finding,) = default_validator().validate_file(UNSAFE / name)
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
    with pytest.raises(UnsafeXMLError, match="entity expansion refused|DOCTYPE"):
        parse_bytes((UNSAFE / name).read_bytes(), name)


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
    (finding,) = default_validator().validate_file(UNSAFE / "deep-nesting.xml")
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
    validator = default_validator()  # compiled before the limit falls below the schema's size
    monkeypatch.setattr(xmlio, "MAX_BYTES", 4096)
    (finding,) = validator.validate_file("/dev/zero")
    assert finding.rule == "safety" and "larger than the limit of 4,096 bytes" in finding.message


def test_a_file_of_exactly_the_limit_is_read_whole_and_one_byte_more_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = VALID / "full-header.xml"
    size = path.stat().st_size
    monkeypatch.setattr(xmlio, "MAX_BYTES", size)
    assert xmlio.read_limited(path) == path.read_bytes()
    monkeypatch.setattr(xmlio, "MAX_BYTES", size - 1)
    with pytest.raises(UnsafeXMLError, match="larger than the limit"):
        xmlio.read_limited(path)


def test_a_pipe_whose_size_is_not_known_beforehand_is_read_to_its_end(tmp_path: Path) -> None:
    """A named pipe (or ``<(command)`` in a shell) reports no size: its bytes are read all
    the same, to the end, however many there are."""
    data = (VALID / "full-header.xml").read_bytes()
    fifo = tmp_path / "document.xml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    try:
        assert xmlio.read_limited(fifo) == data
    finally:
        writer.join(timeout=10)


def test_the_command_exits_2_for_every_unsafe_file() -> None:
    result = CliRunner().invoke(cli, ["validate", str(UNSAFE)], catch_exceptions=False)
    assert result.exit_code == 2
    lines = result.output.strip().split("\n")
    assert len(lines) == 7 and all(line.endswith("[safety]") for line in lines[:6])
    assert lines[-1].endswith(": 0 valid, 6 unreadable; 6 problems.")
    assert "lollol" not in result.output and "root:" not in result.output


# -- issue 12.4: a DOCTYPE behind a comment, a FIFO in the DOCTYPE ------------------------------

T = TypeVar("T")
HANG_GUARD = 60
"""Seconds after which a call is taken to be blocked opening a FIFO (a guard, not a timing)."""
BODY = (UNSAFE / "doctype-after-comment.xml").read_text(encoding="utf-8").split("\n", 2)[2]
"""The <TEI> document after the DOCTYPE of doctype-after-comment.xml."""


def with_doctype(system: str, prolog: str = "<!-- <a -->") -> bytes:
    """The issue's document: ``prolog``, then a DOCTYPE naming ``system``, on line 2."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<!DOCTYPE TEI SYSTEM "{system}">\n'
            f"{BODY}").encode()


def unblocked(call: Callable[[], T], fifo: Path) -> T:
    """``call()``, run in a thread; if it is still blocked after :data:`HANG_GUARD` seconds
    (opening ``fifo`` for reading waits for a writer), the FIFO is opened for writing to
    release it, and the test fails."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed to the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    if thread.is_alive():
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # no reader: it is blocked elsewhere
                raise
        thread.join(HANG_GUARD)
        pytest.fail(f"blocked: the FIFO {fifo} named in the DOCTYPE was opened")
    if failure:
        raise failure[0]
    return outcome[0]


def test_validate_refuses_a_doctype_naming_a_fifo_behind_a_comment(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    document = tmp_path / "hidden.xml"
    document.write_bytes(with_doctype(str(fifo)))
    result = unblocked(lambda: CliRunner().invoke(cli, ["validate", str(document)],
                                                  catch_exceptions=False), fifo)
    assert result.exit_code == 2
    assert result.output.startswith(f"{document}:2: a DOCTYPE declaration is not allowed")
    assert "[safety]" in result.output


def test_the_parser_opens_no_file_a_doctype_names_even_past_the_first_wall(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    monkeypatch.setattr(xmlio, "check_safe", lambda data, name: None)
    external_dtd = with_doctype(str(fifo), prolog="")
    parameter_entity = (f'<!DOCTYPE TEI [<!ENTITY % dtd SYSTEM "{fifo.as_uri()}"> %dtd;]>\n'
                        f"{BODY}").encode()
    for data in (external_dtd, parameter_entity):
        with pytest.raises(UnsafeXMLError, match="DOCTYPE declaration is not allowed"):
            unblocked(lambda: parse_bytes(data, "fifo.xml"), fifo)


def test_one_message_whatever_the_file_system_holds_at_the_named_path(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    existing = tmp_path / "exists.dtd"
    existing.write_text("<!ELEMENT TEI ANY>", encoding="utf-8")
    named = [existing, tmp_path / "missing.dtd", fifo, tmp_path, Path("/etc/passwd"),
             "http://example.invalid/evil.dtd"]
    findings = []
    for number, target in enumerate(named):
        document = tmp_path / f"{number}.xml"
        document.write_bytes(with_doctype(str(target)))
        (finding,) = unblocked(lambda: default_validator().validate_file(document), fifo)
        findings.append((finding.line, finding.column, finding.message, finding.rule))
    assert len(set(findings)) == 1
    assert findings[0][0] == 2 and findings[0][3] == "safety"


PROLOGS = {
    "comment holding <a": "<!-- <a -->",
    "processing instruction holding <a": "<?pi <a ?>",
    "comment, then a processing instruction": "<!-- x -->\n<?pi x?>\n",
    "whitespace, comments and CR line ends": "\r\n<!-- > -->\r<!---->\r\n\t",
}


@pytest.mark.parametrize("prolog", PROLOGS.values(), ids=PROLOGS.keys())
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32",
                                      "utf-32-le", "koi8-r"])
def test_a_doctype_is_found_behind_anything_a_prolog_may_hold(
        prolog: str, encoding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    declared = "UTF-16" if "16" in encoding else "UTF-32" if "32" in encoding else encoding
    text = f'<?xml version="1.0" encoding="{declared}"?>{prolog}<!DOCTYPE TEI [\n]>\n<TEI/>'
    line = text.replace("\r\n", "\n").replace("\r", "\n").split("<!DOCTYPE")[0].count("\n") + 1
    monkeypatch.setattr(xmlio.etree, "fromstring", lambda *args, **kwargs: pytest.fail("parsed"))
    with pytest.raises(UnsafeXMLError, match="DOCTYPE declaration is not allowed") as refused:
        parse_bytes(text.encode(encoding), "prolog.xml")
    assert refused.value.line == line


COMMENT_TEXT = st.text(st.sampled_from(["<", ">", "a", "-", "?", "!", " ", "\n", "Ж", "\u3e2d",
                                        "\u2d2d", "\U0001d11e"]), max_size=12)
PROLOG_ITEMS = st.one_of(
    COMMENT_TEXT.filter(lambda t: "--" not in t and not t.endswith("-")).map(
        lambda t: f"<!--{t}-->"),
    COMMENT_TEXT.filter(lambda t: "?>" not in t).map(lambda t: f"<?pi {t}?>"),
    st.text(st.sampled_from(" \t\n"), min_size=1, max_size=3),
)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(items=st.lists(PROLOG_ITEMS, max_size=6), hidden=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-16", "utf-32-be",
                                 "utf-32"]))
def test_the_prolog_scan_agrees_with_libxml2_on_whether_there_is_a_doctype(
        items: list[str], hidden: bool, encoding: str) -> None:
    doctype = '<!DOCTYPE TEI [<!ENTITY e "x">]>'
    declared = encoding[:6].upper()
    prolog = (f'<?xml version="1.0" encoding="{declared}"?>' + "".join(items)
              + (f"<!-- {doctype} -->" if hidden else doctype))
    data = f"{prolog}<TEI/>".encode(encoding)
    libxml2 = etree.fromstring(data, etree.XMLParser(resolve_entities=False)).getroottree()
    assert (libxml2.docinfo.internalDTD is not None) is not hidden
    if hidden:
        xmlio.check_safe(data, "prolog.xml")
    else:
        with pytest.raises(UnsafeXMLError) as refused:
            xmlio.check_safe(data, "prolog.xml")
        assert refused.value.line == prolog.count("\n") + 1


def test_a_document_in_an_encoding_that_cannot_be_read_is_refused() -> None:
    for label in ("x-unknown", "base64", "idna", "undefined"):
        with pytest.raises(UnsafeXMLError, match=f'the encoding "{label}" is unknown or cannot'):
            parse_bytes(f'<?xml version="1.0" encoding="{label}"?><TEI/>'.encode(), "x.xml")


# -- issue 12.7: file names that differ only in case are one file on macOS and Windows -------


def test_names_that_differ_only_in_case_or_normalisation_share_a_key() -> None:
    assert xmlio.name_key("Kremlin-64534") == xmlio.name_key("kremlin-64534")
    assert xmlio.name_key("Caf\u00e9") == xmlio.name_key("cafe\u0301")
    assert xmlio.name_key("kremlin-64534") != xmlio.name_key("kremlin-64535")


def test_encode_refuses_an_identifier_that_differs_from_an_earlier_one_only_in_case(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The readers give lower-case identifiers today; the guard does not rely on it."""
    claims = pipeline.Claims()
    out = tmp_path / "out"
    first, _, _ = pipeline.encode_file(TRANSCRIPT, out, claims=claims)
    read = pipeline.read_document

    def shouting(*args: object, **kwargs: object) -> Document:
        doc = read(*args, **kwargs)  # type: ignore[arg-type]
        doc.id = doc.id.upper()
        return doc

    monkeypatch.setattr(pipeline, "read_document", shouting)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(TRANSCRIPT.read_bytes())
    with pytest.raises(TeiEditionError, match="gives the document ID 'KREMLIN-64534', which "
                                              "differs from 'kremlin-64534' of .* only in case"):
        pipeline.encode_file(copy, out, claims=claims, force=True)
    assert [path.name for path in out.iterdir()] == [first.name]
