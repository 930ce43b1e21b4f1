"""Documents of one kremlin.ru item in two languages link to each other: the Carlson interview
of ``examples/`` (kremlin.ru and en.kremlin.ru 73411), in the TEI and on the pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html

from tei.cli import cli
from tei.corpus import BuildOptions, build
from tei.corpus import manifest as manifest_module
from tei.corpus.manifest import load_manifest
from tei.pipeline import encode_file
from tei.render.versions import Item, versions
from tei.validation import default_validator
from tei.xmlio import TEI_NS, parse_file

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
NS = {"t": TEI_NS}
RU, EN = "kremlin-73411", "kremlin-en-73411"


def carlson(folder: Path, *languages: str) -> Path:
    """A folder with the Carlson interview in the languages given, and its sidecars."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        for suffix in (".txt", ".meta.toml"):
            shutil.copy(EXAMPLES / f"carlson-interview-{lang}{suffix}", folder)
    return folder


def alternates(page: Path) -> dict[str, str]:
    """The page's ``<link rel="alternate" hreflang>``: language -> address."""
    head = html.parse(str(page)).getroot().find("head")
    return {link.get("hreflang"): link.get("href") for link in head.iter("link")
            if link.get("rel") == "alternate"}


def shown_versions(page: Path) -> list[tuple[str, str, str]]:
    """The versions the page's header names: (text, address, hreflang)."""
    facts = html.parse(str(page)).getroot().find(".//dl[@class='facts']")
    return [(a.text, a.get("href"), a.get("hreflang")) for a in facts.iter("a")
            if a.get("rel") == "alternate"]


def test_the_english_tei_points_at_the_russian_item_of_its_number(
        tmp_path: Path, tei_all: etree.RelaxNG) -> None:
    english, _, _ = encode_file(EXAMPLES / "carlson-interview-en.txt", tmp_path)
    russian, _, _ = encode_file(EXAMPLES / "carlson-interview-ru.txt", tmp_path)
    bibl = parse_file(english).getroot().find(".//t:sourceDesc/t:bibl", NS)
    related = bibl.findall("t:relatedItem", NS)
    assert [(r.get("type"), r.get("target")) for r in related] == [
        ("otherLanguage", "http://kremlin.ru/events/president/news/73411")]
    english_page = "http://en.kremlin.ru/events/president/news/73411"
    assert bibl.find("t:ref", NS).get("target") == english_page
    # the Russian page cannot know by itself that there is an English one
    assert parse_file(russian).getroot().find(".//t:relatedItem", NS) is None
    for path in (english, russian):
        assert default_validator().validate_tree(parse_file(path), str(path)) == []
        assert tei_all.validate(parse_file(path)), tei_all.error_log


def test_the_bundled_examples_link_the_two_languages_of_the_interview(tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLES), "-o", str(out), "--authority",
                                      str(EXAMPLES / "authority.csv")])
    assert result.exit_code == 0, result.output
    assert alternates(out / "html" / f"{RU}.html") == {"ru": f"{RU}.html", "en": f"{EN}.html"}
    assert alternates(out / "html" / f"{EN}.html") == {"en": f"{EN}.html", "ru": f"{RU}.html"}
    assert shown_versions(out / "html" / f"{RU}.html") == [("English", f"{EN}.html", "en")]
    assert shown_versions(out / "html" / f"{EN}.html") == [("Русский", f"{RU}.html", "ru")]
    for other in ("kremlin-64534", "kremlin-en-57137"):
        assert alternates(out / "html" / f"{other}.html") == {}


def test_with_base_url_the_alternates_are_absolute(tmp_path: Path) -> None:
    src = carlson(tmp_path / "src", "ru", "en")
    base = "https://example.org/kremlin/"
    assert build([src], tmp_path / "out", BuildOptions(base_url=base)).ok
    assert alternates(tmp_path / "out" / "html" / f"{RU}.html") == {
        "ru": f"{base}html/{RU}.html", "en": f"{base}html/{EN}.html"}


def test_a_translation_added_later_rewrites_both_pages_and_no_tei(tmp_path: Path) -> None:
    src, out = carlson(tmp_path / "src", "ru"), tmp_path / "out"
    assert build([src], out).ok
    russian_tei = (out / "tei" / f"{RU}.xml").stat().st_ino
    assert alternates(out / "html" / f"{RU}.html") == {}

    carlson(src, "en")
    report = build([src], out)
    assert (report.built, report.unchanged) == (1, 1)
    assert (out / "tei" / f"{RU}.xml").stat().st_ino == russian_tei  # its TEI is its own
    assert set(alternates(out / "html" / f"{RU}.html")) == {"ru", "en"}
    assert set(alternates(out / "html" / f"{EN}.html")) == {"ru", "en"}
    manifest = load_manifest(out)
    for entry in manifest.documents.values():  # the manifest has the pages as written
        page = out / "html" / f"{entry.id}.html"
        assert entry.outputs[f"html/{entry.id}.html"] == _sha256(page)

    target = os.readlink(out)
    assert build([src], out).published is False and os.readlink(out) == target

    (src / "carlson-interview-en.txt").unlink()
    assert build([src], out).published
    assert alternates(out / "html" / f"{RU}.html") == {}


def test_a_manifest_without_items_has_them_read_from_the_unchanged_documents_tei(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build of before items were recorded: the rebuild reads the item of each unchanged
    document from its TEI (carried into the staged build), and rewrites no page."""
    src, out = carlson(tmp_path / "src", "ru", "en"), tmp_path / "out"
    shutil.copy(EXAMPLES / "64534.txt", src)
    assert build([src], out).ok
    pages = {path.name: path.read_bytes() for path in (out / "html").glob("*.html")}
    read = manifest_module._entry

    def without_item(value: dict[str, object]) -> manifest_module.Entry:
        return read({name: field for name, field in value.items() if name != "item"})

    monkeypatch.setattr(manifest_module, "_entry", without_item)
    transcript = src / "64534.txt"
    transcript.write_text(transcript.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = build([src], out)
    assert report.ok and report.published and (report.built, report.unchanged) == (1, 2)
    monkeypatch.undo()
    assert {entry.id: entry.item is not None for entry in load_manifest(out).documents.values()} \
        == {RU: True, EN: True, "kremlin-64534": True}
    assert {path.name: path.read_bytes() for path in (out / "html").glob("*.html")} == pages
    assert set(alternates(out / "html" / f"{RU}.html")) == {"ru", "en"}


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_render_links_the_versions_it_renders_together(tmp_path: Path) -> None:
    tei = tmp_path / "tei"
    for lang in ("ru", "en"):
        encode_file(EXAMPLES / f"carlson-interview-{lang}.txt", tei)
    result = CliRunner().invoke(cli, ["render", str(tei), "-o", str(tmp_path / "both")])
    assert result.exit_code == 0, result.output
    assert alternates(tmp_path / "both" / "html" / f"{EN}.html") == {"en": f"{EN}.html",
                                                                    "ru": f"{RU}.html"}
    alone = CliRunner().invoke(cli, ["render", str(tei / f"{EN}.xml"), "-o",
                                     str(tmp_path / "alone")])
    assert alone.exit_code == 0, alone.output
    assert alternates(tmp_path / "alone" / "html" / f"{EN}.html") == {}


@pytest.mark.parametrize("order", [1, -1])
def test_versions_group_an_item_whatever_names_whom(order: int) -> None:
    ru = Item("ru-1", "ru", ("kremlin.ru/n/1",))
    en = Item("en-1", "en", ("en.kremlin.ru/n/1",), ("kremlin.ru/n/1",))
    zh = Item("zh-1", "zh", ("cn.example/1",), ("kremlin.ru/n/1",))
    copy = Item("ru-1-page", "ru", ("kremlin.ru/n/1",))  # the same page read twice: no version
    other = Item("ru-2", "ru", ("kremlin.ru/n/2",))
    found = versions([ru, en, zh, copy, other][::order])
    assert found["en-1"] == [("ru", "ru-1"), ("zh", "zh-1")]
    assert found["zh-1"] == [("en", "en-1"), ("ru", "ru-1")]
    assert found["ru-1"] == [("en", "en-1"), ("zh", "zh-1")]
    assert "ru-2" not in found and "ru-1-page" not in found
