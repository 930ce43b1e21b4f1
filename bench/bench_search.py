"""Benchmark the search index: index time and size per 1,000 documents, time to first result.

Builds a corpus of N sample-sized transcripts (``make_corpus.py``) as a real
command (``python -m tei build SRC -o OUT``), then:

* indexes its pages afresh in a subprocess (the search output alone, every
  bundle from scratch): seconds and megabytes per 1,000 documents, and the
  largest Pagefind process;
* rebuilds it unchanged, and after one transcript changed: the seconds, and
  how many of the bundles were indexed again or rewritten;
* the search part of a one-file rebuild alone (the page changed once more):
  its seconds and the pages it indexed, beside one Pagefind run on that page
  alone and one on a delta at its limit (16 pages), measured in the same run;
* serves the edition on a loopback port and opens ``search.html?q=...`` in
  Debian's chromium (a fresh profile each time, so nothing is cached): the
  time until the first result is shown, for a Russian and an English word,
  then a second query in the same page;
* times the way not taken: a custom record per paragraph through Pagefind's
  Python API (a few dozen of the corpus's paragraphs), and what that would
  cost for every paragraph of the corpus.

Figures are printed beside references measured in the same run: the pure-Python
reference loop of ``bench_build.py`` (how fast the machine is right now) and,
in the browser, the time to open the corpus's ``index.html``.

    python bench/bench_search.py 2000
    python bench/bench_search.py 2000 --no-index-alone --no-browser   # the rebuilds only
    python bench/bench_search.py 500 --sample 64534 --workdir /tmp/bench-search
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from bench_build import reference_loop, run_build  # noqa: E402
from make_corpus import make_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
QUERIES = ("безопасность", "negotiator")
"""A Russian word found in its inflected forms, an English one found by its stem."""


def index_alone(out: Path) -> dict[str, float]:
    """Index the pages of the build at ``out`` afresh, in this process; seconds and the
    largest Pagefind process (kB)."""
    from tei.corpus.layout import INDEX
    from tei.corpus.pages import PageSettings, write_output
    from tei.corpus.search import SEARCH

    fresh = Path(tempfile.mkdtemp(prefix="index-", dir=out.parent))
    shutil.copytree(out / "html", fresh / "html", copy_function=os.link)
    started = time.perf_counter()
    hashes = write_output(fresh, out / INDEX, PageSettings(), SEARCH)
    seconds = time.perf_counter() - started
    size = sum((fresh / path).stat().st_size for path in hashes if path.startswith("search/"))
    shutil.rmtree(fresh)
    return {"seconds": seconds, "bytes": size, "files": len(hashes),
            "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


PARAGRAPH = re.compile(r'<p class="para[^"]*" id="(p[^"]+)">(.*?)</p>', re.S)


def records_per_paragraph(out: Path, count: int = 40) -> tuple[float, int]:
    """Seconds per custom record (one per paragraph) added through Pagefind's Python API,
    measured on ``count`` paragraphs of the corpus; and how many paragraphs it has."""
    import asyncio

    from pagefind.index import IndexConfig, PagefindIndex

    pages = sorted((out / "html").glob("*.html"))
    paragraphs = [(page.name, match.group(1), re.sub(r"<[^>]+>", "", match.group(2)))
                  for page in pages[:3] for match in PARAGRAPH.finditer(page.read_text())][:count]
    total = sum(len(PARAGRAPH.findall(page.read_text())) for page in pages)

    async def add() -> float:
        folder = tempfile.mkdtemp(prefix="records-", dir=out.parent)
        async with PagefindIndex(IndexConfig(output_path=folder)) as index:
            started = time.perf_counter()
            await asyncio.gather(*(index.add_custom_record(
                url=f"/html/{name}#{anchor}", content=text, language="ru",
                meta={"title": name}) for name, anchor, text in paragraphs))
            seconds = time.perf_counter() - started
        shutil.rmtree(folder, ignore_errors=True)
        return seconds

    return asyncio.run(add()) / len(paragraphs), total


def search_rebuild(out: Path, page: str) -> dict[str, Any]:
    """The search output alone, as a rebuild runs it after ``page`` changed (a word added):
    seconds and pages indexed; beside it, in this process, one Pagefind run on that page
    alone and one on a first delta at its size (:data:`tei.corpus.delta.DELTA_PAGES` pages)."""
    from tei.corpus.delta import DELTA_PAGES
    from tei.corpus.layout import INDEX
    from tei.corpus.pages import PageSettings, write_output
    from tei.corpus.search import SEARCH, Pagefind, Shard, index_shard

    current = out.resolve()
    fresh = Path(tempfile.mkdtemp(prefix="rebuild-", dir=out.parent))
    shutil.copytree(current / "html", fresh / "html", copy_function=os.link)
    text = (current / page).read_text(encoding="utf-8")
    (fresh / page).unlink()
    (fresh / page).write_text(text.replace('<p class="para', '<p class="para">Квакозябра</p>'
                                           '<p class="para', 1), encoding="utf-8")
    indexed: list[int] = []
    run = Pagefind.index

    def counted(self: Pagefind, site: Path, bundle: Path, lang: str) -> None:
        indexed.append(sum(1 for _ in site.rglob("*.html")) - 1)  # less its base's words
        run(self, site, bundle, lang)

    Pagefind.index = counted  # type: ignore[method-assign, assignment]
    started = time.perf_counter()
    write_output(fresh, current / INDEX, PageSettings(previous=current), SEARCH)
    seconds = time.perf_counter() - started
    Pagefind.index = run  # type: ignore[method-assign]
    pagefind = Pagefind.find()
    pages = sorted(p.relative_to(fresh).as_posix() for p in (fresh / "html").glob("*.html"))
    timed = {}
    for name, chosen in (("one", [page]), ("limit", pages[:DELTA_PAGES])):
        started = time.perf_counter()
        index_shard(pagefind, fresh, Shard("ru", f"bench-{name}", tuple(chosen), level=1))
        timed[name] = time.perf_counter() - started
    shutil.rmtree(fresh)
    return {"seconds": seconds, "indexed": indexed, "one_page": timed["one"],
            "limit": timed["limit"], "limit_pages": DELTA_PAGES}


def changed_page(out: Path) -> str:
    """The page of the document the one-file rebuild changed: the one its search delta holds."""
    record = json.loads((out / "search" / "shards.json").read_bytes())["shards"]
    pages = [page for shard in record.values() for delta in shard.get("deltas", [])
             for page in delta["pages"]]
    if not pages:
        raise SystemExit("the one-file rebuild made no search delta")
    return str(pages[0])


def index_from_scratch(out: Path, cold: float, per: float, reference: float) -> None:
    """Index the pages of the build at ``out`` afresh in a subprocess; say how long and how big."""
    done = subprocess.run([sys.executable, __file__, "--index-only", str(out)], check=True,
                          capture_output=True, text=True, env={**os.environ,
                                                               "PYTHONPATH": str(ROOT)})
    alone = json.loads(done.stdout)
    bundles = bundle_inodes(out)
    print(f"index alone ({len(bundles)} bundles, from scratch): {alone['seconds']:.1f} s = "
          f"{alone['seconds'] * per:.1f} s per 1,000 documents "
          f"({alone['seconds'] * per / reference:.1f} reference loops; "
          f"{alone['seconds'] / cold:.0%} of the cold build)")
    print(f"index size: {alone['bytes'] / 1e6:.1f} MB in {alone['files']} files = "
          f"{alone['bytes'] * per / 1e6:.1f} MB per 1,000 documents; largest Pagefind process "
          f"{alone['peak_kb'] / 1024:.0f} MB")



def bundle_inodes(out: Path) -> dict[str, set[int]]:
    """The inodes of each bundle's files: a bundle carried over keeps them."""
    found: dict[str, set[int]] = {}
    for path in (out.resolve() / "search").rglob("*"):
        if path.is_file() and len(path.relative_to(out.resolve() / "search").parts) > 1:
            found.setdefault(path.relative_to(out.resolve() / "search").parts[0],
                             set()).add(path.stat().st_ino)
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A file server that prints no line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing."""


def browser_times(out: Path) -> list[tuple[str, float, float, int]]:
    """Seconds to open ``index.html``, then to the first result of each query (a fresh
    profile), and of a second query typed in the same page; with the bytes fetched."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(out.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context()
            page = context.new_page()
            started = time.perf_counter()
            page.goto(site + "index.html", wait_until="load")
            rows.append(("open index.html (reference)", time.perf_counter() - started, 0.0, 0))
            context.close()
            for query in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                fetched: list[int] = []
                page.on("response", lambda r: fetched.append(int(r.headers.get("content-length", 0))))
                started = time.perf_counter()
                page.goto(site + f"search.html?q={query}")
                page.wait_for_selector(".search-result", timeout=120_000)
                first = time.perf_counter() - started
                page.fill("#search-form input[name=q]", "россия")
                started = time.perf_counter()
                page.keyboard.press("Enter")
                page.wait_for_function("document.querySelector('#search-results[aria-busy=false] "
                                       ".search-result') !== null", timeout=120_000)
                rows.append((query, first, time.perf_counter() - started, sum(fetched)))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def measure(args: argparse.Namespace, workdir: Path) -> None:
    """Make the corpus, build it, index it alone, rebuild it twice, search it."""
    src, out = workdir / "src", workdir / "out"
    paths = make_corpus(args.n, src, args.sample)
    os.sync()
    reference = reference_loop()
    per = 1000 / args.n
    print(f"corpus: {args.n} transcripts ({args.sample}), "
          f"{sum(p.stat().st_size for p in paths) / 1e6:.1f} MB, {os.cpu_count()} cores; "
          f"machine speed now: {reference:.2f} s for the reference loop")

    cold = run_build(src, out, args.jobs)
    print(f"cold build with search:  {cold.seconds:7.1f} s   [{cold.output}]")
    if not args.no_index_alone:
        index_from_scratch(out, cold.seconds, per, reference)
    bundles = bundle_inodes(out)

    unchanged = run_build(src, out, args.jobs)
    print(f"unchanged rebuild:       {unchanged.seconds:7.1f} s   [{unchanged.output}]")
    changed = paths[len(paths) // 2]
    text = changed.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)
    changed.write_text(f"{text[0]}\nВ.Путин: Спасибо.\n\n{text[1]}\n", encoding="utf-8")
    one = run_build(src, out, args.jobs)
    after = bundle_inodes(out)
    again = sorted(name for name in after if after[name] != bundles.get(name))
    print(f"one file changed:        {one.seconds:7.1f} s   [{one.output}]; bundles indexed "
          f"or rewritten: {len(again)} of {len(after)} ({', '.join(again)})")

    page = changed_page(out)
    done = subprocess.run([sys.executable, __file__, "--search-rebuild", str(out), page],
                          check=True, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    delta = json.loads(done.stdout)
    print(f"search part of a one-file rebuild (the search output alone, {page} changed "
          f"again): {delta['seconds']:.2f} s, pages indexed: {delta['indexed']} (besides "
          f"its base's words) = {delta['seconds'] / delta['one_page']:.1f} x one Pagefind "
          f"run on that page alone ({delta['one_page']:.2f} s, same run); a delta at its "
          f"limit ({delta['limit_pages']} pages) indexed: {delta['limit']:.2f} s")

    per_record, paragraphs = records_per_paragraph(out)
    print(f"custom records instead (the Python API, one per paragraph): {per_record:.2f} s per "
          f"record = {per_record * paragraphs / 3600:.1f} h for the {paragraphs} paragraphs "
          f"of this corpus")

    if args.no_browser or not Path(CHROMIUM).exists():
        print("browser: skipped")
        return
    rows = browser_times(out)
    reference_page = rows[0][1]
    print(f"browser: {rows[0][0]}: {reference_page * 1000:.0f} ms")
    for query, first, second, fetched in rows[1:]:
        print(f"browser: first result for {query!r}: {first * 1000:.0f} ms "
              f"({first / reference_page:.1f} x index.html; {fetched / 1e6:.2f} MB fetched); "
              f"a second query in the page: {second * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", help="number of transcripts")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="a new folder for the corpus and the builds, kept afterwards "
                             "(default: a temporary folder, removed at the end)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--sample", default="all",
                        help="all (default: the three samples cycled, 66/165/98 KB) or one, "
                             "e.g. 64534 (every transcript the size of the CSTO sample)")
    parser.add_argument("--no-browser", action="store_true", help="leave out the browser")
    parser.add_argument("--no-index-alone", action="store_true",
                        help="leave out indexing the whole corpus afresh")
    parser.add_argument("--index-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--search-rebuild", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.index_only is not None:
        print(json.dumps(index_alone(args.index_only)))
        return
    if args.search_rebuild is not None:
        print(json.dumps(search_rebuild(Path(args.search_rebuild[0]), args.search_rebuild[1])))
        return
    if args.n is None:
        parser.error("the number of transcripts is required")
    if args.workdir is not None and args.workdir.exists():
        parser.error(f"--workdir {args.workdir} exists: name a new folder")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix=f"tei-bench-search-{args.n}-"))
    try:
        measure(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
