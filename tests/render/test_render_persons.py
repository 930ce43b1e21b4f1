"""Speakers a document points at but does not describe: a ParlaMint sitting's persons live in
its corpus's listPerson and listOrg (``render --persons``, or the files it XIncludes or names)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from render_support import DATA, FOREIGN, parse_html
from tei.cli import cli
from tei.errors import RenderError
from tei.pipeline import view_of
from tei.render import render_html
from tei.render.persons import load_lists
from tei.xmlio import parse_bytes, parse_file

SITTING = FOREIGN["parlamint-gb"]
PERSONS = DATA / "parlamint-persons"
LISTS = [PERSONS / "ParlaMint-GB-listPerson.xml", PERSONS / "ParlaMint-GB-listOrg.xml"]
SPEAKERS = {"LindsayHoyle": ("Lindsay Hoyle", "Speaker, House of Commons"),
            "RobertBlackman": ("Robert Blackman", "Conservative"),
            "DavidRutley": ("David Rutley", "Conservative; Government of the United Kingdom of "
                                            "Great Britain and Northern Ireland"),
            "EleanorLaing": ("Eleanor Laing", "Conservative; Deputy Speaker, House of Commons")}
"""Each speaker of the sample sitting: the name and what they were on 21 July 2022."""


def persons_of(page_html: str) -> dict[str, str]:
    """The persons of a page by anchor: their entry's first line as a reader sees it."""
    page = parse_html(page_html)
    return {li.get("id"): "".join(li.find("p").itertext()).strip()
            for li in page.iter("li") if "person" in (li.get("class") or "").split()}


def labels_of(page_html: str) -> list[str]:
    """The turns' labels as shown."""
    page = parse_html(page_html)
    return ["".join(p.itertext()) for p in page.iter("p") if p.get("class") == "speaker"]


def test_without_its_persons_a_sitting_can_show_only_their_ids() -> None:
    shown = persons_of(render_html(parse_file(SITTING)))
    assert shown["RobertBlackman"].startswith("RobertBlackman (not described in this document)")


def test_persons_files_name_each_speaker_with_party_or_role_on_the_day() -> None:
    view = view_of(parse_file(SITTING), SITTING.stem, None, load_lists(LISTS))
    page = render_html(view)
    assert persons_of(page) == {key: f"{name}, {what}" for key, (name, what) in SPEAKERS.items()}
    assert labels_of(page) == [f"{name} ({what})" for name, what in SPEAKERS.values()]
    assert "Labour" not in page  # Hoyle's party until he became Speaker, not on the day
    assert all(p.listed for p in view.persons)  # described, so the corpus registers list them


def test_cli_render_takes_persons_files(tmp_path: Path) -> None:
    args = ["render", str(SITTING), "-o", str(tmp_path)]
    for path in LISTS:
        args += ["--persons", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "html" / f"{SITTING.stem}.html").read_text(encoding="utf-8")
    assert persons_of(page)["RobertBlackman"] == "Robert Blackman, Conservative"
    text = (tmp_path / "text" / f"{SITTING.stem}.txt").read_text(encoding="utf-8")
    assert "Robert Blackman (Conservative): 1. What progress" in text
    missing = CliRunner().invoke(cli, ["render", str(SITTING), "-o", str(tmp_path),
                                       "--persons", str(tmp_path / "none.xml")])
    assert missing.exit_code == 2 and "none.xml" in missing.output


def sitting_in(folder: Path, edit: tuple[str, str]) -> Path:
    """A copy of the sitting in ``folder/2022/`` (as in a ParlaMint corpus, persons files one
    folder up), with one textual ``edit`` (old, new)."""
    (folder / "2022").mkdir(parents=True)
    for path in LISTS:
        shutil.copy(path, folder / path.name)
    copy = folder / "2022" / SITTING.name
    text = SITTING.read_text(encoding="utf-8")
    assert edit[0] in text
    copy.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    return copy


XINCLUDES = ('<profileDesc>',
             '<profileDesc>\n<particDesc xmlns:xi="http://www.w3.org/2001/XInclude">'
             '<xi:include href="../ParlaMint-GB-listOrg.xml"/>'
             '<xi:include href="../ParlaMint-GB-listPerson.xml"/></particDesc>')


def test_the_files_a_sitting_xincludes_give_its_persons(tmp_path: Path) -> None:
    copy = sitting_in(tmp_path, XINCLUDES)
    result = CliRunner().invoke(cli, ["render", str(copy), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "html" / f"{SITTING.stem}.html").read_text(encoding="utf-8")
    assert persons_of(page) == {key: f"{name}, {what}" for key, (name, what) in SPEAKERS.items()}


def test_a_pointer_into_a_file_of_persons_names_its_file(tmp_path: Path) -> None:
    copy = sitting_in(tmp_path, ('who="#RobertBlackman"',
                                 'who="../ParlaMint-GB-listPerson.xml#RobertBlackman"'))
    view = view_of(parse_file(copy), copy.stem, str(copy))
    names = {p.id: (p.name, p.occupation) for p in view.persons}
    # the file named once gives every speaker (no listOrg: roles without their organisation)
    assert names["RobertBlackman"] == ("Robert Blackman", None)
    assert names["LindsayHoyle"] == ("Lindsay Hoyle", "Speaker")


def test_a_missing_xincluded_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    copy = sitting_in(tmp_path, XINCLUDES)
    (tmp_path / "ParlaMint-GB-listPerson.xml").unlink()
    line = next(n for n, text in enumerate(copy.read_text(encoding="utf-8").splitlines(), 1)
                if "xi:include" in text)
    with pytest.raises(RenderError) as error:
        view_of(parse_bytes(copy.read_bytes(), str(copy)), copy.stem, str(copy))
    assert (error.value.path, error.value.line) == (str(copy), line)
    assert "../ParlaMint-GB-listPerson.xml, which this document XIncludes or names" in \
        error.value.message


def test_absolute_paths_and_addresses_are_not_followed(tmp_path: Path) -> None:
    copy = sitting_in(tmp_path, ('<profileDesc>', '<profileDesc><particDesc '
                                 'xmlns:xi="http://www.w3.org/2001/XInclude">'
                                 f'<xi:include href="{LISTS[0]}"/>'
                                 '<xi:include href="https://example.org/p.xml"/></particDesc>'))
    view = view_of(parse_file(copy), copy.stem, str(copy))
    assert {p.name for p in view.persons} == set(SPEAKERS)
