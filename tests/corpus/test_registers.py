"""The registers of persons and places, and the downloads of what each person said.

Built once from real samples: the CSTO session (kremlin-ru/64534.txt), where Zas
is named and never speaks and Mamytov speaks once, and three saved en.kremlin.ru
pages (Pashinyan speaks in English in 60707, so he has two offices in two
languages). What a register shows is checked against the published TEI, so the
tests hold as the TEI gains mentions (the saved pages' own person links, names in
any grammatical case).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from tei.corpus import BuildOptions, BuildReport, build
from tei.corpus.layout import INDEX, META_DIR
from tei.corpus.pages import PageSettings
from tei.corpus.scheduling import write_pages
from tei.pipeline import render_file
from tei.render import build_view
from tei.render.inline import spoken_text
from tei.render.view import Paragraph
from tei.xmlio import TEI_NS, XML_NS, parse_file

NS = {"t": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
SAMPLE = "kremlin-64534"


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[Path, BuildReport]:
    """The sample transcript and three saved English pages, built once."""
    work = tmp_path_factory.mktemp("registers")
    src = work / "src"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src / "64534.txt")
    for number in ("55017", "57137", "60707"):
        shutil.copy(data_dir / "kremlin-en" / f"{number}.html", src / f"{number}.html")
    report = build([src], work / "out", BuildOptions(jobs=2))
    assert report.ok
    return work / "out", report


def tei_of(out: Path) -> dict[str, etree._ElementTree]:
    """The published TEI documents, by ID."""
    return {path.stem: parse_file(path) for path in sorted((out / "tei").glob("*.xml"))}


def links(page: Path, cls: str) -> list[str]:
    """The links inside the elements of class ``cls`` of a page, in order."""
    root = html.parse(str(page)).getroot()
    return [str(a.get("href")) for el in root.find_class(cls) for a in el.iter("a")]


def expected_turns(documents: dict[str, etree._ElementTree], person: str) -> list[str]:
    """Links to the first paragraph of each of ``person``'s turns, from the TEI."""
    found = []
    for doc_id, tree in documents.items():
        for sp in tree.getroot().iterfind(".//t:text//t:sp", NS):
            if f"#{person}" in sp.get("who", "").split():
                first = sp.find("t:p", NS)
                found.append(f"../html/{doc_id}.html#{(first if first is not None else sp).get(XML_ID)}")
    return found


def expected_mentions(documents: dict[str, etree._ElementTree], person: str) -> set[str]:
    """Links to every paragraph of the TEI's text that names ``person`` (``persName ref``)."""
    found = set()
    for doc_id, tree in documents.items():
        for name in tree.getroot().iterfind(f".//t:text//t:persName[@ref='#{person}']", NS):
            paragraph = next(name.iterancestors(f"{{{TEI_NS}}}p"))
            found.add(f"../html/{doc_id}.html#{paragraph.get(XML_ID)}")
    return found


@pytest.mark.parametrize("person", ["zas-stanislav", "mamytov-talant", "putin-vladimir",
                                    "pashinyan-nikol"])
def test_a_register_page_lists_every_turn_and_mention_of_its_person(
        edition: tuple[Path, BuildReport], person: str) -> None:
    out, _ = edition
    page = out / "persons" / f"{person}.html"
    documents = tei_of(out)
    turns, mentions = expected_turns(documents, person), expected_mentions(documents, person)
    assert sorted(links(page, "turns")) == sorted(turns)
    assert set(links(page, "mentions")) == mentions
    assert mentions  # each of them is named in a lead at least


def test_zas_who_never_speaks_is_listed_with_his_office_and_mention(
        edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    page = out / "persons" / "zas-stanislav.html"
    root = html.parse(str(page)).getroot()
    assert root.findtext(".//h1") == "Станислав Зась"
    assert f"../html/{SAMPLE}.html#p2" in links(page, "mentions")  # the lead: «…Станислав Зась»
    assert not links(page, "turns") and not links(page, "downloads")
    office = root.find_class("offices")[0].text_content().replace("\xa0", " ")  # as in the TEI
    assert "Генеральный секретарь Организации Договора о коллективной безопасности" in office
    assert "2 декабря 2020" in office


def test_mamytov_s_turn_links_its_paragraphs(edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    root = html.parse(str(out / "persons" / "mamytov-talant.html")).getroot()
    turn = root.find_class("turns")[0].find("a")
    assert (turn.get("href"), turn.text) == (f"../html/{SAMPLE}.html#p101", "101–117")


def test_offices_over_time_are_in_date_order_with_their_documents(
        edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    root = html.parse(str(out / "persons" / "pashinyan-nikol.html")).getroot()
    offices = [li.text_content().replace("\xa0", " ")
               for li in root.find_class("offices")[0].iter("li")]
    assert [o.split(":")[0] for o in offices] == ["Prime Minister of Armenia",  # 2019
                                                  "Премьер-министр Армении"]  # 2020
    dates = [a.get("href") for a in root.find_class("offices")[0].iter("a")]
    assert dates == ["../html/kremlin-en-60707.html", f"../html/{SAMPLE}.html"]


def said_by(documents: dict[str, etree._ElementTree], person: str) -> list[list[str]]:
    """Every paragraph ``person`` said, as the published TEI gives it: document, date, turn,
    paragraph ID and text (what :func:`spoken_text` reads), in date order."""
    rows = []
    for doc_id, tree in documents.items():
        view = build_view(tree)
        for turn in view.turns:
            if person in [s.id for s in turn.speakers]:
                rows += [[doc_id, view.date.iso if view.date and view.date.iso else "", turn.n,
                          str(b.id), spoken_text(b.pieces)] for b in turn.blocks
                         if isinstance(b, Paragraph) and b.n is not None]
    return sorted(rows, key=lambda row: row[1])


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, dialect="excel-tab"))


@pytest.mark.parametrize("person", ["mamytov-talant", "putin-vladimir", "pashinyan-nikol"])
def test_a_speakers_downloads_hold_exactly_the_text_of_their_turns(
        edition: tuple[Path, BuildReport], person: str) -> None:
    out, _ = edition
    expected = said_by(tei_of(out), person)
    rows = read_tsv(out / "persons" / f"{person}.tsv")
    assert list(rows[0]) == ["document_id", "date", "turn", "paragraph_id", "text"]
    assert [list(row.values()) for row in rows] == expected
    text = (out / "persons" / f"{person}.txt").read_text(encoding="utf-8")
    position = 0
    for row in rows:  # each paragraph, in order, after its number
        position = text.index(f"] {row['text']}\n", position)
    assert f"../persons/{person}.txt" in links(out / "persons" / f"{person}.html", "downloads")


def test_mamytov_said_his_speech_and_nothing_else(edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    rows = read_tsv(out / "persons" / "mamytov-talant.tsv")
    assert [r["paragraph_id"] for r in rows] == [f"p{n}" for n in range(101, 118)]
    assert rows[0]["text"] == "Уважаемые главы делегаций! Участники сессии!"
    assert rows[-1]["text"] == "Спасибо большое."
    assert {r["turn"] for r in rows} == {"10"}


def test_turns_tsv_gains_the_text_office_language_and_source(
        edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    rows = read_tsv(out / "turns.tsv")
    assert list(rows[0])[8:] == ["speaker_office", "language", "source", "text"]
    mamytov = next(r for r in rows if r["speaker_id"] == "mamytov-talant")
    assert mamytov["speaker_office"] == "исполняющий обязанности Президента Киргизии"
    assert mamytov["language"] == "ru"
    assert mamytov["source"] == "http://kremlin.ru/events/president/news/64534"
    said = [r["text"] for r in read_tsv(out / "persons" / "mamytov-talant.tsv")]
    assert mamytov["text"] == " ".join(said)
    question = next(r for r in rows if r["speaker_id"] == "role-question")
    assert question["speaker_office"] == "questioner" and question["language"] == "en"
    for row in rows:  # a turn's text is its paragraphs' text, joined by spaces
        paragraphs = row["paragraphs"].split("-")
        count = int(paragraphs[-1]) - int(paragraphs[0]) + 1 if row["paragraphs"] else 0
        assert len(row["text"]) == int(row["characters"]) + max(count - 1, 0), row


def test_documents_tsv_has_one_row_per_document_with_its_metadata(
        edition: tuple[Path, BuildReport]) -> None:
    out, _ = edition
    rows = {r["document_id"]: r for r in read_tsv(out / "documents.tsv")}
    documents = tei_of(out)
    assert set(rows) == set(documents)
    turns = read_tsv(out / "turns.tsv")
    for doc_id, tree in documents.items():
        row, root = rows[doc_id], tree.getroot()
        assert row["title"] == root.findtext(".//t:titleStmt/t:title", namespaces=NS)
        assert row["date"] == root.find(".//t:profileDesc//t:date", NS).get("when")
        assert row["licence"] == root.find(".//t:licence", NS).get("target")
        assert row["source"] in {e.text for e in root.iterfind(".//t:sourceDesc//t:ref", NS)} | {
            e.get("target") for e in root.iterfind(".//t:sourceDesc//t:ref", NS)}
        own = [t for t in turns if t["document_id"] == doc_id]
        assert int(row["turns"]) == len(own)
        assert int(row["words"]) == sum(int(t["words"]) for t in own)
        assert set(row["speaker_ids"].split()) == {w for t in own for w in t["speaker_id"].split()}
    assert [r["date"] for r in rows.values()] == sorted(r["date"] for r in rows.values())


def test_document_pages_link_participants_and_mentions_to_their_registers(
        edition: tuple[Path, BuildReport], tmp_path: Path) -> None:
    out, _ = edition
    page = out / "html" / f"{SAMPLE}.html"
    persons = links(page, "persons")
    assert "../persons/mamytov-talant.html" in persons and "../persons/zas-stanislav.html" in persons
    assert "../places/novo-ogaryovo.html" in links(page, "places")
    lead = html.parse(str(page)).getroot().get_element_by_id("p2")
    assert "../persons/zas-stanislav.html" in [a.get("href") for a in lead.iter("a")]
    alone = render_file(out / "tei" / f"{SAMPLE}.xml", tmp_path / "rendered", ["html"])[0]
    hrefs = [a.get("href") for a in html.parse(str(alone)).getroot().iter("a")]
    assert not [h for h in hrefs if "persons/" in h or "places/" in h]  # no registers there
    assert "#zas-stanislav" in hrefs  # the mention links the page's own list


def test_entries_go_under_the_letter_their_id_starts_with_case_aside() -> None:
    from tei.corpus.registers import letter

    assert [letter(k) for k in ("putin-vladimir", "lindsayhoyle", "_x", "путин")] == [
        "p", "l", "_", "other"]


def test_a_letter_is_cut_into_pages_of_bounded_size(edition: tuple[Path, BuildReport],
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import tei.corpus.registers as registers

    out, _ = edition
    monkeypatch.setattr(registers, "LETTER_PAGE", 2)
    hashes = write_pages(tmp_path, out / INDEX, PageSettings(), [registers.PERSONS])
    letter = tmp_path / "persons" / "a-z"
    entries = {p.name: links(p, "register-entries") for p in letter.glob("*.html")}
    assert all(len(found) <= 2 for found in entries.values())
    names = sorted(entries)
    assert "p.html" in names and "p-2.html" in names  # Pashinyan, Peskov, Putin...
    assert "../../persons/a-z/p-2.html" in links(letter / "p.html", "pages")
    every = [href for page in entries.values() for href in page]
    assert len(every) == len(set(every)) == len(list((tmp_path / "persons").glob("*.html")))
    assert set(hashes) == {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                           if p.is_file() and META_DIR not in p.relative_to(tmp_path).parts}


def test_a_person_who_left_the_corpus_leaves_the_register(tmp_path: Path, data_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src / "64534.txt")
    shutil.copy(data_dir / "kremlin-en" / "57137.html", src / "57137.html")
    out = tmp_path / "out"
    assert build([src], out).ok
    assert (out / "persons" / "puchkov-vladimir.html").is_file()
    (out / "persons" / "notes.txt").write_text("mine", encoding="utf-8")
    (src / "57137.html").unlink()
    assert build([src], out).ok
    assert not (out / "persons" / "puchkov-vladimir.html").exists()
    assert not (out / "persons" / "notes.txt").exists()  # the folder is the register's
    assert (out / "persons" / "putin-vladimir.html").is_file()
    assert "puchkov" not in (out / "persons" / "a-z" / "p.html").read_text(encoding="utf-8")
