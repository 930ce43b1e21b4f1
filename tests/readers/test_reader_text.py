"""The plain-text readers on real transcripts: what a user of issue 2 and 6 relies on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tei.errors import ReadError
from tei.model import (Document, Inline, Mention, Omission, Paragraph, Separator, Stage,
                       Supplied, Turn)
from tei.readers import ReadOptions
from tei.readers.read import detect, read_bytes, read_path
from tei.readers.rules.inline import parse_inline, standalone
from tei.readers.rules.labels import document_rules, find_label

FIXTURES = Path(__file__).parents[1] / "fixtures" / "readers"
NBSP = "\u00a0"
CARLSON = ReadOptions(title="Интервью Такеру Карлсону", date="2024-02-06T19:00",
                      source="http://kremlin.ru/events/president/news/73411")


# -- helpers ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One fixture case: title, input, expected, and the line where it starts."""

    line: int
    title: str
    input: str
    expected: str


def read_fixture_file(path: Path) -> list[Case]:
    """Cases written as: title / ``.`` / input / ``.`` / expected / ``.`` (``#`` comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#"):
            i += 1
            continue
        start, title = i + 1, lines[i]
        parts: list[list[str]] = []
        i += 2  # the title and its "."
        for _ in range(2):
            block: list[str] = []
            while lines[i] != ".":
                block.append(lines[i])
                i += 1
            parts.append(block)
            i += 1
        cases.append(Case(start, title, "\n".join(parts[0]), "\n".join(parts[1])))
    return cases


def fixture_params(name: str) -> list[pytest.param]:
    return [pytest.param(case, id=f"{name}:{case.line}:{case.title}")
            for case in read_fixture_file(FIXTURES / name)]


def render_inline(items: list[Inline]) -> str:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Supplied):
            out.append(f"{{supplied|{item.text}}}")
        elif isinstance(item, Omission):
            out.append(f"{{omission|{item.mark}}}")
        elif isinstance(item, Stage):
            out.append(f"{{stage {item.type or '-'}|{item.text}}}")
        elif isinstance(item, Mention):
            out.append(f"{{mention {item.ref}|{item.text}}}")
    return "".join(out)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def block_text(block: Paragraph | Stage | Omission) -> str:
    if isinstance(block, Paragraph):
        return block.text()
    return block.text if isinstance(block, Stage) else ""


def model_text(doc: Document) -> str:
    """All words of the model: lead, then the transcript, labels left out."""
    parts = [p.text() for p in doc.lead]
    for item in doc.transcript:
        blocks = item.blocks if isinstance(item, Turn) else [item]
        parts.extend(block_text(b) for b in blocks if not isinstance(b, Separator))
    return " ".join(parts)


def source_paragraphs(doc: Document) -> list[str]:
    """The transcript's paragraphs printed back as the source has them (labels, marks)."""
    def flat(items: list[Inline]) -> str:
        out = []
        for item in items:
            if isinstance(item, Supplied):
                out.append(f"[{item.text}]")
            elif isinstance(item, Stage):
                out.append(f"({item.text})")
            elif isinstance(item, Omission):
                out.append(item.mark)
            else:
                out.append(item if isinstance(item, str) else item.text)
        return "".join(out)

    def block(b: Paragraph | Stage | Omission) -> str:
        if isinstance(b, Paragraph):
            return flat(b.content)
        return flat([b])

    paragraphs: list[str] = []
    for item in doc.transcript:
        if isinstance(item, Turn):
            head = f"{item.label} ({item.note}):" if item.note else f"{item.label}:"
            texts = [block(b) for b in item.blocks]
            paragraphs.append(f"{head} {texts[0]}" if texts else head)
            paragraphs.extend(texts[1:])
        elif isinstance(item, Separator):
            paragraphs.append(item.mark)
        else:
            paragraphs.append(block(item))
    return paragraphs


def digest(doc: Document) -> list[tuple[str, str, str | None, list[str]]]:
    """Turns as (who, label, note, block texts): what must not change between variants."""
    return [(t.who, t.label, t.note, [block_text(b) for b in t.blocks]) for t in doc.turns()]


@pytest.fixture(scope="module")
def sample_bytes(data_dir: Path) -> bytes:
    return (data_dir / "kremlin-ru" / "64534.txt").read_bytes()


@pytest.fixture(scope="module")
def sample(data_dir: Path) -> Document:
    return read_path(data_dir / "kremlin-ru" / "64534.txt", ReadOptions())


def variant(sample_bytes: bytes, old: str, new: str, count: int = -1) -> bytes:
    text = sample_bytes.decode("utf-8")
    assert old in text
    return text.replace(old, new, count).encode("utf-8")


# -- the reference sample ------------------------------------------------------------------------

def test_sample_turns_speakers_and_persons(sample: Document) -> None:
    turns = sample.turns()
    assert len(turns) == 13
    assert len({t.who for t in turns}) == 6
    assert len(sample.persons) == 7
    zas = next(p for p in sample.persons if p.surname == "Зась")
    assert zas.forename == "Станислав" and zas.labels == []
    assert zas.occupation == f"Генеральный секретарь Организации Договора о{NBSP}коллективной безопасности"
    assert {p.id for p in sample.persons} >= {t.who for t in turns}


def test_sample_marks(sample: Document) -> None:
    items = [x for t in sample.turns() for b in t.blocks
             for x in (b.content if isinstance(b, Paragraph) else [b])]
    assert [x.text for x in items if isinstance(x, Supplied)] == [
        f"на{NBSP}период", "Нурсултаном Назарбаевым"]
    assert [x.mark for x in items if isinstance(x, Omission)] == ["<…>"]
    assert isinstance(sample.turns()[-1].blocks[-1], Omission)


def test_sample_header(sample: Document) -> None:
    assert sample.id == "kremlin-64534"
    assert sample.title == "Сессия Совета коллективной безопасности ОДКБ"
    assert sample.language == "ru"
    assert sample.when is not None and sample.when.isoformat() == "2020-12-02T13:15:00+03:00"
    assert str(sample.when.tzinfo) == "Europe/Moscow"
    assert sample.place is not None
    assert (sample.place.id, sample.place.name, sample.place.region) == (
        "novo-ogaryovo", "Ново-Огарёво", "Московская область")
    assert sample.places == [sample.place]
    source = sample.source
    assert source.url == "http://kremlin.ru/events/president/news/64534"
    assert source.print_url == "http://kremlin.ru/events/president/news/copy/64534"
    assert (source.number, source.publisher) == ("64534", "Президент России")
    assert source.licence == "https://creativecommons.org/licenses/by/4.0/"


def test_sample_lead_and_first_turn(sample: Document) -> None:
    assert len(sample.lead) == 3
    assert sample.lead[0].line == 9
    first = sample.turns()[0]
    assert (first.label, first.who, first.line) == ("В.Путин", "putin-vladimir", 14)
    assert isinstance(first.blocks[0], Paragraph) and first.blocks[0].text() == "Добрый день!"
    tokayev = sample.turns()[7]
    assert (tokayev.label, tokayev.who) == ("К.-Ж.Токаев", "tokayev-kasym-zhomart")


def test_nothing_lost(sample_bytes: bytes, sample: Document) -> None:
    """The source's words (lead and turns, without labels and marks) are the model's, in order."""
    lines = sample_bytes.decode("utf-8").splitlines()
    content = [line for line in lines[7:] if line.strip() and line.strip() != "* * *"
               and not line.startswith("http")]
    source = " ".join(re.sub(r"^[^\s:]+:", "", line) for line in content)
    source = source.replace("&lt;…&gt;", " ")
    assert words(model_text(sample)) == words(source)


def test_every_source_character_is_text_or_a_mark(sample_bytes: bytes, sample: Document) -> None:
    """Printed back with labels and marks, the transcript is its source, line by line."""
    lines = sample_bytes.decode("utf-8").splitlines()
    start = lines.index("* * *") + 1
    end = max(i for i, line in enumerate(lines) if line.startswith("http"))
    expected = [line.strip().replace("&lt;…&gt;", "<…>").replace(f":{NBSP}", ": ")
                for line in lines[start:end] if line.strip()]
    assert source_paragraphs(sample) == expected


# -- tolerated variants of the export ------------------------------------------------------------

VARIANTS = {
    "bom": lambda b: b"\xef\xbb\xbf" + b,
    "crlf": lambda b: b.replace(b"\n", b"\r\n"),
    "blank lines between paragraphs": lambda b: b.replace(b"\n", b"\n\n"),
    "leading and trailing blank lines": lambda b: b"\n\n \n" + b + b"\n\n\t\n",
    "space after the colon": lambda b: b.replace(f":{NBSP}".encode(), b": "),
    "no-break space after every colon": lambda b: b.replace(b"\xd0\x92.\xd0\x9f\xd1\x83\xd1\x82"
                                                             b"\xd0\xb8\xd0\xbd: ",
                                                             f"В.Путин:{NBSP}".encode()),
    "trailing spaces": lambda b: b.replace(b"\n", b"  \n"),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_tolerated_variants_read_the_same(name: str, sample_bytes: bytes,
                                          sample: Document) -> None:
    doc = read_bytes(VARIANTS[name](sample_bytes), "variant.txt", ReadOptions())
    assert digest(doc) == digest(sample)
    assert [p.text() for p in doc.lead] == [p.text() for p in sample.lead]
    assert (doc.id, doc.when, doc.place, doc.persons) == (
        sample.id, sample.when, sample.place, sample.persons)


def test_missing_place_line(sample_bytes: bytes, sample: Document) -> None:
    doc = read_bytes(variant(sample_bytes, "Московская область, Ново-Огарёво\n", ""), "x.txt",
                     ReadOptions())
    assert doc.place is None and doc.places == []
    assert digest(doc) == digest(sample)
    assert len(doc.lead) == 3


def test_missing_url_line_gives_an_id_from_date_and_title(sample_bytes: bytes,
                                                          sample: Document) -> None:
    doc = read_bytes(variant(sample_bytes, "http://kremlin.ru/events/president/news/copy/64534",
                             ""), "x.txt", ReadOptions())
    assert doc.source.url is None and doc.source.publisher is None
    assert doc.id == "doc-2020-12-02-sessiya-soveta-kollektivnoy"
    assert digest(doc) == digest(sample)


def test_missing_separator_splits_lead_before_the_first_turn(sample_bytes: bytes,
                                                              sample: Document) -> None:
    doc = read_bytes(variant(sample_bytes, "* * *\n", ""), "x.txt", ReadOptions())
    assert len(doc.lead) == 3
    assert digest(doc) == digest(sample)


def test_full_name_labels_are_the_lead_person(sample_bytes: bytes) -> None:
    doc = read_bytes(variant(sample_bytes, "В.Путин:", "Владимир Путин:", 1), "x.txt",
                     ReadOptions())
    first, second = doc.turns()[0], doc.turns()[2]
    assert first.label == "Владимир Путин" and first.who == second.who == "putin-vladimir"
    assert doc.person("putin-vladimir").labels == ["Владимир Путин", "В.Путин"]
    assert len(doc.persons) == 7


def test_parenthetical_label_is_a_note(sample_bytes: bytes) -> None:
    doc = read_bytes(variant(sample_bytes, "Н.Пашинян:", "Н.Пашинян (по-армянски):", 1),
                     "x.txt", ReadOptions())
    turn = doc.turns()[1]
    assert (turn.label, turn.note, turn.who) == ("Н.Пашинян", "по-армянски", "pashinyan-nikol")


def test_anonymous_labels_are_roles(sample_bytes: bytes) -> None:
    text = variant(sample_bytes, "Э.Рахмон:", "Вопрос:")
    doc = read_bytes(variant(text, "А.Лукашенко:", "Реплика:"), "x.txt", ReadOptions())
    roles = {p.id: (p.anonymous, p.role, p.name) for p in doc.persons if p.anonymous}
    assert roles == {"role-vopros": (True, "questioner", "Вопрос"),
                     "role-replika": (True, "remark", "Реплика")}
    assert len(doc.turns()) == 13


def test_colon_paragraphs_stay_in_the_turn(sample_bytes: bytes) -> None:
    """``Во-первых:`` and a paragraph ending with a colon never open a turn."""
    extra = ("Во-первых: это вопрос об обмене военнопленными.\n"
             "Хочу сказать следующее:\n"
             "Н.Пашинян:\n")
    doc = read_bytes(variant(sample_bytes, "Дорогие друзья!\n", "Дорогие друзья!\n" + extra),
                     "x.txt", ReadOptions())
    assert len(doc.turns()) == 13
    texts = [block_text(b) for b in doc.turns()[1].blocks]
    assert "Во-первых: это вопрос об обмене военнопленными." in texts
    assert "Хочу сказать следующее:" in texts and "Н.Пашинян:" in texts


def test_separator_inside_the_transcript(sample_bytes: bytes) -> None:
    doc = read_bytes(variant(sample_bytes, "А.Лукашенко:", "* * *\nА.Лукашенко:"), "x.txt",
                     ReadOptions())
    kinds = [type(item).__name__ for item in doc.transcript]
    assert kinds.count("Separator") == 1 and kinds.count("Turn") == 13
    assert isinstance(doc.transcript[kinds.index("Separator") + 1], Turn)


def test_stage_directions_in_turns(sample_bytes: bytes) -> None:
    text = variant(sample_bytes, f"Спасибо за{NBSP}внимание.\n",
                   f"Спасибо за{NBSP}внимание. (Смех.)\n(Аплодисменты.)\n", 1)
    doc = read_bytes(text, "x.txt", ReadOptions())
    blocks = doc.turns()[3].blocks
    applause = blocks.index(Stage("Аплодисменты.", "applause"))
    assert blocks[applause - 1].content[-1] == Stage("Смех.", "laughter")


# -- labels and inline marks, from fixture files -------------------------------------------------

@pytest.mark.parametrize("case", fixture_params("labels.txt"))
def test_label_fixture(case: Case) -> None:
    match = find_label(case.input)
    got = "none" if match is None else f"{match.label} | {match.note or '-'} | {match.rule}"
    assert got == case.expected


@pytest.mark.parametrize("case", fixture_params("inline.txt"))
def test_inline_fixture(case: Case) -> None:
    block = standalone(case.input)
    got = (f"BLOCK {render_inline([block])}" if block is not None
           else render_inline(parse_inline(case.input)))
    assert got == case.expected


def transcript_tei(text: str) -> str:
    """The ``<div type="transcript">`` the encoder writes for a headerless transcript,
    without the namespace and with the indentation between elements left out."""
    from lxml import etree

    from tei.encode import encode
    from tei.xmlio import TEI_NS, to_bytes

    options = ReadOptions(fmt="transcript", title="T", date="2024-02-06")
    root = etree.fromstring(to_bytes(encode(read_bytes(text.encode(), "fixture.txt", options))))
    div = root.find(f".//{{{TEI_NS}}}div[@type='transcript']")
    return etree.tostring(div, encoding="unicode").replace(f' xmlns="{TEI_NS}"', "")


def without_indentation(xml_text: str) -> str:
    """XML text with the line breaks and indentation between elements removed."""
    return re.sub(r">\n\s*<", "><", xml_text.strip())


@pytest.mark.parametrize("case", fixture_params("tei.txt"))
def test_transcript_fragment_gives_its_tei_fragment(case: Case) -> None:
    assert without_indentation(transcript_tei(case.input)) == without_indentation(case.expected)


def test_rules_can_be_switched_off_by_name() -> None:
    off = frozenset({"stage", "supplied"})
    assert parse_inline("Да (Смех.) [так]", off) == ["Да (Смех.) [так]"]
    assert find_label("Владимир Путин: Да.") is not None
    assert find_label("Владимир Путин: Да.", document_rules(frozenset({"full-name"}))) is None


# -- headerless transcripts ----------------------------------------------------------------------

@pytest.mark.parametrize("path, labels", [
    ("kremlin-ru/carlson-interview-ru.txt", {"Т.Карлсон", "В.Путин"}),
    ("kremlin-en/carlson-interview-en.txt",
     {"Tucker Carlson", "Vladimir Putin", "President of Russia Vladimir Putin"}),
])
def test_carlson_has_two_speakers_and_no_sentence_turns(data_dir: Path, path: str,
                                                        labels: set[str]) -> None:
    source = data_dir / path
    doc = read_path(source, CARLSON)
    assert len({t.who for t in doc.turns()}) == 2
    assert len(doc.persons) == 2
    assert {t.label for t in doc.turns()} == labels
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    labelled = [line for line in lines if any(line.startswith(f"{label}:") or
                                              line.startswith(f"{label} (") for label in labels)]
    assert len(doc.turns()) == len(labelled)
    colon_sentences = [line for line in lines if line not in labelled and re.match(r"[^:]{1,80}:", line)]
    assert colon_sentences, "the sample has sentences with colons"
    printed = set(source_paragraphs(doc))
    assert all(line.strip() in printed for line in colon_sentences)
    assert words(model_text(doc)) == words(" ".join(
        re.sub(r"^[^:]+?(?: \([^)]*\))?:", "", line) if line in labelled else line
        for line in lines))


def test_carlson_metadata_from_options(data_dir: Path) -> None:
    doc = read_path(data_dir / "kremlin-ru" / "carlson-interview-ru.txt", CARLSON)
    assert (doc.id, doc.title, doc.language) == ("kremlin-73411", "Интервью Такеру Карлсону", "ru")
    assert doc.when is not None and doc.when.isoformat() == "2024-02-06T19:00:00+03:00"
    assert doc.lead == []
    first = doc.turns()[0]
    assert (first.label, first.note, first.who) == ("Т.Карлсон", "как переведено", "karlson-t")
    assert doc.source.print_url == "http://kremlin.ru/events/president/news/copy/73411"


def test_english_carlson_office_and_ids(data_dir: Path, sample: Document) -> None:
    doc = read_path(data_dir / "kremlin-en" / "carlson-interview-en.txt",
                    ReadOptions(title="Interview to Tucker Carlson", date="2024-02-06",
                                source="http://en.kremlin.ru/events/president/news/73411"))
    assert doc.language == "en"
    assert doc.id == "kremlin-en-73411"
    assert doc.source.publisher == "President of Russia"
    putin = doc.person("putin-vladimir")
    assert putin is not None and putin.occupation == "President of Russia"
    assert sample.person("putin-vladimir") is not None
    assert doc.person("carlson-tucker") is not None


def test_sidecar_gives_metadata_and_options_win(tmp_path: Path, data_dir: Path) -> None:
    transcript = tmp_path / "carlson.txt"
    transcript.write_bytes((data_dir / "kremlin-ru" / "carlson-interview-ru.txt").read_bytes())
    (tmp_path / "carlson.meta.toml").write_text(
        'title = "Интервью Такеру Карлсону"\ndate = 2024-02-06T19:00:00\n'
        'place = "Москва, Кремль"\nsource = "http://kremlin.ru/events/president/news/73411"\n',
        encoding="utf-8")
    doc = read_path(transcript, ReadOptions())
    assert (doc.id, doc.title) == ("kremlin-73411", "Интервью Такеру Карлсону")
    assert doc.when is not None and doc.when.isoformat() == "2024-02-06T19:00:00+03:00"
    assert doc.place is not None and (doc.place.name, doc.place.region) == ("Кремль", "Москва")
    doc = read_path(transcript, ReadOptions(title="Другое", date="2024-02-09"))
    assert doc.title == "Другое" and doc.when is not None and doc.when.day == 9


def test_sidecar_with_an_unknown_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("В.Путин: Да.\n", encoding="utf-8")
    (tmp_path / "t.meta.toml").write_text('titel = "x"\n', encoding="utf-8")
    with pytest.raises(ReadError, match="unknown key 'titel'") as error:
        read_path(tmp_path / "t.txt", ReadOptions())
    assert error.value.path == str(tmp_path / "t.meta.toml")


def test_detect_chooses_the_reader_by_content(sample_bytes: bytes, data_dir: Path) -> None:
    assert detect(sample_bytes).name == "kremlin-text"
    carlson = (data_dir / "kremlin-ru" / "carlson-interview-ru.txt").read_bytes()
    assert detect(carlson).name == "transcript"
    assert detect((data_dir / "kremlin-en" / "55017.html").read_bytes()).name == "kremlin-html"


def test_from_option_forces_the_reader(sample_bytes: bytes) -> None:
    """Read as a headerless transcript, the export's header lines are paragraphs, not metadata."""
    doc = read_bytes(sample_bytes, "x.txt", ReadOptions(fmt="transcript", title="T",
                                                        date="2020-12-02"))
    assert doc.lead == [] and doc.title == "T"
    assert len(doc.turns()) == 13
    with pytest.raises(ReadError, match="unknown reader 'pdf'"):
        read_bytes(sample_bytes, "x.txt", ReadOptions(fmt="pdf"))
    with pytest.raises(ReadError, match="only a URL"):
        read_bytes(b"http://kremlin.ru/events/president/news/copy/64534\n", "x.txt",
                   ReadOptions(fmt="kremlin-text"))


def test_export_without_title_line(sample_bytes: bytes, sample: Document) -> None:
    """Its second line is no date line, so it is not taken for an export: --from says it is."""
    text = variant(sample_bytes, "Сессия Совета коллективной безопасности ОДКБ\n", "")
    assert detect(text).name == "transcript"
    with pytest.raises(ReadError, match="no title"):
        read_bytes(text, "x.txt", ReadOptions(fmt="kremlin-text"))
    doc = read_bytes(text, "x.txt", ReadOptions(fmt="kremlin-text", title="Сессия"))
    assert doc.when == sample.when and digest(doc) == digest(sample)


def test_date_options_are_moscow_time_unless_an_offset_is_given(sample_bytes: bytes) -> None:
    """A date-time without offset is Moscow time of that day; a bare date invents no time."""
    for option, expected in [("2024-02-06", "2024-02-06"),
                             ("2013-06-01 10:00", "2013-06-01T10:00:00+04:00"),
                             ("2024-02-06T19:00:00+01:00", "2024-02-06T19:00:00+01:00")]:
        doc = read_bytes(sample_bytes, "x.txt", ReadOptions(fmt="kremlin-text", date=option))
        assert doc.when is not None and doc.when.isoformat() == expected
    with pytest.raises(ReadError, match="not an ISO date"):
        read_bytes(sample_bytes, "x.txt", ReadOptions(fmt="kremlin-text", date="6 февраля"))


def test_source_option_accepts_canonical_or_print_url(sample_bytes: bytes) -> None:
    for url in ("https://kremlin.ru/events/president/news/70000",
                "https://kremlin.ru/events/president/news/copy/70000"):
        doc = read_bytes(sample_bytes, "x.txt", ReadOptions(fmt="kremlin-text", source=url))
        assert doc.id == "kremlin-70000"
        assert doc.source.url == "https://kremlin.ru/events/president/news/70000"
        assert doc.source.print_url == "https://kremlin.ru/events/president/news/copy/70000"


# -- bad inputs ------------------------------------------------------------------------------------

BAD = {
    "empty": (b"", 1, "empty file"),
    "blank": (b"\n \n\t\n", 1, "empty file"),
    "binary junk": (bytes(range(256)) * 4, 1, "binary"),
    "no date line": ("Заголовок\n\nВ.Путин: Добрый день.\n".encode(), 1, "no date"),
    "cp1251": ("Заголовок\n2020-12-02 13:15:00\n* * *\nВ.Путин: Добрый день.\n".encode("cp1251"),
               1, "Windows-1251"),
    "control character": ("Заголовок\n2020-12-02 13:15:00\n* * *\nВ.Путин: Добрый\x07 день.\n"
                          .encode(), 4, "U+0007"),
    "utf-16": ("В.Путин: Да.".encode("utf-16"), 1, "UTF-16"),
    "only a url": (b"\nhttp://kremlin.ru/events/president/news/copy/64534\n", 1, "no date"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_gives_one_read_error_naming_file_and_line(name: str) -> None:
    data, line, words_in_message = BAD[name]
    with pytest.raises(ReadError) as error:
        read_bytes(data, f"{name}.txt", ReadOptions())
    assert error.value.path == f"{name}.txt"
    assert error.value.line == line
    assert words_in_message in error.value.message
    assert str(error.value).startswith(f"{name}.txt:{line}:")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_control_character_is_named_at_its_line_and_column(newline: str) -> None:
    text = newline.join(["Заголовок", "2020-12-02 13:15:00", "* * *", "В.Путин: Добрый\x07 день.", ""])
    with pytest.raises(ReadError) as error:
        read_bytes(text.encode(), "bell.txt", ReadOptions())
    assert (error.value.line, error.value.column) == (4, 16)


def test_headerless_without_metadata_says_what_to_give(data_dir: Path) -> None:
    path = data_dir / "kremlin-ru" / "carlson-interview-ru.txt"
    with pytest.raises(ReadError, match="--date"):
        read_path(path, ReadOptions())
    with pytest.raises(ReadError, match="--title"):
        read_path(path, ReadOptions(date="2024-02-06"))


# -- generated transcripts -----------------------------------------------------------------------

LABELS = st.sampled_from(["В.Путин", "К.-Ж.Токаев", "Вопрос", "Реплика", "Question",
                          "Владимир Путин", "Tucker Carlson", "Т.Карлсон (как переведено)",
                          "President of Russia Vladimir Putin", "Н.Пашинян"])
TOKENS = ["Россия", "говорит", "and", "Putin", "Во-первых", "Смех.", "Аплодисменты", "ё", "1991",
          " ", NBSP, ".", ",", ":", ": ", "!", "?", "–", "&", "&amp;", "<", ">", "<…>",
          "&lt;…&gt;", "[", "]", "(", ")", '"', "'", "«", "»", "\x07", "\x1b", "* * *"]
PARAGRAPH = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25).map("".join).filter(
    lambda s: s.strip())


def first_colon_space(paragraph: str) -> str:
    """The space after a label's colon is not part of the text: one space stands for any."""
    return re.sub(r"^([^:]*?):\s+", r"\1: ", paragraph)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(turns=st.lists(st.tuples(LABELS, st.lists(PARAGRAPH, min_size=1, max_size=3)),
                      min_size=1, max_size=5))
def test_generated_transcripts_fail_clearly_or_keep_their_text(
        turns: list[tuple[str, list[str]]]) -> None:
    lines = ["Заседание", "2020-12-02 13:15:00", "Москва, Кремль", "Вводный абзац.", "* * *"]
    for label, paragraphs in turns:
        lines.append(f"{label}: {paragraphs[0]}")
        lines.extend(paragraphs[1:])
    data = "\n".join(lines).encode("utf-8")
    try:
        doc = read_bytes(data, "generated.txt", ReadOptions())
    except ReadError as error:
        assert error.path == "generated.txt" and error.line and error.line > 5
        assert re.search(r"U\+00(07|1B)", error.message)
        return
    expected = [line.strip().replace("&lt;…&gt;", "<…>") for line in lines[5:] if line.strip()]
    assert [first_colon_space(p) for p in source_paragraphs(doc)] == [
        first_colon_space(p) for p in expected]
    assert len(doc.turns()) >= len(turns)


def test_a_separator_after_the_first_turn_divides_the_transcript_not_the_lead() -> None:
    """Only a ``* * *`` before the first turn ends the lead; later ones are section breaks,
    however they are printed (``***``, no-break spaces)."""
    text = ("Заседание\n2020-12-02 13:15:00\nВводный абзац.\n"
            "В.Путин: Добрый день.\nИ.Петров: Здравствуйте.\n***\nВ.Путин: Продолжим.\n")
    doc = read_bytes(text.encode(), "x.txt", ReadOptions())
    assert [p.text() for p in doc.lead] == ["Вводный абзац."]
    assert [type(item).__name__ for item in doc.transcript] == ["Turn", "Turn", "Separator", "Turn"]
    spaced = text.replace("Вводный абзац.\n", "Вводный абзац.\n*\u00a0*\u00a0*\n")
    doc = read_bytes(spaced.encode(), "x.txt", ReadOptions())
    assert [p.text() for p in doc.lead] == ["Вводный абзац."] and len(doc.turns()) == 3
