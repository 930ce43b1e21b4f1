"""`tei-edition validate` knows TEI from other corpora and the build's own corpus.xml."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei.cli import cli
from tei.corpus import build

DATA = Path(__file__).parents[1] / "data"
PLAY = DATA / "dracor" / "pushkin-mocart-i-saleri.xml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_tei_from_another_corpus_is_valid_tei_outside_the_profile_with_tei_all() -> None:
    code, output = run("--tei-all", str(PLAY))
    assert code == 0
    assert output.split("\n")[:2] == [
        f"{PLAY}: valid TEI (tei_all); outside the project's profile: 9 problems, first: 10: "
        "<author> is not allowed here, inside <titleStmt>; expected <title>, <respStmt> "
        "[element-placement]",
        "1 file checked against tei-transcript 1.2.0 and TEI P5 tei_all: 0 valid, "
        "1 valid TEI outside the profile."]


def test_without_tei_all_it_is_checked_against_the_profile_and_fails() -> None:
    code, output = run(str(PLAY))
    assert code == 1 and output.strip().endswith("0 valid, 1 invalid; 9 problems.")
    assert "valid TEI" not in output


def test_json_gives_the_status_and_the_note() -> None:
    code, output = run("--tei-all", str(PLAY), "--format", "json")
    report = json.loads(output)
    assert code == report["exit_code"] == 0
    assert report["files"] == [{"path": str(PLAY), "status": "outside-profile"}]
    assert report["findings"] == []
    [note] = report["notes"]
    assert (note["problems"], note["first"]["line"], note["verdict"]) == \
        (9, 10, "valid TEI (tei_all)")
    assert report["summary"]["outside-profile"] == 1


def test_tei_from_another_corpus_that_tei_all_refuses_is_invalid(tmp_path: Path) -> None:
    broken = tmp_path / "play.xml"
    broken.write_text(PLAY.read_text(encoding="utf-8").replace("<div ", '<div colour="red" ', 1),
                      encoding="utf-8")
    code, output = run("--tei-all", str(broken))
    lines = output.strip().split("\n")
    assert code == 1 and len(lines) == 2
    assert re.fullmatch(rf"{re.escape(str(broken))}:95:\d+: TEI P5 tei_all: Invalid attribute "
                        r"colour for element div \[tei-all\]", lines[0])


def test_tei_that_claims_the_profile_is_held_to_it_with_tei_all() -> None:
    code, output = run("--tei-all", str(DATA / "invalid" / "dangling-who.xml"))
    assert code == 1 and "[pointers-resolve]" in output and "valid TEI" not in output


def test_help_says_what_valid_tei_outside_the_profile_returns() -> None:
    output = " ".join(CliRunner().invoke(cli, ["validate", "--help"]).output.split())
    assert "valid against tei_all, it counts as valid (exit status 0)" in output


# -- the build's corpus.xml ------------------------------------------------------------------


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A transcript of ours and a DraCor play, built once."""
    out = tmp_path_factory.mktemp("edition") / "out"
    assert build([DATA / "kremlin-ru" / "64534.txt", PLAY], out).ok
    return out


@pytest.fixture()
def copy(edition: Path, tmp_path: Path) -> Path:
    """A copy of the edition to spoil."""
    target = tmp_path / "copy"
    shutil.copytree(edition.resolve(), target, symlinks=False)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new`` in ``path``; the line it is on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def test_corpus_xml_is_valid_as_a_corpus_and_its_member_from_elsewhere_is_a_note(
        edition: Path) -> None:
    code, output = run(str(edition / "corpus.xml"))
    lines = output.strip().split("\n")
    assert code == 0 and lines[-1].endswith(": 1 valid."), output
    assert lines[:-1] == [
        f"{edition / 'corpus' / 'rus000020.xml'}: TEI from another corpus; outside the "
        "project's profile: 11 problems, first: 8: <author> is not allowed here, inside "
        "<titleStmt>; expected <title>, <respStmt> [element-placement]"]
    code, output = run("--tei-all", str(edition / "corpus.xml"))
    assert code == 0 and "rus000020.xml: valid TEI (tei_all); outside" in output, output


def test_a_folder_with_corpus_xml_validates_each_member_once(edition: Path) -> None:
    code, output = run("--tei-all", str(edition))
    assert code == 0, output
    assert output.strip().endswith("3 files checked against tei-transcript 1.2.0 and TEI P5 "
                                   "tei_all: 2 valid, 1 valid TEI outside the profile.")


def test_a_member_of_ours_is_held_to_the_rules_of_a_member(copy: Path) -> None:
    member = copy / "corpus" / "kremlin-64534.xml"
    link = edit(member, 'sameAs="#putin-vladimir"', 'sameAs="#putin-vladimir-v"')
    cited = edit(member, 'xml:id="kremlin-64534.p5"', 'xml:id="kremlin-64534.para5"')
    code, output = run(str(copy / "corpus.xml"))
    assert code == 1
    assert re.search(rf"{re.escape(str(member))}:{link}:\d+: @sameAs=\"#putin-vladimir-v\" on "
                     r"<person> must point to its entry in the corpus header .* "
                     r"\[pointers-resolve\]", output), output
    assert re.search(rf"{re.escape(str(member))}:{cited}:\d+: <p n=\"5\"> has "
                     r"xml:id=\"kremlin-64534.para5\": it must be xml:id=\"kremlin-64534.p5\"",
                     output), output
    assert output.count(str(member)) == 2  # prefixed IDs and sameAs links are a member's own
    assert output.index(f"{member}:{link}:") < output.index(f"{member}:{cited}:")  # line order


def test_identifiers_are_unique_across_the_corpus(copy: Path) -> None:
    play = copy / "corpus" / "rus000020.xml"
    line = edit(play, 'xml:id="rus000020.mocart"', 'xml:id="kremlin-64534.p1"')
    code, output = run(str(copy / "corpus.xml"))
    assert code == 1
    assert re.search(rf"{re.escape(str(play))}:{line}:\d+: xml:id=\"kremlin-64534.p1\" is "
                     r"already used by <p> .*\[unique-ids\]", output), output


def test_a_missing_member_or_one_outside_the_folder_cannot_be_validated(copy: Path) -> None:
    (copy / "corpus" / "rus000020.xml").unlink()
    code, output = run(str(copy / "corpus.xml"))
    assert code == 2
    assert re.search(r"corpus\.xml:\d+: xi:include of 'corpus/rus000020.xml': cannot read .* "
                     r"\[read\]", output), output
    edit(copy / "corpus.xml", 'href="corpus/kremlin-64534.xml"', 'href="../../../etc/passwd"')
    code, output = run(str(copy / "corpus.xml"))
    assert code == 2 and "'../../../etc/passwd': refused" in output and "[safety]" in output
