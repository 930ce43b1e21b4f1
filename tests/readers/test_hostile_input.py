"""Hostile input to the readers never stops a batch and never loses a word (issues 11.5, 12).

The property tests take the real samples apart (lines deleted, duplicated,
swapped; characters a TEI cannot hold, direction marks and bytes that are not
UTF-8 put in; the file cut anywhere) and require of every result: reading
either succeeds or raises :class:`TeiEditionError`; what is read encodes to TEI
valid against the profile; and no word of the document is missing from the TEI.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from test_reader_html import EN_PAGES, tei_words
from test_reader_text import model_text, words
from tei import xmlio
from tei.cli import cli
from tei.corpus import BuildOptions, build
from tei.errors import EncodeError, ReadError, TeiEditionError
from tei.model import Document, Normalization, Paragraph
from tei.pipeline import encode_document
from tei.readers import ReadOptions
from tei.readers.assemble import RawDocument
from tei.readers.read import detect, read_bytes, read_path
from tei.readers.decode import FORBIDDEN, MAX_REPLACED, decode_lines
from tei.xmlio import TEI_NS, parse_file

DATA = Path(__file__).parents[1] / "data"
SAMPLE = (DATA / "kremlin-ru" / "64534.txt").read_bytes()
PAGES = {path.name: path.read_bytes() for path in EN_PAGES}
NS = {"t": TEI_NS}
METADATA = ReadOptions(title="Заседание", date="2020-12-02T13:15")
"""Options that make any text a headerless transcript."""

PROPERTY = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""Fast and reproducible: the same examples on every run."""


# -- mutations of a real file ---------------------------------------------------------------

HOSTILE_TEXT = [
    "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff", "\ufdd0", "\x00", "\x01", "\x08", "\x0b",
    "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\u200e", "\u200f", "\u202b", "\u202e",
    "\u2066", "\u2069", "\u061c", "\ufeff", "\ufffd", "\u2028", "\u2029", "\r", "\t", "\u00a0",
    " ", "\n", ":", ": ", "* * *", "<…>", "&lt;…&gt;", "(Смех.)", "[", "]", "(", ")", "&",
    "&#1;", "&#xFFFE;", "&#0;", "&#x85;", "<b>", "</b>", "<p>", "</p>", "<br>", "<!--", "-->",
    "<![CDATA[", '"', "2020-12-02 13:15:00", "1900-01-01 10:00", "http://kremlin.ru/x/1",
    "В.Путин: ", "<b>Question:</b> ", "<meta charset=\"zlib\">",
]
"""Characters a TEI cannot hold (non-characters, C0 and C1 controls), direction marks,
and the marks both readers look for."""
INVALID_UTF8 = [b"\xe3", b"\xff", b"\xfe", b"\x80", b"\xc0\x80", b"\xed\xa0\x80",
                b"\xf4\x90\x80\x80", b"\xe3\x81", b"\xd0"]
"""Bytes that are not UTF-8: stray, overlong, an encoded surrogate, beyond U+10FFFF, cut."""
INSERTS = st.one_of(
    st.sampled_from(HOSTILE_TEXT).map(str.encode),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6).map(str.encode),
    st.sampled_from(INVALID_UTF8),
)
_PIECE_END = re.compile(rb"\n|</p>")
"""Where a piece (a line; in a web page also a paragraph) ends."""


def pieces(data: bytes) -> list[bytes]:
    """``data`` cut after every line end and ``</p>``: what mutations move about."""
    cuts = [0, *(match.end() for match in _PIECE_END.finditer(data)), len(data)]
    return [data[start:end] for start, end in zip(cuts, cuts[1:]) if end > start]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after a few deletions, duplications, swaps and insertions, maybe cut short."""
    parts = pieces(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "insert", "insert"]))
        i = draw(st.integers(0, len(parts) - 1))
        if op == "delete" and len(parts) > 1:
            del parts[i]
        elif op == "duplicate":
            parts.insert(i, parts[i])
        elif op == "swap":
            j = draw(st.integers(0, len(parts) - 1))
            parts[i], parts[j] = parts[j], parts[i]
        elif op == "insert":
            at = draw(st.integers(0, len(parts[i])))  # any byte: may cut a UTF-8 character
            parts[i] = parts[i][:at] + draw(INSERTS) + parts[i][at:]
    result = b"".join(parts)
    if draw(st.integers(0, 7)) == 0:
        result = result[:draw(st.integers(1, len(result)))]
    return result


# -- what must hold -------------------------------------------------------------------------


def read_or_refuse(data: bytes, name: str, options: ReadOptions) -> Document | None:
    """The document, or None when the input is refused with a :class:`TeiEditionError`
    (naming the input); any other exception fails the test."""
    try:
        doc = read_bytes(data, name, options)
    except TeiEditionError as error:
        assert error.path == name, str(error)
        event(f"refused: {re.sub(r'[^a-z ]', '', error.message)[:24]}")
        return None
    event("read")
    return doc


def missing(found: list[str], expected: list[str]) -> Counter[str]:
    """The words of ``expected`` that ``found`` lacks (each as often as it lacks it)."""
    return Counter(expected) - Counter(found)


def source_words(data: bytes) -> list[str]:
    """Every word of a text file as the reader decodes it (omission marks are no words)."""
    text = data.decode("utf-8", "replace")
    return words(re.sub(r"&lt;(?:…|\.\.\.)&gt;", "<…>", text))


_OWN_PROSE = ("//text()[not(ancestor::t:encodingDesc or ancestor::t:respStmt "
              "or ancestor::t:publicationStmt or ancestor::t:langUsage)]")
"""Every text node of the TEI but the prose tei-edition writes into every header."""


def tei_node_words(tree: etree._ElementTree) -> list[str]:
    """The words of every text node of the TEI, header and body, node by node."""
    return [word for node in tree.xpath(_OWN_PROSE, namespaces=NS) for word in words(str(node))]


def without_marks(tree: etree._ElementTree) -> etree._ElementTree:
    """A copy of ``tree`` without the text of omission marks, which the model's text leaves
    out too (``stab<…>le`` is one word there)."""
    copy = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
    for mark in copy.iterfind(".//t:metamark", NS):
        mark.text = None
    return copy


def check_encodes_every_word(doc: Document) -> etree._ElementTree:
    """The TEI of ``doc`` is valid (``encode_document`` raises otherwise) and holds every word
    of the document's text."""
    tree = encode_document(doc).tree
    assert not missing(tei_words(without_marks(tree)), words(model_text(doc)))
    return tree


@PROPERTY
@given(data=mutated(SAMPLE), metadata=st.integers(0, 3).map(bool))
def test_a_mutated_text_export_is_read_or_refused_and_loses_no_word(data: bytes,
                                                                    metadata: bool) -> None:
    """With metadata given the text is headerless, so all of it must be text of the TEI."""
    doc = read_or_refuse(data, "mutated.txt", METADATA if metadata else ReadOptions())
    if doc is None:
        return
    tree = check_encodes_every_word(doc)
    assert not missing(tei_node_words(tree), source_words(data))


def raw_words(raw: RawDocument) -> list[str]:
    """Every word a reader found: header strings, paragraphs, labels and their notes."""
    texts = [raw.title, raw.place_line, raw.url] + [
        value for p in (*raw.lead, *raw.body) for value in (p.text, p.label, p.note)]
    return [word for text in texts if text for word in words(text)]


@PROPERTY
@given(page=st.sampled_from(sorted(PAGES)), data=st.data())
def test_a_mutated_saved_page_is_read_or_refused_and_loses_no_word(page: str,
                                                                   data: st.DataObject) -> None:
    """The page's words are the reader's to find; every word it found must be in the TEI."""
    mutation = data.draw(mutated(PAGES[page]))
    doc = read_or_refuse(mutation, page, ReadOptions())
    if doc is None:
        return
    tree = check_encodes_every_word(doc)
    reader = detect(mutation, page)
    found = (raw_words(reader.load().read(mutation, page, ReadOptions()))
             if reader.name == "kremlin-html" else source_words(mutation))
    assert not missing(tei_node_words(tree), found)


# -- issue 12.2: a headerless transcript loses nothing to the header ------------------------

HEADERLESS = "Добрый день, коллеги.\nВ.Путин: Спасибо.\n".encode()


def run(*args: str) -> tuple[int, str, str]:
    """The command line as a user runs it: exit status, stdout, stderr."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def body_texts(path: Path) -> list[str]:
    """The text of every paragraph of a TEI file's body."""
    return ["".join(p.itertext()) for p in parse_file(path).iterfind(".//t:body//t:p", NS)]


def test_a_headerless_transcript_keeps_its_first_paragraph_with_metadata_options(
        tmp_path: Path) -> None:
    """The issue's reproduction: the first line was taken for a title and --title replaced it."""
    (tmp_path / "h.txt").write_bytes(HEADERLESS)
    code, out, err = run("encode", str(tmp_path / "h.txt"), "--title", "T", "--date",
                         "2024-02-06", "-o", str(tmp_path / "out"))
    assert code == 0, err
    (written,) = (tmp_path / "out").iterdir()
    assert body_texts(written) == ["Добрый день, коллеги.", "Спасибо."]
    assert parse_file(written).findtext(".//t:titleStmt/t:title", namespaces=NS) == "T"


def test_a_sidecar_counts_as_metadata_given(tmp_path: Path) -> None:
    (tmp_path / "h.txt").write_bytes(HEADERLESS)
    (tmp_path / "h.meta.toml").write_text('title = "T"\ndate = 2024-02-06\n', encoding="utf-8")
    doc = read_path(tmp_path / "h.txt", ReadOptions())
    assert doc.title == "T" and [p.text() for p in doc.transcript if isinstance(p, Paragraph)] == [
        "Добрый день, коллеги."]


def test_without_a_date_line_second_nothing_becomes_header() -> None:
    """No options, and a first line that is no turn: still not a title (it would be lost
    the moment a --title is given); the user is asked for the metadata instead."""
    assert detect(HEADERLESS).name == "transcript"
    with pytest.raises(ReadError, match="no date"):
        read_bytes(HEADERLESS, "h.txt", ReadOptions())


def test_an_export_given_metadata_is_read_whole_or_with_from_as_an_export(
        sample_export: Path) -> None:
    """Metadata given: the export's header lines stay text, and the message says how to read
    them as a header; ``--from kremlin-text`` does, the option replacing what it gives."""
    with pytest.raises(ReadError, match="give --from kremlin-text"):
        read_path(sample_export, ReadOptions(source="http://kremlin.ru/events/president/news/1"))
    doc = read_path(sample_export, ReadOptions(title="T", date="2020-12-02"))
    assert [p.text() for p in doc.transcript[:2] if isinstance(p, Paragraph)] == [
        "Сессия Совета коллективной безопасности ОДКБ", "2020-12-02 13:15:00"]
    forced = read_path(sample_export, ReadOptions(fmt="kremlin-text", title="T"))
    assert forced.title == "T" and forced.when is not None and len(forced.lead) == 3


@pytest.fixture()
def sample_export(tmp_path: Path) -> Path:
    """A copy of the kremlin.ru export sample (no sidecar beside it)."""
    path = tmp_path / "64534.txt"
    path.write_bytes(SAMPLE)
    return path


# -- issue 12.3: characters no TEI can hold are refused at their line, the batch goes on ----

PAGE = EN_PAGES[2]
"""en.kremlin.ru 55017, a press conference."""
assert PAGE.name == "55017.html"
PAGE_TEXT = "Allow me to"
"""Words of a body paragraph of that page (on line 5 of the file)."""


def page_with(replacement: bytes, old: bytes = PAGE_TEXT.encode()) -> bytes:
    """The page with ``old`` replaced, once."""
    data = PAGES[PAGE.name]
    assert old in data
    return data.replace(old, replacement, 1)


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\U0001fffe", "\ufdd0", "\x85"])
def test_a_non_character_or_c1_control_in_a_transcript_is_refused_at_its_line(char: str) -> None:
    data = SAMPLE.decode().replace("Добрый день!", f"Добрый{char} день!", 1).encode()
    with pytest.raises(ReadError) as error:
        read_bytes(data, "x.txt", ReadOptions())
    assert (error.value.line, error.value.column) == (14, 16)
    assert f"U+{ord(char):04X} in the text (column 16): remove it" in error.value.message


CHARACTERS = st.sampled_from(["\x01", "\x0b", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\xa0",
                              "\xab", "\xaa", "\xbf", "\ufdcf", "\ufdd0", "\ufdef", "\ufdf0",
                              "\ufffd", "\ufffe", "\uffff", "\U0001fffe", "\U0001f600", "\t",
                              "\r", "\n", " ", "я", "a", "\u2014"])


@given(st.lists(st.one_of(CHARACTERS, st.text(max_size=3)), max_size=30).map("".join))
@settings(max_examples=500, deadline=None)
def test_a_text_is_refused_exactly_when_it_holds_a_character_no_tei_can_hold(text: str) -> None:
    """Whether the bytes of a text show it holds none (most texts: no search of the decoded
    text) or the search is made, a text is refused when, and only when, it holds one."""
    data = f"x{text}".encode()
    if b"\x00" in data:
        return
    forbidden = FORBIDDEN.search(f"x{text}".replace("\r\n", "\n").replace("\r", "\n"))
    if forbidden is None:
        assert decode_lines(data, "t.txt").lines
        return
    with pytest.raises(ReadError, match=f"U\\+{ord(forbidden.group()):04X} in the text"):
        decode_lines(data, "t.txt")


@pytest.mark.parametrize("reference", [b"&#1;", b"&#x1;", b"&#xFFFE;", b"&#xffff;", b"\x01",
                                       b"\x1f", "\u0085".encode(), "\ufffe".encode()])
def test_a_page_with_a_character_no_tei_can_hold_is_refused_at_its_paragraph(
        reference: bytes) -> None:
    """Written as a reference or as the character itself, in the body of the page."""
    with pytest.raises(ReadError) as error:
        read_bytes(page_with(b"Allow me" + reference + b" to"), "p.html", ReadOptions())
    assert error.value.line == 5 and str(error.value).startswith("p.html:5: ")
    assert re.search(r"(control character|non-character) U\+[0-9A-F]{4,5} in the text",
                     error.value.message)


def test_a_character_no_tei_can_hold_in_an_option_or_sidecar_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"control character U\+0001 in --title"):
        read_bytes(HEADERLESS, "h.txt", ReadOptions(title="T\x01", date="2024-02-06"))
    (tmp_path / "h.txt").write_bytes(HEADERLESS)
    (tmp_path / "h.meta.toml").write_text('title = "T\\uFFFE"\ndate = 2024-02-06\n')
    with pytest.raises(ReadError, match=r"non-character U\+FFFE in the sidecar's title") as error:
        read_path(tmp_path / "h.txt", ReadOptions())
    assert error.value.path == str(tmp_path / "h.meta.toml")


@pytest.mark.parametrize("charset", ["zlib", "base64", "rot13", "no-such-codec", "undefined",
                                     "unicode_escape", "utf-7"])
def test_a_page_declaring_no_web_encoding_is_read_as_utf8_with_a_warning(charset: str) -> None:
    """As browsers do: the label is ignored. Python's codec of that name is never used
    (``unicode_escape`` would silently rewrite the text, ``zlib`` is no text encoding)."""
    data = page_with(f'<meta charset="{charset}"/>'.encode(), b'<meta charset="utf-8"/>')
    doc = read_bytes(data, "p.html", ReadOptions())
    reference = read_bytes(PAGES[PAGE.name], "p.html", ReadOptions())
    assert model_text(doc) == model_text(reference)
    assert doc.normalizations == [Normalization("charset", charset, line=1)]
    assert doc.normalizations[0].located("p.html") == (
        f"p.html:1: the declared charset {charset!r} is not a character encoding of web "
        "pages: read as UTF-8")


def test_a_page_declaring_a_legacy_encoding_is_read_in_it() -> None:
    """ISO-8859-1 is read as browsers read it, as windows-1252 (0x93 is a quotation mark)."""
    data = page_with(b'<meta charset="iso-8859-1"/>', b'<meta charset="utf-8"/>')
    latin = data.decode("utf-8").replace("Allow me to", "Allow \u201cme\u201d to")
    doc = read_bytes(latin.encode("cp1252", "replace"), "p.html", ReadOptions())
    assert "Allow \u201cme\u201d to" in model_text(doc) and doc.normalizations == []


HOSTILE_BATCH: dict[str, bytes] = {
    "fffe.txt": SAMPLE.decode().replace("Добрый день!", "Добрый\ufffe день!", 1).encode(),
    "ffff.txt": SAMPLE.decode().replace("Добрый день!", "Добрый\uffff день!", 1).encode(),
    "ref1.html": page_with(b"Allow me&#1; to"),
    "reffffe.html": page_with(b"Allow me&#xFFFE; to"),
    "c0.html": page_with(b"Allow me\x02 to"),
}
"""Each stopped a batch with a traceback (``ValueError: All strings must be XML compatible``)."""


def test_encode_names_each_hostile_input_and_goes_on(tmp_path: Path) -> None:
    for name, data in HOSTILE_BATCH.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "zlib.html").write_bytes(
        page_with(b'<meta charset="zlib"/>', b'<meta charset="utf-8"/>'))
    (tmp_path / "64534.txt").write_bytes(SAMPLE)
    inputs = sorted(str(path) for path in tmp_path.iterdir())
    code, out, err = run("encode", *inputs, "-o", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(errors) == len(HOSTILE_BATCH), errors
    for name in HOSTILE_BATCH:
        line = 5 if name.endswith(".html") else 14
        assert any(e.startswith(f"Error: {tmp_path / name}:{line}") for e in errors), errors
    assert f"Warning: {tmp_path / 'zlib.html'}:1: the declared charset 'zlib'" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "kremlin-64534.xml", "kremlin-en-55017.xml"]


def test_build_names_each_hostile_input_and_builds_the_others(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, data in HOSTILE_BATCH.items():
        (sources / name).write_bytes(data)
    (sources / "64534.txt").write_bytes(SAMPLE)
    report = build([sources], tmp_path / "out", BuildOptions(jobs=1))
    assert report.built == 1 and report.published
    messages = sorted(str(failure) for failure in report.failures)
    assert len(messages) == len(HOSTILE_BATCH)
    assert not [m for m in messages if "internal error" in m]
    assert all(re.match(rf"{re.escape(str(sources))}/\w+\.(txt|html):\d+: .* in the text", m)
               for m in messages), messages


# -- issue 11.5: one bad byte does not cost a file ------------------------------------------

STRAY = SAMPLE.replace("Добрый день!".encode(), "Добрый ".encode() + b"\xe3" + "день!".encode(), 1)
"""The sample with one stray byte (0xE3) in line 14, as a careless edit leaves it."""


def test_a_stray_byte_in_a_transcript_is_replaced_and_noted() -> None:
    doc = read_bytes(STRAY, "x.txt", ReadOptions())
    assert doc.normalizations == [Normalization("invalid-utf8", "0xE3", line=14)]
    assert doc.turns()[0].blocks[0].text() == "Добрый \ufffdдень!"
    sample = read_bytes(SAMPLE, "x.txt", ReadOptions())
    assert words(model_text(doc)) == words(model_text(sample))


def test_a_stray_byte_is_a_warning_of_encode_and_a_line_of_the_tei_header(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(STRAY)
    code, out, err = run("encode", str(tmp_path / "x.txt"), "-o", str(tmp_path / "out"))
    assert code == 0
    assert err == f"Warning: {tmp_path / 'x.txt'}:14: invalid UTF-8 byte 0xE3 replaced by U+FFFD\n"
    tree = parse_file(tmp_path / "out" / "kremlin-64534.xml")
    notes = tree.xpath("//t:editorialDecl/t:normalization/t:p/text()", namespaces=NS)
    assert notes[1:] == ["Строка 14: недопустимая в UTF-8 последовательность байтов 0xE3 "
                         "заменена символом U+FFFD."]


def test_a_stray_byte_in_a_page_is_a_warning_of_build(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "55017.html").write_bytes(page_with(b"Allow me \xff to"))
    code, out, err = run("build", str(sources), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert code == 0, err
    assert err == (f"Warning: {sources / '55017.html'}:5: invalid UTF-8 byte 0xFF replaced "
                   "by U+FFFD\n")
    tree = parse_file(tmp_path / "out" / "tei" / "kremlin-en-55017.xml")
    assert tree.xpath("//t:normalization/t:p[2]/text()", namespaces=NS) == [
        "Line 5: the invalid UTF-8 sequence 0xFF was replaced by U+FFFD."]


ADDRESS = b"http://kremlin.ru/events/president/news/copy/64534"
ADDED = SAMPLE.rstrip(b"\n") + "\nВ.Путин: И ещё одно: спасибо всем.\n".encode()
"""The sample with a turn added after its address line (the export's last), as an editor
correcting a transcript by hand might add it."""


def test_text_after_the_address_line_keeps_the_document_its_id_and_is_read() -> None:
    """The address gives the document's ID (``kremlin-64534``), cited by scholars: a turn
    added after it must not turn it into ``doc-2020-12-02-…``. It is read as the last turn,
    and the reader says what it did."""
    line = SAMPLE.rstrip(b"\n").count(b"\n") + 1
    doc = read_bytes(ADDED, "x.txt", ReadOptions())
    assert doc.id == "kremlin-64534" == read_bytes(SAMPLE, "x.txt", ReadOptions()).id
    assert doc.source.url == "http://kremlin.ru/events/president/news/64534"
    assert doc.turns()[-1].blocks[-1].text() == "И ещё одно: спасибо всем."
    assert doc.normalizations == [Normalization("address-moved", ADDRESS.decode(), line=line)]
    assert ADDRESS.decode() not in model_text(doc)


JOINED = SAMPLE + "В.Путин: И ещё одно: спасибо всем.\n".encode()
"""The sample with a turn appended as ``echo … >> 64534.txt`` appends it: the export has no
line break after its address, so the turn is joined onto the address line."""


def test_text_joined_onto_the_address_line_keeps_the_document_its_id_and_is_read() -> None:
    assert not SAMPLE.endswith(b"\n")  # as kremlin.ru exports it
    line = SAMPLE.count(b"\n") + 1
    doc = read_bytes(JOINED, "x.txt", ReadOptions())
    assert doc.id == "kremlin-64534"
    assert doc.source.url == "http://kremlin.ru/events/president/news/64534"
    assert [b.text() for b in doc.turns()[-1].blocks] == ["И ещё одно: спасибо всем."]
    assert doc.turns()[-1].label == "В.Путин"
    assert len(doc.turns()) == len(read_bytes(SAMPLE, "x.txt", ReadOptions()).turns()) + 1
    assert doc.normalizations == [Normalization("address-joined", ADDRESS.decode(), line=line)]
    assert ADDRESS.decode() not in model_text(doc)


@pytest.mark.parametrize(("joined", "text"), [(b" and more", "and more"),
                                               (b"\tand more", "and more"),
                                               (b"And more", "And more")])
def test_text_after_a_space_or_a_word_straight_after_the_number_is_joined_text(
        joined: bytes, text: str) -> None:
    doc = read_bytes(SAMPLE + joined + b"\n", "x.txt", ReadOptions())
    assert doc.id == "kremlin-64534"
    assert [n.kind for n in doc.normalizations] == ["address-joined"]
    assert doc.turns()[-1].blocks[-1].text() == text


@pytest.mark.parametrize(("joined", "doc_id"), [
    (b"/extra", "doc-2020-12-02-sessiya-soveta-kollektivnoy"),
    (b").", "doc-2020-12-02-sessiya-soveta-kollektivnoy"),
    (b"5", "kremlin-645345"),  # another item's address: nothing tells it from this one's
    (b"?from=rss", "kremlin-64534"),  # the address with a query: still the last line
])
def test_what_only_looks_like_text_joined_onto_the_address_is_not_split(
        joined: bytes, doc_id: str) -> None:
    """A path, punctuation, a digit or a query straight after the item number: no word
    joined onto the address, so no address is taken out of that line."""
    doc = read_bytes(SAMPLE + joined + b"\n", "x.txt", ReadOptions())
    assert doc.id == doc_id and doc.normalizations == []


@pytest.mark.parametrize(("data", "warning", "note"), [
    (ADDED, f"the source address {ADDRESS.decode()} is not the last line: the text after it is "
     "read as part of the transcript",
     f"адрес источника {ADDRESS.decode()} стоит не последней строкой файла; текст после него "
     "прочитан как часть стенограммы."),
    (JOINED, f"text is joined onto the source address {ADDRESS.decode()} (no line break "
     "between them): it is read as part of the transcript",
     f"к адресу источника {ADDRESS.decode()} без перевода строки присоединён текст; он "
     "прочитан как часть стенограммы."),
], ids=["after", "joined"])
def test_text_added_to_the_address_line_is_a_warning_and_a_line_of_the_tei_header(
        data: bytes, warning: str, note: str, tmp_path: Path, tei_all: etree.RelaxNG) -> None:
    (tmp_path / "x.txt").write_bytes(data)
    code, out, err = run("encode", str(tmp_path / "x.txt"), "-o", str(tmp_path / "out"))
    assert code == 0, err
    line = SAMPLE.count(b"\n") + 1  # the address's: the export has no line break after it
    assert err == (f"Warning: {tmp_path / 'x.txt'}:{line}: {warning} (the address still gives "
                   "the source and the document's ID)\n")
    tree = parse_file(tmp_path / "out" / "kremlin-64534.xml")
    notes = tree.xpath("//t:editorialDecl/t:normalization/t:p/text()", namespaces=NS)
    assert notes[1:] == [f"Строка {line}: {note}"]
    assert tei_all.validate(tree), tei_all.error_log


def with_stray_bytes(count: int) -> bytes:
    """The sample with a stray byte opening each of ``count`` lines of its transcript."""
    lines = SAMPLE.split(b"\n")
    for number in range(14, 14 + count):
        lines[number - 1] = b"\xff" + lines[number - 1]
    return b"\n".join(lines)


def test_up_to_eight_runs_of_bad_bytes_are_replaced_more_are_refused() -> None:
    """Where "mostly not UTF-8" starts (see tei.readers.decode.decode_utf8)."""
    assert len(read_bytes(with_stray_bytes(MAX_REPLACED), "x.txt",
                          ReadOptions()).normalizations) == MAX_REPLACED
    with pytest.raises(ReadError, match="not UTF-8: byte 0xFF"):
        read_bytes(with_stray_bytes(MAX_REPLACED + 1), "x.txt", ReadOptions())


def test_bad_bytes_in_a_text_of_few_other_non_ascii_characters_are_refused() -> None:
    """One stray byte in plain ASCII is replaced; two are a file in another encoding."""
    one = read_bytes(b"T\n2020-12-02 13:15\nQ: caf\xe9 and tea.\n", "x.txt", ReadOptions())
    assert [n.detail for n in one.normalizations] == ["0xE9"]
    with pytest.raises(ReadError, match="not UTF-8: byte 0xE9 at column 7"):
        read_bytes(b"T\n2020-12-02 13:15\nQ: caf\xe9 and th\xe9.\n", "x.txt", ReadOptions())


def test_a_whole_windows_1251_file_is_still_refused_with_the_hint() -> None:
    data = SAMPLE.decode().encode("cp1251", "replace")
    with pytest.raises(ReadError, match="looks like Windows-1251") as error:
        read_bytes(data, "x.txt", ReadOptions())
    assert error.value.line == 2


# -- issue 12.7, the readers: size, old dates, UTF-32, KOI8-R --------------------------------


def test_a_transcript_over_the_size_limit_is_refused_naming_it(
        monkeypatch: pytest.MonkeyPatch, sample_export: Path) -> None:
    monkeypatch.setattr(xmlio, "MAX_BYTES", 10_000)
    with pytest.raises(TeiEditionError, match="larger than the limit of 10,000 bytes") as error:
        read_path(sample_export, ReadOptions())
    assert error.value.path == str(sample_export)
    with pytest.raises(TeiEditionError, match="larger than the limit of 10,000 bytes") as error:
        read_path("/dev/zero", ReadOptions())  # endless: read no further than the limit
    assert error.value.path == "/dev/zero"


def test_a_transcript_whose_tei_would_be_over_the_limit_is_named_not_its_output(
        monkeypatch: pytest.MonkeyPatch, sample_export: Path) -> None:
    monkeypatch.setattr(xmlio, "MAX_BYTES", len(SAMPLE) + 1000)  # the TEI is about 2.5 times
    with pytest.raises(EncodeError, match="its TEI would be [0-9,]+ bytes") as error:
        encode_document(read_path(sample_export, ReadOptions()))
    assert error.value.path == str(sample_export) and "bug" not in error.value.message


@pytest.mark.parametrize("date, when, exact", [
    ("1905-01-09T10:00", "1905-01-09T10:00:00+02:30", "+02:30:17"),
    ("1918-06-01T12:00", "1918-06-01T12:00:00+04:31", "+04:31:19"),
])
def test_a_date_before_1919_gets_a_valid_when_and_the_header_says_it_is_rounded(
        date: str, when: str, exact: str, tei_all: etree.RelaxNG) -> None:
    """Moscow's offset had seconds then; TEI's date-time has whole minutes."""
    doc = read_bytes(HEADERLESS, "h.txt", ReadOptions(title="T", date=date))
    tree = encode_document(doc).tree
    assert set(tree.xpath("//t:date/@when", namespaces=NS)) == {when}
    (note,) = [p for p in tree.xpath("//t:normalization/t:p/text()", namespaces=NS)
               if "UTC" in p]
    assert exact in note and when[-6:] in note
    assert tei_all.validate(tree), tei_all.error_log.filter_from_errors()[:3]


def test_a_date_with_an_offset_beyond_fourteen_hours_is_refused_as_input() -> None:
    with pytest.raises(ReadError, match="between -14:00 and \\+14:00"):
        read_bytes(HEADERLESS, "h.txt", ReadOptions(title="T", date="2024-02-06T10:00+23:00"))


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be"])
def test_a_utf32_file_is_called_utf32(encoding: str) -> None:
    data = codecs.BOM_UTF32_LE if encoding.endswith("le") else codecs.BOM_UTF32_BE
    with pytest.raises(ReadError, match="the file is UTF-32: save it as UTF-8"):
        read_bytes(data + HEADERLESS.decode().encode(encoding), "x.txt", ReadOptions())


def test_a_utf32_page_is_read() -> None:
    data = PAGES[PAGE.name].decode()
    doc = read_bytes(codecs.BOM_UTF32_LE + data.encode("utf-32-le"), "p.html", ReadOptions())
    assert model_text(doc) == model_text(read_bytes(PAGES[PAGE.name], "p.html", ReadOptions()))


@pytest.mark.parametrize("encoding", ["koi8-r", "cp1251"])
def test_the_hint_names_the_legacy_encoding_that_converts_back(encoding: str) -> None:
    """The advised ``iconv -f`` gives the text back (a KOI8-R file called Windows-1251 did
    not: its advice gave mojibake)."""
    text = SAMPLE.decode()
    data = text.encode(encoding, "replace")
    with pytest.raises(ReadError) as error:
        read_bytes(data, "x.txt", ReadOptions())
    match = re.search(r"iconv -f (\S+) -t utf-8 FILE", error.value.message)
    assert match and match[1] == encoding
    assert data.decode(match[1]) == text.encode(encoding, "replace").decode(encoding)
    assert "Путин" in data.decode(match[1])


# -- found by the property tests ----------------------------------------------------------


@pytest.mark.parametrize("inserted, labels", [
    (b"<p><b>Dmitry Peskov:</b></p>", ["Dmitry Peskov", "President of Russia Vladimir Putin"]),
    (b"<p><b>Dmitry Peskov:</b><br/>Thank you.</p>",
     ["Dmitry Peskov", "President of Russia Vladimir Putin"]),
])
def test_a_label_printed_alone_is_a_turn_not_lost(inserted: bytes, labels: list[str]) -> None:
    """Its speech, if any, is in the paragraphs after it; alone, it is a turn with an empty
    paragraph (TEI's sp needs one)."""
    data = page_with(inserted + b"<p><b>President of", b"<p><b>President of")
    doc = read_bytes(data, "p.html", ReadOptions())
    assert [turn.label for turn in doc.turns()[:2]] == labels
    tree = encode_document(doc).tree
    assert tree.xpath("string(//t:sp[1]/t:speaker)", namespaces=NS) == "Dmitry Peskov"
    assert tree.xpath("string(//t:sp[1]/t:p)", namespaces=NS) == (
        "Thank you." if b"Thank" in inserted else "")


def test_a_header_without_any_text_gives_its_title_as_the_body() -> None:
    """It gave an empty body, which the encoder's check called a bug in tei-edition. Like a
    saved page with nothing but its title (issue 11), it encodes what there is."""
    doc = read_bytes("Заседание\n2020-12-02 13:15:00\nhttp://kremlin.ru/events/president/news/1\n"
                     .encode(), "x.txt", ReadOptions())
    encoded = encode_document(doc)
    assert encoded.tree.xpath("string(//t:body/t:div/t:head)", namespaces=NS) == "Заседание"


def test_an_unusable_language_is_refused_as_an_option_and_ignored_on_a_page() -> None:
    with pytest.raises(ReadError, match="--language 'r u' is not a language tag"):
        read_bytes(HEADERLESS, "h.txt", ReadOptions(title="T", date="2024-02-06", language="r u"))
    data = page_with(b'<html lang="e\xe2\x80\x8fn" class="no-js"', b'<html lang="en" class="no-js"')
    assert read_bytes(data, "p.html", ReadOptions()).language == "en"  # from the site
