"""The search in a real browser: the bundled examples built, served on a loopback port, searched.

Debian's chromium headless, as in ``test_browser.py`` (skipped where it is missing unless
TEI_EDITION_REQUIRE_BROWSER is set). Screenshots land in screenshots/.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tei.corpus import build
from test_browser import ARGS, CHROMIUM, SCREENSHOTS, VIEWPORTS  # the same browser

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("TEI_EDITION_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI sets TEI_EDITION_REQUIRE_BROWSER)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A file server that prints no line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing."""


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-browser") / "out"
    assert build([], out).ok
    return out.resolve()


@contextlib.contextmanager
def served(edition: Path) -> Iterator[str]:
    """The edition served by http.server on a free loopback port: its address."""
    handler = functools.partial(_Quiet, directory=str(edition))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def site(edition: Path) -> Iterator[str]:
    """The bundled examples, served."""
    with served(edition) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A page in a fresh context, with the errors it logged (a missing favicon aside)."""

    def __init__(self, browser: Any, url: str, viewport: str = "desktop") -> None:
        self.page = browser.new_context(viewport=VIEWPORTS[viewport]).new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(url)

    def _console(self, message: Any) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            self.problems.append(message.text)

    def results(self) -> list[dict[str, Any]]:
        """Each result shown: its document link and its hits (link, label, marked words)."""
        self.page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
        return self.page.eval_on_selector_all(".search-result", """items => items.map(item => ({
            page: item.querySelector('.search-result-title a').getAttribute('href'),
            hits: Array.from(item.querySelectorAll('.search-hit')).map(hit => ({
                href: hit.querySelector('a').getAttribute('href'),
                label: hit.querySelector('a').textContent,
                marks: Array.from(hit.querySelectorAll('mark')).map(m => m.textContent)}))}))""")

    def close(self) -> None:
        assert self.problems == []
        self.page.context.close()


def paragraph_hits(result: dict[str, Any]) -> list[str]:
    return [hit["href"] for hit in result["hits"] if re.search(r"#p\d+$", hit["href"])]


def test_a_russian_word_typed_in_the_box_finds_its_inflected_forms_in_their_paragraphs(
        browser: Any, site: str) -> None:
    tab = Tab(browser, site + "html/kremlin-64534.html")
    page = tab.page
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("безопасность")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    results = tab.results()
    pages = [result["page"] for result in results]
    assert sorted(pages) == ["html/kremlin-64534.html", "html/kremlin-73411.html"]
    session = results[pages.index("html/kremlin-64534.html")]
    hits = paragraph_hits(session)
    assert hits and all(href.startswith("html/kremlin-64534.html#p") for href in hits)
    marks = [mark.lower() for hit in session["hits"] for mark in hit["marks"]]
    assert marks and all(mark.startswith("безопасн") for mark in marks)
    assert "безопасности" in marks  # the inflected form, found by its stem
    assert any(hit["label"].endswith("В.Путин") for hit in session["hits"])  # the speaker
    page.click(f".search-hit a[href='{hits[-1]}']")
    page.wait_for_function(f"location.hash === '#{hits[-1].split('#')[1]}'")
    assert "безопасн" in page.eval_on_selector(":target", "el => el.textContent").lower()
    tab.close()


def test_an_english_word_searched_from_a_russian_page_is_stemmed_as_english(
        browser: Any, site: str) -> None:
    tab = Tab(browser, site + "html/kremlin-64534.html")
    tab.page.fill("form.search-box input[name=q]", "negotiator")
    tab.page.keyboard.press("Enter")
    results = tab.results()
    assert [result["page"] for result in results] == ["html/kremlin-en-73411.html"]
    hits = paragraph_hits(results[0])
    assert hits and all(href.startswith("html/kremlin-en-73411.html#p") for href in hits)
    marks = [mark.lower() for hit in results[0]["hits"] for mark in hit["marks"]]
    assert marks and all(mark.startswith("negotiat") for mark in marks)
    assert "negotiator" not in marks  # found by its stem: the text has negotiations, negotiate
    tab.close()


def test_a_speaker_filter_narrows_the_results_and_is_kept_in_the_address(
        browser: Any, site: str) -> None:
    tab = Tab(browser, site + "search.html?q=безопасность")
    tab.page.wait_for_function("document.querySelectorAll('.search-result').length === 2")
    assert len(tab.results()) == 2
    tab.page.wait_for_selector("#search-filters label:has-text('Никол Пашинян')")  # drawn last
    box = tab.page.get_by_role("checkbox", name=re.compile("Никол Пашинян"))
    assert re.search(r"\(1\)$", tab.page.eval_on_selector(
        "#search-filters label:has-text('Никол Пашинян')", "el => el.textContent"))
    box.focus()
    tab.page.keyboard.press("Space")
    tab.page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    assert [result["page"] for result in tab.results()] == ["html/kremlin-64534.html"]
    tab.page.wait_for_url(re.compile("speaker="))
    assert "speaker=" in tab.page.url
    tab.close()


def test_results_sort_by_date_both_ways(browser: Any, site: str) -> None:
    for order, expected in (("date-desc", ["html/kremlin-73411.html", "html/kremlin-64534.html"]),
                            ("date-asc", ["html/kremlin-64534.html", "html/kremlin-73411.html"])):
        tab = Tab(browser, site + f"search.html?q=безопасность&sort={order}")
        assert [result["page"] for result in tab.results()] == expected
        tab.close()


def test_a_query_with_no_hits_says_so(browser: Any, site: str) -> None:
    tab = Tab(browser, site + "search.html?q=зюзюквакря")
    assert tab.results() == []
    assert tab.page.text_content("#search-status") == "Nothing found for “зюзюквакря”."
    tab.close()


def test_the_results_page_works_on_a_phone(browser: Any, site: str) -> None:
    tab = Tab(browser, site + "search.html?q=безопасность", "phone")
    assert len(tab.results()) == 2
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / "search-phone.png"), full_page=True)
    assert width <= VIEWPORTS["phone"]["width"]
    tab.close()


def test_opened_from_disk_the_search_says_how_to_serve_the_edition(
        browser: Any, edition: Path) -> None:
    tab = Tab(browser, (edition / "search.html").as_uri() + "?q=безопасность")
    note = tab.page.locator("#search-offline")
    assert note.is_visible() and "python3 -m http.server -d build" in note.text_content()
    document = Tab(browser, (edition / "html" / "kremlin-64534.html").as_uri())
    hint = document.page.locator("form.search-box .search-offline")
    assert not hint.is_visible()
    document.page.keyboard.press("/")
    assert hint.is_visible() and "http.server" in hint.text_content()
    document.page.keyboard.type("безопасность")
    document.page.keyboard.press("Enter")
    assert document.page.url.endswith("kremlin-64534.html")  # stays, and says why
    for opened in (tab, document):
        assert all(url.startswith("file://") for url in opened.requests), opened.requests
        opened.close()


def facet_counts(tab: Tab) -> dict[str, int]:
    """Each filter value shown, with its count: ``{"2015": 8, ...}``."""
    tab.page.wait_for_selector("#search-filters .search-count")
    labels = tab.page.eval_on_selector_all("#search-filters label", "ls => ls.map(l => l.textContent)")
    return {m.group(1): int(m.group(2)) for m in
            (re.fullmatch(r"\s*(.*?) \((\d+)\)", label) for label in labels) if m}


def answers(browser: Any, address: str, query: str, order: str = "date-asc") -> dict[str, Any]:
    """What the search page shows for ``query`` in date order: the results (pages, hits and
    their marked words) and the filter counts."""
    tab = Tab(browser, address + f"search.html?q={query}&sort={order}")
    found = {"results": tab.results(), "counts": facet_counts(tab) if tab.results() else {},
             "status": tab.page.text_content("#search-status")}
    tab.close()
    return found


def test_after_a_rebuild_with_one_changed_document_the_search_answers_as_after_a_cold_build(
        browser: Any, tmp_path: Path) -> None:
    from build_support import bench_module, write_change

    src, out, cold = tmp_path / "src", tmp_path / "out", tmp_path / "cold"
    paths = bench_module().make_corpus(8, src, "64534")  # eight transcripts of 2015
    write_change(paths[3], None, "Квакозябра.")  # a word only the old version has
    assert build([src], out).ok
    write_change(paths[3], "Квакозябра.", "Зюзюкварк.")  # the new version: another word
    assert build([src], out).ok
    assert (out / "search" / "2015-ru-delta").is_dir()  # the changed page, in a delta
    assert build([src], cold).ok
    assert not (cold / "search" / "2015-ru-delta").exists()
    changed = "html/kremlin-100003.html"
    with served(out.resolve()) as incremental, served(cold.resolve()) as fresh:
        new = answers(browser, incremental, "зюзюкварк")
        assert [result["page"] for result in new["results"]] == [changed]
        assert [m for hit in new["results"][0]["hits"] for m in hit["marks"]] == ["Зюзюкварк"]
        assert new["counts"]["2015"] == 1 and new["counts"]["Русский"] == 1
        old = answers(browser, incremental, "квакозябра")
        assert old["results"] == [] and "«квакозябра»" in old["status"]
        # (a cold build finds every page for it, by the prefix "к": see tei/corpus/delta.py)
        other = "дудувелукашенко"  # a speaker of another document only
        assert [r["page"] for r in answers(browser, incremental, other)["results"]] == [
            "html/kremlin-100007.html"]
        for query, order in (("зюзюкварк", "date-asc"), ("безопасность", "date-asc"),
                             ("безопасность", "date-desc"), (other, "date-asc"),
                             ("вквакозябра", "date-asc")):  # (found by the prefix "в")
            assert answers(browser, incremental, query, order) == answers(
                browser, fresh, query, order), (query, order)
        common = answers(browser, incremental, "безопасность")
        assert len(common["results"]) == 8 and common["counts"]["2015"] == 8  # not 9
        speaker = Tab(browser, incremental + "search.html?q=безопасность")
        counts = facet_counts(speaker)
        assert counts["Владимир Путин"] == 8 and list(counts.values()).count(1) >= 8
        speaker.close()


def test_after_rebuilds_that_fill_deltas_of_two_sizes_the_search_answers_as_after_a_cold_build(
        browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A year's first delta full (two pages here instead of 16), its pages moved into a second
    with the third change, then a page of that second changed again: its newest version is
    found, once, in the first delta, its old one in neither, every count as a cold build's."""
    import tei.corpus.delta
    from build_support import bench_module, write_change

    monkeypatch.setattr(tei.corpus.delta, "DELTA_PAGES", 2)
    monkeypatch.setattr(tei.corpus.delta, "LEVEL_GROWTH", 2)
    src, out, cold = tmp_path / "src", tmp_path / "out", tmp_path / "cold"
    paths = bench_module().make_corpus(16, src, "64534")  # sixteen transcripts of 2015
    assert build([src], out).ok
    for number, word in ((3, "Зюзюкварк."), (5, "Бармаглот."), (6, "Бармаглот.")):
        write_change(paths[number], None, word)
        assert build([src], out).ok
    write_change(paths[5], "Бармаглот.", "Брандашмыг.")  # a page of the second delta, again
    assert build([src], out).ok
    search = out.resolve() / "search"
    assert (search / "2015-ru-delta").is_dir() and (search / "2015-ru-delta2").is_dir()
    assert build([src], cold).ok
    page = "html/kremlin-{:06d}.html".format
    with served(out.resolve()) as incremental, served(cold.resolve()) as fresh:
        newest = answers(browser, incremental, "брандашмыг")
        assert [result["page"] for result in newest["results"]] == [page(100005)]
        assert newest["counts"]["2015"] == 1
        older = answers(browser, incremental, "бармаглот")  # its old version had it too
        assert [result["page"] for result in older["results"]] == [page(100006)]
        assert older["counts"]["2015"] == 1
        common = answers(browser, incremental, "безопасность")
        assert common["counts"]["2015"] == 16  # not 19 (the first ten shown)
        for query, order in (("брандашмыг", "date-asc"), ("бармаглот", "date-asc"),
                             ("зюзюкварк", "date-desc"), ("безопасность", "date-asc"),
                             ("безопасность", "date-desc")):
            assert answers(browser, incremental, query, order) == answers(
                browser, fresh, query, order), (query, order)
