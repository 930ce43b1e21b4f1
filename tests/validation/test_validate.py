"""The profile schema and `tei-edition validate`: what is valid, what is not, and what is said.

Broken documents in tests/data/invalid/ carry their expectation on the line
where the finding must be reported: ``<!-- expect: RULE -->``. Adding a case
is adding a file.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei.validation import schema as validation
from tei.validation import integrity as rules
from tei.cli import cli
from tei.encode import encode
from tei.readers import ReadOptions
from tei.readers.read import read_path
from tei.resources import data_dir as schema_data
from tei.validation import (
    Finding,
    Validator,
    default_validator,
    profile_schema,
    validate_paths,
)
from tei.xmlio import TEI_NS, parse_bytes, parse_file, tei, to_bytes, xml
from tei.xmlio import xml_files as iter_xml_files

DATA = Path(__file__).parents[1] / "data"
VALID = sorted((DATA / "valid").glob("*.xml"))
INVALID = sorted((DATA / "invalid").glob("*.xml"))
SAMPLES = [
    (DATA / "kremlin-ru" / "64534.txt", ReadOptions()),
    *[(path, ReadOptions()) for path in sorted((DATA / "kremlin-en").glob("*.html"))],
    (DATA / "kremlin-ru" / "carlson-interview-ru.txt",
     ReadOptions(title="Интервью Такеру Карлсону", date="2024-02-06")),
    (DATA / "kremlin-en" / "carlson-interview-en.txt",
     ReadOptions(title="Interview to Tucker Carlson", date="2024-02-06")),
]
SCHEMA_RULES = {"root", "profile", "element-placement", "missing-element", "sp-speaker",
                "sp-content", "text-placement", "attribute", "required-attribute", "datatype"}
"""Rules the XSD itself enforces (the others belong to the rule layer)."""

_EXPECT = re.compile(r"<!-- expect: ([\w-]+) -->")


@cache
def encoded(path: Path, options: ReadOptions) -> bytes:
    """The encoder's TEI for a sample, serialised as `encode` writes it."""
    return to_bytes(encode(read_path(path, options)))


def expectations(path: Path) -> list[tuple[int, str]]:
    """(line, rule) pairs announced by ``<!-- expect: RULE -->`` markers."""
    text = path.read_text(encoding="utf-8")
    return [(number, match[1]) for number, line in enumerate(text.split("\n"), start=1)
            for match in _EXPECT.finditer(line)]


def located(findings: list[Finding]) -> list[tuple[int | None, str]]:
    return sorted((finding.line, finding.rule) for finding in findings)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


# -- what is valid ----------------------------------------------------------------------------


@pytest.mark.parametrize("sample, options", SAMPLES, ids=lambda value: getattr(value, "name", ""))
def test_encoded_samples_are_valid_against_the_profile_and_tei_all(
        sample: Path, options: ReadOptions, tei_all: etree.RelaxNG) -> None:
    data = encoded(sample, options)
    tree = parse_bytes(data, sample.name)
    assert default_validator().validate_tree(tree, sample.name, source=data) == []
    assert tei_all.validate(tree), tei_all.error_log.filter_from_errors()[:3]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_hand_edited_documents_are_valid_against_the_profile_and_tei_all(
        path: Path, tei_all: etree.RelaxNG) -> None:
    assert default_validator().validate_file(path) == []
    assert tei_all.validate(parse_file(path)), tei_all.error_log.filter_from_errors()[:3]


def test_valid_documents_use_what_an_editor_may_add() -> None:
    used = {etree.QName(element).localname
            for path in VALID for element in parse_file(path).iter(etree.Element)}
    assert {"note", "hi", "foreign", "persName", "placeName", "orgName", "date", "unclear",
            "choice", "sic", "corr", "orig", "reg", "pb", "lb", "gap", "ellipsis", "supplied",
            "stage", "milestone", "revisionDesc"} <= used


# -- what is not, where, and why ----------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_broken_documents_fail_at_the_announced_line_with_the_announced_rule(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} announces no finding"
    assert located(default_validator().validate_file(path)) == sorted(expected)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_messages_are_for_people_not_xpath_soup(path: Path) -> None:
    for finding in default_validator().validate_file(path):
        assert "{http" not in finding.message and "/*[" not in finding.message
        assert "Traceback" not in finding.message
        assert finding.column, finding
        assert str(finding) == (f"{path}:{finding.line}:{finding.column}: "
                                f"{finding.message} [{finding.rule}]")


def test_the_issue_s_broken_documents_are_all_there() -> None:
    announced = {rule for path in INVALID for _, rule in expectations(path)}
    assert {"pointers-resolve", "unique-ids", "sp-speaker", "datatype", "profile",
            "element-placement", "text-placement", "pointer-kinds"} <= announced
    assert {path.stem for path in INVALID} >= {
        "dangling-who", "duplicate-id", "sp-without-speaker", "malformed-when",
        "element-outside-profile", "p-outside-div", "text-in-sp", "place-as-speaker"}


def message_of(name: str) -> str:
    (finding,) = default_validator().validate_file(DATA / "invalid" / f"{name}.xml")
    return finding.message


@pytest.mark.parametrize("name, words", [
    ("dangling-who", ['@who="#pashinyan-nicol"', "points to nothing",
                      'did you mean "#pashinyan-nikol"']),
    ("who-without-hash", ["lacks its '#'", '"#pashinyan-nikol"']),
    ("duplicate-id", ['xml:id="putin-vladimir"', "already used", "line 19"]),
    ("sp-without-speaker", ["<sp> has no <speaker>"]),
    ("sp-only-gap", ["no <p> or <stage>", "<gap reason=\"omitted\"/>"]),
    ("malformed-when", ['@when="2020-12-02 13:15:00"', "2020-12-02T13:15:00+03:00"]),
    ("when-without-offset", ["offset from UTC", "Moscow"]),
    ("element-outside-profile", ["<emph> is not an element of this TEI profile", "<hi>"]),
    ("p-outside-div", ["<p>", "inside <body>", "<div"]),
    ("text-in-sp", ['"И ещё одно."', "directly inside <sp>", "<p"]),
    ("place-as-speaker", ["points to a <place>", "<person> or <personGrp>"]),
    ("person-as-place", ["<placeName> points to a <person>", "<place>"]),
    ("paragraph-numbers", ['n="2" comes after n="3"', "3.1"]),
    ("turn-numbers", ['turn n="1" comes after n="2"']),
    ("citation-ids", ['xml:id="p5"', 'xml:id="p4"']),
    ("missing-who", ["<sp> needs @who", "#putin-vladimir"]),
    ("unknown-attribute", ["@speaker is not allowed on <p>"]),
    ("incomplete-choice", ["<choice> is incomplete", "<corr>"]),
    ("no-namespace", ["TEI namespace", TEI_NS]),
])
def test_each_message_says_what_to_do(name: str, words: list[str]) -> None:
    message = message_of(name)
    for word in words:
        assert word in message, message


def test_columns_point_at_the_offending_attribute_or_text() -> None:
    (who,) = default_validator().validate_file(DATA / "invalid" / "dangling-who.xml")
    line = (DATA / "invalid" / "dangling-who.xml").read_text(encoding="utf-8").split("\n")[40]
    assert line[who.column - 1:].startswith('who="#pashinyan-nicol"')
    (text,) = default_validator().validate_file(DATA / "invalid" / "text-in-sp.xml")
    line = (DATA / "invalid" / "text-in-sp.xml").read_text(encoding="utf-8").split("\n")[43]
    assert line[text.column - 1:].startswith("И ещё одно.")


@pytest.mark.parametrize("encoding", ["UTF-16", "windows-1251"])
def test_lines_and_columns_are_the_same_in_any_encoding(encoding: str, tmp_path: Path) -> None:
    original = DATA / "invalid" / "text-in-sp.xml"
    copy = tmp_path / original.name
    text = original.read_text(encoding="utf-8").replace('encoding="UTF-8"', f'encoding="{encoding}"')
    copy.write_bytes(text.encode(encoding))
    expected = [(f.line, f.column, f.message) for f in default_validator().validate_file(original)]
    assert [(f.line, f.column, f.message)
            for f in default_validator().validate_file(copy)] == expected


def test_a_tree_built_in_memory_is_located_by_path() -> None:
    root = encode(read_path(*SAMPLES[0]))
    root.find(f".//{tei('body')}//{tei('p')}").set("n", "one")
    (finding,) = Validator().validate_tree(root, "kremlin-64534.xml")
    assert finding.line is None and finding.rule == "datatype"
    assert "(at /TEI/text/body/div[1]/p[1])" in finding.message
    assert str(finding).startswith('kremlin-64534.xml: @n="one" on <p> is not valid')


# -- the rule layer: each rule on its own -------------------------------------------------------


RULE_CASES = {
    "unique-ids": "duplicate-id",
    "pointers-resolve": "dangling-who",
    "pointer-kinds": "place-as-speaker",
    "paragraph-numbers": "paragraph-numbers",
    "turn-numbers": "turn-numbers",
    "citation-ids": "citation-ids",
}


def test_every_rule_has_its_case() -> None:
    assert set(RULE_CASES) == {rule.name for rule in rules.RULES}


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda rule: rule.name)
def test_each_rule_finds_its_case_and_nothing_in_valid_documents(rule: rules.Rule) -> None:
    broken = parse_file(DATA / "invalid" / f"{RULE_CASES[rule.name]}.xml").getroot()
    (violation,) = rules.check(broken, (rule,))
    assert violation.rule == rule.name
    for path in VALID:
        assert rules.check(parse_file(path).getroot(), (rule,)) == []


def test_pointers_to_other_documents_are_not_checked_but_a_speaker_must_be_local() -> None:
    root = parse_file(DATA / "valid" / "full-header.xml").getroot()
    paragraph = root.find(f".//{tei('p')}")
    paragraph.set("corresp", "kremlin-64535.xml#p3 https://www.wikidata.org/wiki/Q7747")
    assert rules.check(root) == []
    root.find(f".//{tei('sp')}").set("who", "https://www.wikidata.org/wiki/Q7747")
    (violation,) = rules.check(root)
    assert violation.rule == "pointers-resolve"
    assert "must point into this document" in violation.message


def test_resp_points_to_an_agent() -> None:
    root = parse_file(DATA / "valid" / "hand-corrections.xml").getroot()
    note = root.find(f".//{tei('note')}[@resp]")
    note.set("resp", "#moskva")
    (violation,) = rules.check(root)
    assert violation.rule == "pointer-kinds" and "points to a <place>" in violation.message


def test_inserted_paragraph_numbers_sort_between_their_neighbours() -> None:
    root = parse_file(DATA / "valid" / "hand-corrections.xml").getroot()
    numbers = [p.get("n") for p in root.find(tei("text")).iter(tei("p"))]
    assert "4.1" in numbers and rules.check(root) == []
    inserted = root.find(f".//{tei('p')}[@n='4.1']")
    inserted.set("n", "3.9")
    inserted.set(xml("id"), "p3.9")
    (violation,) = rules.check(root)
    assert violation.rule == "paragraph-numbers"


CHANGES = st.lists(st.tuples(
    st.integers(0, 400), st.sampled_from(["n", "xml:id"]),
    st.sampled_from([None, "", "3", " 3", "03", "2.1", "x", "p3", "sp3", "p2.1", "+1", "-1"])),
    max_size=6)


@given(CHANGES, st.sampled_from(["p", "sp"]))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_numbering_rules_say_the_same_when_the_numbers_are_told_counting(
        changes: list[tuple[int, str, str | None]], tag: str) -> None:
    """The numbering rules, told by libxml2's lists of numbers and identifiers that every
    paragraph and turn is numbered 1, 2, 3... as its xml:id says (the encoder's TEI), read no
    element; with numbers or identifiers taken away, repeated, out of order or malformed
    (``+1``: the number after the one before; ``-1`` before it), they find what reading
    every element finds."""
    root = parse_bytes(encoded(*SAMPLES[0]), "64534.xml").getroot()
    elements = list(root.find(tei("text")).iter(tei(tag)))
    for position, name, value in changes:
        element = elements[position % len(elements)]
        attribute = xml("id") if name == "xml:id" else name
        if value in ("+1", "-1"):
            value = str(position % len(elements) + 1 + int(value))
        if value is None:
            element.attrib.pop(attribute, None)
        else:
            element.set(attribute, value)
    numbering = [rule for rule in rules.RULES
                 if rule.name in ("paragraph-numbers", "turn-numbers", "citation-ids")]
    told = [(v.rule, v.message, v.element) for v in rules.check(root, tuple(numbering))]
    with pytest.MonkeyPatch.context() as patch:  # every element read
        patch.setattr(rules.DocumentIndex, "counting", lambda self, tag: (False, False))
        read = [(v.rule, v.message, v.element) for v in rules.check(root, tuple(numbering))]
    assert told == read


def test_an_identifier_one_paragraph_off_is_found_when_the_lists_agree() -> None:
    """The last three paragraphs: the first without xml:id, the second with the first's, the
    last without a number and with the second's. The numbers and the identifiers, each
    listed in order, agree; but a paragraph has no number, and the second's identifier is
    wrong: found, as reading each element finds it."""
    root = parse_bytes(encoded(*SAMPLES[0]), "64534.xml").getroot()
    first, second, last = list(root.find(tei("text")).iter(tei("p")))[-3:]
    del first.attrib[xml("id")]
    second.set(xml("id"), f"p{first.get('n')}")
    last.set(xml("id"), f"p{second.get('n')}")
    del last.attrib["n"]
    (violation,) = rules.check(root)
    assert violation.rule == "citation-ids" and violation.element is second


def test_the_encoders_paragraphs_and_turns_are_told_counting() -> None:
    """The encoder's TEI takes the numbering rules' quick way: nothing read element by element."""
    index = rules.DocumentIndex.of(parse_bytes(encoded(*SAMPLES[0]), "64534.xml").getroot())
    assert index.counting(tei("p")) == index.counting(tei("sp")) == (True, True)
    assert rules.check(index.body.getroottree().getroot()) == [] and not index.numbered


# -- the schema itself --------------------------------------------------------------------------


def test_the_schema_is_plain_xsd_1_0_that_xmlschema_reads_too() -> None:
    schema = xmlschema.XMLSchema10(str(schema_data("schema") / "tei-transcript.xsd"))
    for path in VALID:
        assert schema.is_valid(str(path)), path
    structural = [path for path in INVALID
                  if {rule for _, rule in expectations(path)} <= SCHEMA_RULES]
    assert len(structural) >= 10
    for path in structural:
        assert not schema.is_valid(str(path)), path


def test_every_datatype_of_the_schema_explains_itself() -> None:
    xsd = parse_file(schema_data("schema") / "tei-transcript.xsd").getroot()
    named = {node.get("name") for node in xsd.iter("{http://www.w3.org/2001/XMLSchema}simpleType")
             if node.get("name")}
    assert named and named <= set(profile_schema().guide.type_docs)


def test_the_profile_page_describes_every_element_and_every_rule() -> None:
    page = (schema_data("schema") / "README.md").read_text(encoding="utf-8")
    elements = sorted(profile_schema().guide.element_names)
    assert len(elements) > 80
    assert [name for name in elements if f"`{name}`" not in page] == []
    names = (SCHEMA_RULES | {rule.name for rule in rules.RULES}
             | {"schema", "tei-all", "well-formed", "safety", "read"})
    assert [name for name in sorted(names) if f"| `{name}` |" not in page] == []


def test_the_schema_is_compiled_once_for_a_folder(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(30):
        shutil.copy(DATA / "valid" / "full-header.xml", tmp_path / f"copy-{number:03}.xml")
    compiled: list[object] = []
    real = etree.XMLSchema

    def counting(*args: object, **kwargs: object) -> etree.XMLSchema:
        compiled.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(validation.etree, "XMLSchema", counting)
    profile_schema.cache_clear()
    default_validator.cache_clear()
    try:
        report = validate_paths([tmp_path])
        validate_paths([tmp_path])
    finally:
        profile_schema.cache_clear()
        default_validator.cache_clear()
    assert report.count("valid") == 30 and len(compiled) == 1


# -- every document valid against the profile is valid against tei_all -------------------------


INSERTABLE = {
    "hi": {"rend": "italic"}, "foreign": {xml("lang"): "en"},
    "persName": {"ref": "#putin-vladimir"}, "placeName": {"ref": "#novo-ogaryovo"},
    "orgName": {"ref": "#odkb"}, "name": {},
    "date": {"when": "2020-12-02"}, "ref": {"target": "#p1"}, "supplied": {"reason": "editorial"},
    "unclear": {"reason": "inaudible"}, "gap": {"reason": "omitted"}, "note": {"type": "editor"},
    "pb": {"n": "2"}, "lb": {}, "stage": {"type": "laughter"}, "milestone": {"unit": "section"},
    "speaker": {}, "head": {}, "desc": {}, "idno": {"type": "wikidata"}, "occupation": {},
    "title": {}, "forename": {}, "surname": {}, "roleName": {}, "settlement": {}, "region": {},
}
"""Elements of the profile an editor might insert anywhere, with plausible attributes."""


def mutate(root: etree._Element, data: st.DataObject) -> None:
    """Insert, remove or wrap one element in the text of ``root``, as a careless editor might."""
    text = root.find(tei("text"))
    elements = list((root if text is None else text).iter(etree.Element))
    target = data.draw(st.sampled_from(elements))
    action = data.draw(st.sampled_from(["insert", "remove", "wrap"]))
    if action == "remove" and target.getparent() is not None:
        target.getparent().remove(target)
        return
    tag = data.draw(st.sampled_from(sorted(INSERTABLE)))
    new = etree.Element(tei(tag), INSERTABLE[tag])
    if tag not in {"gap", "pb", "lb", "milestone"}:
        new.text = data.draw(st.sampled_from(["Смех.", "ОДКБ", "2020", "x"]))
    if action == "wrap" and target.getparent() is not None:
        parent = target.getparent()
        parent.replace(target, new)
        new.append(target)
        return
    target.insert(data.draw(st.integers(0, len(target))), new)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whatever_the_profile_accepts_tei_all_accepts(data: st.DataObject,
                                                      tei_all: etree.RelaxNG) -> None:
    name = data.draw(st.sampled_from([path.name for path in VALID]))
    root = parse_file(DATA / "valid" / name).getroot()
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(root, data)
    if default_validator().validate_tree(root, name) == []:
        assert tei_all.validate(root.getroottree()), (
            etree.tostring(root, encoding="unicode")[:3000], tei_all.error_log.last_error)


def test_careless_edits_are_often_still_valid_so_the_property_above_bites() -> None:
    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(data=st.data())
    def count(data: st.DataObject) -> None:
        root = parse_file(DATA / "valid" / "hand-corrections.xml").getroot()
        mutate(root, data)
        outcomes.append(default_validator().validate_tree(root, "x") == [])

    outcomes: list[bool] = []
    count()
    assert outcomes.count(True) >= 5 and outcomes.count(False) >= 5


# -- the command line -------------------------------------------------------------------------


def test_cli_valid_folder_exits_0_with_a_summary(tmp_path: Path) -> None:
    for path in VALID:
        shutil.copy(path, tmp_path)
    code, output = run("validate", str(tmp_path))
    assert code == 0
    assert output.strip() == (f"{len(VALID)} files checked against tei-transcript "
                              f"{profile_schema().version}: {len(VALID)} valid.")


def test_cli_encoded_sample_with_and_without_tei_all(tmp_path: Path) -> None:
    target = tmp_path / "kremlin-64534.xml"
    target.write_bytes(encoded(*SAMPLES[0]))
    assert run("validate", str(target))[0] == 0
    code, output = run("validate", str(target), "--tei-all")
    assert code == 0 and "and TEI P5 tei_all: 1 valid." in output
    code, output = run("validate", "--tei-all", str(target))
    assert code == 0 and "and TEI P5 tei_all: 1 valid." in output
    code, output = run("validate", str(target), "--tei-all", str(validation.bundled_tei_all()))
    assert code == 0 and "tei_all" in output


def test_cli_invalid_files_exit_1_with_file_line_column_lines() -> None:
    code, output = run("validate", str(DATA / "invalid" / "dangling-who.xml"),
                       str(DATA / "valid" / "minimal.xml"))
    lines = output.strip().split("\n")
    assert code == 1
    assert re.fullmatch(r".*dangling-who\.xml:41:32: @who=.* \[pointers-resolve\]", lines[0])
    assert lines[-1].endswith(": 1 valid, 1 invalid; 1 problem.")


def test_cli_unreadable_wins_over_invalid_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader></TEI>",
                      encoding="utf-8")
    code, output = run("validate", str(broken), str(DATA / "invalid" / "text-in-sp.xml"))
    assert code == 2
    assert re.search(r"broken\.xml:1:\d+: not well-formed XML: .* \[well-formed\]", output)
    assert "1 invalid, 1 unreadable" in output


def test_cli_validates_standard_input_named_stdin() -> None:
    bad = (DATA / "invalid" / "dangling-who.xml").read_bytes()
    result = CliRunner().invoke(cli, ["validate", "-"], input=bad)
    assert result.exit_code == 1
    assert re.match(r"<stdin>:41:32: @who=.* \[pointers-resolve\]", result.output)
    good = (DATA / "valid" / "minimal.xml").read_bytes()
    result = CliRunner().invoke(cli, ["validate", "-", str(DATA / "valid" / "minimal.xml")],
                                input=good)
    assert result.exit_code == 0 and ": 2 valid." in result.output


def test_only_the_argument_dash_is_standard_input(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(DATA / "valid" / "minimal.xml", tmp_path / "-")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "./-"], input=b"")
    assert result.exit_code == 0 and "1 valid." in result.output  # a file named '-'
    twice = CliRunner().invoke(cli, ["validate", "-", "-"], input=b"<TEI/>")
    assert twice.exit_code == 2 and "more than once" in twice.output


def test_standard_input_beyond_the_limit_is_refused_not_cut(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import tei.xmlio
    from tei.validation import default_validator

    default_validator()  # the profile's schema compiled before the limit falls below its size
    monkeypatch.setattr(tei.xmlio, "MAX_BYTES", 100)
    data = (DATA / "valid" / "minimal.xml").read_bytes()
    result = CliRunner().invoke(cli, ["validate", "-"], input=data)
    assert result.exit_code == 2
    assert "<stdin>:1:" in result.output and "standard input is larger than the limit" in result.output
    text = (DATA / "kremlin-ru" / "64534.txt").read_bytes()
    result = CliRunner().invoke(cli, ["encode", "-", "-o", str(tmp_path / "o")], input=text)
    assert result.exit_code == 1 and "standard input is larger than the limit" in result.output


def test_cli_json_gives_the_same_findings(tmp_path: Path) -> None:
    paths = [str(path) for path in INVALID[:5]]
    _, text = run("validate", *paths)
    code, output = run("validate", *paths, "--format", "json")
    report = json.loads(output)
    assert code == report["exit_code"] == 1
    assert [f"{f['path']}:{f['line']}:{f['column']}: {f['message']} [{f['rule']}]"
            for f in report["findings"]] == text.strip().split("\n")[:-1]
    assert report["summary"] == {"valid": 0, "outside-profile": 0, "invalid": 5, "unreadable": 0}


def test_cli_without_paths_or_with_a_missing_schema_explains_and_exits_2(tmp_path: Path) -> None:
    code, output = run("validate")
    assert code == 2 and "Missing argument" in output
    code, output = run("validate", str(DATA / "valid"), "--tei-all", str(tmp_path / "none.rng"))
    assert code == 2 and "none.rng: cannot read the TEI schema" in output


def test_an_empty_folder_is_not_a_success(tmp_path: Path) -> None:
    code, output = run("validate", str(tmp_path))
    assert code == 2 and f"{tmp_path}: cannot read the file: a folder with no .xml files" in output


def test_a_missing_file_does_not_stop_the_others(tmp_path: Path) -> None:
    code, output = run("validate", str(tmp_path / "missing.xml"), str(VALID[0]))
    assert code == 2
    assert f"{tmp_path / 'missing.xml'}: cannot read the file: No such file" in output
    assert "1 valid" in output


def test_folders_are_walked_sorted_without_hidden_files(tmp_path: Path) -> None:
    for name in ("b.xml", "a.xml", "sub/c.xml", ".git/d.xml", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<x/>", encoding="utf-8")
    found = list(iter_xml_files([tmp_path, tmp_path / "notes.txt"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.xml", "b.xml", "sub/c.xml", "notes.txt"]


def test_tei_all_findings_come_after_the_profile_s_and_say_whose_they_are() -> None:
    findings = Validator(tei_all=True).validate_file(DATA / "invalid" / "unknown-attribute.xml")
    assert [(f.line, f.rule) for f in findings] == [(38, "attribute"), (38, "tei-all")]
    assert findings[1].message == "TEI P5 tei_all: Invalid attribute speaker for element p"


def test_findings_come_in_line_order() -> None:
    """A person reads findings top to bottom: ParlaMint's many findings are in line order."""
    findings = Validator(tei_all=True).validate_file(
        DATA / "parlamint" / "ParlaMint-GB_2022-07-21-commons.xml")
    lines = [f.line or 0 for f in findings]
    assert len(lines) > 5 and lines == sorted(lines)


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: p.name)
def test_the_xmlschema_engine_agrees_with_the_libxml2_fast_path(path: Path) -> None:
    """Same verdict with either engine; xmlschema points at the element or, for a bad
    child or stray text, at its parent, so never below the fast path's line."""
    fast = Validator().validate_file(path)
    reference = Validator(engine="xmlschema").validate_file(path)
    assert bool(fast) == bool(reference)
    fast_lines = [f.line or 0 for f in fast if f.rule in SCHEMA_RULES]
    reference_lines = [f.line or 0 for f in reference if f.rule == "schema"]
    assert bool(fast_lines) == bool(reference_lines)
    if fast_lines:
        assert 0 < reference_lines[0] <= fast_lines[0]


def test_validate_command_with_the_xmlschema_engine() -> None:
    code, output = run("validate", "--engine", "xmlschema", str(DATA / "invalid" / "text-in-sp.xml"))
    assert code == 1
    assert "text-in-sp.xml:41: <sp>: character data between child elements not allowed [schema]" \
        in output


# -- issue 12.5: many attributes on one element, validated in linear time -----------------------

MANY_ATTRIBUTES = 30_000
"""Attributes on one paragraph: a second or two when each costs the same, well over ten
seconds when each costs time proportional to those before it (as it did, issue 12.5)."""


def with_many_attributes(folder: Path, count: int = MANY_ATTRIBUTES) -> Path:
    """valid/minimal.xml with ``count`` unknown attributes on its paragraph (line 20):
    ``a0="v" a1="v" …``."""
    text = (DATA / "valid" / "minimal.xml").read_text(encoding="utf-8")
    start = '<p xml:id="p1" n="1"'
    assert text.split("\n")[19].lstrip().startswith(start)
    attributes = " ".join(f'a{number}="v"' for number in range(count))
    path = folder / "many-attributes.xml"
    path.write_text(text.replace(start, f"{start} {attributes}", 1), encoding="utf-8")
    return path


def test_every_one_of_thousands_of_attributes_gets_its_finding_at_its_column(
        tmp_path: Path) -> None:
    path = with_many_attributes(tmp_path)
    code, output = run("validate", str(path))
    lines = output.splitlines()
    assert code == 1 and len(lines) == MANY_ATTRIBUTES + 1
    assert lines[-1].endswith(f": 0 valid, 1 invalid; {MANY_ATTRIBUTES} problems.")
    source_line = path.read_text(encoding="utf-8").split("\n")[19]
    for number in (0, 1, MANY_ATTRIBUTES // 2, MANY_ATTRIBUTES - 1):
        location, message = lines[number].split(": ", 1)
        name, line, column = location.rsplit(":", 2)
        assert (name, line) == (str(path), "20")
        assert message == f"@a{number} is not allowed on <p> [attribute]"
        assert source_line[int(column) - 1:].startswith(f'a{number}="v"')


def test_build_refuses_a_tei_source_with_thousands_of_attributes_at_its_line(
        tmp_path: Path) -> None:
    from tei.corpus import build

    source = with_many_attributes(tmp_path)
    report = build([source], tmp_path / "out")
    assert report.built == 0
    (failure,) = report.failures
    assert str(failure) == (f"{source}:20: @a0 is not allowed on <p> (and "
                            f"{MANY_ATTRIBUTES - 1} more: run tei-edition validate)")


def test_the_xmlschema_engine_is_not_run_on_an_element_with_thousands_of_attributes(
        tmp_path: Path) -> None:
    """xmlschema's time grows faster than the square of the attributes of an element (2,000
    took half a minute): past its limit, one finding says so and where."""
    many = with_many_attributes(tmp_path, 2_000)
    code, output = run("validate", "--engine", "xmlschema", str(many))
    assert code == 1
    assert output.splitlines()[0] == (
        f"{many}:20: <p> has 2002 attributes, more than the xmlschema engine checks "
        f"({validation.XMLSCHEMA_MAX_ATTRIBUTES}) and than any element of the profile allows: "
        "validate without --engine for a finding per attribute [attribute]")
    few = with_many_attributes(tmp_path, validation.XMLSCHEMA_MAX_ATTRIBUTES - 2)
    findings = Validator(engine="xmlschema").validate_file(few)
    assert len(findings) == validation.XMLSCHEMA_MAX_ATTRIBUTES - 2
    assert all(f.line == 20 and f.rule == "schema" for f in findings)
