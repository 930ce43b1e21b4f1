"""``tei-edition build``: a corpus of real transcripts in, a browsable, citable edition out."""

from __future__ import annotations

import csv
import os
import re
import shutil
import sys
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from lxml import etree, html

import tei.corpus.pool
from tei.authority import Authority, load_authority
from tei.cli import cli
from tei.corpus import BuildOptions, BuildReport, build
from tei.errors import OverwriteError, ReadError
from tei.corpus.layout import MANIFEST
from tei.corpus.hashes import hash_file
from tei.corpus.manifest import load_manifest
from tei.model import Document, Mention, Paragraph, Person, Turn
from tei.render.templates import environment
from tei.xmlio import TEI_NS, XML_NS, parse_file

NS = {"t": TEI_NS}
ROOT = Path(__file__).parents[2]
XML_ID = f"{{{XML_NS}}}id"

AUTHORITY = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Authority</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>
    <listPerson>
      <person xml:id="putin-vladimir">
        <persName><forename>Владимир</forename> <surname>Путин</surname></persName>
        <persName>В.Путин</persName><persName xml:lang="en">Vladimir Putin</persName>
        <idno type="wikidata">Q7747</idno>
      </person>
      <person xml:id="pashinyan-nikol">
        <persName><forename>Никол</forename> <surname>Пашинян</surname></persName>
        <persName>Н.Пашинян</persName>
      </person>
    </listPerson>
    <listPlace>
      <place xml:id="novo-ogaryovo"><placeName>Ново-Огарёво</placeName>
        <placeName>Novo-Ogaryovo</placeName></place>
    </listPlace>
  </body></text>
</TEI>
"""


def variant_of_sample(data_dir: Path) -> str:
    """The sample with another number and a lead that does not name Pashinyan: his turns are
    then labelled only ``Н.Пашинян``, and the reader calls him ``pashinyan-n``."""
    text = (data_dir / "kremlin-ru" / "64534.txt").read_text(encoding="utf-8")
    text = text.replace("Премьер-министр Армении Никол Пашинян, ", "")
    return text.replace("news/copy/64534", "news/copy/99999")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """A small corpus: the sample, a variant of it, and three saved English pages."""
    folder = tmp_path_factory.mktemp("sources")
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", folder / "64534.txt")
    (folder / "99999.txt").write_text(variant_of_sample(data_dir), encoding="utf-8")
    pages = folder / "en"
    pages.mkdir()
    for number in ("55017", "57137", "62582"):
        shutil.copy(data_dir / "kremlin-en" / f"{number}.html", pages / f"{number}.html")
    return folder


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, sources: Path) -> tuple[Path, BuildReport]:
    """The corpus built once, with a TEI authority file."""
    work = tmp_path_factory.mktemp("edition")
    authority = work / "authority.xml"
    authority.write_text(AUTHORITY, encoding="utf-8")
    report = build([sources], work / "out", BuildOptions(authority=authority, jobs=2))
    return work / "out", report


def tei_documents(out: Path) -> dict[str, etree._ElementTree]:
    """The TEI documents of a build, by ID."""
    return {path.stem: parse_file(path) for path in sorted((out / "tei").glob("*.xml"))}


def hrefs(path: Path) -> list[str]:
    """Every link of an HTML page."""
    return [str(a.get("href")) for a in html.parse(str(path)).getroot().iter("a") if a.get("href")]


def test_the_build_writes_every_output(edition: tuple[Path, BuildReport]) -> None:
    out, report = edition
    assert report.ok and report.built == 5 and report.published
    for doc_id in tei_documents(out):
        for folder, suffix in (("html", "html"), ("text", "txt"), ("corpus", "xml")):
            assert (out / folder / f"{doc_id}.{suffix}").is_file()
    for page in ("index.html", "persons.html", "places.html", "corpus.xml", "turns.tsv",
                 "documents.tsv", "persons/putin-vladimir.html", "places/novo-ogaryovo.html"):
        assert (out / page).is_file()
    assert (out / "html" / "static" / "edition.css").is_file()


def test_a_build_is_byte_identical_whatever_the_number_of_processes(
        edition: tuple[Path, BuildReport], sources: Path, tmp_path: Path) -> None:
    out, _ = edition
    again = tmp_path / "again"
    authority = out.parent / "authority.xml"
    assert build([sources], again, BuildOptions(authority=authority, jobs=1)).ok

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and ".tei-edition" not in p.parts}

    first, second = files(out), files(again)
    assert first.keys() == second.keys() and len(first) > 20
    assert [name for name in first if first[name] != second[name]] == []


def test_pages_written_by_two_processes_are_those_written_by_one(
        edition: tuple[Path, BuildReport], tmp_path: Path) -> None:
    from tei.corpus.changes import BLOCKS, recorded_runs, runs_digest
    from tei.corpus.delta import VOCABULARIES
    from tei.corpus.layered import BASES
    from tei.corpus.layout import CORPUS_FILES, CORPUS_FOLDERS, CORPUS_OUTPUTS, INDEX
    from tei.corpus.pages import PageSettings
    from tei.corpus.scheduling import write_pages

    out, _ = edition
    written, recorded = {}, {}
    for processes in (1, 2):
        folder = tmp_path / str(processes)
        shutil.copytree(out / "html", folder / "html", copy_function=os.link)  # to be indexed
        hashes = write_pages(folder, out / INDEX, PageSettings(), CORPUS_OUTPUTS, processes)
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
                   if p.is_file() and not p.relative_to(folder).as_posix().startswith("html/")
                   and BLOCKS not in p.as_posix() and BASES not in p.as_posix()}  # the runs
        # of files: the build's own record (a layer in BLOCKS, over its base in BASES)
        assert set(hashes) == on_disk and CORPUS_FILES <= on_disk  # the manifest knows each
        assert all(path in CORPUS_FILES or path.split("/")[0] in {*CORPUS_FOLDERS, "search"}
                   or path.startswith(f"{VOCABULARIES}/")  # the search's, for its deltas
                   for path in on_disk)
        runs = recorded_runs(folder)
        assert all((runs_digest((folder / path).read_bytes(), runs[path])
                    if digest.startswith("runs:") else hash_file(folder / path)) == digest
                   for path, digest in hashes.items())
        written[processes] = {name: (folder / name).read_bytes() for name in sorted(on_disk)}
        recorded[processes] = {p.name: p.read_bytes() for records in (BLOCKS, BASES)
                               for p in (folder / records).iterdir()}
    assert written[1] == written[2]
    assert recorded[1] == recorded[2] and "persons.json" in recorded[1]  # the runs of one
    assert written[1]["index.html"] == (out / "index.html").read_bytes()
    assert written[1]["persons/putin-vladimir.html"] == (
        out / "persons" / "putin-vladimir.html").read_bytes()


def test_pages_are_shared_between_processes_only_where_it_pays() -> None:
    from tei.corpus.scheduling import PARALLEL_FROM, page_processes

    assert page_processes(2, PARALLEL_FROM - 1, 5) == 1  # a few documents: one process is sooner
    assert page_processes(1, 10 * PARALLEL_FROM, 5) == 1
    forked = sys.platform.startswith("linux")  # elsewhere processes are spawned: never
    assert page_processes(2, PARALLEL_FROM, 5) == (2 if forked else 1)
    assert page_processes(8, PARALLEL_FROM, 5) == (5 if forked else 1)  # one per page at most


def test_index_links_every_document_and_every_document_links_back(
        edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    links = hrefs(out / "index.html")
    documents = tei_documents(out)
    assert len(documents) == 5
    for doc_id in documents:
        assert f"html/{doc_id}.html" in links
        assert f"tei/{doc_id}.xml" in links
        assert "../index.html" in hrefs(out / "html" / f"{doc_id}.html")
    for page in ("persons.html", "places.html"):
        assert "index.html" in hrefs(out / page)
    assert "../index.html" in hrefs(out / "persons" / "putin-vladimir.html")


def corpus_pages(out: Path) -> list[Path]:
    """The corpus pages of a build: the index, the A to Z pages, every register page."""
    pages = [out / name for name in ("index.html", "persons.html", "places.html")]
    return pages + sorted((out / "persons").rglob("*.html")) + sorted(
        (out / "places").rglob("*.html"))


def test_corpus_pages_are_strict_html5_and_every_link_resolves(
        edition: tuple[Path, BuildReport]) -> None:
    out = edition[0].resolve()
    anchors: dict[Path, set[str]] = {}
    pages = corpus_pages(out) + sorted((out / "html").glob("*.html"))
    assert len(pages) > 30
    for page in pages:
        data = page.read_bytes()
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
        for href in hrefs(page):
            if href.startswith(("http://", "https://", "../api/dts/")):  # the API is served
                continue
            target, _, fragment = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.is_file() and out in path.parents, (page, href)
            if fragment and path.suffix == ".html":
                if path not in anchors:
                    anchors[path] = {str(e.get("id")) for e in html.parse(str(path)).iter()
                                     if e.get("id")}
                assert fragment in anchors[path], (page, href)


def test_index_rows_are_in_date_order_with_their_figures(edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    rows = html.parse(str(out / "index.html")).getroot().findall(".//tbody/tr")
    dates = [row.findall("td")[0].get("data-value") for row in rows]
    assert dates == sorted(dates)
    sample = next(row for row in rows if row.get("id") == "kremlin-64534")
    cells = [td.text_content().strip() for td in sample.findall("td")]
    assert cells[2].startswith("Ново-Огарёво") and cells[3:5] == ["6", "13"]


def test_each_turn_is_on_its_speakers_register_page_linked_to_its_first_paragraph(
        edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    turns = 0
    for doc_id, tree in tei_documents(out).items():
        for sp in tree.getroot().iterfind(".//t:body//t:sp", NS):
            turns += 1
            first = sp.find("t:p", NS)
            anchor = (first if first is not None else sp).get(XML_ID)
            for who in sp.get("who", "").split():
                links = hrefs(out / "persons" / f"{who[1:]}.html")
                assert f"../html/{doc_id}.html#{anchor}" in links, (doc_id, who)
    assert turns > 100


def test_places_page_links_each_document_set_there(edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    linked = set(hrefs(out / "places" / "novo-ogaryovo.html"))
    assert {"../html/kremlin-64534.html", "../html/kremlin-99999.html"} <= linked
    assert "places/a-z/n.html" in hrefs(out / "places.html")
    assert "../../places/novo-ogaryovo.html" in hrefs(out / "places" / "a-z" / "n.html")


def test_tsv_has_one_row_per_sp(edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    with open(out / "turns.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, dialect="excel-tab"))
    assert list(rows[0])[:8] == ["document_id", "date", "turn", "paragraphs", "speaker_id",
                                 "speaker_label", "words", "characters"]  # as before, first
    expected = []
    for doc_id, tree in tei_documents(out).items():
        for sp in tree.getroot().iterfind(".//t:body//t:sp", NS):
            numbers = [p.get("n") for p in sp.iterfind(".//t:p", NS)]
            span = f"{numbers[0]}-{numbers[-1]}" if numbers else ""
            expected.append((doc_id, sp.get("n"), span, sp.get("who", "").replace("#", ""),
                             sp.findtext("t:speaker", namespaces=NS)))
    found = [(r["document_id"], r["turn"], r["paragraphs"], r["speaker_id"], r["speaker_label"])
             for r in rows]
    assert sorted(found) == sorted(expected)
    assert all(int(r["words"]) > 0 and int(r["characters"]) >= int(r["words"])
               for r in rows if r["paragraphs"])
    assert all(r["date"].startswith(("20", "19")) for r in rows)


def test_corpus_xml_resolves_and_validates_against_tei_all(
        edition: tuple[Path, BuildReport], tei_all: etree.RelaxNG) -> None:
    out, _ = edition
    corpus = etree.parse(str(out / "corpus.xml"))
    corpus.xinclude()
    root = corpus.getroot()
    members = root.findall("t:TEI", NS)
    assert sorted(m.get(XML_ID) for m in members) == sorted(tei_documents(out))
    assert tei_all.validate(corpus), tei_all.error_log
    header_ids = [p.get(XML_ID) for p in root.iterfind("t:teiHeader//t:person", NS)]
    assert len(header_ids) == len(set(header_ids)) and "putin-vladimir" in header_ids
    putin = [p for m in members for p in m.iterfind(".//t:person", NS)
             if p.get("sameAs") == "#putin-vladimir"]
    assert len(putin) == 5


def test_authority_merges_variants_and_its_ids_reach_tei_and_html(
        edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    documents = tei_documents(out)
    for doc_id in ("kremlin-64534", "kremlin-99999"):
        root = documents[doc_id].getroot()
        ids = {p.get(XML_ID) for p in root.iterfind(".//t:person", NS)}
        assert "pashinyan-nikol" in ids and "pashinyan-n" not in ids
        assert root.find(".//t:sp[@who='#pashinyan-nikol']", NS) is not None
        putin = root.find(".//t:person[@xml:id='putin-vladimir']", {**NS, "xml": XML_NS})
        assert putin.findtext("t:idno[@type='wikidata']", namespaces=NS) == "Q7747"
        assert "https://www.wikidata.org/wiki/Q7747" in hrefs(out / "html" / f"{doc_id}.html")
    assert "https://www.wikidata.org/wiki/Q7747" in hrefs(out / "persons" / "putin-vladimir.html")
    assert (out / "persons" / "pashinyan-nikol.html").is_file()
    assert not (out / "persons" / "pashinyan-n.html").exists()
    assert hrefs(out / "persons" / "a-z" / "p.html").count("../../persons/pashinyan-nikol.html") == 1


def test_authority_merges_two_persons_of_one_document() -> None:
    authority = Authority(load_authority_entries())
    doc = Document(id="d", title="t", persons=[
        Person("putin-v", "В.Путин", labels=["В.Путин"]),
        Person("putin-vladimir", "Владимир Путин", "Владимир", "Путин",
               occupation="Президент России")])
    doc.transcript = [Turn("putin-v", "В.Путин", [Paragraph(["Добрый день."])]),
                      Turn("putin-vladimir", "Владимир Путин", [Paragraph(["Спасибо."])])]
    doc.lead = [Paragraph([Mention("Владимира Путина", "putin-v")])]
    authority.apply(doc)
    assert [p.id for p in doc.persons] == ["putin-vladimir"]
    person = doc.persons[0]
    assert person.occupation == "Президент России" and person.labels == ["В.Путин"]
    assert [i.value for i in person.idnos] == ["Q7747"]
    assert [t.who for t in doc.turns()] == ["putin-vladimir", "putin-vladimir"]
    assert isinstance(doc.lead[0].content[0], Mention)
    assert doc.lead[0].content[0].ref == "putin-vladimir"


def load_authority_entries() -> list:  # type: ignore[type-arg]
    """The entries of the bundled sample authority (examples/authority.csv)."""
    return load_authority(ROOT / "examples" / "authority.csv").entries


def test_the_sample_authority_loads() -> None:
    entries = {e.id: e for e in load_authority_entries()}
    assert "В.Путин" in entries["putin-vladimir"].variants
    assert entries["novo-ogaryovo"].kind == "place"


@pytest.mark.parametrize("content, line, words", [
    ("id,name,colour\nx,X,red\n", 1, "colour"),
    ("id,name,variants\na,Анна,А.Б.\nb,Борис,А.Б.\n", 3, "already used"),
    ("id,name\n1abc,X\n", 2, "cannot be an ID"),
    ("kind,id,name\nthing,x,X\n", 2, "person or place"),
])
def test_a_bad_authority_file_is_refused_with_its_line(tmp_path: Path, content: str, line: int,
                                                        words: str) -> None:
    path = tmp_path / "authority.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        load_authority(path)
    assert caught.value.line == line and words in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


# -- incremental, failures, hand edits ----------------------------------------------------------


@pytest.fixture()
def small(tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    """Two transcripts (the sample and its variant) and an output folder, built once."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src / "64534.txt")
    (src / "99999.txt").write_text(variant_of_sample(data_dir), encoding="utf-8")
    out = tmp_path / "out"
    assert build([src], out).ok
    return src, out


def test_an_unchanged_rebuild_does_no_work(small: tuple[Path, Path],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = small
    target = os.readlink(out)

    def no_worker(*args: object) -> None:
        raise AssertionError("an unchanged corpus must not read, encode or render anything")

    monkeypatch.setattr(tei.corpus.pool, "make_worker", no_worker)
    monkeypatch.setattr(tei.corpus.pool, "start_worker", no_worker)
    report = build([src], out)
    assert (report.built, report.unchanged, report.published) == (0, 2, False)
    assert os.readlink(out) == target


def test_a_changed_input_rebuilds_only_itself_and_the_corpus_pages(small: tuple[Path, Path]) -> None:
    src, out = small
    kept = (out / "tei" / "kremlin-64534.xml").stat().st_ino
    index = (out / "index.html").read_bytes()
    variant = src / "99999.txt"
    variant.write_text(variant.read_text(encoding="utf-8").replace(
        "Сессия Совета", "Внеочередная сессия Совета", 1), encoding="utf-8")
    report = build([src], out)
    assert (report.built, report.unchanged, report.published) == (1, 1, True)
    assert (out / "tei" / "kremlin-64534.xml").stat().st_ino == kept
    assert (out / "index.html").read_bytes() != index
    assert "Внеочередная сессия" in (out / "index.html").read_text(encoding="utf-8")


def test_a_removed_input_leaves_the_edition(small: tuple[Path, Path]) -> None:
    src, out = small
    (src / "99999.txt").unlink()
    report = build([src], out)
    assert report.published and report.unchanged == 1
    assert not (out / "tei" / "kremlin-99999.xml").exists()
    assert not (out / "html" / "kremlin-99999.html").exists()
    assert "kremlin-99999" not in (out / "index.html").read_text(encoding="utf-8")


def test_new_settings_that_change_only_the_corpus_pages_are_published(
        small: tuple[Path, Path]) -> None:
    src, out = small
    report = build([src], out, BuildOptions(title="Другое издание"))
    assert report.published and report.built == 2
    assert "Другое издание" in (out / "index.html").read_text(encoding="utf-8")
    again = build([src], out, BuildOptions(title="Другое издание"))
    assert (again.built, again.unchanged, again.published) == (0, 2, False)


def test_a_failed_document_stops_no_other_and_exits_non_zero(small: tuple[Path, Path]) -> None:
    src, out = small
    (src / "empty.txt").write_bytes(b"")
    (src / "undated.txt").write_text("Заголовок\n\nВ.Путин: Добрый день.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 2
    assert any(re.match(rf"Error: {re.escape(str(src / 'undated.txt'))}:\d+: no date", line)
               for line in errors)
    assert any(re.match(rf"Error: {re.escape(str(src / 'empty.txt'))}:\d+: ", line)
               for line in errors)
    assert "Built 0, unchanged 2, failed 2" in result.stdout
    assert (out / "tei" / "kremlin-64534.xml").is_file()


def test_two_sources_with_one_id_build_the_first_only(small: tuple[Path, Path]) -> None:
    src, out = small
    shutil.copy(src / "64534.txt", src / "zz-copy.txt")
    report = build([src], out)
    assert len(report.failures) == 1
    assert "zz-copy.txt" in str(report.failures[0]) and "kremlin-64534" in str(report.failures[0])
    assert report.unchanged == 2


def test_a_hand_edited_tei_is_never_overwritten_silently(small: tuple[Path, Path]) -> None:
    src, out = small
    tei_file = out / "tei" / "kremlin-64534.xml"
    corrected = tei_file.read_text(encoding="utf-8").replace("Добрый день!", "Добрый день!!", 1)
    tei_file.unlink()
    tei_file.write_text(corrected, encoding="utf-8")
    sample = src / "64534.txt"
    sample.write_text(sample.read_text(encoding="utf-8").replace("Очень рад", "Очень-очень рад", 1),
                      encoding="utf-8")
    report = build([src], out)
    assert len(report.failures) == 1 and isinstance(report.failures[0], OverwriteError)
    assert "--force" in str(report.failures[0]) and str(sample) in str(report.failures[0])
    assert tei_file.read_text(encoding="utf-8") == corrected
    forced = build([src], out, BuildOptions(force=True))
    assert forced.ok and forced.built == 1
    assert "Очень-очень рад" in tei_file.read_text(encoding="utf-8")


def test_a_plain_output_folder_is_adopted_without_losing_a_file(tmp_path: Path,
                                                                data_dir: Path) -> None:
    out = tmp_path / "out"  # as `tei-edition encode -o out/tei` leaves it
    (out / "tei").mkdir(parents=True)
    (out / "tei" / "kremlin-64534.xml").write_text("<TEI/>", encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src / "64534.txt")
    report = build([src], out)
    assert isinstance(report.failures[0], OverwriteError)
    assert (out / "tei" / "kremlin-64534.xml").read_text(encoding="utf-8") == "<TEI/>"
    (out / "NOTES.txt").write_text("my notes", encoding="utf-8")
    assert build([src], out, BuildOptions(force=True)).ok
    assert out.is_symlink() and (out / "NOTES.txt").read_text(encoding="utf-8") == "my notes"
    manifest = load_manifest(out)
    outputs = next(iter(manifest.documents.values())).outputs
    assert all(hash_file(out / path) == digest for path, digest in outputs.items())
    assert (out / MANIFEST).is_file()


def test_tei_sources_are_published_as_they_are_and_invalid_ones_fail_at_their_line(
        tmp_path: Path, data_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(data_dir / "valid" / "hand-corrections.xml", src / "corrected.xml")
    shutil.copy(data_dir / "invalid" / "dangling-who.xml", src / "broken.xml")
    out = tmp_path / "out"
    report = build([src], out)
    assert report.built == 1 and len(report.failures) == 1
    failure = report.failures[0]
    assert failure.path == str(src / "broken.xml") and failure.line == 41
    assert (out / "tei" / "kremlin-70000.xml").read_bytes() == (src / "corrected.xml").read_bytes()
    assert "html/kremlin-70000.html" in hrefs(out / "index.html")


def test_build_without_sources_builds_the_examples(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "tei" / "kremlin-64534.xml").is_file()
    assert "Q7747" in (out / "tei" / "kremlin-64534.xml").read_text(encoding="utf-8")


def test_a_change_anywhere_in_the_tool_rebuilds_everything(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings hash covers the whole package: a changed encoder or renderer (not only
    the corpus stage) must not leave documents built by the old code in place."""
    import tei.corpus.manifest as manifest
    import tei.resources

    package = tmp_path / "tei"
    shutil.copytree(tei.resources.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("schema", "transform"):
        shutil.copytree(tei.resources.data_dir(name), tmp_path / name)
    monkeypatch.setattr(tei.resources, "PACKAGE", package)
    before = manifest.settings_hash()
    (package / "encode.py").write_text((package / "encode.py").read_text() + "\n# changed\n")
    assert manifest.settings_hash() != before


def test_a_changed_edition_title_is_published_though_no_document_changed(
        small: tuple[Path, Path]) -> None:
    src, out = small
    report = build([src], out, BuildOptions(title="Совещания"))
    assert report.published
    assert "Совещания" in (out / "index.html").read_text(encoding="utf-8")
def test_a_broken_template_in_a_build_is_placed_at_the_template(small: tuple[Path, Path]) -> None:
    src, out = small
    theme = src.parent / "theme" / "html"
    (theme / "corpus").mkdir(parents=True)
    page = theme / "corpus" / "index.html"
    page.write_text('{% extends "base.html" %}\n{% block content %}\n{{ rows.first.title }}\n'
                    "{% endblock %}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--templates",
                                      str(theme.parent)])
    assert result.exit_code == 1
    assert f"Error: {page}:3: template error: " in result.stderr, result.stderr
    document = theme / "document.html"
    document.write_text('{% extends "edition.html" %}\n\n{% block cite %}{{ doc.no_such }}'
                        "{% endblock %}\n", encoding="utf-8")
    page.unlink()
    environment.cache_clear()  # templates are compiled once per process and folder
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--templates",
                                      str(theme.parent)])
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 2 and all(e.startswith(f"Error: {document}:3: ") for e in errors), errors
    assert (out / "html" / "kremlin-64534.html").is_file()  # the previous build stays


def test_new_settings_republish_the_corpus_pages_even_when_no_document_changed(
        small: tuple[Path, Path]) -> None:
    src, out = small
    report = build([src], out, BuildOptions(title="Стенограммы ОДКБ"))
    assert report.published
    assert "Стенограммы ОДКБ" in (out / "index.html").read_text(encoding="utf-8")


def test_base_url_gives_every_page_its_address_and_a_sitemap_lists_them(
        small: tuple[Path, Path]) -> None:
    src, out = small
    sitemap = etree.parse(str(out / "sitemap.xml")).getroot()
    assert sitemap.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert sitemap.findall("{*}url") == []
    assert "(option base-url)" in (out / "sitemap.xml").read_text(encoding="utf-8")
    report = build([src], out, BuildOptions(base_url="https://example.org/odkb/"))
    assert (report.built, report.published) == (2, True)  # a new address rebuilds every page
    base = "https://example.org/odkb/"
    pages = ["index.html", "persons.html", "places.html", "html/kremlin-64534.html",
             "html/kremlin-99999.html"]
    locs = [loc.text for loc in etree.parse(str(out / "sitemap.xml")).iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == [base + page for page in pages]
    for page in pages:
        canonical = html.parse(str(out / page)).getroot().find(".//link[@rel='canonical']")
        assert canonical.get("href") == base + page
    text = (out / "text" / "kremlin-64534.txt").read_text(encoding="utf-8")
    assert f"URL: {base}html/kremlin-64534.html. Источник: http://kremlin.ru/" in text
    assert build([src], out, BuildOptions(base_url=base)).built == 0
