"""The search index of ``build``: Pagefind bundles per year and language, what they index, how a
rebuild keeps them, ``--no-search``; the browser side is in ``test_search_browser.py``."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner
from lxml import html

import tei.corpus.search
from tei.cli import cli
from tei.corpus import BuildOptions, build
from tei.corpus.manifest import load_manifest
from tei.corpus.search import SHARDS, Pagefind, SearchError, indexed_copy, pagefind_executable
from tei.corpus.stable import SIGNATURE, decode, encode, gzipped
from tei.render.templates import site

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples built once (four documents: 2018 en, 2020 ru, 2024 ru and en)."""
    out = tmp_path_factory.mktemp("search") / "out"
    assert build([], out).ok
    return out


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pagefind_json(path: Path) -> Any:
    """A fragment of a bundle: the JSON Pagefind keeps of one page."""
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return json.loads(data[len(SIGNATURE):])


def fragment_of(out: Path, bundle: str, page: str) -> Any:
    fragments = [pagefind_json(p) for p in (out / "search" / bundle / "fragment").iterdir()]
    return next(f for f in fragments if f["url"] == f"/{page}")


def test_one_bundle_per_year_and_language_each_in_its_language(examples: Path) -> None:
    bundles = sorted(p.name for p in (examples / "search").iterdir() if p.is_dir())
    assert bundles == ["2018-en", "2020-ru", "2024-en", "2024-ru"]
    for bundle in bundles:
        entry = json.loads((examples / "search" / bundle / "pagefind-entry.json").read_bytes())
        lang = bundle.split("-")[1]
        assert list(entry["languages"]) == [lang]
        assert entry["languages"][lang]["wasm"] == lang  # stemmed as its language
        names = {p.name for p in (examples / "search" / bundle).iterdir()}
        assert {"pagefind.js", "pagefind-worker.js", f"wasm.{lang}.pagefind"} <= names
        assert not {n for n in names if n.startswith("pagefind-ui") or "unknown" in n}
    record = json.loads((examples / SHARDS).read_bytes())
    assert record["shards"]["2020-ru"]["pages"] == ["html/kremlin-64534.html"]


def test_pagefind_indexes_the_title_and_text_with_speakers_not_the_furniture(
        examples: Path) -> None:
    fragment = fragment_of(examples, "2020-ru", "html/kremlin-64534.html")
    content = fragment["content"]
    assert content.startswith("Сессия Совета коллективной безопасности ОДКБ.")
    assert "обеспечения безопасности" in content and "В.Путин" in content
    assert "Как цитировать" not in content and "Стенограмма" not in content  # page furniture
    assert " 12 " not in content  # paragraph numbers are not words of the text
    anchors = {a["id"]: a for a in fragment["anchors"]}
    assert anchors["p12"]["element"] == "p" and anchors["sp1"]["element"] == "div"
    words = content.split()
    assert words[anchors["sp1"]["location"]] == "В.Путин."  # the label, ended by Pagefind
    assert " ".join(words[anchors["p4"]["location"]:anchors["p5"]["location"]]) == "Добрый день!"
    assert fragment["meta"]["when"] == "2020-12-02T13:15:00+03:00"
    assert fragment["meta"]["place"] == "Ново-Огарёво, Московская область"
    filters = fragment["filters"]
    assert filters["year"] == ["2020"] and filters["language"] == ["Русский"]
    assert filters["source"] == ["kremlin.ru"]
    assert "Никол Пашинян" in filters["speaker"] and "Владимир Путин" in filters["speaker"]
    english = fragment_of(examples, "2018-en", "html/kremlin-en-57137.html")
    assert english["filters"]["language"] == ["English"]
    assert english["filters"]["source"] == ["kremlin.ru"]  # en.kremlin.ru: the same source


def test_hits_are_placed_as_on_the_published_pages_without_a_second_copy_of_the_text(
        examples: Path, tmp_path: Path) -> None:
    """The bundle's fragments are what Pagefind makes of the published pages themselves (their
    text, metadata, filters, and each anchor's element, id and word location), but for the
    text Pagefind keeps with an anchor: the paragraphs' words, a second time."""
    site_dir = tmp_path / "site" / "html"
    site_dir.mkdir(parents=True)
    for page in ("kremlin-64534.html", "kremlin-en-57137.html"):
        shutil.copyfile(examples / "html" / page, site_dir / page)
    for lang, bundle, page in (("ru", "2020-ru", "kremlin-64534.html"),
                               ("en", "2018-en", "kremlin-en-57137.html")):
        Pagefind.find().index(tmp_path / "site", tmp_path / lang, lang)
        published = next(pagefind_json(path) for path in (tmp_path / lang / "fragment").iterdir()
                         if pagefind_json(path)["url"] == f"/html/{page}")
        built = fragment_of(examples, bundle, f"html/{page}")
        assert len(built["anchors"]) > 20
        assert ({key: built[key] for key in ("url", "content", "word_count", "filters", "meta")}
                == {key: published[key] for key in ("url", "content", "word_count", "filters",
                                                    "meta")})
        assert ([(a["element"], a["id"], a["location"]) for a in built["anchors"]]
                == [(a["element"], a["id"], a["location"]) for a in published["anchors"]])
        assert [a for a in built["anchors"] if a["text"]] == []
        assert sum(len(a["text"]) for a in published["anchors"]) > len(published["content"]) / 2


@pytest.mark.parametrize(("page", "given"), [
    (b'<p class="para" id="p4"><a class="pnum" href="#p4">4</a> Text</p>',
     b'<p id="p4"></p><p class="para"><a class="pnum" href="#p4">4</a> Text</p>'),
    (b'<p id="p4.1" class="para">Text</p><p>More</p>',
     b'<p id="p4.1"></p><p class="para">Text</p><p>More</p>'),
    (b'<p\n  id="x"\n>Text</p>', b'<p id="x"></p><p\n>Text</p>'),
    (b'<p data-pagefind-body id="x">Text</p>', b'<p data-pagefind-body id="x">Text</p>'),
    (b'<p id="x" data-pagefind-ignore>Text</p>', b'<p id="x" data-pagefind-ignore>Text</p>'),
    (b'<pre id="x">Text</pre><param id="y"><p data-id="z">', None),
    (b'<div class="turn" id="sp1"><p class="speaker">A:</p></div>', None),
])
def test_only_a_paragraphs_id_moves_onto_an_empty_paragraph_before_it(
        page: bytes, given: bytes | None) -> None:
    assert indexed_copy(page) == (page if given is None else given)


def test_every_page_has_a_search_box_and_the_search_page_is_strict_html5(examples: Path) -> None:
    for page, action in (("index.html", "search.html"), ("persons.html", "search.html"),
                         ("html/kremlin-64534.html", "../search.html")):
        forms = html.parse(str(examples / page)).getroot().findall(".//form[@role='search']")
        assert [f.get("action") for f in forms] == [action], page
        assert forms[0].find(".//input[@type='search']").get("name") == "q"
    for page in ("html/kremlin-64534.html", "index.html"):
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(
            (examples / page).read_bytes())
    data = (examples / "search.html").read_bytes()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
    page = html.fromstring(data)
    assert page.find(".//form[@role='search']").get("action") == "search.html"
    assert "http.server" in page.get_element_by_id("search-offline").text_content()
    listed = json.loads(page.get_element_by_id("search-data").text_content())
    assert [s["path"] for s in listed["shards"]] == [
        "search/2018-en/", "search/2020-ru/", "search/2024-en/", "search/2024-ru/"]
    russian = html.parse(str(examples / "html" / "kremlin-64534.html")).getroot()
    assert russian.find(".//form[@role='search']//button").text == "Найти"


def test_the_manifest_lists_every_file_of_the_index(examples: Path) -> None:
    pages = load_manifest(examples).pages
    written = {p.relative_to(examples.resolve()).as_posix()
               for p in (examples.resolve() / "search").rglob("*") if p.is_file()}
    assert written and written | {"search.html"} <= set(pages)
    for path in written:
        assert hashlib.sha256((examples / path).read_bytes()).hexdigest() == pages[path]


def test_the_index_is_byte_identical_for_identical_input(examples: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert build([], again, BuildOptions(jobs=1)).ok
    first, second = files_under(examples / "search"), files_under(again / "search")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_filters_are_written_in_a_fixed_order(examples: Path) -> None:
    speakers = []
    for path in (examples / "search" / "2020-ru" / "filter").iterdir():
        data = gzip.decompress(path.read_bytes())
        name, values = decode(data, len(SIGNATURE))[0]
        assert [v[0] for v in values] == sorted(v[0] for v in values)
        if name == "speaker":
            speakers = [v[0] for v in values]
        assert path.stem == "ru_" + hashlib.sha256(data[len(SIGNATURE):]).hexdigest()[:7]
    assert len(speakers) == 6


@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 65536, 2**32, -1, -500, "", "абв",
                                   [], [1, ["x", [2**40]]]])
def test_the_cbor_of_pagefind_files_round_trips(value: Any) -> None:
    assert decode(encode(value)) == (value, len(encode(value)))


@given(st.binary(max_size=4000), st.sampled_from([-1, 0, 1, 6, 9]))
def test_search_files_are_compressed_alike_under_every_python(data: bytes, level: int) -> None:
    """The gzip header of what the build compresses is fixed (no time stamp, the system byte
    3), whatever the interpreter writes there (Python 3.13's ``gzip.compress`` 255, 3.11's
    zlib's 3); the rest is the standard library's."""
    ours, theirs = gzipped(data, level), gzip.compress(data, compresslevel=level, mtime=0)
    assert ours[:4] == b"\x1f\x8b\x08\x00" and ours[4:8] == bytes(4) and ours[9] == 3
    assert ours[:9] == theirs[:9] and ours[10:] == theirs[10:]
    assert gzip.decompress(ours) == data


@pytest.mark.parametrize(("url", "name"), [
    ("http://kremlin.ru/events/president/news/64534", "kremlin.ru"),
    ("http://en.kremlin.ru/events/president/news/57137", "kremlin.ru"),
    ("https://www.parlament.gv.at/x", "parlament.gv.at"),
    ("https://dracor.org/rus/pushkin", "dracor.org")])
def test_a_source_is_named_by_its_site(url: str, name: str) -> None:
    assert site(url) == name


def test_a_one_document_change_reindexes_its_year_and_language_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src)
    out = tmp_path / "out"
    assert build([src], out, BuildOptions(authority=src / "authority.csv")).ok
    before = {p.relative_to(out.resolve()).as_posix(): p.stat().st_ino
              for p in (out.resolve() / "search").rglob("*") if p.is_file()}
    indexed: list[str] = []
    run = Pagefind.index

    def counted(self: Pagefind, site_dir: Path, bundle: Path, lang: str) -> None:
        indexed.append(bundle.name)
        run(self, site_dir, bundle, lang)

    monkeypatch.setattr(Pagefind, "index", counted)
    transcript = src / "64534.txt"
    text = transcript.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    transcript.write_text(f"{text[0]}\nВ.Путин: Спасибо, коллеги, за совместную работу.\n\n"
                          f"{text[1]}\n", encoding="utf-8")
    report = build([src], out, BuildOptions(authority=src / "authority.csv"))
    assert report.ok and report.built == 1 and report.published
    assert indexed == ["2020-ru"]
    after = {p.relative_to(out.resolve()).as_posix(): p.stat().st_ino
             for p in (out.resolve() / "search").rglob("*") if p.is_file()}
    for path, inode in after.items():
        if path.startswith(("search/2018-en/", "search/2024-")):
            assert before[path] == inode, path  # carried over: the very same file
        elif path.startswith("search/2020-ru/") and path.endswith(".pf_meta"):
            assert path not in before  # indexed again, with the new paragraph
    fragment = fragment_of(out.resolve(), "2020-ru", "html/kremlin-64534.html")
    assert "за совместную работу" in fragment["content"]
    assert not [p for p in out.resolve().iterdir() if p.name.startswith(".search-")]

    indexed.clear()
    assert build([src], out, BuildOptions(authority=src / "authority.csv")).published is False
    assert indexed == []  # an unchanged rebuild indexes nothing


def test_no_search_writes_no_index_and_no_search_box(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "-o", str(out), "--no-search"])
    assert result.exit_code == 0, result.output
    assert not (out / "search").exists() and not (out / "search.html").exists()
    for page in ("index.html", "html/kremlin-64534.html"):
        assert not html.parse(str(out / page)).getroot().findall(".//form")
    assert not [p for p in load_manifest(out).pages if p.startswith("search")]
    assert build([], out).published  # with search again: everything, boxes included
    assert (out / "search.html").is_file()
    assert html.parse(str(out / "index.html")).getroot().findall(".//form[@role='search']")


def test_pagefind_is_found_where_its_python_api_finds_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The build looks for the binary without importing the API's module (which imports
    asyncio), in the same places: the answers must not drift apart."""
    from pagefind.service import get_executable

    assert pagefind_executable() == get_executable() is not None
    named = tmp_path / "my-pagefind"
    named.write_bytes(b"")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(named))
    assert pagefind_executable() == get_executable() == named


def test_a_build_with_search_does_not_import_asyncio(tmp_path: Path) -> None:
    """Nothing of a build needs ``asyncio``, whose import costs every build with search some
    20 ms before Pagefind starts (the Python API's module imports it)."""
    code = ("import sys; from pathlib import Path; from tei.corpus import build; "
            f"assert build([Path({str(EXAMPLES)!r})], Path({str(tmp_path / 'out')!r})).ok; "
            "print(sorted(m for m in ('asyncio', 'pagefind.service') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert found == "[]"
    assert (tmp_path / "out" / "search.html").is_file()


def test_without_pagefind_the_build_says_how_to_get_it(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind-here"))
    with pytest.raises(SearchError, match=r"pip install 'pagefind\[bin\]'.*--no-search"):
        build([], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert tei.corpus.search.SEARCH.paths == ("search.html", SHARDS)


def test_pagefind_failing_in_a_rebuild_leaves_the_edition_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search is written in a thread beside the other outputs: its error still stops the
    build, and nothing of the new build is published or left behind."""
    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src)
    out = tmp_path / "out"
    options = BuildOptions(authority=src / "authority.csv")
    assert build([src], out, options).ok
    published = out.resolve()
    before = files_under(published)

    def failing(self: Pagefind, site_dir: Path, bundle: Path, lang: str) -> None:
        raise SearchError("Pagefind failed (1): out of memory")

    monkeypatch.setattr(Pagefind, "index", failing)
    transcript = src / "64534.txt"
    text = transcript.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    transcript.write_text(f"{text[0]}\nВ.Путин: Спасибо.\n\n{text[1]}\n", encoding="utf-8")
    with pytest.raises(SearchError, match="out of memory"):
        build([src], out, options)
    assert out.resolve() == published and files_under(published) == before
    assert sorted(p.name for p in published.parent.iterdir() if not p.name.startswith(".")) == [
        published.name, f"{published.name}.listing.json"]  # the staged build is gone
    monkeypatch.undo()
    report = build([src], out, options)
    assert report.ok and report.built == 1 and report.published
