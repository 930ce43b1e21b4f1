"""`tei-edition validate` knows TEI from other corpora and the build's own corpus.xml."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from tei.cli import cli

DATA = Path(__file__).parent / "data"
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
        "1 file checked against tei-transcript 1.0.0 and TEI P5 tei_all: 0 valid, "
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
