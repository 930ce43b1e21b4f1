"""The edition's own files through the server: served as they are, and nothing outside the build.

Also the pages' link to the API (only in an edition made by ``build``), the
README's ``curl`` examples, and a rebuild while serving.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from tei.corpus import BuildOptions, build
from tei.pipeline import render_file

ROOT = Path(__file__).resolve().parents[2]
DOC = "kremlin-64534"


@pytest.mark.parametrize("path, media", [
    ("/", "text/html; charset=utf-8"),
    ("/index.html", "text/html; charset=utf-8"),
    (f"/html/{DOC}.html", "text/html; charset=utf-8"),
    (f"/tei/{DOC}.xml", "application/tei+xml"),
    (f"/text/{DOC}.txt", "text/plain; charset=utf-8"),
    ("/turns.tsv", "text/tab-separated-values; charset=utf-8"),
    ("/corpus.xml", "application/tei+xml"),
    ("/html/static/edition.css", "text/css; charset=utf-8"),
])
def test_the_files_of_the_build_are_served_as_they_are(client: Any, edition: Path, path: str,
                                                       media: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    file = edition / (path.lstrip("/") or "index.html")
    assert response.content == file.read_bytes()
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(file.stat().st_size)


@pytest.fixture(scope="module")
def links_out(edition: Path) -> Path:
    """Symbolic links inside the build that lead out of it (a file and a folder)."""
    outside = edition.parent / "secret"
    outside.mkdir(exist_ok=True)
    (outside / "key.txt").write_text("secret", encoding="utf-8")
    for name, target in (("leak.txt", outside / "key.txt"), ("leak", outside)):
        link = edition / "html" / name
        if not link.is_symlink():
            link.symlink_to(target)
    return outside


ESCAPES = [
    "/../secret/key.txt", "/%2e%2e/secret/key.txt", "/html/..%2f..%2fsecret/key.txt",
    "/html/%2e%2e/%2e%2e/secret/key.txt", "/html/leak.txt", "/html/leak/key.txt",
    "/.tei-edition/manifest.json", "/.tei-edition/dts.sqlite", "/tei/.hidden",
    "/tei/%00.xml", f"/tei/{DOC}.xml%00.txt", "/%ff%fe", "/html\\..\\..\\secret\\key.txt",
    "/" + "a" * 300, "/" + "a/" * 3000, "//etc/passwd", "/etc/passwd", "/api/dts/nonesuch",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_nothing_outside_the_build_is_served(client: Any, links_out: Path, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, path
    assert response.json()["statusCode"] == 404
    assert b"secret" not in response.content


def test_the_pages_link_to_their_navigation_only_in_an_edition(client: Any, edition: Path,
                                                               tmp_path: Path) -> None:
    page = (edition / "html" / f"{DOC}.html").read_text(encoding="utf-8")
    link, = re.findall(r'href="([^"]*api/dts/navigation[^"]*)"', page)
    assert link == f"../api/dts/navigation?resource={DOC}&amp;down=1"
    assert f"<code>{DOC}</code>" in page
    response = client.get(urljoin(f"/html/{DOC}.html", link.replace("&amp;", "&")))
    assert response.status_code == 200 and response.json()["@type"] == "Navigation"
    alone = render_file(edition / "tei" / f"{DOC}.xml", tmp_path, ["html"])
    assert "api/dts" not in alone[0].read_text(encoding="utf-8")


def test_the_readme_curl_examples_work_on_the_bundled_examples(client: Any) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Machine access"):]
    section = section[:section.index("\n## ", 3)]
    urls = re.findall(r"curl -s '(http://127\.0\.0\.1:8000[^']*)'", section)
    assert len(urls) >= 5
    for url in urls:
        response = client.get(url.removeprefix("http://127.0.0.1:8000"))
        assert response.status_code == 200, (url, response.text)


def test_a_rebuild_while_serving_is_served_from_the_next_request(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from tei.serve.app import create_app

    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(ROOT / "examples" / "64534.txt", sources)
    out = tmp_path / "build"
    assert build([sources], out, BuildOptions(jobs=1)).ok
    client = TestClient(create_app(out))
    first = client.get("/api/dts/collection").json()
    assert [m["@id"] for m in first["member"] if m["@type"] == "Resource"] == [DOC]
    shutil.copy(ROOT / "examples" / "57137.html", sources)
    assert build([sources], out, BuildOptions(jobs=1)).published
    second = client.get("/api/dts/collection").json()
    assert {m["@id"] for m in second["member"] if m["@type"] == "Resource"} == {
        DOC, "kremlin-en-57137"}
    assert client.get("/tei/kremlin-en-57137.xml").status_code == 200
