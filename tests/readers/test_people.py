"""Speaker resolution: labels and lead mentions to persons with stable identifiers."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from tei.model import Mention
from tei.readers import ReadOptions
from tei.readers.names.lead import LeadName, lead_names
from tei.readers.names.analyses import morph
from tei.readers.names.morphology import nominative, office_nominative
from tei.readers.names.speakers import Speakers, parse_label
from tei.readers.read import read_path

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def lead(data_dir: Path) -> list[str]:
    """The three lead paragraphs of the reference sample, as printed."""
    doc = read_path(data_dir / "kremlin-ru" / "64534.txt", ReadOptions())
    return [p.text() for p in doc.lead]


def test_the_analyser_is_created_once() -> None:
    assert morph() is morph()


@pytest.mark.parametrize("printed, expected", [
    ("Владимира Путина", "Владимир Путин"),
    ("Александру Григорьевичу Лукашенко", "Александр Григорьевич Лукашенко"),
    ("Владимиру Владимировичу Путину", "Владимир Владимирович Путин"),
    ("Станиславом Засем", "Станислав Засем"),
    ("Никол Пашинян", "Никол Пашинян"),
])
def test_nominative_with_pymorphy3(printed: str, expected: str) -> None:
    """Known forenames give the case; surnames the dictionary cannot decline stay as printed."""
    assert " ".join(nominative(printed.split())) == expected


def test_nominative_from_the_case_of_the_office() -> None:
    """An unknown forename takes its case from the office before it."""
    assert nominative(["Эммануэлем", "Макроном"], "ablt") == ["Эммануэль", "Макрон"]
    assert office_nominative("Президентом Франции", "ablt") == "Президент Франции"
    assert office_nominative("исполняющим обязанности Президента Киргизии", "ablt") == \
        "исполняющий обязанности Президента Киргизии"
    assert office_nominative("Генеральным секретарём ОДКБ", "ablt") == "Генеральный секретарь ОДКБ"


def test_lead_names_of_the_sample(lead: list[str]) -> None:
    found = [(n.surface, n.forename, n.surname, n.occupation)
             for text in lead for n in lead_names(text)]
    assert found == [
        ("Владимира Путина", "Владимир", "Путин", None),
        ("Никол Пашинян", "Никол", "Пашинян", "Премьер-министр Армении"),
        ("Александр Лукашенко", "Александр", "Лукашенко", "Президент Белоруссии"),
        ("Касым-Жомарт Токаев", "Касым-Жомарт", "Токаев", "Президент Казахстана"),
        ("Талант Мамытов", "Талант", "Мамытов", "исполняющий обязанности Президента Киргизии"),
        ("Эмомали Рахмон", "Эмомали", "Рахмон", "Президент Таджикистана"),
        ("Станислав Зась", "Станислав", "Зась",
         f"Генеральный секретарь Организации Договора о{NBSP}коллективной безопасности"),
    ]


@pytest.mark.parametrize("text, expected", [
    ("Владимир Путин провёл встречу с Президентом Франции Эммануэлем Макроном.",
     [("Владимир", "Путин", None), ("Эммануэль", "Макрон", "Президент Франции")]),
    ("В заседании приняли участие помощник Президента Юрий Ушаков и Министр иностранных дел "
     "Сергей Лавров.",
     [("Юрий", "Ушаков", "помощник Президента"), ("Сергей", "Лавров", "Министр иностранных дел")]),
    ("The meeting was attended by Prime Minister of Armenia Nikol Pashinyan and CSTO Secretary "
     "General Stanislav Zas.",
     [("Nikol", "Pashinyan", "Prime Minister of Armenia"),
      ("Stanislav", "Zas", "CSTO Secretary General")]),
    ("Совета коллективной безопасности Организации Договора о коллективной безопасности.", []),
    ("Ключевые решения зафиксированы в итоговой Декларации, Заявлении и Уставе.", []),
])
def test_lead_names_in_other_leads(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert [(n.forename, n.surname, n.occupation) for n in lead_names(text)] == expected


def test_labels_match_lead_people_by_surname_and_initials(lead: list[str]) -> None:
    speakers = Speakers.from_lead(lead)
    ids = {label: speakers.resolve(label).id
           for label in ["В.Путин", "Н.Пашинян", "К.-Ж.Токаев", "Т.Мамытов", "Э.Рахмон"]}
    assert ids == {"В.Путин": "putin-vladimir", "Н.Пашинян": "pashinyan-nikol",
                   "К.-Ж.Токаев": "tokayev-kasym-zhomart", "Т.Мамытов": "mamytov-talant",
                   "Э.Рахмон": "rakhmon-emomali"}
    zas = next(p for p in speakers.persons() if p.surname == "Зась")
    assert zas.labels == [] and zas.occupation is not None


def test_lead_mentions_point_at_persons(lead: list[str]) -> None:
    speakers = Speakers.from_lead(lead)
    speakers.resolve("В.Путин")
    mentions = speakers.mentions()
    assert mentions["Владимира Путина"] == "putin-vladimir"
    assert mentions["Станислав Зась"] == "zas-stanislav"
    doc = read_path(Path(__file__).parents[1] / "data" / "kremlin-ru" / "64534.txt", ReadOptions())
    assert [m for m in doc.lead[0].content if isinstance(m, Mention)] == [
        Mention("Владимира Путина", "putin-vladimir")]
    assert len([m for m in doc.lead[1].content if isinstance(m, Mention)]) == 6


@pytest.mark.parametrize("label, person_id, name", [
    ("В.Путин", "putin-v", "В.Путин"),
    ("К.-Ж.Токаев", "tokayev-k-zh", "К.-Ж.Токаев"),
    ("Дж. Байден", "bayden-dzh", "Дж. Байден"),
    ("Tucker Carlson", "carlson-tucker", "Tucker Carlson"),
    ("Vladimir Putin", "putin-vladimir", "Vladimir Putin"),
    ("Владимир Владимирович Путин", "putin-vladimir", "Владимир Владимирович Путин"),
])
def test_unknown_speakers_get_a_person_from_the_label(label: str, person_id: str,
                                                      name: str) -> None:
    person = Speakers().resolve(label)
    assert (person.id, person.name, person.anonymous, person.labels) == (
        person_id, name, False, [label])


@pytest.mark.parametrize("label, person_id, role", [
    ("Вопрос", "role-vopros", "questioner"),
    ("Реплика", "role-replika", "remark"),
    ("Question", "role-question", "questioner"),
    ("Remark", "role-remark", "remark"),
])
def test_anonymous_labels_are_roles_not_names(label: str, person_id: str, role: str) -> None:
    person = Speakers().resolve(label)
    assert (person.id, person.role, person.anonymous, person.forename, person.surname) == (
        person_id, role, True, None, None)


def test_office_in_a_label_is_an_occupation_and_the_same_person() -> None:
    speakers = Speakers(labels=["President of Russia Vladimir Putin", "Vladimir Putin"])
    long = speakers.resolve("President of Russia Vladimir Putin")
    short = speakers.resolve("Vladimir Putin")
    assert long is short
    assert (long.id, long.occupation, long.name) == (
        "putin-vladimir", "President of Russia", "Vladimir Putin")
    assert long.labels == ["President of Russia Vladimir Putin", "Vladimir Putin"]


def test_a_bare_three_word_name_fixes_where_the_office_ends() -> None:
    """en.kremlin.ru 8015: ``President of Pakistan Asif Ali Zardari``, later ``Asif Ali
    Zardari``: one person, not ``Ali Zardari`` of the office ``President of Pakistan Asif``."""
    speakers = Speakers(labels=["President of Pakistan Asif Ali Zardari", "Asif Ali Zardari"])
    person = speakers.resolve("President of Pakistan Asif Ali Zardari")
    assert speakers.resolve("Asif Ali Zardari") is person
    assert (person.id, person.forename, person.occupation) == (
        "zardari-asif-ali", "Asif Ali", "President of Pakistan")
    titled = Speakers(labels=["Foreign Minister Sergei Lavrov", "Minister Sergei Lavrov"])
    lavrov = titled.resolve("Foreign Minister Sergei Lavrov")
    assert titled.resolve("Minister Sergei Lavrov") is lavrov
    assert [p.id for p in titled.persons()] == ["lavrov-sergei"]


def test_initials_join_a_full_name_label_of_the_same_document() -> None:
    speakers = Speakers(labels=["В.Путин", "Владимир Путин"])
    assert speakers.resolve("В.Путин") is speakers.resolve("Владимир Путин")
    assert speakers.resolve("В.Путин").id == "putin-vladimir"


def test_ambiguous_initials_are_not_guessed() -> None:
    speakers = Speakers.from_lead(["В совещании приняли участие Министр энергетики Александр "
                                   "Новак и помощник Президента Алексей Новак."])
    assert speakers.resolve("А.Новак").id == "novak-a"
    assert [p.id for p in speakers.persons()] == ["novak-aleksandr", "novak-aleksey", "novak-a"]


LABELS = ["В.Путин", "Владимир Путин", "President of Russia Vladimir Putin", "Vladimir Putin",
          "Вопрос", "Т.Карлсон"]


def test_ids_do_not_depend_on_the_order_of_labels() -> None:
    seen = set()
    for order in permutations(LABELS):
        speakers = Speakers()
        for label in order:
            speakers.add_label(label)
        seen.add(tuple(sorted((label, speakers.resolve(label).id) for label in LABELS)))
    assert len(seen) == 1
    assert dict(next(iter(seen))) == {
        "В.Путин": "putin-vladimir", "Владимир Путин": "putin-vladimir",
        "President of Russia Vladimir Putin": "putin-vladimir",
        "Vladimir Putin": "putin-vladimir", "Вопрос": "role-vopros", "Т.Карлсон": "karlson-t"}


def test_same_person_same_id_across_transcripts_and_languages(data_dir: Path) -> None:
    russian = read_path(data_dir / "kremlin-ru" / "64534.txt", ReadOptions())
    english = read_path(data_dir / "kremlin-en" / "carlson-interview-en.txt",
                        ReadOptions(title="Interview", date="2024-02-06"))
    assert russian.turns()[0].who == english.turns()[1].who == "putin-vladimir"


def test_persons_are_listed_lead_first_then_by_first_label(lead: list[str]) -> None:
    speakers = Speakers.from_lead(lead)
    for label in ["Реплика", "Э.Рахмон", "В.Путин", "Г.Неизвестный"]:
        speakers.add_label(label)
    assert [p.id for p in speakers.persons()][-2:] == ["role-replika", "neizvestny-g"]
    assert speakers.persons()[0].id == "putin-vladimir"


@pytest.mark.parametrize("label, parts", [
    ("President of Russia Vladimir Putin", ("Vladimir", "Putin", (), "President of Russia")),
    ("Президент России Владимир Путин", ("Владимир", "Путин", (), "Президент России")),
    ("Министр иностранных дел России Сергей Лавров",
     ("Сергей", "Лавров", (), "Министр иностранных дел России")),
    ("К.-Ж.Токаев", (None, "Токаев", ("К", "Ж"), None)),
    ("Recep Tayyip Erdogan", ("Recep Tayyip", "Erdogan", (), None)),
])
def test_parse_label(label: str, parts: tuple[str | None, str, tuple[str, ...], str | None]) -> None:
    parsed = parse_label(label)
    assert (parsed.forename, parsed.surname, parsed.initials, parsed.office) == parts


def test_lead_name_keeps_the_printed_surface() -> None:
    names = lead_names("Под председательством Владимира Путина состоялось заседание.")
    assert names == [LeadName("Владимира Путина", "Владимир", "Путин", None, None)]


@pytest.mark.parametrize(("label", "person_id", "surname"), [
    ("Xi Jinping", "xi-jinping", "Xi"),
    ("President of the People’s Republic of China Xi Jinping", "xi-jinping", "Xi"),
    ("Moon Jae-in", "moon-jae-in", "Moon"),
    ("Си Цзиньпин", "si-tszinpin", "Си"),
    ("Президент Республики Корея Мун Чжэ Ин", "mun-chzhe-in", "Мун"),
    ("Sun Yao", "sun-yao", "Sun"),  # CCTV's correspondent at the 2019 news conference
    ("Kim Darroch", "darroch-kim", "Darroch"),  # a British name: not surname first
    ("Ли Владимир", "vladimir-li", "Владимир"),  # a Russian forename: not surname first
])
def test_chinese_and_korean_names_put_the_surname_first(label: str, person_id: str,
                                                         surname: str) -> None:
    person = Speakers().resolve(label)
    assert (person.id, person.surname) == (person_id, surname)


def test_a_lead_names_a_chinese_leader_surname_first() -> None:
    [name] = lead_names("В переговорах участвовал Председатель Китайской Народной Республики "
                        "Си Цзиньпин.")
    assert (name.surname, name.forename) == ("Си", "Цзиньпин")


def test_the_tei_keeps_the_printed_order_of_a_surname_first_name() -> None:
    from tei.encode import encode
    from tei.readers.read import read_bytes
    from tei.xmlio import to_bytes

    doc = read_bytes("Xi Jinping: Thank you.\n".encode(), "x.txt",
                     ReadOptions(fmt="transcript", title="T", date="2019-06-07"))
    assert (b'<person xml:id="xi-jinping">\n            <persName><surname>Xi</surname> '
            b'<forename>Jinping</forename></persName>') in to_bytes(encode(doc))
