"""Byte offsets of elements: the scan of the tags agrees with expat, and each span is its element.

``element_offsets`` reads a document without a DOCTYPE by a regular expression over its
tags; expat (``_expat_offsets``) reads the others. Both must give every element's bytes:
generated documents with what could mislead a scan of tags (``>`` and ``/>`` in attribute
values and text, empty elements written both ways, comments, processing instructions and
CDATA sections holding markup), and every TEI file of the test data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tei.corpus.offsets import _expat_offsets, element_offsets
from tei.errors import TeiEditionError
from tei.xmlio import parse_bytes

DATA = Path(__file__).resolve().parents[1] / "data"
PROPERTY = settings(max_examples=300, deadline=None, derandomize=True, database=None)

NAMES = st.sampled_from(["a", "p", "sp", "x:y", "note"])
TEXT = st.text(alphabet="ab />'\"\n-]?", max_size=6).map(
    lambda t: t.replace("]]>", "]]&gt;"))
"""Character data, with ``>``, ``/>`` and quotes (``]]>`` is not allowed in it)."""
VALUE = st.text(alphabet="1 />'\"=", max_size=5)


@st.composite
def attribute(draw: st.DrawFn, name: str) -> str:
    """`` name="..."`` or `` name='...'``, its value holding ``>``, ``/>`` and the other quote."""
    value = draw(VALUE)
    quote = draw(st.sampled_from(['"', "'"]))
    value = value.replace(quote, "&quot;" if quote == '"' else "&apos;")
    return f" {name}{draw(st.sampled_from(['=', ' = ']))}{quote}{value}{quote}"


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    """An element: empty (``<a/>``, ``<a />``, ``<a></a>``) or with content, ``</a >``;
    the root declares the prefix ``x``."""
    name = draw(NAMES)
    attributes = "".join(draw(attribute(n)) for n in draw(
        st.lists(st.sampled_from(["n", "b", "xml:id"]), max_size=2, unique=True)))
    if depth == 0:
        attributes += ' xmlns:x="urn:x"'
    form = draw(st.sampled_from(["self-closed", "spaced", "empty", "content"]))
    if form == "self-closed":
        return f"<{name}{attributes}/>"
    if form == "spaced":
        return f"<{name}{attributes} />"
    content = "" if form == "empty" else "".join(draw(st.lists(
        node(depth + 1) if depth < 3 else TEXT, max_size=4)))
    return f"<{name}{attributes}>{content}</{name}{draw(st.sampled_from(['', ' ', chr(10)]))}>"


def node(depth: int) -> st.SearchStrategy[str]:
    """Content: text, an element, or markup that holds what looks like tags."""
    return st.one_of(
        TEXT, element(depth),
        st.sampled_from(["<!-- <a> /> -->", "<!---->", "<?pi <b/> ?>", "<?x?>",
                         "<![CDATA[<c> /> ]]>", "<![CDATA[]]>", "&lt;d/&gt;", "&#62;"]))


@st.composite
def document(draw: st.DrawFn) -> bytes:
    """A document: its root, an optional XML declaration (or BOM) and markup around it."""
    prolog = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>\n',
                                   "<?xml version='1.0'?><!-- c -->", "\ufeff"]))
    epilog = draw(st.sampled_from(["", "\n", "<!-- end -->", "<?pi?>"]))
    return (prolog + draw(element()) + epilog).encode("utf-8")


def canonical(element: etree._Element) -> bytes:
    """The element as exclusive C14N writes it (with its comments, without its tail)."""
    return bytes(etree.tostring(element, method="c14n", exclusive=True, with_comments=True,
                                with_tail=False))


PARSER = etree.XMLParser(collect_ids=False, huge_tree=True)
"""For pieces of documents: an ``xml:id`` need be neither a name nor unique in them."""


def assert_spans_are_the_elements(data: bytes, spans: list[tuple[int, int]],
                                  root: etree._Element | None = None) -> None:
    """Each span of ``data``, read on its own (under the namespaces in scope there), is the
    element lxml finds at that place in ``data`` (parsed as ``root``)."""
    if root is None:
        root = etree.fromstring(data, PARSER)
    elements = list(root.iter(etree.Element))
    assert len(spans) == len(elements)
    for (start, end), original in zip(spans, elements):
        parent = original.getparent()
        scope = "".join(f' xmlns{":" + p if p else ""}="{u}"'
                        for p, u in (parent.nsmap if parent is not None else {}).items())
        wrapper = etree.fromstring(f"<w{scope}>".encode() + data[start:end] + b"</w>", PARSER)
        assert len(wrapper) == 1 and canonical(wrapper[0]) == canonical(original)


@PROPERTY
@given(document())
def test_offsets_by_the_tags_are_expats_and_each_elements_bytes(data: bytes) -> None:
    spans = element_offsets(data)
    assert spans is not None
    assert spans == _expat_offsets(data)
    assert_spans_are_the_elements(data, spans)


def test_markup_that_looks_like_tags_does_not_shift_the_offsets() -> None:
    data = (b'<?xml version="1.0"?>\n<!-- <x> --><r a="/>"><e></e><f/><g>/></g>'
            b"<![CDATA[<h>]]><?pi <i/>?></r><?end?>")
    spans = element_offsets(data)
    assert spans is not None
    assert [data[s:e] for s, e in spans] == [data[data.index(b"<r"):data.index(b"<?end")],
                                             b"<e></e>", b"<f/>", b"<g>/></g>"]


def test_a_doctype_is_left_to_expat() -> None:
    """An internal subset holds declarations that look like tags; expat reads past them."""
    data = b'<!DOCTYPE r [<!ENTITY e "<b>">\n<!ATTLIST r a CDATA "x">]><r><c/></r>'
    spans = element_offsets(data)
    assert spans is not None and spans == _expat_offsets(data)
    assert [data[s:e] for s, e in spans] == [b"<r><c/></r>", b"<c/>"]


@pytest.mark.parametrize("encoding, letter", [
    ("ISO-8859-1", "\u00e9"), ("UTF-8", "\u0436"), ("windows-1251", "\u0436"),
    ("cp037", "\u00e9")])
def test_offsets_in_other_encodings_are_expats(encoding: str, letter: str) -> None:
    """Latin-1 is scanned, Cyrillic Windows read by expat; EBCDIC has no offsets at all."""
    text = (f'<?xml version="1.0" encoding="{encoding}"?>'
            f'<r a="{letter}>"><p>{letter} />b</p><q/></r>')
    data = text.encode(encoding)
    spans = element_offsets(data)
    assert spans == _expat_offsets(data)
    if encoding == "cp037":
        assert spans is None
        return
    assert spans is not None
    assert [data[s:e].decode(encoding) for s, e in spans] == [
        text[text.index("<r"):], f"<p>{letter} />b</p>", "<q/>"]


TEI_FILES = sorted(DATA.rglob("*.xml"))


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_offsets_of_every_tei_file_of_the_test_data(path: Path) -> None:
    """Ours, other corpora's, the invalid and the unsafe (DOCTYPEs: expat's; UTF-16: none)."""
    data = path.read_bytes()
    spans = element_offsets(data)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        assert spans is None
        return
    assert spans == _expat_offsets(data)
    try:
        tree = parse_bytes(data, path.name)
    except TeiEditionError:  # not well-formed, or refused as unsafe: no tree to compare with
        return
    assert spans is not None
    assert_spans_are_the_elements(data, spans, tree.getroot())
