"""The plain-text edition (issue 4), and the promise of both renderers: any TEI, no word lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from render_support import (FOREIGN, RENDER, fixture, missing_in_order, parse_html, sample_bytes,
                            sample_tree, saved_page_tree, tei_text_words, words)
from tei.cli import cli
from tei.pipeline import render_file
from tei.render import RenderOptions, build_view, render_html, render_text
from tei.render.view import Paragraph
from tei.xmlio import TEI_NS, parse_file


@pytest.fixture(scope="module")
def sample_text() -> str:
    return render_text(sample_tree())


def body_of(text: str) -> str:
    """The text edition after its header block (which ends with the "How to cite" line)."""
    return text.split("\n\n", 1)[1].split("\n\n", 1)[1].rstrip("\n")


# -- every word, in order -------------------------------------------------------------------


def test_sample_text_contains_every_word_of_the_tei_in_order(sample_text: str) -> None:
    expected = tei_text_words(sample_tree())
    assert len(expected) > 4500
    assert missing_in_order(expected, words(sample_text)) == []


@pytest.mark.parametrize("name", sorted(FOREIGN) + ["kremlin-shape", "hostile"])
def test_other_tei_loses_no_word(name: str) -> None:
    tree = parse_file(FOREIGN.get(name, RENDER / f"{name}.xml"))
    expected = tei_text_words(tree)
    assert expected
    assert missing_in_order(expected, words(render_text(tree))) == []


def test_the_order_check_notices_a_lost_or_moved_word() -> None:
    assert missing_in_order(["a", "b", "c"], ["a", "x", "c", "b"]) == ["c"]
    assert missing_in_order(["a", "b"], ["b", "a"]) == ["b"]


# -- layout -------------------------------------------------------------------------------------


def test_header_block_names_title_date_place_source_licence_and_citation(sample_text: str) -> None:
    header = sample_text.split("\n\n", 2)[:2]
    assert header[0].startswith("Сессия Совета коллективной безопасности ОДКБ\n====")
    lines = header[1].splitlines()
    assert lines[0] == "Дата: 2 декабря 2020 г., 13:15 (UTC+3) [2020-12-02T13:15:00+03:00]"
    assert lines[1] == "Место: Ново-Огарёво, Московская область"
    assert lines[2] == "Источник: Президент России, http://kremlin.ru/events/president/news/64534"
    assert lines[3] == "Лицензия: CC BY 4.0 <https://creativecommons.org/licenses/by/4.0/>"
    assert "Идентификатор документа: kremlin-64534" in lines
    assert "Ссылка на абзац: kremlin-64534#p12 (абз. 12)" in lines
    assert lines[-1].startswith("Как цитировать: Сессия Совета")


def test_turns_read_label_colon_paragraph_one_paragraph_per_block(sample_text: str) -> None:
    blocks = body_of(sample_text).split("\n\n")
    assert blocks[0].startswith("Под председательством Владимира Путина")
    assert blocks[3] == "* * *"
    assert blocks[4] == "В.Путин: Добрый день!"
    assert blocks[5] == "Очень рад вас всех видеть, приветствовать."
    assert "Н.Пашинян: Спасибо, Владимир Владимирович." in blocks
    labelled = [b for b in blocks if re.match(r"[А-ЯЁ][\w.\-]*\.[А-ЯЁ]\w+: ", b)]
    assert len(labelled) == 13
    assert all("\n" not in b for b in blocks)
    standing = sample_tree().getroot().xpath(
        "//t:body//t:p | //t:body//*[self::t:gap or self::t:ellipsis][not(ancestor::t:p)]",
        namespaces={"t": TEI_NS})
    assert len([b for b in blocks if b != "* * *"]) == len(standing) > 140


def test_utf8_and_lf_only(tmp_path: Path) -> None:
    source = tmp_path / "kremlin-64534.xml"
    source.write_bytes(sample_bytes())
    [written] = render_file(source, tmp_path, formats=("text",))
    data = written.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n") and not data.endswith(b"\n\n")
    assert data.decode("utf-8") == render_text(sample_tree())


def test_no_break_spaces_are_kept_unless_asked(sample_text: str) -> None:
    assert sample_text.count("\u00a0") > 100
    plain = render_text(sample_tree(), RenderOptions(plain_spaces=True))
    assert "\u00a0" not in plain
    assert plain == sample_text.replace("\u00a0", " ")


def test_wrap_keeps_lines_short_and_words_whole(sample_text: str) -> None:
    wrapped = render_text(sample_tree(), RenderOptions(wrap=60))
    for line in wrapped.splitlines():
        assert len(line) <= 60 or " " not in line.strip(), line
    assert re.sub(r"\s+", " ", wrapped) == re.sub(r"\s+", " ", sample_text)
    assert "\u00a0\n" not in wrapped and "\n\u00a0" not in wrapped


def test_numbers_in_the_margin(sample_text: str) -> None:
    numbered = render_text(sample_tree(), RenderOptions(numbers=True, wrap=72))
    blocks = body_of(numbered).split("\n\n")
    twelve = next(b for b in blocks if b.startswith(" 12  "))
    assert twelve.startswith(" 12  Понятно, что в\u00a0непростой ситуации")
    assert all(line.startswith("     ") for line in twelve.splitlines()[1:])
    assert "     * * *" in blocks
    assert "  4  В.Путин: Добрый день!" in blocks
    assert missing_in_order(words(sample_text), words(numbered)) == []


def test_verse_lines_stay_together_and_stage_directions_keep_their_parentheses() -> None:
    text = render_text(fixture("dracor-style"))
    assert ("Самозванец: (оглядываясь)\n\nВот и фонтан; она сюда придёт.\n"
            "Я, кажется, рождён не боязливым;\nНо ныне — что со мною?\nЧто такое?\n\n") in text
    assert "Марина. Царевич! (Подходит ближе.) Вы здесь?" in text
    assert "Мне дорого каждое мгновенье.\nЯ не могу медлить." in text
    assert "(Входит Самозванец.)" in text


def test_a_play_names_its_author_and_cites_a_line_as_a_line() -> None:
    text = render_text(parse_file(FOREIGN["dracor-pushkin"]), RenderOptions(numbers=True))
    header = text.split("\n\n")[1]
    assert "Автор: Александр Сергеевич Пушкин" in header
    assert "Ссылка на строку: rus000020#l11 (строка 11)" in header
    assert "Как цитировать: Александр Сергеевич Пушкин. Моцарт и Сальери." in header
    assert "\n  1  Сальери: Все говорят: нет правды на земле.\n  2  Но правды" in text


SPEECH_IN_VERSE = """<sp who="#salieri"><speaker>Сальери</speaker>
  <l> Все  говорят:
     нет правды на земле. </l>
  <l>  Но  правды нет —
     и выше. <hi>Для меня</hi></l><stage>(задумывается)</stage><l/><l>   </l>
  <l part="F">Так это ясно,<lb/>как простая гамма.</l>{after}</sp>"""


def play(speech: str) -> etree._ElementTree:
    """A play of two speeches, ``speech`` first."""
    return etree.ElementTree(etree.fromstring(f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc>
      <titleStmt><title>Verse</title></titleStmt><publicationStmt><p/></publicationStmt>
      <sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><div>{speech}
      <sp who="#mozart"><speaker>Моцарт</speaker><l>Ага!</l></sp></div></body></text></TEI>"""))


@pytest.mark.parametrize("options", [RenderOptions(), RenderOptions(numbers=True, wrap=24)],
                         ids=["plain", "numbered-wrapped"])
def test_a_speech_in_verse_reads_as_the_template_loop_writes_it(options: RenderOptions) -> None:
    # lines and stage directions: written in one call; a gap after them: by the loop
    in_verse = render_text(play(SPEECH_IN_VERSE.format(after="<stage>Входит.</stage>")), options)
    with_gap = render_text(play(SPEECH_IN_VERSE.format(after="<stage>Входит.</stage><gap/>")),
                           options)
    assert re.sub(r"\n\n *<…>\n", "\n", with_gap) == in_verse
    assert ("Сальери: Все говорят: нет правды на земле.\nНо правды нет — и выше. Для меня\n\n"
            "(задумывается)\n\n") in render_text(play(SPEECH_IN_VERSE.format(after="")))


def test_a_line_of_text_alone_reads_as_a_line_with_markup_does() -> None:
    view = build_view(play(SPEECH_IN_VERSE.format(after="")))
    lines = [block for block in view.turns[0].blocks if isinstance(block, Paragraph)]
    assert [(line.n, line.id, line.words) for line in lines] == [
        ("1", "l1", 6), ("2", "l2", 7), ("3", "l3", 0), ("4", "l4", 0), ("4", "l4-2", 6)]
    assert [piece.text for piece in lines[0].pieces] == ["Все говорят: нет правды на земле."]
    assert [piece.text for piece in lines[1].pieces] == ["Но правды нет — и выше. ", ""]
    assert lines[2].pieces == [] and [piece.text for piece in lines[3].pieces] == [""]


def test_parlamint_labels_notes_and_gaps_as_text() -> None:
    text = render_text(fixture("parlamint-style"))
    assert "MILAN NOVAK: Dear colleagues, I open the sitting." in text
    assert "We have a quorum <… inaudible> present." in text
    assert "JANA HORVAT: Thank you, Mr President. (Shouting.) I will be brief." in text
    assert "[Note: Interruption from the floor.]" in text
    assert "NovakMilan, HorvatJana: We agree." in text
    assert "\n<… SAMPLING>\n" in text


def test_turn_note_in_the_label() -> None:
    text = render_text(fixture("kremlin-shape"))
    assert "И.Иванов (как переведено): Спасибо, Владимир Владимирович." in text
    assert "Программа [поддержки] продлена до 2025 года. <…> Спасибо. (Смех.)" in text
    assert "\n\n* * *\n\n<…>\n\n(Перерыв.)\n\n" in text
    assert text.endswith("Последний абзац.\n\n<…>\n")


def test_a_turn_that_opens_with_a_turn_keeps_both_labels() -> None:
    tree = etree.ElementTree(etree.fromstring(f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc>
      <titleStmt><title>Nested</title></titleStmt><publicationStmt><p/></publicationStmt>
      <sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body>
      <sp><speaker>CHAIR</speaker><sp><speaker>CLERK</speaker><p>The roll is called.</p></sp>
        <p>Thank you.</p></sp>
      <sp><speaker>MEMBER</speaker></sp></body></text></TEI>"""))
    text = render_text(tree)
    assert "\n\nCHAIR:\n\nCLERK: The roll is called.\n\nThank you.\n\nMEMBER:\n" in text


def test_user_text_template_overrides_the_header(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "document.txt").write_text(
        '{% extends "base.txt" %}{% block header %}{{ doc.id }}{% endblock %}', encoding="utf-8")
    text = render_text(fixture("kremlin-shape"), RenderOptions(templates=tmp_path))
    assert text.startswith("kremlin-99999\n")
    assert text.endswith("Последний абзац.\n\n<…>\n")


def test_cli_text_options(tmp_path: Path) -> None:
    source = tmp_path / "kremlin-64534.xml"
    source.write_bytes(sample_bytes())
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "o"),
                                      "--format", "text", "--wrap", "50", "--numbers",
                                      "--plain-spaces"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "o" / "text" / "kremlin-64534.txt").read_text(encoding="utf-8")
    assert text == render_text(sample_tree(), RenderOptions(wrap=50, numbers=True,
                                                            plain_spaces=True))
    assert "\u00a0" not in text and " 12  " in text
    assert not (tmp_path / "o" / "html").exists()


# -- any well-formed TEI: never a crash, never a lost word -------------------------------------

TAGS = ["p", "sp", "u", "seg", "l", "lg", "div", "head", "speaker", "note", "stage", "gap",
        "supplied", "hi", "persName", "ref", "lb", "milestone", "kinesic", "incident", "desc",
        "castList", "castItem", "front", "back", "ab", "list", "item", "quote", "unknownThing",
        "trailer", "pb", "ellipsis", "metamark"]
WORDS = st.sampled_from(["слово", "word", "Ёж", "x1", "«цитата»", "<b>", "&amp;", "a\u00a0b",
                         "—", "(Смех.)", "[вставка]"])
TEXT = st.one_of(st.none(), st.lists(WORDS, min_size=1, max_size=4).map(
    lambda ws: " " + " ".join(ws) + (" \n " if len(ws) > 2 else " ")))
ATTRS = st.fixed_dictionaries({}, optional={
    "who": st.sampled_from(["#a", "#a #b", "#nobody", "a b", "#"]),
    "type": st.sampled_from(["speaker", "summary", "transcript", "applause"]),
    "{http://www.w3.org/XML/1998/namespace}id": st.sampled_from(["a", "b", "p1", "sp1", "main",
                                                                 "cite", "x y"]),
    "n": st.sampled_from(["1", "12", "iv"]),
    "ref": st.sampled_from(["#a", "#missing", "javascript:alert(1)", "http://example.org/"]),
    "target": st.sampled_from(["#b", "https://example.org/x", "data:text/html,x"]),
    "rend": st.sampled_from(["* * *", "italic"]),
    "unit": st.sampled_from(["section", "line"]),
})


def element(kids: st.SearchStrategy) -> st.SearchStrategy:
    """A TEI element with random name, attributes, text, children and tails."""
    return st.builds(lambda tag, attrs, text, children, tails: (tag, attrs, text, children, tails),
                     st.sampled_from(TAGS), ATTRS, TEXT, kids,
                     st.lists(TEXT, min_size=4, max_size=4))


TREES = st.recursive(element(st.just([])), lambda inner: element(st.lists(inner, max_size=4)),
                     max_leaves=25)


def build(node: tuple, parent: etree._Element) -> None:
    tag, attrs, text, kids, tails = node
    el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}", attrs)
    el.text = text
    for kid, tail in zip(kids, tails):
        build(kid, el)
        el[-1].tail = tail


def tei_document(nodes: list[tuple]) -> etree._ElementTree:
    root = etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        '</fileDesc><profileDesc><particDesc><listPerson><person xml:id="a"><persName>A</persName>'
        '</person></listPerson></particDesc></profileDesc></teiHeader><text><body/></text></TEI>')
    body = root.find(f".//{{{TEI_NS}}}body")
    for node in nodes:
        build(node, body)
    return root.getroottree()


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TREES, min_size=1, max_size=3))
def test_random_well_formed_tei_renders_without_losing_a_word(nodes: list[tuple]) -> None:
    tree = tei_document(nodes)
    text = render_text(tree, RenderOptions(wrap=30, numbers=True))
    assert missing_in_order(tei_text_words(tree), words(text)) == []
    page = parse_html(render_html(tree))
    ids = [el.get("id") for el in page.iter() if el.get("id") is not None]
    assert len(ids) == len(set(ids))
    links = {a.get("href")[1:] for a in page.iter("a") if a.get("href", "").startswith("#")}
    assert links <= set(ids)
    assert all(not (a.get("href") or "").startswith(("javascript:", "data:"))
               for a in page.iter("a"))


def test_render_goes_on_past_a_missing_file_and_names_it(tmp_path: Path) -> None:
    good = Path(__file__).parents[1] / "data" / "render" / "kremlin-shape.xml"
    missing = tmp_path / "missing.xml"
    result = CliRunner().invoke(cli, ["render", str(missing), str(good), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Error: {missing}: " in result.stderr
    assert list((tmp_path / "text").glob("*.txt"))


def test_render_reports_an_output_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    good = Path(__file__).parents[1] / "data" / "render" / "kremlin-shape.xml"
    result = CliRunner().invoke(cli, ["render", str(good), "-o", str(blocker / "out")])
    assert result.exit_code == 1
    assert f"Error: {blocker}" in result.stderr and "Traceback" not in result.output


def test_headings_of_a_saved_page_stand_on_their_own_lines() -> None:
    """en.kremlin.ru 57212: the headings above the lists of prize winners, then ``* * *``
    before the transcript."""
    text = body_of(render_text(saved_page_tree("kremlin-en-more/57212.html")))
    blocks = [re.sub(r"\s+", " ", block) for block in text.split("\n\n")]
    heading = "Prizes for young culture professionals have been awarded to:"
    assert heading in blocks and blocks[blocks.index(heading) + 1].startswith("Dina Velikovskaya")
    assert ("Prizes for writing and art for children and young people have been awarded to:"
            in blocks)
    assert blocks[blocks.index("* * *") + 1].startswith("President of Russia Vladimir Putin: ")
