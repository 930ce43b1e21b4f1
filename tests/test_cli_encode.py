"""`tei-edition encode` as a user runs it: outputs, refusals, error lines, exit codes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei.cli import cli
from tei.xmlio import TEI_NS, parse_file

NS = {"t": TEI_NS}


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_encode_writes_the_document_under_its_id(tmp_path: Path, data_dir: Path) -> None:
    code, out, err = run("encode", str(data_dir / "kremlin-ru" / "64534.txt"), "-o", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / "kremlin-64534.xml").exists()
    assert "kremlin-64534.xml" in out


def test_encode_reads_standard_input(tmp_path: Path, data_dir: Path) -> None:
    data = (data_dir / "kremlin-ru" / "64534.txt").read_bytes()
    code, _, err = run("encode", "-", "-o", str(tmp_path), input=data)
    assert code == 0, err
    assert (tmp_path / "kremlin-64534.xml").exists()


def test_hand_corrected_file_is_not_overwritten_without_force(tmp_path: Path,
                                                              data_dir: Path) -> None:
    sample = str(data_dir / "kremlin-ru" / "64534.txt")
    assert run("encode", sample, "-o", str(tmp_path))[0] == 0
    target = tmp_path / "kremlin-64534.xml"
    corrected = target.read_bytes().replace("Добрый день!".encode(), "Добрый день!!".encode())
    target.write_bytes(corrected)
    code, _, err = run("encode", sample, "-o", str(tmp_path))
    assert code == 1
    assert "--force" in err and "kremlin-64534.xml" in err
    assert target.read_bytes() == corrected
    assert run("encode", sample, "-o", str(tmp_path), "--force")[0] == 0
    assert target.read_bytes() != corrected


def test_unchanged_output_is_left_alone(tmp_path: Path, data_dir: Path) -> None:
    sample = str(data_dir / "kremlin-ru" / "64534.txt")
    run("encode", sample, "-o", str(tmp_path))
    mtime = (tmp_path / "kremlin-64534.xml").stat().st_mtime_ns
    code, out, _ = run("encode", sample, "-o", str(tmp_path))
    assert code == 0 and "unchanged" in out
    assert (tmp_path / "kremlin-64534.xml").stat().st_mtime_ns == mtime


BAD_INPUTS: dict[str, bytes] = {
    "empty.txt": b"",
    "junk.txt": bytes(range(256)) * 4,
    "nodate.txt": "Заголовок\n\nВ.Путин: Добрый день.\n".encode(),
    "baddate.txt": "Заголовок\n2020-13-45 13:15:00\n* * *\nВ.Путин: Добрый день.\n".encode(),
    "cp1251.txt": "Заголовок\n2020-12-02 13:15:00\n* * *\nВ.Путин: Добрый день.\n".encode("cp1251"),
    "control.txt": "Заголовок\n2020-12-02 13:15:00\n* * *\nВ.Путин: Добрый\x07 день.\n".encode(),
}


def test_each_bad_input_gives_one_clear_line_and_no_output(tmp_path: Path, data_dir: Path) -> None:
    """A batch with bad inputs: each named once, the good one still encoded, exit 1."""
    for name, data in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(data)
    out_dir = tmp_path / "out"
    good = str(data_dir / "kremlin-ru" / "64534.txt")
    bad = [str(tmp_path / name) for name in BAD_INPUTS]
    code, _, err = run("encode", *bad, good, "-o", str(out_dir))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == len(BAD_INPUTS)
    for path, line in zip(bad, lines):
        assert line.startswith(f"Error: {path}:"), line
        assert "Traceback" not in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["kremlin-64534.xml"]


def test_headerless_interview_with_metadata_options(tmp_path: Path, data_dir: Path) -> None:
    code, _, err = run(
        "encode", str(data_dir / "kremlin-ru" / "carlson-interview-ru.txt"), "-o", str(tmp_path),
        "--title", "Интервью Такеру Карлсону", "--date", "2024-02-06",
        "--source", "http://kremlin.ru/events/president/news/73411")
    assert code == 0, err
    root = parse_file(tmp_path / "kremlin-73411.xml").getroot()
    speakers = {sp.get("who") for sp in root.iterfind(".//t:sp", NS)}
    assert len(speakers) == 2
    assert root.find(".//t:sp/t:note[@type='speaker']", NS).text == "как переведено"


# -- round trip: generated transcripts either fail clearly or keep their text ------------------

LABELS = st.sampled_from(["В.Путин", "К.-Ж.Токаев", "Вопрос", "Реплика", "Владимир Путин",
                          "Т.Карлсон (как переведено)", "Н.Пашинян"])
TOKENS = ["Россия", "говорит", "and", "Putin", "Во-первых", "Смех", "Аплодисменты", "ё", "1991",
          " ", " ", "\u00a0", ".", ",", ":", "!", "?", "–", "&", "&amp;", "<", ">", "<…>",
          "&lt;…&gt;", "[", "]", "(", ")", '"', "'", "«", "»", "\x07"]
PARAGRAPH = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25).map("".join).filter(
    lambda s: s.strip())


def reconstruct(root: etree._Element) -> list[str]:
    """The transcript's paragraphs as the source prints them, rebuilt from the TEI."""
    marks = {"supplied": ("[", "]"), "stage": ("(", ")")}

    def flat(element: etree._Element) -> str:
        parts = [element.text or ""]
        for child in element:
            opening, closing = marks.get(etree.QName(child).localname, ("", ""))
            parts.append(opening + flat(child) + closing)
            parts.append(child.tail or "")
        return "".join(parts)

    paragraphs: list[str] = []
    for sp in root.iterfind(".//t:div[@type='transcript']/t:sp", NS):
        label = sp.findtext("t:speaker", namespaces=NS)
        note = sp.findtext("t:note[@type='speaker']", namespaces=NS)
        head = f"{label} ({note}):" if note else f"{label}:"
        blocks: list[str] = []
        for child in sp:
            name = etree.QName(child).localname
            if name == "p":
                blocks.append(flat(child))
            elif name == "stage":
                blocks.append(f"({flat(child)})")
        paragraphs.append(f"{head} {blocks[0]}" if blocks else head)
        paragraphs.extend(blocks[1:])
    return paragraphs


def normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("&lt;…&gt;", "<…>").split())


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(turns=st.lists(st.tuples(LABELS, st.lists(PARAGRAPH, min_size=1, max_size=3)),
                      min_size=1, max_size=5))
def test_generated_transcripts_fail_clearly_or_keep_their_text(
        turns: list[tuple[str, list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check_round_trip(Path(folder), turns)


def check_round_trip(tmp_path: Path, turns: list[tuple[str, list[str]]]) -> None:
    """Encode one generated transcript; an error must be clear and leave no file."""
    lines = ["Заседание", "2020-12-02 13:15:00", "Москва, Кремль", "Вводный абзац.", "* * *"]
    for label, paragraphs in turns:
        lines.append(f"{label}: {paragraphs[0]}")
        lines.extend(paragraphs[1:])
    source = tmp_path / "generated.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run("encode", str(source), "-o", str(out_dir), "--force")
    event("refused" if code else "encoded")
    if code != 0:
        assert err.startswith(f"Error: {source}:") and "Traceback" not in err
        assert "\x07" in source.read_text(encoding="utf-8") and "U+0007" in err, err
        assert not out_dir.exists() or not any(out_dir.iterdir())
        return
    root = parse_file(next(out_dir.iterdir())).getroot()
    expected = [normal(line) for line in lines[5:] if normal(line)]
    assert [normal(p) for p in reconstruct(root)] == expected


# -- a batch with bad paths and outputs: each named, the others done -------------------------


def test_missing_file_and_folder_are_named_and_the_batch_goes_on(tmp_path: Path,
                                                                 data_dir: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    missing = tmp_path / "missing.txt"
    code, _, err = run("encode", str(missing), str(folder),
                       str(data_dir / "kremlin-ru" / "64534.txt"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert f"Error: {missing}: " in err and f"Error: {folder}: " in err
    assert (tmp_path / "out" / "kremlin-64534.xml").exists()


def test_an_output_folder_that_cannot_be_made_is_named(tmp_path: Path, data_dir: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run("encode", str(data_dir / "kremlin-ru" / "64534.txt"),
                       "-o", str(blocker / "tei"))
    assert code == 1
    assert err.startswith(f"Error: {blocker}") and "Traceback" not in err


def test_two_inputs_with_one_identifier_are_not_silently_merged(tmp_path: Path,
                                                               data_dir: Path) -> None:
    """Options apply to every input: two interviews given one title and date collide."""
    first = data_dir / "kremlin-ru" / "carlson-interview-ru.txt"
    second = tmp_path / "copy.txt"
    second.write_text(first.read_text(encoding="utf-8").replace("Спасибо", "Благодарю"),
                      encoding="utf-8")
    code, _, err = run("encode", str(first), str(second), "-o", str(tmp_path / "out"),
                       "--title", "Интервью", "--date", "2024-02-06", "--force")
    assert code == 1
    assert f"Error: {second}: gives the document ID" in err and str(first) in err
    root = parse_file(tmp_path / "out" / "doc-2024-02-06-intervyu.xml").getroot()
    assert "Благодарю" not in "".join(root.itertext())


def test_no_licence_is_claimed_for_a_source_that_states_none(tmp_path: Path,
                                                            data_dir: Path) -> None:
    source = str(data_dir / "kremlin-ru" / "carlson-interview-ru.txt")
    common = ["--title", "Интервью", "--date", "2024-02-06", "--source", "https://example.org/x"]
    assert run("encode", source, "-o", str(tmp_path / "a"), *common)[0] == 0
    root = parse_file(next((tmp_path / "a").iterdir())).getroot()
    assert root.find(".//t:availability", NS).get("status") == "unknown"
    assert root.find(".//t:licence", NS) is None
    licence = "https://creativecommons.org/licenses/by-sa/4.0/"
    assert run("encode", source, "-o", str(tmp_path / "b"), *common, "--licence", licence)[0] == 0
    root = parse_file(next((tmp_path / "b").iterdir())).getroot()
    assert root.find(".//t:licence", NS).get("target") == licence


def test_encode_applies_an_authority_file(tmp_path: Path, data_dir: Path) -> None:
    """A label-only speaker (В.Путин) gets the authority's full identity and records."""
    authority = tmp_path / "authority.csv"
    authority.write_text("kind,id,name,forename,surname,variants,wikidata\n"
                         "person,putin-vladimir,Владимир Путин,Владимир,Путин,В.Путин,Q7747\n",
                         encoding="utf-8")
    code, _, err = run("encode", str(data_dir / "kremlin-ru" / "carlson-interview-ru.txt"),
                       "-o", str(tmp_path / "out"), "--authority", str(authority),
                       "--title", "Интервью", "--date", "2024-02-06",
                       "--source", "http://kremlin.ru/events/president/news/73411")
    assert code == 0, err
    root = parse_file(tmp_path / "out" / "kremlin-73411.xml").getroot()
    assert "#putin-vladimir" in {sp.get("who") for sp in root.iterfind(".//t:sp", NS)}
    assert root.xpath("string(//t:person[@xml:id='putin-vladimir']/t:idno[@type='wikidata'])",
                      namespaces=NS) == "Q7747"


def test_encode_refuses_to_write_into_a_published_build(tmp_path: Path, data_dir: Path) -> None:
    store = tmp_path / ".build.builds" / "b1"
    store.mkdir(parents=True)
    (tmp_path / "build").symlink_to(Path(".build.builds") / "b1")
    code, _, err = run("encode", str(data_dir / "kremlin-ru" / "64534.txt"),
                       "-o", str(tmp_path / "build" / "tei"))
    assert code == 2 and "published by 'tei-edition build'" in err
    assert not any(store.iterdir())


def test_encode_takes_folders_of_transcripts_and_pages(tmp_path: Path, data_dir: Path) -> None:
    """A folder is searched for transcripts and saved pages (sidecars, hidden files and
    other files left alone); each is encoded as if named, one bad file stops no other."""
    src = tmp_path / "src"
    shutil.copytree(data_dir / "kremlin-en", src / "pages")
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src / "64534.txt")
    (src / ".hidden.txt").write_text("В.Путин: Секрет.\n", encoding="utf-8")
    (src / "notes.md").write_text("not a transcript\n", encoding="utf-8")
    code, out, err = run("encode", str(src), "-o", str(tmp_path / "out"))
    pages = sorted((data_dir / "kremlin-en").glob("*.html"))
    written = sorted(p.name for p in (tmp_path / "out").glob("*.xml"))
    assert written == sorted(["kremlin-64534.xml", *(f"kremlin-en-{p.stem}.xml" for p in pages)])
    # the headerless interview without a sidecar is the one failure, named with its line
    assert code == 1 and err.count("Error: ") == 1
    assert f"{src / 'pages' / 'carlson-interview-en.txt'}:1: no date" in err
    assert out.count("wrote ") == len(written)


def test_progress_bar_on_a_terminal_holds_the_lines_back_until_it_is_done(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    from tei.cli_support import Progress as _Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = _Progress("Encoding")
    progress(1, 3)
    progress.say("wrote a.xml")
    progress(2, 3)
    assert "Encoding" in terminal.getvalue() and "wrote a.xml" not in capsys.readouterr().out
    progress.close()
    assert capsys.readouterr().out == "wrote a.xml\n"


def test_a_page_with_nothing_but_its_title_is_encoded(tmp_path: Path, data_dir: Path) -> None:
    """en.kremlin.ru 42681 (issue 11), an announcement without a paragraph: once "a bug in
    tei-edition" (an empty body), now a TEI whose body is the title."""
    code, out, err = run("encode", str(data_dir / "kremlin-en-more" / "42681.html"),
                         "-o", str(tmp_path))
    assert (code, err) == (0, "")
    body = parse_file(tmp_path / "kremlin-en-42681.xml").getroot().find(".//t:body", NS)
    assert [etree.QName(el).localname for el in body.iter()] == ["body", "div", "head"]
    assert " ".join(body.findtext("t:div/t:head", namespaces=NS).split()) == (
        "President Vladimir Putin answered journalists' questions following his meetings in the "
        "capital of Kazakhstan")
