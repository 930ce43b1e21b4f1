"""Editions that mix corpora: DraCor plays, ParlaMint sittings and a teiCorpus built with
kremlin.ru transcripts (issue 11).

TEI that does not claim the profile is published when it is valid TEI (tei_all), its
distance from the profile a warning; TEI of ours is still held to the profile.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html

import tei.corpus.foreign
from tei.cli import cli
from tei.corpus import BuildOptions, BuildReport, build
from tei.xmlio import TEI_NS, XML_NS, parse_file

NS = {"t": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
FOREIGN = {"rus000061": ("dracor", "chekhov-tragik-ponevole.xml"),
           "rus000020": ("dracor", "pushkin-mocart-i-saleri.xml"),
           "ParlaMint-GB_2022-07-21-commons": ("parlamint", "ParlaMint-GB_2022-07-21-commons.xml")}
"""Documents published as their sources are, by ID."""
SAMPLES = ("kremlin-ru", "kremlin-en", "dracor", "parlamint")
"""The folders of ``tests/data`` that hold copies of the shared samples (``kremlin-html`` is
made by hand from ``kremlin-ru/64534.txt``, so it gives the same document)."""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[Path, BuildReport]:
    """DraCor, ParlaMint and kremlin.ru built together, once."""
    out = tmp_path_factory.mktemp("mixed") / "out"
    sources = [data_dir / "dracor", data_dir / "parlamint", data_dir / "kremlin-ru"]
    return out, build(sources, out, BuildOptions(jobs=2))


def names(page: Path) -> list[str]:
    """The names of the persons of a register's A to Z (``persons.html``), as its letter pages
    show them, in order."""
    found = []
    for letter in (page.parent / a.get("href") for a in html.parse(str(page)).iter("a")
                   if "/a-z/" in a.get("href", "")):
        entries = html.parse(str(letter)).getroot().find_class("register-entries")[0]
        found += [" ".join(li.find("a").text_content().split()) for li in entries.iter("li")]
    return found


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_every_file_is_published_and_each_member_of_a_tei_corpus_is_a_document(
        mixed: tuple[Path, BuildReport], data_dir: Path) -> None:
    out, report = mixed
    assert [str(f) for f in report.failures] == [  # only the transcript that has no metadata
        f"{data_dir / 'kremlin-ru' / 'carlson-interview-ru.txt'}:1: no date: the text has no "
        "date line (YYYY-MM-DD HH:MM:SS); give --date or a sidecar file NAME.meta.toml with "
        "date = …"]
    ids = sorted(p.stem for p in (out / "tei").glob("*.xml"))
    assert ids == sorted([*FOREIGN, "document.id", "kremlin-64534"])
    for doc_id in ids:
        for folder, suffix in (("html", "html"), ("text", "txt"), ("corpus", "xml")):
            assert (out / folder / f"{doc_id}.{suffix}").stat().st_size > 0
    for doc_id, (folder, name) in FOREIGN.items():  # published as they are
        assert (out / "tei" / f"{doc_id}.xml").read_bytes() == (data_dir / folder / name).read_bytes()


def test_a_member_of_a_tei_corpus_takes_the_persons_it_points_at_from_the_corpus_header(
        mixed: tuple[Path, BuildReport], tei_all: etree.RelaxNG) -> None:
    out, _ = mixed
    member = parse_file(out / "tei" / "document.id.xml")
    root = member.getroot()
    assert etree.QName(root).localname == "TEI" and root.get(XML_ID) == "document.id"
    assert root.findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces=NS) == \
        "The parliament of the Republic of Slovenia"
    persons = [p.get(XML_ID) for p in root.iterfind(".//t:particDesc//t:person", NS)]
    assert persons == ["KučanMilan", "JohnDoe1960", "JohnsonBoris1964", "CorbynJeremy1949"]
    assert tei_all.validate(member), tei_all.error_log


def test_profile_problems_of_other_corpora_are_one_warning_per_document(
        mixed: tuple[Path, BuildReport], data_dir: Path) -> None:
    _, report = mixed
    notes = [str(note) for note in report.warnings]
    assert len(notes) == 4
    for doc_id in [*FOREIGN, "document.id"]:
        [note] = [n for n in notes if f"(document {doc_id})" in n]
        assert re.fullmatch(r".*\.xml \(document .*\): valid TEI \(tei_all\); outside the "
                            r"project's profile: \d+ problems, first: \d+: .* \[[\w-]+\]", note)
    chekhov = data_dir / "dracor" / "chekhov-tragik-ponevole.xml"
    assert f"{chekhov} (document rus000061): valid TEI (tei_all); outside the project's " \
           "profile: 8 problems, first: 13: <author> is not allowed here" in "\n".join(notes)


def test_warnings_do_not_fail_the_build(tmp_path: Path, data_dir: Path) -> None:
    code, stdout, stderr = run("build", str(data_dir / "dracor"), str(data_dir / "parlamint"),
                               "-o", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "failed 0" in stdout
    warnings = stderr.strip().split("\n")
    assert len(warnings) == 4 and all(w.startswith("Warning: ") for w in warnings)


def test_the_index_and_the_persons_page_list_characters_and_speakers_by_name(
        mixed: tuple[Path, BuildReport]) -> None:
    out, _ = mixed
    index = html.parse(str(out / "index.html"))
    titles = {a.text_content() for a in index.iter("a") if a.get("href", "").startswith("html/")}
    assert {"Моцарт и Сальери", "Трагик поневоле (Из дачной жизни)", "The parliament of the Republic of Slovenia",
            "Сессия Совета коллективной безопасности ОДКБ"} <= titles
    assert any(t.startswith("Great Britain parliamentary corpus ParlaMint-GB") for t in titles)
    persons = names(out / "persons.html")
    for name in ("Моцарт", "Сальери", "Толкачов", "Мурашкин",  # the plays' characters
                 "Milan Kučan", "Boris Johnson", "Jeremy Bernard Corbyn",  # the exemplar's speakers
                 "Владимир Путин"):
        assert name in persons
    assert "LindsayHoyle" in persons  # the sample sitting names no one: its speakers by their ID


def test_the_pages_render_every_turn(mixed: tuple[Path, BuildReport]) -> None:
    out, _ = mixed
    for doc_id, words in (("rus000020", "Моцарт"), ("rus000061", "Толкачов"),
                          ("document.id", "I propose a no-deal Brexit."),
                          ("ParlaMint-GB_2022-07-21-commons", "Before we come to today’s business")):
        page = html.parse(str(out / "html" / f"{doc_id}.html"))
        turns = page.getroot().find_class("turn")
        assert turns and words in page.getroot().text_content()
        assert words in (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_corpus_xml_of_a_mixed_build_validates_and_is_tei(mixed: tuple[Path, BuildReport],
                                                         tei_all: etree.RelaxNG) -> None:
    out, _ = mixed
    code, stdout, _ = run("validate", str(out / "corpus.xml"))
    assert code == 0 and stdout.endswith(": 1 valid.\n"), stdout
    corpus = etree.parse(str(out / "corpus.xml"))
    corpus.xinclude()
    members = corpus.getroot().findall("t:TEI", NS)
    assert sorted(m.get(XML_ID) for m in members) == sorted(p.stem for p in (out / "tei").glob("*"))
    assert tei_all.validate(corpus), tei_all.error_log
    header = [p.get(XML_ID) for p in corpus.getroot().iterfind("t:teiHeader//t:person", NS)]
    assert {"mocart", "KučanMilan", "LindsayHoyle", "putin-vladimir"} <= set(header)


def test_the_copies_of_the_samples_build_but_for_the_transcripts_without_metadata(
        tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run("build", *(str(data_dir / name) for name in SAMPLES),
                               "-o", str(out))
    errors = [line for line in stderr.split("\n") if line.startswith("Error: ")]
    assert code == 1 and len(errors) == 2, stderr
    for name in ("kremlin-ru/carlson-interview-ru.txt", "kremlin-en/carlson-interview-en.txt"):
        assert any(line.startswith(f"Error: {data_dir / name}:1: no date") for line in errors)
    sources = [p for name in SAMPLES for p in (data_dir / name).iterdir()
               if p.suffix in (".txt", ".html", ".xml")]
    documents = list((out / "tei").glob("*.xml"))
    assert len(documents) == len(sources) - 2  # the exemplar holds one document
    assert run("validate", str(out / "corpus.xml"))[0] == 0


def test_tei_that_claims_to_be_ours_is_still_held_to_the_profile(tmp_path: Path,
                                                                 data_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    play = (data_dir / "dracor" / "pushkin-mocart-i-saleri.xml").read_text(encoding="utf-8")
    (src / "ours.xml").write_text(play.replace('<publisher xml:id="dracor">DraCor</publisher>',
                                               "<publisher>tei-edition</publisher>"),
                                  encoding="utf-8")
    report = build([src], tmp_path / "out")
    [failure] = report.failures
    assert failure.path == str(src / "ours.xml") and failure.line == 10
    assert "<author> is not allowed here" in failure.message and not report.warnings


def test_tei_from_another_corpus_that_is_not_tei_fails_at_its_line(tmp_path: Path,
                                                                   data_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    play = (data_dir / "dracor" / "pushkin-mocart-i-saleri.xml").read_text(encoding="utf-8")
    lines = play.split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if "<div " in line)
    lines[number - 1] = lines[number - 1].replace("<div ", '<div colour="red" ')
    (src / "play.xml").write_text("\n".join(lines), encoding="utf-8")
    report = build([src], tmp_path / "out")
    [failure] = report.failures
    assert (failure.path, failure.line) == (str(src / "play.xml"), number)
    assert failure.message.startswith("not valid TEI: TEI P5 tei_all: Invalid attribute colour")
    assert not (tmp_path / "out" / "tei" / "rus000020.xml").exists()


def test_tei_all_is_loaded_once_per_build_and_only_for_other_corpora(
        tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real = tei.corpus.foreign.Validator

    def counting(*args: object, **kwargs: object) -> object:
        made.append(kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tei.corpus.foreign, "Validator", counting)
    build([data_dir / "kremlin-ru" / "64534.txt"], tmp_path / "ours")
    assert made == []
    build([data_dir / "dracor", data_dir / "parlamint"], tmp_path / "mixed",
          BuildOptions(jobs=2))
    assert made == [{"tei_all": True}]


def test_two_members_of_one_corpus_with_one_id_fail_the_corpus(tmp_path: Path,
                                                               data_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    exemplar = (data_dir / "parlamint" / "Parla-CLARIN-Exemplar.xml").read_text(encoding="utf-8")
    start, end = exemplar.index("   <TEI "), exemplar.index("</teiCorpus>")
    twice = exemplar[:end] + exemplar[start:end] + exemplar[end:]
    (src / "corpus.xml").write_text(twice, encoding="utf-8")
    report = build([src], tmp_path / "out")
    [failure] = report.failures
    assert "document 2" in str(failure) and "'document.id'" in str(failure)
    assert not list((tmp_path / "out" / "tei").glob("*.xml"))


# -- persons a sitting XIncludes -------------------------------------------------------------


@pytest.fixture()
def sitting(tmp_path: Path, data_dir: Path) -> Path:
    """A copy of the ParlaMint sitting that XIncludes its persons' list, and that list."""
    folder = tmp_path / "src"
    shutil.copytree(data_dir / "parlamint-xinclude", folder)
    return folder


def test_a_sitting_names_its_speakers_from_the_list_of_persons_it_xincludes(
        sitting: Path, tmp_path: Path, tei_all: etree.RelaxNG) -> None:
    out = tmp_path / "out"
    report = build([sitting], out)
    assert report.ok
    assert [str(n) for n in report.warnings][0] == (
        f"{sitting / 'ParlaMint-GB-listPerson.xml'}:4: a part of TEI (<listPerson>), not a "
        "document: not published on its own (documents may XInclude it)")
    published = (out / "tei" / "ParlaMint-GB_2022-07-21-commons.xml").read_text(encoding="utf-8")
    assert "xi:include" not in published and "XInclude" not in published
    assert "KeirStarmer" not in published  # in the list, but not in this sitting
    tree = etree.fromstring(published.encode())
    assert [p.get(XML_ID) for p in tree.iterfind(".//t:person", NS)] == [
        "LindsayHoyle", "RobertBlackman", "DavidRutley", "EleanorLaing"]
    assert tei_all.validate(tree), tei_all.error_log
    assert names(out / "persons.html") == ["David Rutley", "Eleanor Laing", "Lindsay Hoyle",
                                           "Robert Blackman"]
    assert list((out / "tei").iterdir()) == [out / "tei" / "ParlaMint-GB_2022-07-21-commons.xml"]


def test_a_changed_or_missing_list_of_persons_rebuilds_the_sitting(sitting: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([sitting], out).ok
    listing = sitting / "ParlaMint-GB-listPerson.xml"
    listing.write_text(listing.read_text(encoding="utf-8").replace(
        "<forename>Lindsay</forename>", "<forename>Lindsay H.</forename>"), encoding="utf-8")
    assert build([sitting], out).built == 2
    assert "Lindsay H. Hoyle" in names(out / "persons.html")
    assert build([sitting], out).built == 0
    listing.unlink()
    report = build([sitting], out)
    assert report.ok and report.built == 1
    assert any("cannot read" in str(note) and str(listing) in str(note) for note in report.warnings)
    assert "LindsayHoyle" in names(out / "persons.html")  # still published, speakers by ID


def test_a_sitting_includes_nothing_from_outside_its_folder(sitting: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.xml").write_text(
        '<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="LindsayHoyle">'
        "<persName>SECRET</persName></person></listPerson>", encoding="utf-8")
    path = sitting / "ParlaMint-GB_2022-07-21-commons.xml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'href="ParlaMint-GB-listPerson.xml"', 'href="../secret.xml"'), encoding="utf-8")
    out = tmp_path / "out"
    report = build([sitting], out)
    assert report.ok
    assert any("refused: only files under" in str(note) for note in report.warnings)
    assert "SECRET" not in (out / "tei" / "ParlaMint-GB_2022-07-21-commons.xml").read_text(
        encoding="utf-8")
    assert "SECRET" not in (out / "persons.html").read_text(encoding="utf-8")
