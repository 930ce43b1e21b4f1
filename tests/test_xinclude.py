"""XInclude resolved safely: files under the including source's folder only, never the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import tei.xmlio
from tei.xinclude import resolve
from tei.xmlio import parse_file

XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def including(folder: Path, *hrefs: str, extra: str = "") -> Path:
    """A document under ``folder`` that includes each of ``hrefs``, one per line."""
    includes = "\n".join(f'<xi:include href="{href}"/>' for href in hrefs)
    return write(folder / "main.xml", f"<root {XI}>\n{includes}{extra}\n</root>\n")


def test_a_relative_file_under_the_folder_is_included_with_its_own_lines(tmp_path: Path) -> None:
    write(tmp_path / "parts" / "persons.xml", "<list>\n  <person id='a'/>\n</list>")
    main = including(tmp_path, "parts/persons.xml")
    tree = parse_file(main)
    resolution = resolve(tree, main)
    assert resolution.problems == []
    [inclusion] = resolution.inclusions
    assert inclusion.path == tmp_path / "parts" / "persons.xml"
    assert tree.getroot()[0] is inclusion.element and inclusion.element.tag == "list"
    assert inclusion.element[0].sourceline == 2  # the included file's line, for messages


def test_includes_nest_relative_to_the_file_that_holds_them(tmp_path: Path) -> None:
    write(tmp_path / "a" / "b.xml", f'<b {XI}><xi:include href="c.xml"/></b>')
    write(tmp_path / "a" / "c.xml", "<c>deep</c>")
    main = including(tmp_path, "a/b.xml")
    tree = parse_file(main)
    assert resolve(tree, main).problems == []
    assert tree.getroot().findtext("b/c") == "deep"


@pytest.mark.parametrize("href", [
    "../secret.xml",                   # out of the folder
    "/etc/hostname",                   # an absolute path
    "file:///etc/hostname",            # a scheme
    "http://127.0.0.1:9/persons.xml",  # the network
    "%2E%2E/secret.xml",               # out of the folder, percent-encoded
    "link/secret.xml",                 # a symbolic link out of the folder
])
def test_anything_outside_the_folder_is_refused_and_never_read(tmp_path: Path, href: str) -> None:
    folder = tmp_path / "source"
    write(tmp_path / "secret.xml", "<secret>do not read</secret>")
    folder.mkdir()
    os.symlink(tmp_path, folder / "link")
    main = including(folder, href)
    tree = parse_file(main)
    resolution = resolve(tree, main)
    [problem] = resolution.problems
    assert problem.rule == "safety" and problem.path == str(main) and problem.line == 2
    assert "refused" in problem.message and resolution.inclusions == []
    assert b"do not read" not in tei.xmlio.to_bytes(tree) and len(tree.getroot()) == 0


def test_a_missing_file_is_a_problem_unless_a_fallback_stands_in(tmp_path: Path) -> None:
    main = write(tmp_path / "main.xml",
                 f'<root {XI}>before <xi:include href="gone.xml"/> after'
                 f'<xi:include href="gone.xml"><xi:fallback><none/></xi:fallback></xi:include>'
                 "</root>")
    tree = parse_file(main)
    resolution = resolve(tree, main)
    assert [(p.rule, p.line) for p in resolution.problems] == [("read", 1)]
    assert "cannot read" in resolution.problems[0].message
    root = tree.getroot()
    assert root.text == "before  after" and [child.tag for child in root] == ["none"]


def test_a_file_that_includes_itself_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "loop.xml", f'<loop {XI}><xi:include href="main.xml"/></loop>')
    main = including(tmp_path, "loop.xml")
    resolution = resolve(parse_file(main), main)
    assert [(p.rule, "includes itself" in p.message) for p in resolution.problems] == \
        [("safety", True)]


def test_text_is_included_as_text(tmp_path: Path) -> None:
    write(tmp_path / "note.txt", "plain & simple")
    main = write(tmp_path / "main.xml",
                 f'<root {XI}><p>A <xi:include href="note.txt" parse="text"/>.</p></root>')
    tree = parse_file(main)
    assert resolve(tree, main).problems == []
    assert tree.getroot().findtext("p") == "A plain & simple."


def test_included_files_are_parsed_as_safely_as_any_input(tmp_path: Path,
                                                          data_dir: Path) -> None:
    write(tmp_path / "xxe.xml", (data_dir / "unsafe" / "xxe.xml").read_text(encoding="utf-8"))
    main = including(tmp_path, "xxe.xml")
    [problem] = resolve(parse_file(main), main).problems
    assert problem.rule == "safety" and problem.path == str(tmp_path / "xxe.xml")
    assert "DOCTYPE" in problem.message


def test_included_files_together_stay_under_the_size_limit(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "part.xml", "<part>" + "x" * 400 + "</part>")
    main = including(tmp_path, "part.xml", "part.xml", "part.xml")
    monkeypatch.setattr("tei.xinclude.MAX_BYTES", 1000)
    resolution = resolve(parse_file(main), main)
    assert len(resolution.inclusions) == 2
    assert [p.rule for p in resolution.problems] == ["safety"]
    assert "larger than" in resolution.problems[0].message


def test_standard_input_includes_nothing(tmp_path: Path) -> None:
    tree = tei.xmlio.parse_bytes(f'<root {XI}><xi:include href="a.xml"/></root>'.encode())
    [problem] = resolve(tree, None).problems
    assert problem.rule == "safety" and problem.path == "<stdin>"
