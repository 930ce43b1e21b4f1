"""A corpus member's IDs prefixed in its bytes are what prefixing them in the tree and writing
it again wrote, on the TEI of tests/data and on TEI whose bytes hold an ID's mark elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import tei.corpus.teicorpus as teicorpus
from tei.corpus.teicorpus import corpus_member
from tei.errors import TeiEditionError
from tei.xmlio import XML_NS, parse_bytes, to_bytes

ROOT = Path(__file__).parents[2]


def _well_formed(path: Path) -> bool:
    """True for XML that parses (tests/data also holds broken files, for the errors)."""
    try:
        parse_bytes(path.read_bytes(), str(path))
    except TeiEditionError:
        return False
    return True


FILES = [path for path in sorted((ROOT / "tests" / "data").rglob("*.xml")) if _well_formed(path)]
XML_ID = f"{{{XML_NS}}}id"

MARKED = b"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="doc">
  <teiHeader><fileDesc><titleStmt><title>Marks</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc>
  </fileDesc>
  <profileDesc><particDesc><listPerson><person xml:id="a"><persName>A</persName></person>
  </listPerson></particDesc></profileDesc></teiHeader>
  <text><body><div xml:id="d1"><sp who="#a" xml:id="sp1"><p xml:id="p1" n="1">%s</p></sp>
  </div></body></text>
</TEI>
"""


def _members(data: bytes, doc_id: str, ours: bool) -> tuple[bytes, bytes]:
    """The member written by ``corpus_member``, and the one written with every ID set in the
    tree (``_prefixed`` told to decline), each from a fresh parse of ``data``."""
    fast = corpus_member(parse_bytes(data, "doc.xml"), doc_id, indented=ours)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(teicorpus, "_prefixed", lambda data, count, doc_id: None)
        slow = corpus_member(parse_bytes(data, "doc.xml"), doc_id, indented=ours)
    return fast, slow


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "data")))
def test_ids_prefixed_in_the_bytes_are_those_prefixed_in_the_tree(path: Path) -> None:
    data = path.read_bytes()
    tree = parse_bytes(data, str(path))
    ours = to_bytes(tree, indented=True) == data
    fast, slow = _members(data, "kremlin-64534", ours)
    assert fast == slow
    if tree.getroot().find(f".//*[@{{{XML_NS}}}id]") is not None:
        assert b'xml:id="kremlin-64534.' in fast


@pytest.mark.parametrize("inside", [
    b'<!-- a comment that writes xml:id="c" -->text',
    b'He typed xml:id="x" into the file.',
    b'<?note xml:id="q"?>text',
])
def test_bytes_holding_an_ids_mark_elsewhere_are_written_from_the_tree(inside: bytes) -> None:
    data = MARKED % inside
    ids = len(parse_bytes(data, "doc.xml").getroot().xpath("descendant::*/@xml:id"))
    assert teicorpus._prefixed(to_bytes(parse_bytes(data, "doc.xml")), ids, "doc") is None
    fast, slow = _members(data, "doc", False)
    assert fast == slow
    member = etree.fromstring(fast)
    assert {e.get(XML_ID) for e in member.iter() if e.get(XML_ID)} >= {"doc", "doc.a", "doc.p1"}
    assert member.find(".//{*}sp").get("who") == "#doc.a"
    assert member.find(".//{*}person").get("sameAs") == "#a"
    assert any(mark in fast for mark in (b'xml:id="c"', b'xml:id="x"', b'xml:id="q"'))


def test_an_id_libxml2_would_escape_is_written_from_the_tree() -> None:
    data = MARKED % b"text"
    assert teicorpus._prefixed(to_bytes(parse_bytes(data, "doc.xml")), 4, 'odd&"id') is None
    assert teicorpus._prefixed(to_bytes(parse_bytes(data, "doc.xml")), 4, "doc") is not None
    fast, slow = _members(data, 'odd&"id', False)
    assert fast == slow
    assert b'xml:id="odd&amp;&quot;id.p1"' in fast
