"""The encoder on the real sample: what issue 2 promises a scholar about the TEI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tei.encode import encode
from tei.pipeline import encode_document
from tei.readers import ReadOptions
from tei.readers.read import read_path
from tei.xmlio import TEI_NS, parse_bytes, to_bytes

NS = {"t": TEI_NS}
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def sample_path(data_dir: Path) -> Path:
    return data_dir / "kremlin-ru" / "64534.txt"


@pytest.fixture(scope="module")
def sample_tei(sample_path: Path) -> etree._ElementTree:
    doc = read_path(sample_path, ReadOptions())
    return parse_bytes(encode_document(doc).tei, "kremlin-64534.xml")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_sample_figures(sample_tei: etree._ElementTree) -> None:
    """13 turns by 6 speakers, 7 persons, 2 supplied, 1 omission, the date and the place."""
    root = sample_tei.getroot()
    turns = root.findall(".//t:body//t:sp", NS)
    assert len(turns) == 13
    assert len({sp.get("who") for sp in turns}) == 6
    persons = root.findall(".//t:particDesc/t:listPerson/t:person", NS)
    assert len(persons) == 7
    zas = [p for p in persons if p.findtext(".//t:surname", namespaces=NS) == "Зась"]
    assert zas and zas[0].findtext("t:occupation", namespaces=NS)
    assert not any(sp.get("who") == f"#{zas[0].get('{http://www.w3.org/XML/1998/namespace}id')}"
                   for sp in turns)
    assert len(root.findall(".//t:body//t:supplied", NS)) == 2
    omissions = root.findall(".//t:body//t:ellipsis/t:metamark", NS)
    assert [m.text for m in omissions] == ["<…>"]
    assert root.find(".//t:creation/t:date", NS).get("when") == "2020-12-02T13:15:00+03:00"
    place = root.find(".//t:listPlace/t:place", NS)
    assert place.findtext("t:placeName", namespaces=NS) == "Ново-Огарёво"
    assert place.findtext("t:location/t:region", namespaces=NS) == "Московская область"
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "kremlin-64534"


def test_every_who_points_at_a_listed_person(sample_tei: etree._ElementTree) -> None:
    root = sample_tei.getroot()
    ids = {el.get("{http://www.w3.org/XML/1998/namespace}id")
           for el in root.iterfind(".//t:listPerson/*", NS)}
    assert {sp.get("who")[1:] for sp in root.iterfind(".//t:sp", NS)} <= ids


def test_sample_is_valid_against_official_tei_all(sample_tei: etree._ElementTree,
                                                   tei_all: etree.RelaxNG) -> None:
    assert tei_all.validate(sample_tei), tei_all.error_log.filter_from_errors()[:5]


def test_nothing_lost(sample_path: Path, sample_tei: etree._ElementTree) -> None:
    """The words of lead and turns, without labels and marks, are the words of the TEI body."""
    lines = [line for line in sample_path.read_text(encoding="utf-8-sig").splitlines()
             if line.strip()]
    content = [line for line in lines[3:]  # after title, date and place
               if not line.startswith("http") and line.strip() != "* * *"]
    source = " ".join(re.sub(r"^[^\s:]+:", "", line) for line in content)
    source = source.replace("&lt;…&gt;", " ")
    body = sample_tei.getroot().find(".//t:body", NS)
    for label in body.iterfind(".//t:speaker", NS):
        label.getparent().remove(label)
    assert words(" ".join(body.itertext())) == words(source)


def test_paragraph_and_turn_ids_are_positional(sample_tei: etree._ElementTree) -> None:
    root = sample_tei.getroot()
    paragraphs = root.findall(".//t:body//t:p", NS)
    assert [p.get("n") for p in paragraphs] == [str(i) for i in range(1, len(paragraphs) + 1)]
    assert all(p.get("{http://www.w3.org/XML/1998/namespace}id") == f"p{p.get('n')}"
               for p in paragraphs)
    turns = root.findall(".//t:sp", NS)
    assert [sp.get("{http://www.w3.org/XML/1998/namespace}id") for sp in turns] == \
        [f"sp{i}" for i in range(1, 14)]


def test_output_is_byte_identical_to_the_reference(sample_path: Path) -> None:
    """Same bytes as the committed reference: across runs, processes and machines."""
    reference = (ROOT / "tests" / "data" / "expected" / "kremlin-64534.xml").read_bytes()
    doc = read_path(sample_path, ReadOptions())
    assert to_bytes(encode(doc)) == reference
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c",
             "import sys; from tei.readers import ReadOptions; from tei.readers.read import read_path; "
             "from tei.encode import encode; from tei.xmlio import to_bytes; "
             f"sys.stdout.buffer.write(to_bytes(encode(read_path({str(sample_path)!r}, ReadOptions()))))"],
            capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed,
                                                  "PYTHONPATH": str(ROOT)})
        assert out.stdout == reference


def test_output_is_pretty_printed_utf8_with_declaration(sample_tei: etree._ElementTree,
                                                        sample_path: Path) -> None:
    data = to_bytes(encode(read_path(sample_path, ReadOptions())))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI ')
    assert b"\n    <body>\n" in data
    assert "Ново-Огарёво".encode() in data


def test_moscow_offset_follows_the_date(data_dir: Path) -> None:
    """2013 Moscow time was UTC+4: the offset comes from zoneinfo, not a constant."""
    text = (data_dir / "kremlin-ru" / "64534.txt").read_text(encoding="utf-8")
    text = text.replace("2020-12-02 13:15:00", "2013-06-01 10:00:00")
    from tei.readers.read import read_bytes

    doc = read_bytes(text.encode(), "2013.txt", ReadOptions())
    root = encode(doc).getroot()
    assert root.find(".//t:creation/t:date", NS).get("when") == "2013-06-01T10:00:00+04:00"


def test_encoded_tree_is_its_bytes_parsed(sample_path: Path) -> None:
    """The tree handed on (not parsed back from the TEI, to spare the time) is the tree its
    bytes give: serialised again, it is those bytes, and so is the tree parsed from them."""
    encoded = encode_document(read_path(sample_path, ReadOptions()))
    assert to_bytes(encoded.tree, indented=True) == encoded.tei
    parsed = parse_bytes(encoded.tei, "kremlin-64534.xml")
    assert [(e.tag, dict(e.attrib), e.text, e.tail) for e in encoded.tree.iter()] == [
        (e.tag, dict(e.attrib), e.text, e.tail) for e in parsed.iter()]


def test_encoder_bug_names_the_line_of_its_output(sample_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """TEI the encoder got wrong is never handed out, and the error says where in the TEI it
    produced the problem is: a line of those bytes, found by parsing them once it failed."""
    import tei.encode

    def broken(doc: object, publisher: str = "") -> etree._ElementTree:
        tree = encode(doc, publisher=publisher)  # type: ignore[arg-type]
        tree.getroot().find(".//t:body//t:sp", NS).set("who", "#nobody")  # type: ignore[union-attr]
        return tree

    monkeypatch.setattr(tei.encode, "encode", broken)
    with pytest.raises(Exception, match=r"breaks rule .* at line (\d+) of the output") as caught:
        encode_document(read_path(sample_path, ReadOptions()))
    line = int(re.search(r"at line (\d+)", str(caught.value)).group(1))  # type: ignore[union-attr]
    tei_lines = to_bytes(broken(read_path(sample_path, ReadOptions()))).decode().splitlines()
    assert 'who="#nobody"' in tei_lines[line - 1]
