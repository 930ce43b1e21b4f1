"""Citation trees from ``refsDecl/citeStructure`` (ours, other corpora's, none), with byte offsets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tei.corpus.citations import citation_data, citation_trees, element_offsets, tei_xpath
from tei.xmlio import parse_bytes

DATA = Path(__file__).resolve().parents[1] / "data"
OURS = DATA / "expected" / "kremlin-64534.xml"


@pytest.mark.parametrize("expression, expected", [
    ("/TEI/text/body//p", "/tei:TEI/tei:text/tei:body//tei:p"),
    ("div[@type='act']/div", "tei:div[@type='act']/tei:div"),
    ("@n", "@n"),
    ("position()", "position()"),
    ("count(preceding::div) + 1", "count(preceding::tei:div) + 1"),
    ("div div 2", "tei:div div 2"),
    ("child::p | self::sp", "child::tei:p | self::tei:sp"),
    ("attribute::n", "attribute::n"),
    ("string(head)", "string(tei:head)"),
    ("@xml:id", "@xml:id"),
    ("tei:div", "tei:div"),
    ("*//sp[@who = $x]", "*//tei:sp[@who = $x]"),
])
def test_citestructure_xpaths_name_tei_elements(expression: str, expected: str) -> None:
    assert tei_xpath(expression) == expected


def units(data: dict[str, Any], tree: int = 0) -> list[list[Any]]:
    return list(data["trees"][tree]["units"])


def test_our_transcript_turns_and_paragraphs_identified_as_they_are_cited() -> None:
    raw = OURS.read_bytes()
    data = citation_data(parse_bytes(raw), raw)
    tree, = data["trees"]
    assert tree["identifier"] is None
    rows = units(data)
    by_id = {row[0]: row for row in rows}
    assert [r[0] for r in rows[:5]] == ["p1", "p2", "p3", "sp1", "p4"]
    assert by_id["p1"][1:4] == ["paragraph", 1, -1]            # the lead: level 1
    assert by_id["p4"][1:4] == ["paragraph", 2, rows.index(by_id["sp1"])]
    assert len(by_id) == len(rows)                              # unique identifiers
    source = etree.fromstring(raw)
    for identifier in ("p1", "sp2", "p34", "p142"):
        start, end = by_id[identifier][5:7]
        piece = etree.fromstring(raw[start:end])               # well-formed on its own
        assert piece.get("{http://www.w3.org/XML/1998/namespace}id") == identifier
        original, = source.xpath(f"//*[@xml:id='{identifier}']")
        assert "".join(piece.itertext()) == "".join(original.itertext())
    sp1 = rows.index(by_id["sp1"])
    assert rows[sp1][4] == max(i for i, r in enumerate(rows) if r[3] == sp1)  # last unit below
    assert raw[data["root"][0]:data["root"][1]].startswith(b"<TEI ")
    assert raw[slice(*data["header"])].endswith(b"</teiHeader>")
    assert data["fragments"] is True and data["encoding"] == "UTF-8"


def test_tei_without_citestructure_is_cited_by_its_divisions_and_turns() -> None:
    raw = (DATA / "dracor" / "chekhov-tragik-ponevole.xml").read_bytes()
    tree, = citation_trees(parse_bytes(raw).getroot())
    assert [(u.reference, u.cite_type) for u in tree.units[:3]] == [
        ("1", "act"), ("1.1", "turn"), ("1.2", "turn")]
    assert all(u.parent is tree.units[0] for u in tree.units[1:])


def test_parlamint_without_citestructure_is_cited_by_its_divisions_and_utterances() -> None:
    raw = (DATA / "parlamint" / "ParlaMint-GB_2022-07-21-commons.xml").read_bytes()
    root = parse_bytes(raw).getroot()
    tree, = citation_trees(root)
    sections = [u for u in tree.units if u.parent is None]
    assert [u.reference for u in sections] == ["1", "2", "3"]
    assert {u.cite_type for u in sections} == {"debateSection"}
    utterances = [u for u in tree.units if u.parent is sections[0]]
    assert utterances and {u.cite_type for u in utterances} == {"turn"}
    assert len(utterances) == len(root.findall(".//{*}body/{*}div[1]/{*}u"))


PLAY = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc>
<refsDecl n="lines"><citeStructure unit="line" match="//l" use="@n"/></refsDecl>
<refsDecl default="true"><citeStructure unit="act" match="/TEI/text/body/div" use="@n">
  <citeStructure unit="scene" match="div" use="position()" delim="."/></citeStructure></refsDecl>
<refsDecl n="broken"><citeStructure unit="x" match="//p[" use="@n"/></refsDecl>
</encodingDesc></teiHeader><text><body>
<div n="I"><div><l n="1">a</l><l n="2">b</l></div><div><l n="3">c</l><l n="3">dup</l></div></div>
<div n="II"><div><l>no number</l></div></div>
</body></text></TEI>"""


def test_several_refsdecl_are_several_trees_the_default_first() -> None:
    trees = citation_trees(etree.fromstring(PLAY))
    assert [t.identifier for t in trees] == [None, "lines"]  # the broken one is left out
    acts = [(u.reference, u.cite_type, u.parent.reference if u.parent else None)
            for u in trees[0].units]
    assert acts == [("I", "act", None), ("I.1", "scene", "I"), ("I.2", "scene", "I"),
                    ("II", "act", None), ("II.1", "scene", "II")]
    lines = [u.reference for u in trees[1].units]
    assert lines == ["1", "2", "3"]  # the second "3" is ambiguous, the unnumbered not citable


def test_offsets_of_empty_elements_quotes_and_a_non_ascii_encoding() -> None:
    raw = b'<a x="1>2"><b/><c>t/></c><d y="q" /><e></e></a>'
    spans = element_offsets(raw)
    assert spans is not None
    assert [raw[s:e] for s, e in spans] == [raw, b"<b/>", b"<c>t/></c>", b'<d y="q" />',
                                            b"<e></e>"]
    assert element_offsets(PLAY.encode("utf-16")) is None
    data = citation_data(parse_bytes(PLAY.encode("utf-16")), PLAY.encode("utf-16"))
    assert data["fragments"] is False and units(data)[0][5:] == [-1, -1]


def test_namespaces_declared_below_the_root_go_with_a_unit() -> None:
    text = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
            '<div xmlns:x="urn:x"><sp n="1"><p x:a="1">t</p></sp></div></body></text></TEI>')
    raw = text.encode()
    data = citation_data(parse_bytes(raw), raw)
    assert data["trees"][0]["namespaces"] == {"1": {"x": "urn:x"}}


def test_comments_and_processing_instructions_do_not_shift_the_offsets() -> None:
    """The Parla-CLARIN exemplar is full of comments: each unit still gets its own bytes."""
    data = (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><!-- a --><teiHeader/><?pi x?>'
            b'<text><body><!-- b --><div><p>One</p></div><div><p>Two</p></div></body></text>'
            b'</TEI>')
    [tree] = citation_data(parse_bytes(data, "c.xml"), data)["trees"]
    spans = [data[row[5]:row[6]] for row in tree["units"]]
    assert spans == [b"<div><p>One</p></div>", b"<div><p>Two</p></div>"]
