"""The HTML edition in a real browser: Debian's chromium, headless, offline, from the file system.

Skipped only where chromium is missing and TEI_EDITION_REQUIRE_BROWSER is not set (CI sets it,
so there the test must run). Screenshots land in screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from render_support import sample_bytes
from tei.pipeline import render_file

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[2] / "screenshots"
"""Where the browser tests leave their screenshots (not in build/: a folder of files the build
did not write is no edition, and `tei-edition build` would refuse it)."""
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("TEI_EDITION_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (CI sets TEI_EDITION_REQUIRE_BROWSER)")


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("browser")
    source = folder / "kremlin-64534.xml"
    source.write_bytes(sample_bytes())
    html, _ = render_file(source, folder / "out")
    return html.resolve().as_uri()


@pytest.fixture(scope="module")
def browser() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """An open page and what it did: console and page errors, every URL it requested."""

    page: Any
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def visit(browser: Any, url: str, viewport: str) -> Visit:
    """Open ``url`` in a fresh context of the given size, recording errors and requests."""
    page = browser.new_context(viewport=VIEWPORTS[viewport]).new_page()
    seen = Visit(page)
    page.on("console", lambda m: seen.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: seen.problems.append(str(error)))
    page.on("request", lambda request: seen.requests.append(request.url))
    page.goto(url)
    page.wait_for_load_state("load")
    return seen


def in_viewport(page: Any, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight && box.bottom > 0;
    }""")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_page_opens_offline_without_errors_and_follows_p12(browser: Any, page_url: str,
                                                           viewport: str) -> None:
    seen = visit(browser, page_url, viewport)
    page = seen.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"kremlin-64534-{viewport}.png"))
    assert seen.problems == []
    assert all(url.startswith("file://") for url in seen.requests), seen.requests
    assert page.evaluate("""Array.from(document.styleSheets).every(
        sheet => !sheet.href || sheet.href.startsWith('file:'))""")  # the file and the title's
    assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 1
    assert page.eval_on_selector(".pnum", "el => getComputedStyle(el).position") == "absolute"
    assert not in_viewport(page, "#p12")

    page.goto(page_url + "#p12")
    page.wait_for_function("location.hash === '#p12'")
    assert in_viewport(page, "#p12")
    assert page.eval_on_selector("#p12 .pnum", "el => el.textContent") == "12"
    page.screenshot(path=str(SCREENSHOTS / f"kremlin-64534-{viewport}-p12.png"))
    assert seen.problems == []
    page.context.close()


def test_one_click_on_a_number_gives_the_paragraph_link(browser: Any, page_url: str) -> None:
    seen = visit(browser, page_url, "desktop")
    page = seen.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#p13 .pnum")
    page.wait_for_function("location.hash === '#p13'")
    assert in_viewport(page, "#p13")
    page.wait_for_function("document.getElementById('status').textContent !== ''")
    assert page.text_content("#status") == "Ссылка на абзац скопирована"
    assert page.evaluate("navigator.clipboard.readText()") == page_url + "#p13"
    page.click("button.copy")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.startsWith('Сессия'))")
    assert seen.problems == []
    page.context.close()


def test_phone_layout_has_no_horizontal_scrolling(browser: Any, page_url: str) -> None:
    seen = visit(browser, page_url, "phone")
    page = seen.page
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    page.goto(page_url + "#persons")
    page.screenshot(path=str(SCREENSHOTS / "kremlin-64534-phone-persons.png"))
    assert seen.problems == []
    page.context.close()


# -- the edition as readers meet it (issue 16): phone, paper, citation, other corpora ----------

DATA = Path(__file__).parents[1] / "data"
EXAMPLES = Path(__file__).parents[2] / "examples"
BASE = "https://example.org/kremlin/"


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A built edition (the examples and the en.kremlin.ru pages, with --base-url), a play
    and a ParlaMint sitting rendered with its persons: each page a reader meets, by name."""
    from tei.corpus import BuildOptions, build
    from tei.outputs import formats
    from tei.pipeline import render_paths
    from tei.render import RenderOptions

    folder = tmp_path_factory.mktemp("edition")
    pages = folder / "en-pages"
    pages.mkdir()
    for saved in (DATA / "kremlin-en").glob("*.html"):  # 57137 is in examples/ too
        if saved.name != "57137.html":
            shutil.copy(saved, pages)
    out = folder / "build"
    report = build([EXAMPLES, pages], out,
                   BuildOptions(authority=EXAMPLES / "authority.csv", base_url=BASE))
    assert report.ok, report.failures
    persons = (DATA / "parlamint-persons" / "ParlaMint-GB-listPerson.xml",
               DATA / "parlamint-persons" / "ParlaMint-GB-listOrg.xml")
    other = render_paths([DATA / "dracor" / "pushkin-mocart-i-saleri.xml",
                          DATA / "parlamint" / "ParlaMint-GB_2022-07-21-commons.xml"],
                         folder / "other", formats("html"), RenderOptions(persons=persons))
    assert not other.errors, other.errors
    return {"index": out / "index.html", "transcript": out / "html" / "kremlin-64534.html",
            "register": out / "persons.html",
            "play": folder / "other" / "html" / "rus000020.html",
            "sitting": folder / "other" / "html" / "ParlaMint-GB_2022-07-21-commons.html"}


READER_PAGES = ("index", "transcript", "register", "play", "sitting")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("name", READER_PAGES)
def test_every_page_fits_its_screen_and_is_photographed(browser: Any, edition: dict[str, Path],
                                                        name: str, viewport: str) -> None:
    seen = visit(browser, edition[name].resolve().as_uri(), viewport)
    page = seen.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    if page.query_selector(".turn") is not None:  # and the text: speakers, lines, numbers
        page.eval_on_selector(".turn", "el => el.scrollIntoView()")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}-turns.png"))
    assert seen.problems == []
    assert all(url.startswith("file://") for url in seen.requests), seen.requests
    page.context.close()


def test_on_a_phone_the_index_is_cards_whose_titles_wrap_like_text(
        browser: Any, edition: dict[str, Path]) -> None:
    page = visit(browser, edition["index"].resolve().as_uri(), "phone").page
    rows = page.evaluate("""Array.from(document.querySelectorAll('table.corpus-index tbody tr'))
        .map(row => {
            const box = cell => row.querySelector(cell).getBoundingClientRect();
            const title = row.querySelector('td.title a');
            const lines = Math.round(title.getBoundingClientRect().height /
                                     parseFloat(getComputedStyle(title).lineHeight));
            return {title: box('td.title').width, row: row.getBoundingClientRect().width,
                    lines: lines, words: title.textContent.split(' ').length,
                    numbers: Array.from(row.querySelectorAll('td.number'))
                        .map(td => Math.round(td.getBoundingClientRect().right))};
        })""")
    assert len(rows) == 11
    for row in rows:
        assert row["title"] == row["row"]  # the title has the card's whole width
        assert row["lines"] * 2 <= max(2, row["words"])  # two words a line or more, as text
    assert len({tuple(row["numbers"]) for row in rows}) == 1  # figures in aligned columns
    page.context.close()


def test_the_way_back_to_the_index_stands_in_the_text_column(browser: Any,
                                                           edition: dict[str, Path]) -> None:
    for viewport in sorted(VIEWPORTS):
        page = visit(browser, edition["transcript"].resolve().as_uri(), viewport).page
        back = page.eval_on_selector(".edition-nav a", "el => el.getBoundingClientRect().left")
        title = page.eval_on_selector("h1", "el => el.getBoundingClientRect().left")
        assert back == title
        page.context.close()


@pytest.mark.parametrize("name", ["transcript", "index", "play"])
def test_print_hides_navigation_buttons_and_hints(browser: Any, edition: dict[str, Path],
                                                  name: str) -> None:
    page = visit(browser, edition[name].resolve().as_uri(), "desktop").page
    selectors = "nav, .edition-nav, .toc, button.copy, .hint, .sort-hint, .skip"
    shown = lambda: page.evaluate(f"""Array.from(document.querySelectorAll('{selectors}'))
        .filter(el => getComputedStyle(el).display !== 'none').length""")
    assert shown() > 0
    page.emulate_media(media="print")
    assert shown() == 0
    page.screenshot(path=str(SCREENSHOTS / f"{name}-print.png"), full_page=False)
    page.pdf(path=str(SCREENSHOTS / f"{name}.pdf"))  # running title and page numbers: look
    if name == "index":  # the column headings stay (they are sort buttons on screen)
        assert page.evaluate("""Array.from(document.querySelectorAll('thead th'))
            .every(th => th.innerText.trim() !== '')""")
    if name == "transcript":
        number = page.eval_on_selector("#p12 .pnum", "el => el.getBoundingClientRect().right")
        text = page.eval_on_selector("#p12", "el => el.getBoundingClientRect().left")
        assert number < text  # paragraph numbers stay in the margin
        sources = page.evaluate("""Array.from(document.querySelectorAll('a'))
            .filter(a => getComputedStyle(a, '::after').content.includes('http'))
            .map(a => a.getAttribute('href'))""")
        assert "https://creativecommons.org/licenses/by/4.0/" in sources
        assert not any(href.startswith("#") for href in sources)  # mentions print no address
    page.context.close()


def test_copying_gives_the_editions_addresses_and_todays_access_date(
        browser: Any, edition: dict[str, Path]) -> None:
    seen = visit(browser, edition["transcript"].resolve().as_uri(), "desktop")
    page = seen.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#p13 .pnum")
    page.wait_for_function("document.getElementById('status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == f"{BASE}html/kremlin-64534.html#p13"
    shown = page.text_content("#citation")
    page.click("button.copy")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.includes('обращения'))")
    copied = page.evaluate("navigator.clipboard.readText()")
    today = page.evaluate("""new Date().toLocaleDateString('ru-RU',
        {day: 'numeric', month: 'long', year: 'numeric'})""")
    url = f"{BASE}html/kremlin-64534.html"
    assert copied == shown.replace(url, f"{url} (дата обращения: {today})")
    assert re.fullmatch(r"\d{1,2} [а-я]+ \d{4} г\.", today)
    assert page.text_content("#citation") == shown  # the page itself does not change
    assert seen.problems == []
    page.context.close()
