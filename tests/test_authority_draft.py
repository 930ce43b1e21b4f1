"""``tei-edition authority``: a first authority file drafted from the corpus itself."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from tei.authority import load_authority
from tei.authority_draft import draft_authority, probable_duplicates, write_csv
from tei.cli import cli
from tei.corpus import BuildOptions, build

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"


def transcripts(tmp_path: Path) -> Path:
    """The bundled transcripts and page, without their authority file."""
    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src, ignore=shutil.ignore_patterns("authority.csv"))
    return src


def rows_by_id(data: bytes) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(data.decode("utf-8")))}


def test_a_label_only_speaker_joins_the_one_full_name_it_fits(tmp_path: Path) -> None:
    """The Carlson interview labels Putin В.Путин only (putin-v); the CSTO session's lead
    names him in full (putin-vladimir): the draft proposes one person."""
    report = draft_authority([transcripts(tmp_path)])
    assert report.errors == []
    putin = next(row for row in report.rows if row.id == "putin-vladimir")
    assert {"putin-v", "putin-vladimir"} <= putin.ids
    assert {"В.Путин", "Владимир Путин", "Vladimir Putin"} <= set(putin.variants)
    assert not any(row.id == "putin-v" for row in report.rows)


def test_one_item_in_two_languages_is_one_person_under_the_english_spelling(
        tmp_path: Path) -> None:
    report = draft_authority([transcripts(tmp_path)])
    carlson = next(row for row in report.rows if "Т.Карлсон" in row.variants)
    assert carlson.id == "carlson-tucker" and carlson.name == "Tucker Carlson"
    assert not any(row.id.startswith("karlson") for row in report.rows)


def test_transliteration_variants_are_flagged_not_merged(data_dir: Path) -> None:
    report = draft_authority([data_dir / "kremlin-en"])
    rows = {row.id: row for row in report.rows}
    assert rows["shakhidjanyan-vladimir"].check == ["spelling shakhijanyan-vladimir?"]
    assert rows["shakhijanyan-vladimir"].check == ["spelling shakhidjanyan-vladimir?"]
    # the headerless interview without metadata is reported, the rest drafted
    assert [str(e.path).endswith("carlson-interview-en.txt") for e in report.errors] == [True]


def test_probable_duplicates() -> None:
    assert probable_duplicates(["putin-v", "putin-vladimir", "pashinyan-nikol"]) == [
        ("putin-v", "putin-vladimir", "initials")]
    assert probable_duplicates(["putin-vladimir", "putina-vladislava"]) == []
    assert probable_duplicates(["ivanov-s", "ivanov-sergei-borisovich"]) == []


def test_the_draft_is_an_authority_that_build_reads(tmp_path: Path) -> None:
    src = transcripts(tmp_path)
    draft = tmp_path / "authority.csv"
    result = CliRunner().invoke(cli, ["authority", str(src), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {draft}: ")
    authority = load_authority(draft)
    assert authority.find("person", [], ["В.Путин"]).id == "putin-vladimir"  # type: ignore[union-attr]
    out = tmp_path / "out"
    report = build([src], out, BuildOptions(authority=draft))
    assert report.ok and report.warnings == []
    interview = (out / "tei" / "kremlin-73411.xml").read_text(encoding="utf-8")
    assert 'who="#putin-vladimir"' in interview and 'who="#putin-v"' not in interview


def test_the_draft_never_replaces_an_edited_file_without_force(tmp_path: Path) -> None:
    src = transcripts(tmp_path)
    draft = tmp_path / "authority.csv"
    draft.write_text("kind,id,name\nperson,my-own,Me\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["authority", str(src), "-o", str(draft)])
    assert result.exit_code == 1 and "--force" in result.output
    assert draft.read_text(encoding="utf-8") == "kind,id,name\nperson,my-own,Me\n"
    assert CliRunner().invoke(cli, ["authority", str(src), "-o", str(draft),
                                    "--force"]).exit_code == 0
    assert rows_by_id(draft.read_bytes())["putin-vladimir"]["check"] == ""


def test_build_without_an_authority_warns_once_of_probable_duplicates(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(transcripts(tmp_path)), "-o",
                                      str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and "putin-v ~ putin-vladimir" in warnings[0]
    assert "tei-edition authority" in warnings[0]


def test_write_csv_is_deterministic(tmp_path: Path) -> None:
    src = transcripts(tmp_path)
    assert write_csv(draft_authority([src]).rows) == write_csv(draft_authority([src]).rows)
