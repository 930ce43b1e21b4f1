"""Saved kremlin.ru pages as users have them: every label a turn, no word lost or added, valid TEI.

The page-side figures (labels, words, furniture) are computed here from the
HTML with a rule of the test's own (bold text before a colon; every ``p`` of
the summary and the article body; a short list of furniture classes), not
with the reader's code, so that a reader bug shows up as a difference.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from tei.encode import encode
from tei.errors import ReadError
from tei.model import Document, Heading, Omission, Paragraph, Separator, Stage, Turn
from tei.pipeline import encode_document
from tei.readers import ReadOptions
from tei.readers.kremlin.html import body_paragraphs
from tei.readers.read import detect, read_bytes, read_path
from tei.xmlio import TEI_NS, parse_bytes, to_bytes

NS = {"t": TEI_NS}
DATA = Path(__file__).parents[1] / "data"
EN_PAGES = sorted((DATA / "kremlin-en").glob("*.html"))
MORE_PAGES = sorted((DATA / "kremlin-en-more").glob("*.html"))
"""Twelve pages of 2002-2020, each with a case of its own (see tests/data/SOURCES.md)."""
RU_PAGE = DATA / "kremlin-html" / "64534.html"
PAGES = [*EN_PAGES, *MORE_PAGES, RU_PAGE]

TEST_FURNITURE = (".//script | .//style | .//*[contains(@class, 'masha-ignore') "
                  "or contains(@class, 'hidden') or contains(@class, 'tooltip')]")
"""What this test drops from the page before counting: scripts, hidden parts, hover cards."""

FURNITURE_TEXT = (
    "//script | //style | //nav//a | //footer | //*[contains(@class, 'tooltip_title')] "
    "| //*[contains(@class, 'tooltip_description')] | //*[contains(@class, 'cut__item')] "
    "| //*[contains(@class, 'slider_caption')] | //*[contains(@class, 'read__status')]//p "
    "| //*[contains(@class, 'read__tags')]//a")
"""Menus, scripts, hover cards, "see also" links, captions, tags, publication status."""


def page_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def documents() -> dict[Path, Document]:
    return {path: read_path(path, ReadOptions()) for path in PAGES}


@pytest.fixture(scope="module")
def teis(documents: dict[Path, Document]) -> dict[Path, etree._ElementTree]:
    return {path: parse_bytes(to_bytes(encode(doc)), f"{doc.id}.xml")
            for path, doc in documents.items()}


# -- the page, read by the test's own rules ---------------------------------------------------


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def page_paragraphs(path: Path) -> list[etree._Element]:
    """Every ``p`` of the summary and of the article body, furniture dropped."""
    root = lxml.html.parse(str(path)).getroot()
    parts = root.xpath("//*[@id='read-lead'] | //*[@itemprop='articleBody']")
    for part in parts:
        for junk in part.xpath(TEST_FURNITURE):
            junk.drop_tree()
    return [p for part in parts for p in part.iter("p")]


MARKED = (".//b[not(ancestor::b)] "
          "| .//a[contains(@class, 'person_tag')][not(ancestor::b)][not(.//b)]")
"""Bold text, and names linked to the site's persons outside it: ``<b>Minister </b><a>Name</a>``."""


def unbracket(text: str) -> str:
    return re.sub(r"\([^()]*\)", "", text)


def is_labelled(paragraph: etree._Element) -> bool:
    """The words before the first colon (parentheticals left out) are the paragraph's opening
    bold, linked names counting as bold; a paragraph that ends at that colon (its speech in the
    next one) must end in a name, two capitalised words: a bold heading may end in a colon."""
    text = paragraph.text_content()
    marked = paragraph.xpath(MARKED)
    if ":" not in text or not marked or marked[0].tag != "b":
        return False
    before, after = text.split(":", 1)
    head = squash(unbracket(before))
    bold = squash(unbracket("".join(element.text_content() for element in marked)))
    if not after.strip():
        last = unbracket(before).split()[-2:]
        if len(last) < 2 or not all(word[:1].isupper() for word in last):
            return False
    return bool(head) and bold.startswith(head)


def page_words(path: Path) -> list[str]:
    """The words of the page's lead and body; of its title when it has no other text."""
    found = [word for p in page_paragraphs(path) for word in words(p.text_content())]
    if found:
        return found
    return words(lxml.html.parse(str(path)).getroot().xpath("string(//h1)"))


def tei_blocks(tree: etree._ElementTree) -> list[str]:
    """The text of each block of the TEI ``text``: headings, labels, notes, paragraphs,
    stage directions."""
    return ["".join(block.itertext()) for block in tree.xpath(
        "//t:text//*[self::t:head or self::t:speaker or self::t:note or self::t:p "
        "or self::t:stage][not(ancestor::t:p)]", namespaces=NS)]


def tei_words(tree: etree._ElementTree) -> list[str]:
    return [word for block in tei_blocks(tree) for word in words(block)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


# -- must show: every sample page -------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_one_turn_per_speaker_label_on_the_page(path: Path, documents: dict[Path, Document],
                                                teis: dict[Path, etree._ElementTree]) -> None:
    labels = sum(1 for p in page_paragraphs(path) if is_labelled(p))
    assert len(documents[path].turns()) == labels
    assert len(teis[path].xpath("//t:sp", namespaces=NS)) == labels


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_no_word_of_the_page_lost_or_added(path: Path,
                                           teis: dict[Path, etree._ElementTree]) -> None:
    """The same words in the same order: nothing lost, added or moved."""
    expected, found = page_words(path), tei_words(teis[path])
    assert len(expected) > 10
    first = next((i for i, pair in enumerate(zip(expected, found)) if pair[0] != pair[1]),
                 min(len(expected), len(found)))
    assert found == expected, (f"from word {first}: page {expected[first:first + 8]}, "
                               f"TEI {found[first:first + 8]}")


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_no_menu_tooltip_or_script_text_in_the_tei(path: Path,
                                                   teis: dict[Path, etree._ElementTree]) -> None:
    root = lxml.html.parse(str(path)).getroot()
    page_text = flat(" ".join(p.text_content() for p in page_paragraphs(path)))
    furniture = {flat(element.text_content()) for element in root.xpath(FURNITURE_TEXT)}
    foreign = {text for text in furniture if len(text.split()) >= 2 and text not in page_text}
    assert foreign, "the page should have some furniture to look for"
    if root.xpath("//*[contains(@class, 'tooltip_title')]"):
        tooltips = {flat(el.text_content()) for el in
                    root.xpath("//*[contains(@class, 'tooltip_title')]")}
        assert tooltips & foreign, "the hover cards' names must be among the texts looked for"
    tei_text = flat(" ".join(tei_blocks(teis[path])))
    assert [text for text in foreign if text in tei_text] == []


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_tei_valid_against_our_schema_and_tei_all(path: Path,
                                                  teis: dict[Path, etree._ElementTree],
                                                  tei_all: etree.RelaxNG) -> None:
    from tei.validation import default_validator

    tree = teis[path]
    findings = default_validator().validate_tree(tree, f"{path.stem}.xml")
    assert [str(finding) for finding in findings] == []
    assert tei_all.validate(tree), tei_all.error_log.filter_from_errors()[:3]


# -- what the pages contain -------------------------------------------------------------------


def test_header_data_from_the_page(documents: dict[Path, Document]) -> None:
    """Date-time with the Moscow offset of that day (UTC+4 in 2013), place, URLs, number, language."""
    doc = documents[DATA / "kremlin-en" / "17767.html"]
    assert doc.id == "kremlin-en-17767"
    assert flat(doc.title) == "Conference of the Russian Popular Front"
    assert doc.when is not None and doc.when.isoformat() == "2013-03-29T12:30:00+04:00"
    assert doc.place is not None and doc.place.name == "Rostov-on-Don"
    assert doc.source.url == "http://en.kremlin.ru/events/president/news/17767"
    assert doc.source.print_url == "http://en.kremlin.ru/events/president/news/copy/17767"
    assert doc.source.number == "17767"
    assert doc.language == "en"
    later = documents[DATA / "kremlin-en" / "62366.html"]
    assert later.when is not None and later.when.isoformat() == "2019-12-19T16:20:00+03:00"


def test_parenthetical_is_the_turns_note_never_part_of_the_name(
        documents: dict[Path, Document], teis: dict[Path, etree._ElementTree]) -> None:
    path = DATA / "kremlin-en" / "60707.html"
    noted = [turn for turn in documents[path].turns() if turn.note]
    assert [(t.label, t.note) for t in noted][:2] == [
        ("Sophie Shevardnadze", "retranslated"),
        ("President of the People’s Republic of China Xi Jinping", "retranslated")]
    assert len(noted) == 4
    speakers = teis[path].xpath("//t:sp/t:speaker/text()", namespaces=NS)
    assert not [s for s in speakers if "(" in s or "retranslated" in s]
    assert len(teis[path].xpath("//t:sp/t:note[@type='speaker']", namespaces=NS)) == 4


def test_excerpts_note_is_a_transcript_paragraph_before_the_first_turn(
        documents: dict[Path, Document], teis: dict[Path, etree._ElementTree]) -> None:
    path = DATA / "kremlin-en" / "17767.html"
    doc = documents[path]
    first = doc.transcript[0]
    assert isinstance(first, Paragraph)
    assert flat(first.text()).startswith("Excerpts from transcript of the conference")
    assert isinstance(doc.transcript[1], Turn)
    assert len(doc.lead) == 2  # the summary and the paragraph before "* * *"
    transcript = teis[path].find(".//t:div[@type='transcript']", NS)
    assert etree.QName(transcript[0]).localname == "p"


def test_omissions_separators_and_stage_directions(documents: dict[Path, Document]) -> None:
    def blocks(doc: Document) -> list[object]:
        return [b for item in doc.transcript for b in (item.blocks if isinstance(item, Turn)
                                                      else [item])]

    kemerovo = documents[DATA / "kremlin-en" / "57137.html"]
    assert any(isinstance(b, Omission) for b in blocks(kemerovo))
    assert not any(isinstance(i, Separator) for i in kemerovo.transcript)  # "* * *" ends the lead
    conference = documents[DATA / "kremlin-en" / "62366.html"]
    separators = [i for i, item in enumerate(conference.transcript) if isinstance(item, Separator)]
    assert len(separators) == 1 and 0 < separators[0] < len(conference.transcript) - 1
    address = documents[DATA / "kremlin-en" / "62582.html"]
    applause = [b for b in blocks(address) for b in ([b] if isinstance(b, Stage) else
                b.content if isinstance(b, Paragraph) else []) if isinstance(b, Stage)]
    assert applause and {s.type for s in applause} == {"applause"}


def test_anonymous_labels_are_roles(documents: dict[Path, Document]) -> None:
    doc = documents[DATA / "kremlin-en" / "55017.html"]
    question = next(t for t in doc.turns() if t.label == "Question")
    person = doc.person(question.who)
    assert person is not None and person.anonymous


def test_page_with_a_lead_and_no_transcript_gives_a_tei_without_turns(
        documents: dict[Path, Document], teis: dict[Path, etree._ElementTree]) -> None:
    path = DATA / "kremlin-en" / "34018.html"
    doc = documents[path]
    assert doc.turns() == [] and doc.transcript == []
    assert [flat(p.text())[:25] for p in doc.lead] == ["Over the course of a leng",
                                                       "The political scientists "]
    assert teis[path].xpath("//t:sp", namespaces=NS) == []
    assert len(teis[path].xpath("//t:div[@type='summary']/t:p", namespaces=NS)) == 2


def test_russian_page_gives_the_same_tei_as_the_text_export(
        documents: dict[Path, Document]) -> None:
    """Same transcript, two formats: byte-identical TEI (labels, tooltips, furniture notwithstanding)."""
    from_text = read_path(DATA / "kremlin-ru" / "64534.txt", ReadOptions())
    assert to_bytes(encode(documents[RU_PAGE])) == to_bytes(encode(from_text))


def test_url_from_the_saved_path_when_the_page_has_none() -> None:
    data = (DATA / "kremlin-en" / "62366.html").read_bytes().replace(b'property="og:url"', b"")
    doc = read_bytes(data, "mirror/en.kremlin.ru/events/president/news/62366.html",
                     ReadOptions())
    assert doc.source.url == "http://en.kremlin.ru/events/president/news/62366"
    assert doc.id == "kremlin-en-62366"


def test_detect_chooses_the_html_reader() -> None:
    data = (DATA / "kremlin-en" / "55017.html").read_bytes()
    assert detect(data).name == "kremlin-html"
    saved = b"<!-- saved from url=(0049)http://en.kremlin.ru/events/president/news/55017 -->\n"
    assert detect(saved + data).name == "kremlin-html"


def test_reading_twice_gives_identical_tei() -> None:
    path = DATA / "kremlin-en" / "57137.html"
    first, second = (to_bytes(encode(read_path(path, ReadOptions()))) for _ in range(2))
    assert first == second


def test_a_page_without_article_text_is_refused_with_its_name() -> None:
    page = b"<!doctype html><html><body><nav><a href='/'>Home</a></nav><p>Hello</p></body></html>"
    with pytest.raises(ReadError) as caught:
        read_bytes(page, "saved/elsewhere.html", ReadOptions(fmt="kremlin-html"))
    assert str(caught.value).startswith("saved/elsewhere.html:1: no transcript text found")


# -- speaker labels as the site prints them ---------------------------------------------------


LABELS = [
    ("<p><b>Vladimir</b> <b>Putin</b>: Good afternoon.</p>",
     [("Vladimir Putin", None, "Good afternoon.")]),
    ("<p><b>Vladimir\nPutin:</b> Yes.</p>", [("Vladimir Putin", None, "Yes.")]),
    ("<p><b>Vladimir<br>Putin:</b> Yes.</p>", [("Vladimir Putin", None, "Yes.")]),
    ("<p><b>Vladimir Putin</b>:\u00a0Yes.</p>", [("Vladimir Putin", None, "Yes.")]),
    ("<p><b>Vladimir Putin:\u00a0</b>Yes.</p>", [("Vladimir Putin", None, "Yes.")]),
    ("<p><b>Xi Jinping</b> <i>(retranslated)</i><b>:</b> Thank you.</p>",
     [("Xi Jinping", "retranslated", "Thank you.")]),
    ("<p><b>Xi Jinping (retranslated):</b> Thank you.</p>",
     [("Xi Jinping", "retranslated", "Thank you.")]),
    ("<p><b>Т.Карлсон</b> <i>(как переведено)</i>: Спасибо.</p>",
     [("Т.Карлсон", "как переведено", "Спасибо.")]),
    ("<p><b>Реплика:</b> Спасибо.</p>", [("Реплика", None, "Спасибо.")]),
    ("<p><b>President of Russia <a class='person_tag'>Vladimir Putin<span class='read__tooltip "
     "tooltip_person hidden masha-ignore'><span class='tooltip_title'>Putin Vladimir</span>"
     "</span></a>:</b> Colleagues,</p>",
     [("President of Russia Vladimir Putin", None, "Colleagues,")]),
    ("<p><b>В.Путин:</b> Раз.<br><b>Д.Песков:</b> Два.<br>Три.</p>",
     [("В.Путин", None, "Раз."), ("Д.Песков", None, "Два."), (None, None, "Три.")]),
    ("<p><b>Remark</b> <i>from the\u00a0audience.</i></p>",
     [(None, None, "Remark from the\u00a0audience.")]),
    ("<p>We said <b>this</b>: no.</p>", [(None, None, "We said this: no.")]),
    ("<p><b>Why not?</b>: nobody asked.</p>", [(None, None, "Why not?: nobody asked.")]),
    ("<p><b>* * * </b></p>", [(None, None, "* * *")]),
    ("<p>(<i>Laughter</i>.)</p>", [(None, None, "(Laughter.)")]),
    # the name a link to the site's persons, after the bold or inside it (issue 11)
    ("<p><b>Minister of Culture </b><a class='person_tag' href='/catalog/persons/123/events'>"
     "<b>Ivan Petrov</b><span class='read__tooltip tooltip_person hidden masha-ignore'>"
     "<span class='tooltip_title'>Petrov Ivan</span></span></a>: Thank you.</p>",
     [("Minister of Culture Ivan Petrov", None, "Thank you.")]),
    ("<p><b>Director of the Hermitage <a class='person_tag' href='/catalog/persons/7/events'>"
     "Ivan Petrov</a></b>: Thank you.</p>",
     [("Director of the Hermitage Ivan Petrov", None, "Thank you.")]),
    ("<p><b>Minister of Culture </b><a class='person_tag' href='/catalog/persons/123/events'>"
     "Ivan Petrov<span class='read__tooltip tooltip_person'><span class='tooltip_title'>Petrov "
     "Ivan</span></span></a>: Thank you.</p>",
     [("Minister of Culture Ivan Petrov", None, "Thank you.")]),
    ("<p><b>Minister of Culture</b> <a class='person_tag'>Ivan Petrov</a> <i>(retranslated)</i>"
     "<b>:</b> Thank you.</p>",
     [("Minister of Culture Ivan Petrov", "retranslated", "Thank you.")]),
    ("<p>We met <a class='person_tag'>Ivan Petrov</a>: he agreed.</p>",
     [(None, None, "We met Ivan Petrov: he agreed.")]),
    ("<p><a class='person_tag'>Ivan Petrov</a>: he agreed.</p>",
     [(None, None, "Ivan Petrov: he agreed.")]),
    ("<p><b>Members of the </b><a class='termin_tag'>CSTO</a>: Armenia, Belarus.</p>",
     [(None, None, "Members of the CSTO: Armenia, Belarus.")]),
    # very long labels, a label alone in its paragraph, a label over two bold tags (issue 11)
    ("<p><b>President of the International Sambo Federation, President of the Russian Sambo "
     "Federation, Honoured Coach of Russia Vasily Shestakov:</b> Mr President,</p>",
     [("President of the International Sambo Federation, President of the Russian Sambo "
       "Federation, Honoured Coach of Russia Vasily Shestakov", None, "Mr President,")]),
    ("<p><b>Professor of the Chair of Greek and Slavonic Philology at the University\nof Granada "
     "(Spain) Rafael Guzman Tirado: </b>Mr President!</p>",
     [("Professor of the Chair of Greek and Slavonic Philology at the University of Granada "
       "(Spain) Rafael Guzman Tirado", None, "Mr President!")]),
    ("<p><b>Head of the Department of Ethnic and Federative Relations at the Russian Academy of "
     "National Economy and Public Administration Vyacheslav Mikhailov:</b> </p>"
     "<p>Mr President,</p>",
     [("Head of the Department of Ethnic and Federative Relations at the Russian Academy of "
       "National Economy and Public Administration Vyacheslav Mikhailov", None, ""),
      (None, None, "Mr President,")]),
    ("<p><b>Vladimir Putin:</b><br>Friends,</p>",
     [("Vladimir Putin", None, ""), (None, None, "Friends,")]),
    ("<p><b>Special Representative of the French Government on relations with Russia</b> "
     "<b>Jean-Pierre Chevenement </b><i>(retranslated)</i>: Mr President,</p>",
     [("Special Representative of the French Government on relations with Russia Jean-Pierre "
       "Chevenement", "retranslated", "Mr President,")]),
    ("<p><b>What I would like to say today to all of you who came here from all over our big "
     "country is the following:</b> thank you.</p>",
     [(None, None, "What I would like to say today to all of you who came here from all over "
       "our big country is the following: thank you.")]),
    ("<p><b>Prizes for young culture professionals have been awarded to:</b></p>",
     [(None, None, "Prizes for young culture professionals have been awarded to:")]),
]


@pytest.mark.parametrize(("html", "expected"), LABELS, ids=[str(i) for i in range(len(LABELS))])
def test_speaker_label_shapes(html: str, expected: list[tuple[str | None, str | None, str]]
                              ) -> None:
    container = lxml.html.fragment_fromstring(html, create_parent="div")
    found = [(p.label, p.note, p.text) for p in body_paragraphs(container)]
    assert found == expected


# -- issue 11: headings, linked names, long labels, pages without a transcript ----------------


def saved_page(body: str, lead: str = "<p>Vladimir Putin met with Ivan Petrov.</p>") -> bytes:
    """A page saved from en.kremlin.ru, in the site's layout, with ``body`` as its text."""
    return f"""<!DOCTYPE html><html lang="en"><head><title>Meeting • President of Russia</title>
<meta property="og:url" content="http://en.kremlin.ru/events/president/news/99999"></head>
<body><article><h1 class="entry-title">Meeting with Ivan Petrov</h1>
<div class="read__lead entry-summary" id="read-lead">{lead}</div>
<div class="read__meta"><time class="read__published" datetime="2019-06-28">June 28, 2019</time>
<div class="read__time">11:00</div><div class="read__place">The Kremlin, Moscow</div></div>
<div class="entry-content" itemprop="articleBody">{body}</div></article></body></html>
""".encode()


def encoded(page: bytes, tei_all: etree.RelaxNG) -> tuple[Document, etree._ElementTree]:
    """The page read and encoded, checked against the profile (``encode`` refuses what it
    breaks) and tei_all."""
    doc = read_bytes(page, "saved/99999.html", ReadOptions())
    tree = encode_document(doc).tree
    assert tei_all.validate(tree), tei_all.error_log.filter_from_errors()[:3]
    return doc, tree


def divisions(tree: etree._ElementTree) -> list[tuple[str | None, str | None, int]]:
    """Each division of the body: its type, its heading, how many turns it holds."""
    return [(div.get("type"), div.findtext("t:head", namespaces=NS), len(div.findall("t:sp", NS)))
            for div in tree.iterfind(".//t:body/t:div", NS)]


def test_a_bold_paragraph_that_is_no_label_is_a_heading_opening_a_division(
        tei_all: etree.RelaxNG) -> None:
    doc, tree = encoded(saved_page(
        "<p>The presidents made statements for the press.</p><p><b>* * *</b></p>"
        "<p><b>Statements for the press</b></p>"
        "<p><b>Vladimir Putin:</b> Ladies and gentlemen,</p><p>Thank you.</p>"
        "<p><b>Meeting points for media representatives:</b></p><p>Red Square.</p>"), tei_all)
    assert divisions(tree) == [("summary", None, 0),
                               ("transcript", "Statements for the press", 1),
                               ("transcript", "Meeting points for media representatives:", 0)]
    turn = doc.turns()[0]
    assert [block.text() for block in turn.blocks if isinstance(block, Paragraph)] == [
        "Ladies and gentlemen,", "Thank you."]
    assert isinstance(doc.transcript[-2], Heading)
    after = tree.find(".//t:body/t:div[3]/t:p", NS)
    assert after is not None and after.text == "Red Square."  # in no turn: the site's text


def test_headings_of_the_lead_and_the_one_right_before_the_first_label(
        tei_all: etree.RelaxNG) -> None:
    """A heading in the lead heads what follows it there; one right above the first label
    (no ``* * *`` between) heads the transcript."""
    doc, tree = encoded(saved_page(
        "<p><b>Prizes have been awarded to:</b></p><p>Ivan Petrov, composer;</p>"
        "<p>Anna Ivanova, director.</p><p><b>Speech at the award ceremony</b></p>"
        "<p><b>President of Russia Vladimir Putin:</b> Friends,</p>"), tei_all)
    assert divisions(tree) == [("summary", None, 0),
                               ("summary", "Prizes have been awarded to:", 0),
                               ("transcript", "Speech at the award ceremony", 1)]
    assert [type(item).__name__ for item in doc.lead] == ["Paragraph", "Heading", "Paragraph",
                                                          "Paragraph"]
    assert [p.get("n") for p in tree.iterfind(".//t:body//t:p", NS)] == ["1", "2", "3", "4"]


def test_a_linked_name_after_the_office_opens_its_own_turn(tei_all: etree.RelaxNG) -> None:
    """Not glued to the turn before, the office not taken for speech."""
    doc, tree = encoded(saved_page(
        "<p><b>Vladimir Putin:</b> Mr Petrov, please.</p>"
        "<p><b>Minister of Culture </b><a class='person_tag read__tag' "
        "href='http://en.kremlin.ru/catalog/persons/123/events'>Ivan Petrov<span "
        "class='read__tooltip tooltip_person hidden masha-ignore'><span class='tooltip_title'>"
        "Petrov Ivan</span><span class='tooltip_description'>Minister of Culture</span></span>"
        "</a>: Thank you.</p>"), tei_all)
    assert [(turn.label, turn.who) for turn in doc.turns()] == [
        ("Vladimir Putin", "putin-vladimir"), ("Minister of Culture Ivan Petrov", "petrov-ivan")]
    assert tree.xpath("string(//t:sp[2]/t:p)", namespaces=NS) == "Thank you."


def test_a_label_alone_in_its_paragraph_takes_the_next_ones(tei_all: etree.RelaxNG) -> None:
    office = ("Chairman of the National Council for the Coordination of Cooperation with the "
              "Russian Federation and the People's Republic of China, President of the Republic "
              "of Serbia (2012–2017) Tomislav Nikolic")
    doc, tree = encoded(saved_page(
        "<p><b>Vladimir Putin:</b> Mr Nikolic, please.</p>"
        f"<p><b>{office}:</b> </p><p>Mr President,</p><p>Thank you.</p>"
        "<p><b>Vladimir Putin:</b></p><p><b>Tomislav Nikolic:</b> Thank you.</p>"), tei_all)
    assert [turn.label for turn in doc.turns()] == ["Vladimir Putin", office, "Vladimir Putin",
                                                    "Tomislav Nikolic"]
    assert doc.turns()[0].who == doc.turns()[2].who
    assert doc.turns()[1].who == doc.turns()[3].who == "nikolic-tomislav"
    assert [[b.text() for b in turn.blocks if isinstance(b, Paragraph)]
            for turn in doc.turns()] == [["Mr Nikolic, please."], ["Mr President,", "Thank you."],
                                         [""], ["Thank you."]]
    assert tree.xpath("count(//t:sp[3]/t:p)", namespaces=NS) == 1  # TEI's sp needs one


def test_a_page_with_nothing_but_its_title_is_encoded(tei_all: etree.RelaxNG) -> None:
    """An announcement or photo item: no lead, no paragraph in the body, only furniture."""
    doc, tree = encoded(saved_page(
        "<div class='read__cut masha-ignore'><h3>See also</h3><a class='cut__item' "
        "href='/events/president/news/1'>Another event</a></div>"
        "<div class='slider masha-ignore'><div class='slider_caption'>A photo</div></div>",
        lead=" "), tei_all)
    assert doc.transcript == [] and doc.lead == [Heading("Meeting with Ivan Petrov")]
    assert divisions(tree) == [("summary", "Meeting with Ivan Petrov", 0)]
    assert tree.findtext(".//t:titleStmt/t:title", namespaces=NS) == "Meeting with Ivan Petrov"
    assert tree.find(".//t:setting/t:date", NS).get("when") == "2019-06-28T11:00:00+03:00"


def test_a_news_item_with_one_speaker_or_none(tei_all: etree.RelaxNG) -> None:
    one, tree = encoded(saved_page(
        "<p>The exhibition opened.</p><p><b>\u00a0* * *</b></p>"
        "<p>\u00a0<b>President of Russia Vladimir Putin:</b> Friends,</p><p>Happy holiday!</p>"),
        tei_all)
    assert [(turn.label, len(turn.blocks)) for turn in one.turns()] == [
        ("President of Russia Vladimir Putin", 2)]
    none, tree = encoded(saved_page("<p>The exhibition opened.</p><p>It runs to May.</p>"),
                         tei_all)
    assert none.turns() == [] and [p.text() for p in none.lead] == [
        "Vladimir Putin met with Ivan Petrov.", "The exhibition opened.", "It runs to May."]
    assert divisions(tree) == [("summary", None, 0)]


def test_real_headings_are_heads_of_their_divisions(teis: dict[Path, etree._ElementTree]) -> None:
    turkey = teis[DATA / "kremlin-en-more" / "53065.html"]
    assert [(kind, flat(head or ""), turns) for kind, head, turns in divisions(turkey)] == [
        ("summary", "", 0), ("transcript", "Statements for the press following the meeting with "
                             "President of Turkey Recep Tayyip Erdogan", 2)]
    prizes = teis[DATA / "kremlin-en-more" / "57212.html"]
    assert [flat(head or "") for _, head, _ in divisions(prizes)] == [
        "", "Prizes for young culture professionals have been awarded to:",
        "Prizes for writing and art for children and young people have been awarded to:", ""]


def test_real_long_and_linked_labels(documents: dict[Path, Document]) -> None:
    awards = documents[DATA / "kremlin-en-more" / "56002.html"]
    assert [turn.who for turn in awards.turns()] == [
        "putin-vladimir", "mikhailov-vyacheslav", "tirado-guzman", "kopac-mrak-anja",
        "nikolic-tomislav", "remy-gilles", "caglar-cavit", "chevenement-jean-pierre",
        "jankovic-zoran", "putin-vladimir"]
    far_east = documents[DATA / "kremlin-en-more" / "63157.html"]
    assert far_east.turns()[1].label == (
        "Deputy Prime Minister of the Russian Federation and Presidential Plenipotentiary Envoy "
        "to the Far Eastern Federal District Yury Trutnev")
    assert {turn.who for turn in far_east.turns() if "Trutnev" in turn.label} == {"trutnev-yury"}
