"""Who is mentioned, not only who speaks: names in the text linked where the document says who."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tei.encode import encode
from tei.model import Person
from tei.readers import ReadOptions
from tei.readers.names.forms import declined_surname, russian_forms
from tei.readers.names.mentions import Target, find_mentions
from tei.readers.read import read_path
from tei.xmlio import TEI_NS, to_bytes

NS = {"t": TEI_NS}
DATA = Path(__file__).parents[1] / "data"


def tei_of(path: Path) -> etree._Element:
    return etree.fromstring(to_bytes(encode(read_path(path, ReadOptions()))))


def mentions(root: etree._Element, ref: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iterfind(f".//t:text//*[@ref='{ref}']", NS)]


def test_names_in_the_transcript_in_any_case_with_or_without_patronymic() -> None:
    """«Хочу поблагодарить Станислава Васильевича Зася»: the lead knows him as Станислав Зась."""
    root = tei_of(DATA / "kremlin-ru" / "64534.txt")
    assert "Станислава Васильевича Зася" in mentions(root, "#zas-stanislav")
    assert "Таланта Мамытова" in mentions(root, "#mamytov-talant")
    assert "Токаеву" in mentions(root, "#tokayev-kasym-zhomart")
    inside_turns = root.findall(".//t:sp//t:persName[@ref='#zas-stanislav']", NS)
    assert inside_turns, "mentions are found in the turns, not only in the lead"


def test_a_page_s_person_links_keep_the_catalogue_and_list_the_person() -> None:
    """en.kremlin.ru 17164 links six heads of state to the site's catalogue of persons."""
    root = tei_of(DATA / "kremlin-en-more" / "17164.html")
    person = root.find(".//t:listPerson/t:person[t:idno='http://en.kremlin.ru/catalog/persons/110']",
                       NS)
    assert person is not None and person.findtext("t:persName/t:surname", namespaces=NS) == "Sargsyan"
    assert "Serzh Sargsyan" in mentions(root, f"#{person.get('{http://www.w3.org/XML/1998/namespace}id')}")
    terms = root.findall(".//t:term[@ref='http://en.kremlin.ru/catalog/glossary/30']", NS)
    assert [t.text for t in terms][:1] == ["CSTO"]


def test_surnames_the_dictionary_does_not_know_decline_by_the_rules() -> None:
    assert declined_surname("Мамытов", "masc")[1] == "Мамытова"
    assert declined_surname("Зась", "masc")[1] == "Зася"
    assert declined_surname("Захарова", "femn")[4] == "Захаровой"
    assert set(declined_surname("Лукашенко", "masc")) == {"Лукашенко"}
    forms = russian_forms(Person("zas-stanislav", "Станислав Зась", "Станислав", "Зась"))
    assert {"Станислава Зася", "Засю", "Станислав Зась"} <= forms


def test_names_shared_by_two_persons_name_neither_and_names_are_whole_words() -> None:
    table = {"Путин": Target("person", "putin"), "Mr Gentiloni": Target("person", "gentiloni")}
    text = "Путинизм и Путин; Mr\u00a0Gentiloni, Mr. Gentiloni"
    found = [(text[s:e], t.ref) for s, e, t in find_mentions(text, table)]
    assert found == [("Путин", "putin"), ("Mr\u00a0Gentiloni", "gentiloni")]


def test_names_are_found_wherever_a_word_starts_and_the_longest_wins() -> None:
    """After a digit, a quote or a hyphen; a hyphenated forename; a lower-case linked term;
    the patronymic form before a shorter name; punctuation between words ends a name."""
    table = {"Касым-Жомарт Токаев": Target("person", "tokayev"), "Токаев": Target("person", "t"),
             "Станислава Зася": Target("person", "zas"), "Станислава": Target("person", "s"),
             "ядерное оружие": Target("term", "http://kremlin.ru/catalog/glossary/1"),
             "Mr Gentiloni": Target("person", "gentiloni")}
    text = ("5-Касым-Жомарт\u00a0Токаев, «Токаев» и Станислава Васильевича Зася; Станислава, "
            "Зася; ядерное  оружие и Ядерное оружие, Mr, Gentiloni — 2Mr Gentiloni")
    found = [(text[s:e], t.ref) for s, e, t in find_mentions(text, table)]
    assert found == [("Касым-Жомарт\u00a0Токаев", "tokayev"), ("Токаев", "t"),
                     ("Станислава Васильевича Зася", "zas"), ("Станислава", "s"),
                     ("ядерное  оружие", "http://kremlin.ru/catalog/glossary/1"),
                     ("Mr Gentiloni", "gentiloni")]
