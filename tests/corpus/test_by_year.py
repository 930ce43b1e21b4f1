"""``build --by-year``: ``turns.tsv`` and the speakers' downloads one file a year.

What a user relies on: the same rows as the whole files, cut by year, each file with its
header; every link of the pages to them resolves; a rebuild publishes what a build from
scratch does, writing afresh only the years a change touched (the others are the previous
build's files, linked); and switching the option leaves no file of the other layout.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import html
from test_incremental import change, published, sources

sys.path.insert(0, str(Path(__file__).parents[1] / "render"))  # the browser tests' helpers
from test_browser import CHROMIUM, VIEWPORTS, browser, in_viewport, visit  # noqa: E402,F401

from tei.cli import cli
from tei.corpus import BuildOptions, build
from tei.corpus.years import UNDATED, whole_path, year_of

SAMPLES = ("kremlin-ru", "kremlin-en", "kremlin-en-more", "dracor", "parlamint")
"""Real samples of every kind with turns (the saved copy of 64534 is left out: it has the
text export's document ID)."""


def parts(whole: Path) -> list[Path]:
    """The files by year of the file ``whole`` (``turns.tsv``: ``turns.2019.tsv``...), in
    order."""
    return sorted(p for p in whole.parent.glob(f"{whole.stem}.*{whole.suffix}")
                  if whole_path(p.name) == whole.name)


def rows(path: Path) -> list[str]:
    """The lines of a TSV file after its header (checked to be the TSV's header)."""
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    assert header.startswith("document_id\t")
    return lines


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[Path, Path]:
    """The samples built whole and by year."""
    work = tmp_path_factory.mktemp("by-year")
    sources_ = [data_dir / name for name in SAMPLES]
    assert build(sources_, work / "whole", BuildOptions(search=False)).published
    assert build(sources_, work / "year", BuildOptions(search=False, by_year=True)).published
    return (work / "whole").resolve(), (work / "year").resolve()


def test_the_turns_by_year_are_the_rows_of_turns_tsv_in_order(editions: tuple[Path, Path]) -> None:
    whole, year = editions
    files = parts(year / "turns.tsv")
    assert not (year / "turns.tsv").exists()
    assert [f.name for f in files][-1] == f"turns.{UNDATED}.tsv"  # a DraCor play has no date
    assert [line for f in files for line in rows(f)] == rows(whole / "turns.tsv")
    for file in files:  # each file holds the turns of documents of its year only
        dates = {line.split("\t")[1] for line in rows(file)}
        assert {year_of(d or None) for d in dates} <= {file.name.split(".")[1]}


def test_a_speakers_downloads_by_year_are_their_whole_downloads_cut(
        editions: tuple[Path, Path]) -> None:
    whole, year = editions
    speakers = sorted((whole / "persons").glob("*.tsv"))
    assert len(speakers) > 20
    for table in speakers:
        assert not (year / "persons" / table.name).exists()
        assert [line for f in parts(year / "persons" / table.name)
                for line in rows(f)] == rows(table)
        text = table.with_suffix(".txt").read_text(encoding="utf-8")
        heading = text.split("\n", 1)[0] + "\n"  # every year's text starts with the speaker
        texts = [f.read_text(encoding="utf-8") for f in parts(year / "persons" / f"{table.stem}.txt")]
        assert all(part.startswith(heading) for part in texts)
        assert heading + "".join(part[len(heading):] for part in texts) == text
    putin = parts(year / "persons" / "putin-vladimir.txt")
    assert len(putin) >= 5


def test_every_page_links_the_files_by_year_and_they_are_there(
        editions: tuple[Path, Path]) -> None:
    _, year = editions
    index = html.parse(str(year / "index.html")).getroot()
    listed = index.xpath('//p[@id="turns-by-year"]//a/@href')
    assert listed == [f.name for f in parts(year / "turns.tsv")]
    nav = index.xpath('//nav[contains(@class, "corpus-nav")]//a/@href')
    assert "index.html#turns-by-year" in nav and "turns.tsv" not in nav
    page = html.parse(str(year / "persons" / "putin-vladimir.html")).getroot()
    links = page.xpath('//ul[@class="downloads"]//a/@href')
    assert links and all(re.fullmatch(r"\.\./persons/putin-vladimir\.\d{4}\.t(sv|xt)", h)
                         for h in links)
    written = {p.relative_to(year).as_posix() for p in (year / "persons").glob("*.t[sx][vt]")}
    linked = set()
    for person in (year / "persons").glob("*.html"):
        linked.update(h.removeprefix("../") for h in html.parse(str(person)).getroot().xpath(
            '//ul[@class="downloads"]//a/@href'))
    assert linked == written  # every download is linked from its speaker's page, and no more
    assert not [p for p in (year / "persons").iterdir() if p.is_dir() and p.name != "a-z"]


def test_a_rebuild_by_year_publishes_what_a_build_from_scratch_does_and_links_the_rest(
        tmp_path: Path, data_dir: Path) -> None:
    src, out, cold = tmp_path / "src", tmp_path / "out", tmp_path / "cold"
    sources(data_dir, src)
    options = BuildOptions(search=False, by_year=True)
    assert build([src], out, options).published
    first = out.resolve()
    inodes = {p.relative_to(first).as_posix(): p.stat().st_ino
              for p in first.rglob("*") if p.is_file()}
    change(data_dir, src)  # 64534 moves from 2020 to 2009, one page added, one removed
    report = build([src], out, options)
    assert report.published and (report.built, report.unchanged) == (2, 11)
    assert build([src], cold, options).published
    assert published(out) == published(cold)
    rebuilt = out.resolve()
    years = [p.name for p in parts(rebuilt / "turns.tsv")]
    new = {name for name in years if (rebuilt / name).stat().st_ino != inodes.get(name)}
    # 64534's new year and old one, and those of the page added and the page removed
    assert {"turns.2009.tsv", "turns.2020.tsv"} <= new and len(new) <= 4
    assert len(years) - len(new) >= 5, "the untouched years are linked from the previous build"
    putin = {p.name: p.stat().st_ino for p in parts(rebuilt / "persons" / "putin-vladimir.txt")}
    kept = [name for name, inode in putin.items() if inodes.get(f"persons/{name}") == inode]
    assert kept and "putin-vladimir.2009.txt" not in kept


def test_switching_the_layout_leaves_no_file_of_the_other(tmp_path: Path, data_dir: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    sources(data_dir, src)
    assert build([src], out, BuildOptions(search=False)).published
    (out / "turns.notes.txt").write_text("mine", encoding="utf-8")
    assert build([src], out, BuildOptions(search=False, by_year=True)).published
    assert not (out / "turns.tsv").exists() and (out / "turns.2020.tsv").is_file()
    assert not (out / "persons" / "putin-vladimir.txt").exists()
    assert (out / "turns.notes.txt").read_text(encoding="utf-8") == "mine"
    assert build([src], out, BuildOptions(search=False)).published
    assert (out / "turns.tsv").is_file() and not (out / "turns.2020.tsv").exists()
    assert not parts(out / "persons" / "putin-vladimir.txt")
    assert (out / "turns.notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_command_takes_by_year(tmp_path: Path, data_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(data_dir / "kremlin-ru" / "64534.txt", src)
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"),
                                       "--no-search", "--by-year"])
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "out" / "turns.2020.tsv")
    assert (tmp_path / "out" / "persons" / "putin-vladimir.2020.txt").is_file()


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("TEI_EDITION_REQUIRE_BROWSER"),
                    reason="Debian's chromium is not installed (CI sets TEI_EDITION_REQUIRE_BROWSER)")
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_in_a_browser_the_turns_link_leads_to_the_years_and_they_fit(
        browser: Any, editions: tuple[Path, Path], viewport: str) -> None:
    _, year = editions
    seen = visit(browser, (year / "index.html").as_uri(), viewport)
    page = seen.page
    page.click('nav.corpus-nav a[href="index.html#turns-by-year"]')
    assert page.url.endswith("index.html#turns-by-year")
    assert in_viewport(page, "#turns-by-year")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    first = page.eval_on_selector("#turns-by-year a", "a => a.href")
    assert Path(first.removeprefix("file://")).is_file()
    seen = visit(browser, (year / "persons" / "putin-vladimir.html").as_uri(), viewport)
    links = seen.page.eval_on_selector_all("ul.downloads a", "all => all.map(a => a.href)")
    assert len(links) >= 10 and all(Path(h.removeprefix("file://")).is_file() for h in links)
    assert seen.page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    assert seen.problems == []
    page.context.close()
    seen.page.context.close()
