"""The HTML edition (issue 4): what a reader and a citer rely on in one page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from render_support import (FOREIGN, NS, RENDER, fixture, parse_html, sample_bytes,
                            sample_tree, saved_page_tree)
from tei.cli import cli
from tei.errors import RenderError
from tei.outputs import file_name as output_name
from tei.pipeline import render_file
from tei.render import RenderOptions, build_view, render_html, render_text, write_static
from tei.render.templates import environment
from tei.resources import data_dir
from tei.xmlio import parse_bytes, parse_file


@pytest.fixture(scope="module")
def sample_html() -> str:
    return render_html(sample_tree())


def by_class(page, tag: str, name: str) -> list:
    return [el for el in page.iter(tag) if name in (el.get("class") or "").split()]


def ids(page) -> set[str]:
    return {el.get("id") for el in page.iter() if el.get("id") is not None}


def internal_links(page) -> list[str]:
    return [el.get("href")[1:] for el in page.iter("a") if (el.get("href") or "").startswith("#")]


# -- the sample ----------------------------------------------------------------------------


def test_sample_has_13_turns_each_labelled_and_linked_to_a_person(sample_html: str) -> None:
    page = parse_html(sample_html)
    turns = by_class(page, "div", "turn")
    assert len(turns) == 13
    persons = {li.get("id") for li in by_class(page, "li", "person")}
    for turn in turns:
        who = by_class(turn, "a", "who")
        assert who and who[0].get("href")[1:] in persons


def test_every_internal_link_resolves_and_ids_are_unique(sample_html: str) -> None:
    page = parse_html(sample_html)
    all_ids = [el.get("id") for el in page.iter() if el.get("id") is not None]
    assert len(all_ids) == len(set(all_ids))
    links = internal_links(page)
    assert len(links) >= 141 + 13 + 13  # paragraph numbers, speaker labels, turn lists
    assert set(links) <= set(all_ids)


def test_every_paragraph_of_the_tei_is_an_anchor_with_its_number(sample_html: str) -> None:
    tree = sample_tree()
    page = parse_html(sample_html)
    anchors = {el.get("id"): el for el in page.iter("p") if el.get("id")}
    paragraphs = tree.getroot().findall(".//t:body//t:p", NS)
    assert len(paragraphs) > 140
    for p in paragraphs:
        shown = anchors[p.get("{http://www.w3.org/XML/1998/namespace}id")]
        number = by_class(shown, "a", "pnum")[0]
        assert number.text == p.get("n")
        assert number.get("href") == "#" + shown.get("id")


def test_header_shows_title_date_place_source_and_licence(sample_html: str) -> None:
    page = parse_html(sample_html)
    assert page.find(".//h1").text == "Сессия Совета коллективной безопасности ОДКБ"
    time = page.find(".//header//time")
    assert time.get("datetime") == "2020-12-02T13:15:00+03:00"
    assert time.text == "2 декабря 2020 г., 13:15 (UTC+3)"
    header = "".join(page.find(".//header").itertext())
    assert "Ново-Огарёво, Московская область" in header
    hrefs = [a.get("href") for a in page.find(".//header").iter("a")]
    assert "http://kremlin.ru/events/president/news/64534" in hrefs
    assert "https://creativecommons.org/licenses/by/4.0/" in hrefs
    assert page.get("lang") == "ru"


def test_how_to_cite_gives_identifier_paragraph_format_and_a_copyable_citation(
        sample_html: str) -> None:
    page = parse_html(sample_html)
    cite = by_class(page, "section", "cite")[0]
    text = "".join(cite.itertext())
    assert "Как цитировать" in text
    assert "kremlin-64534#p12" in text
    citation = by_class(cite, "p", "citation")[0]
    said = "".join(citation.itertext())
    assert "kremlin-64534" in said and "URL: http://kremlin.ru/events/president/news/64534." in said
    button = cite.find(".//button")
    assert button.get("data-copy") == citation.get("id")
    assert "Адрес документа" + "неизвестен: издание собрано без --base-url" in text
    assert page.find(".//link[@rel='canonical']") is None


def test_base_url_gives_the_pages_own_addresses_in_how_to_cite(tmp_path: Path) -> None:
    source = tmp_path / "kremlin-64534.xml"
    source.write_bytes(sample_bytes())
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "out"),
                                      "--base-url", "https://example.org/kremlin"])
    assert result.exit_code == 0, result.output
    address = "https://example.org/kremlin/html/kremlin-64534.html"
    page = parse_html((tmp_path / "out" / "html" / "kremlin-64534.html").read_text("utf-8"))
    assert page.find(".//link[@rel='canonical']").get("href") == address
    cite = by_class(page, "section", "cite")[0]
    rows = {"".join(div.find("dt").itertext()): div.find("dd") for div in cite.find("dl")}
    assert rows["Адрес документа"].find("a").get("href") == address
    assert [code.text for code in rows["Ссылка на абзац"].iter("code")][1:] == [address + "#p12"]
    citation = by_class(cite, "p", "citation")[0]
    assert "".join(citation.itertext()).startswith("Сессия Совета коллективной безопасности ОДКБ. "
                                                   f"Президент России, 2 декабря 2020 г., 13:15 "
                                                   f"(UTC+3). URL: {address}. Источник: http://"
                                                   "kremlin.ru/events/president/news/64534. ")
    assert by_class(citation, "span", "accessed")[0].text is None  # filled in when copied only
    text = (tmp_path / "out" / "text" / "kremlin-64534.txt").read_text("utf-8")
    assert f"Адрес документа: {address}\n" in text
    assert f"Ссылка на абзац: kremlin-64534#p12 (абз. 12), {address}#p12\n" in text
    wrong = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "out"),
                                     "--base-url", "example.org"])
    assert wrong.exit_code == 2 and "--base-url" in wrong.output


def test_editorial_marks_are_visible_and_distinct(sample_html: str) -> None:
    page = parse_html(sample_html)
    supplied = ["".join(s.itertext()) for s in by_class(page, "span", "supplied")]
    assert supplied == ["[на\u00a0период]", "[Нурсултаном Назарбаевым]"]
    assert ["".join(g.itertext()) for g in by_class(page, "span", "gap")] == ["<…>"]


def test_persons_list_counts_turns_and_words(sample_html: str) -> None:
    tree = sample_tree()
    page = parse_html(sample_html)
    putin = page.find(".//li[@id='putin-vladimir']")
    assert putin.find(".//strong").text == "Владимир Путин"
    turns_of_putin = tree.getroot().findall(".//t:sp[@who='#putin-vladimir']", NS)
    links = [a.get("href") for a in by_class(putin, "p", "person-turns")[0].iter("a")]
    assert links == ["#" + sp.get("{http://www.w3.org/XML/1998/namespace}id") for sp in turns_of_putin]
    said = sum(len(re.findall(r"\w+", node)) for node in tree.getroot().xpath(
        "//t:sp[@who='#putin-vladimir']/t:p//text()"
        "[not(ancestor::t:supplied or ancestor::t:stage or ancestor::t:note)]", namespaces=NS))
    stats = "".join(by_class(putin, "p", "person-turns")[0].itertext())
    assert f"Слов: {said}" in stats and f"Реплики ({len(turns_of_putin)})" in stats
    pashinyan = page.find(".//li[@id='pashinyan-nikol']")
    assert "Премьер-министр Армении" in "".join(pashinyan.itertext())
    assert page.find(".//li[@id='novo-ogaryovo']") is not None


def test_valid_html5_and_nothing_loaded_from_the_network(sample_html: str) -> None:
    page = parse_html(sample_html)
    for el in page.iter():
        for attr in ("src", "href"):
            value = el.get(attr) or ""
            if el.tag in ("link", "script", "img", "iframe", "source", "video", "audio",
                          "embed", "object", "track", "input"):
                assert not re.match(r"(https?:)?//", value), (el.tag, value)
    assert page.find(".//script").get("src") == "static/edition.js"
    static = data_dir("transform") / "html" / "static"
    for asset in static.iterdir():
        text = asset.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//|XMLHttpRequest", text)
        # only the search page fetches: its bundles' entry files, beside the page itself
        expected = ["entry.href"] if asset.name == "search.js" else []
        assert re.findall(r"fetch\(([^)]*)\)", text) == expected, asset.name
        if expected:
            assert 'var entry = new URL(path + "pagefind-entry.json?ts=" + Date.now(), root);' in text


def test_rendering_is_deterministic() -> None:
    assert render_html(sample_tree()) == render_html(sample_tree())


# -- other TEI -----------------------------------------------------------------------------


def test_in_a_corpus_persons_and_places_link_their_registers_and_alone_within_the_page(
        sample_html: str) -> None:
    from tei.render import render_text

    tree = sample_tree()
    view = build_view(tree)
    corpus = parse_html(render_html(view, RenderOptions(registers="../")))
    names = {li.get("id"): li.find(".//strong/a").get("href")
             for li in corpus.iter("li") if li.get("class") in ("person", "place")}
    assert names["zas-stanislav"] == "../persons/zas-stanislav.html"
    assert names["novo-ogaryovo"] == "../places/novo-ogaryovo.html"
    lead = [a.get("href") for a in corpus.find(".//p[@id='p2']").iter("a")]
    assert "../persons/mamytov-talant.html" in lead and "../persons/zas-stanislav.html" in lead
    alone = parse_html(sample_html)
    assert not [a for a in alone.iter("a") if "persons/" in (a.get("href") or "")]
    assert "#zas-stanislav" in [a.get("href") for a in alone.find(".//p[@id='p2']").iter("a")]
    assert render_html(view) == sample_html  # the view was not changed by the first render
    assert render_text(view, RenderOptions(registers="../")) == render_text(view)


@pytest.mark.parametrize("name", sorted(FOREIGN) + ["kremlin-shape", "hostile"])
def test_any_tei_gives_strict_html5_whose_links_resolve(name: str) -> None:
    path = FOREIGN.get(name, RENDER / f"{name}.xml")
    tree = parse_file(path)
    page = parse_html(render_html(tree))
    assert set(internal_links(page)) <= ids(page)
    xml_ids = tree.getroot().xpath("//t:p/@xml:id | //t:seg/@xml:id | //t:sp/@xml:id | "
                                   "//t:u/@xml:id", namespaces=NS)
    assert set(xml_ids) <= ids(page)


def test_dracor_play_speakers_verse_stage_and_cast() -> None:
    page = parse_html(render_html(fixture("dracor-style")))
    turns = by_class(page, "div", "turn")
    assert len(turns) == 5
    both = turns[2]
    assert [a.get("href") for a in by_class(both, "a", "who")] == ["#marina", "#samozvanets"]
    lines = by_class(page, "p", "para-l")
    assert [(line.get("id"), line.find("a").text, line.find("a").get("aria-label"))
            for line in lines] == [(f"l{n}", str(n), f"Строка {n}") for n in range(1, 5)]
    events = ["".join(e.itertext()) for e in by_class(page, "p", "event")]
    assert events[:2] == ["(Входит Самозванец.)", "(оглядываясь)"]
    assert "ДЕЙСТВУЮЩИЕ ЛИЦА" in [h.text for h in page.iter("h3")]
    unknown = "".join(page.find(".//p[@id='p7']").itertext())
    assert "Я не могу медлить." in unknown
    nobody = page.find(".//li[@id='nobody']")
    assert nobody is not None and "nobody" in "".join(nobody.itertext())


def test_a_play_shows_its_author_and_calls_its_verse_lines_lines() -> None:
    tree = parse_file(FOREIGN["dracor-pushkin"])
    page = parse_html(render_html(tree))
    facts = {"".join(div.find("dt").itertext()): "".join(div.find("dd").itertext())
             for div in page.find(".//dl[@class='facts']")}
    assert facts["Автор"] == "Александр Сергеевич Пушкин"
    cite = by_class(page, "section", "cite")[0]
    citation = "".join(by_class(cite, "p", "citation")[0].itertext())
    assert citation.startswith("Александр Сергеевич Пушкин. Моцарт и Сальери. Wikisource.")
    verse = tree.getroot().findall(".//t:body//t:l", NS)
    lines = by_class(page, "p", "para-l")
    assert len(lines) == len(verse) == 261
    assert all(line.find("a").get("aria-label") == "Строка " + line.find("a").text
               for line in lines)
    labels = [a.get("aria-label") for a in by_class(page, "a", "pnum")]
    assert sum(label.startswith("Абзац") for label in labels) == 2  # title page, date at the end
    # a verse line split between two speakers (part="I", part="F") is one line: one number
    first, last = tree.getroot().xpath("(//t:l[@part='I'])[1] | (//t:l[@part='F'])[1]",
                                       namespaces=NS)
    shown = {"".join(p.itertext()).split(" ", 1)[1]: p for p in by_class(page, "p", "para-l")}
    assert shown[first.text].find("a").text == shown[last.text].find("a").text == "68"
    assert "Ссылка на строку" in "".join(cite.itertext())
    chekhov = render_html(parse_file(FOREIGN["dracor-chekhov"]))
    assert "<dt>Автор</dt><dd>Антон Павлович Чехов</dd>" in chekhov


def test_parlamint_utterances_labels_notes_and_incidents() -> None:
    page = parse_html(render_html(fixture("parlamint-style")))
    assert page.get("lang") == "en"
    turns = by_class(page, "div", "turn")
    assert len(turns) == 3
    assert "".join(turns[0].find("p").itertext()) == "MILAN NOVAK:"
    assert by_class(turns[0], "a", "who")[0].get("href") == "#NovakMilan"
    text = "".join(page.find(".//main").itertext())
    for shown in ("(Applause.)", "(Shouting.)", "(The lights go out.)", "(Murmuring.)",
                  "<… SAMPLING>", "<… inaudible>", "Interruption from the floor.",
                  "The sitting began at 10.03."):
        assert shown in text
    assert page.find(".//li[@id='HorvatJana']") is not None
    assert "How to cite" in text


def test_person_names_as_written_but_forenames_first() -> None:
    exemplar = build_view(parse_file(FOREIGN["parla-clarin-exemplar"]))
    assert [p.name for p in exemplar.persons][2:] == ["Boris Johnson", "Jeremy Bernard Corbyn"]
    tree = fixture("kremlin-shape")
    person = tree.getroot().xpath("//t:person[@xml:id='ivanov-i']/t:persName", namespaces=NS)[0]
    person.text = None
    for tag, text in (("forename", "И."), ("surname", "Иванов")):
        etree.SubElement(person, f"{{{NS['t']}}}{tag}").text = text
    names = {p.id: p.name for p in build_view(tree).persons}
    assert names["ivanov-i"] == "И.Иванов" and names["putin-vladimir"] == "Владимир Путин"


def test_script_and_img_in_the_text_render_as_visible_text() -> None:
    html = render_html(fixture("hostile"))
    page = parse_html(html)
    assert [s.get("src") for s in page.iter("script")] == ["static/edition.js"]
    assert list(page.iter("img")) == [] and list(page.iter("b")) == []
    assert all(not attr.startswith("on") for el in page.iter() for attr in el.attrib)
    assert "javascript:" not in html
    text = "".join(page.find(".//main").itertext())
    assert 'Он сказал: <script>alert("xss")</script> и ушёл.' in text
    assert 'Вот: "><img src=x onerror=alert(5)> конец.' in text
    assert page.find(".//title").text == '<script>alert("title")</script>'
    # the title heads printed pages from a <style>, where HTML escaping does not apply
    assert ('<style>@page { @top-left { content: "\\3c script\\3e alert(\\22 title\\22 )'
            '\\3c /script\\3e "; } }</style>') in html
    assert '"><img src=x onerror=alert(4)>' in text


def test_a_root_that_is_not_tei_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    tree = parse_bytes(b"<?xml version='1.0'?>\n<html><body/></html>", "page.xml")
    with pytest.raises(RenderError) as error:
        build_view(tree, "page")
    assert error.value.line == 2 and "not <TEI>" in error.value.message


# -- files, templates, command line -----------------------------------------------------------


def test_render_file_writes_both_editions_and_static_assets(tmp_path: Path) -> None:
    source = tmp_path / "in.xml"
    source.write_bytes(sample_bytes())
    written = render_file(source, tmp_path / "out")
    assert written == [tmp_path / "out" / "html" / "kremlin-64534.html",
                       tmp_path / "out" / "text" / "kremlin-64534.txt"]
    assert (tmp_path / "out" / "html" / "static" / "edition.css").is_file()
    assert (tmp_path / "out" / "html" / "static" / "edition.js").is_file()
    assert write_static(tmp_path / "out") == []


def test_file_names_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    written = render_file(RENDER / "hostile.xml", tmp_path / "out", formats=("html",))
    assert written[0].parent == tmp_path / "out" / "html"
    assert written[0].name == "_.._etc_passwd.html"
    assert output_name("..", "stem") == "stem"
    assert output_name("", "") == "document"
    assert output_name("kremlin-64534", "x") == "kremlin-64534"


def test_document_without_xml_id_is_named_after_its_file(tmp_path: Path) -> None:
    source = tmp_path / "my-play.xml"
    source.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Привет</p>'
                      "</body></text></TEI>", encoding="utf-8")
    written = render_file(source, tmp_path / "out", formats=("text",))
    assert written == [tmp_path / "out" / "text" / "my-play.txt"]
    assert "Привет" in written[0].read_text(encoding="utf-8")


def test_user_templates_override_one_block(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "document.html").write_text(
        '{% extends "edition.html" %}{% block persons %}<p class="mine">{{ doc.id }}</p>'
        "{% endblock %}", encoding="utf-8")
    page = parse_html(render_html(sample_tree(), RenderOptions(templates=tmp_path)))
    assert by_class(page, "p", "mine")[0].text == "kremlin-64534"
    assert by_class(page, "section", "persons") == []
    assert len(by_class(page, "div", "turn")) == 13
    assert page.find(".//title").text == "Сессия Совета коллективной безопасности ОДКБ"


def test_user_static_files_override_the_bundled_ones(tmp_path: Path) -> None:
    static = tmp_path / "theme" / "html" / "static"
    static.mkdir(parents=True)
    (static / "edition.css").write_text("body { color: #222; }\n", encoding="utf-8")
    written = write_static(tmp_path / "out", RenderOptions(templates=tmp_path / "theme"))
    out = tmp_path / "out" / "html" / "static"
    assert sorted(written) == [out / "edition.css", out / "edition.js", out / "search.js"]
    assert (out / "edition.css").read_text(encoding="utf-8") == "body { color: #222; }\n"
    bundled = data_dir("transform") / "html" / "static" / "edition.js"
    assert (out / "edition.js").read_bytes() == bundled.read_bytes()


def test_a_broken_user_template_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "document.html").write_text('{% extends "base.html" %}\n{% block x %}',
                                                     encoding="utf-8")
    with pytest.raises(RenderError) as error:
        render_html(sample_tree(), RenderOptions(templates=tmp_path))
    assert error.value.path.endswith("document.html") and error.value.line == 2


def test_an_error_inside_a_user_template_is_placed_at_its_file_and_line(tmp_path: Path) -> None:
    theme = tmp_path / "theme" / "html"
    theme.mkdir(parents=True)
    source = tmp_path / "kremlin-64534.xml"
    source.write_bytes(sample_bytes())
    document = theme / "document.html"
    for body, message in (("<p>{{ doc.no_such_field }}</p>", "no attribute 'no_such_field'"),
                          ("<p>{{ doc.id }</p>", "unexpected '}'")):
        document.write_text('{% extends "edition.html" %}\n{% block places %}\n'
                            f"{body}\n{{% endblock %}}\n", encoding="utf-8")
        environment.cache_clear()
        result = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "out"),
                                          "--templates", str(tmp_path / "theme")])
        assert result.exit_code == 1
        assert f"Error: {document}:3: template error: " in result.output, result.output
        assert message in result.output and str(source) not in result.output


def test_a_removed_block_leaves_no_entry_in_the_contents(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    document = tmp_path / "html" / "document.html"
    document.write_text('{% extends "edition.html" %}{% block places %}{% endblock %}',
                        encoding="utf-8")
    page = parse_html(render_html(sample_tree(), RenderOptions(templates=tmp_path)))
    contents = [a.get("href") for a in page.find(".//nav[@class='toc']").iter("a")]
    assert "#persons" in contents and "#places" not in contents
    assert set(internal_links(page)) <= ids(page)
    document.write_text('{% extends "edition.html" %}{% block places %}'
                        '<section id="places">Мои места</section>{% endblock %}', encoding="utf-8")
    environment.cache_clear()
    page = parse_html(render_html(sample_tree(), RenderOptions(templates=tmp_path)))
    assert "#places" in [a.get("href") for a in page.find(".//nav[@class='toc']").iter("a")]


def test_cli_renders_goes_on_after_a_bad_file_and_exits_1(tmp_path: Path) -> None:
    good = tmp_path / "kremlin-64534.xml"
    good.write_bytes(sample_bytes())
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI>\n<unclosed>\n</TEI>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(bad), str(good), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert f"Error: {bad}:3:" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "o" / "html" / "kremlin-64534.html").is_file()
    assert (tmp_path / "o" / "text" / "kremlin-64534.txt").is_file()


def test_cli_renders_standard_input_under_its_identifier(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "-", "-o", str(tmp_path)], input=sample_bytes())
    assert result.exit_code == 0, result.output
    assert (tmp_path / "html" / "kremlin-64534.html").is_file()
    assert (tmp_path / "text" / "kremlin-64534.txt").is_file()
    broken = CliRunner().invoke(cli, ["render", "-", "-o", str(tmp_path)], input=b"<TEI>\n<p>")
    assert broken.exit_code == 1 and "Error: <stdin>:2:" in broken.output


def test_cli_format_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["render", str(RENDER / "kremlin-shape.xml"), "-o",
                                      str(tmp_path), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "html" / "kremlin-99999.html").is_file()
    assert not (tmp_path / "text").exists()
    wrong = CliRunner().invoke(cli, ["render", str(RENDER / "kremlin-shape.xml"), "-o",
                                     str(tmp_path), "--format", "pdf"])
    assert wrong.exit_code == 2 and "--format" in wrong.output


def test_cli_two_inputs_with_one_identifier_are_not_both_written(tmp_path: Path) -> None:
    one, two = tmp_path / "a.xml", tmp_path / "b.xml"
    one.write_bytes(sample_bytes())
    two.write_bytes(sample_bytes())
    result = CliRunner().invoke(cli, ["render", str(tmp_path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert f"Error: {two}: gives the document ID" in result.output and str(one) in result.output


def test_identifiers_that_differ_only_in_case_are_not_both_written(tmp_path: Path) -> None:
    """``Kremlin-64534.html`` and ``kremlin-64534.html`` are one file on macOS and Windows."""
    one, two = tmp_path / "a.xml", tmp_path / "b.xml"
    one.write_bytes(sample_bytes())
    two.write_bytes(sample_bytes().replace(b'xml:id="kremlin-64534"', b'xml:id="Kremlin-64534"'))
    out = tmp_path / "o"
    result = CliRunner().invoke(cli, ["render", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1
    assert (f"Error: {two}: gives the document ID 'Kremlin-64534', which differs from "
            f"'kremlin-64534' of {one} only in case (one file on a case-insensitive file "
            "system): only the first is written") in result.output
    assert sorted(p.name for p in (out / "html").glob("*.html")) == ["kremlin-64534.html"]
    assert sorted(p.name for p in (out / "text").iterdir()) == ["kremlin-64534.txt"]


def test_turn_note_and_stage_and_omission_in_our_shape() -> None:
    page = parse_html(render_html(fixture("kremlin-shape")))
    note = by_class(page, "span", "label-note")[0]
    assert "".join(note.itertext()) == "(как переведено)"
    assert ["".join(e.itertext()) for e in by_class(page, "span", "event")] == ["(Смех.)"]
    standalone = ["".join(e.itertext()) for e in by_class(page, "p", "event")]
    assert standalone == ["(Аплодисменты.)", "(Перерыв.)"]
    assert len(by_class(page, "p", "omission")) == 1
    marks = [(p.get("class"), "".join(gap.itertext())) for p in page.iter("p")
             for gap in by_class(p, "span", "gap")]
    assert marks == [("para para-p", "<…>"), ("omission", "<…>"), ("para-ellipsis", "<…>"),
                     ("para para-p", "<…>")]
    assert len(list(page.iter("hr"))) == 1
    group = page.find(".//li[@id='role-vopros']")
    assert "Вопрос" in "".join(group.itertext())
    assert page.find(".//p[@id='p1']//a[@href='#putin-vladimir']") is not None


def test_english_document_gets_english_labels() -> None:
    tree = sample_tree()
    tree.getroot().set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    page = parse_html(render_html(tree))
    assert page.get("lang") == "en"
    assert "How to cite" in "".join(page.itertext())
    assert page.find(".//header//time").text == "2 December 2020, 13:15 (UTC+3)"


def english_page_tree() -> etree._ElementTree:
    """An en.kremlin.ru page encoded: its text has no-break spaces after short words."""
    from tei.encode import encode
    from tei.readers import ReadOptions
    from tei.readers.read import read_path
    from tei.xmlio import to_bytes

    document = read_path(RENDER.parent / "kremlin-en" / "57137.html", ReadOptions())
    return parse_bytes(to_bytes(encode(document)), "kremlin-en-57137.xml")


def test_english_breaks_lines_as_english_does_and_russian_keeps_its_no_break_spaces() -> None:
    tree = english_page_tree()
    kept = "".join(tree.getroot().find("t:text", NS).itertext())
    assert kept.count("\u00a0") > 500 and "the\u00a0" in kept  # the TEI keeps the source's
    for rendered in (render_html(tree), render_text(tree)):
        assert "\u00a0" not in rendered and "the families" in rendered
    for rendered in (render_html(tree, RenderOptions(plain_spaces=False)),
                     render_text(tree, RenderOptions(plain_spaces=False))):
        assert rendered.count("\u00a0") > 500
    russian = render_html(sample_tree())
    assert russian.count("\u00a0") > 100
    assert "\u00a0" not in render_html(sample_tree(), RenderOptions(plain_spaces=True))


def test_other_languages_mark_the_added_words_as_english() -> None:
    tree = fixture("parlamint-style")
    tree.getroot().set("{http://www.w3.org/XML/1998/namespace}lang", "sl")
    page = parse_html(render_html(tree))
    assert page.get("lang") == "sl"
    assert by_class(page, "section", "cite")[0].get("lang") == "en"


def test_view_is_reusable_for_the_corpus_builder() -> None:
    view = build_view(sample_tree())
    assert view.id == "kremlin-64534"
    assert len(view.turns) == 13
    assert len(view.paragraphs) == len(sample_tree().getroot().findall(".//t:body//t:p", NS))
    assert [p.id for p in view.lead] == ["p1", "p2", "p3"]
    assert {p.id for p in view.persons} >= {"putin-vladimir", "pashinyan-nikol"}
    assert etree.iselement(sample_tree().getroot())


def test_headings_of_a_saved_page_are_headings_of_the_page() -> None:
    """en.kremlin.ru 57212: bold headings above the lists of prize winners in the lead; 53065:
    the heading of the transcript, in place of the generic one."""
    prizes = parse_html(render_html(saved_page_tree("kremlin-en-more/57212.html")))
    assert [re.sub(r"\s+", " ", "".join(section.find("h2").itertext()))
            for section in by_class(prizes, "section", "division")] == [
        "Summary", "Prizes for young culture professionals have been awarded to:",
        "Prizes for writing and art for children and young people have been awarded to:",
        "Transcript"]
    turkey = parse_html(render_html(saved_page_tree("kremlin-en-more/53065.html")))
    transcript = by_class(turkey, "section", "division-transcript")[0]
    assert re.sub(r"\s+", " ", "".join(transcript.find("h2").itertext())) == (
        "Statements for the press following the meeting with President of Turkey Recep Tayyip "
        "Erdogan")
    assert len(by_class(transcript, "div", "turn")) == 2
