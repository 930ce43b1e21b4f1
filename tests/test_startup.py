"""A command loads only what it uses: the start of `tei-edition` stays cheap.

Each command runs in a fresh interpreter, which then names the heavy libraries it
imported; none of this is timed. (bench/bench_startup.py measures what the start costs.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("pymorphy3", "jinja2", "xmlschema", "starlette", "iuliia", "urllib.request",
         "tei.corpus.runner", "tei.corpus.layout", "tei.render", "tei.authority")
"""Libraries and modules that a command must import only when it uses them."""

COMMAND = """
import json, sys
from tei.command import main
try:
    main(sys.argv[1:])
except SystemExit as stop:
    assert not stop.code, stop.code
"""
"""``tei-edition ARGS``, as the program's entry point runs it."""
REPORT = f"import json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"


def python(code: str, *args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -c CODE ARGS`` in a fresh interpreter on this checkout (with ``cache`` as its
    user cache folder, if given); it must succeed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            cwd=ROOT, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result


def loaded(*args: str, cache: Path | None = None) -> set[str]:
    """The modules of :data:`HEAVY` that ``tei-edition ARGS`` imported (none: ``import
    tei.cli`` alone)."""
    code = (COMMAND if args else "import tei.cli\n") + REPORT
    return set(json.loads(python(code, *args, cache=cache).stdout.splitlines()[-1]))


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    assert loaded() == set()


def test_importing_the_command_line_leaves_the_collector_alone() -> None:
    """Only the program collects garbage rarely while it starts: a library or a notebook
    that imports :mod:`tei.cli` keeps Python's thresholds and its collection at exit."""
    code = ("import gc\nbefore = gc.get_threshold()\nimport tei.cli\n"
            "print(gc.get_threshold() == before)\n")
    assert python(code).stdout.splitlines()[-1] == "True"


def test_help_loads_no_heavy_library() -> None:
    assert loaded("--help") == set()


def test_an_english_page_is_encoded_without_morphology_or_renderers(
        tmp_path: Path, data_dir: Path) -> None:
    """No Russian name to decline: pymorphy3 and its dictionary are never loaded."""
    used = loaded("encode", str(data_dir / "kremlin-en" / "57137.html"), "-o", str(tmp_path))
    assert (tmp_path / "kremlin-en-57137.xml").is_file()
    assert used == {"iuliia"}  # IDs are romanised; nothing else heavy is needed


def test_a_russian_transcript_loads_morphology_once(tmp_path: Path, data_dir: Path) -> None:
    """Its lead's names are declined: with no answers remembered, the analyser is made, once
    for both inputs; the next run finds its answers in the cache and loads no pymorphy3."""
    counted = ("import pymorphy3\n"
               "made = []\n"
               "class Counted(pymorphy3.MorphAnalyzer):\n"
               "    def __init__(self, *args, **kwargs):\n"
               "        made.append(self)\n"
               "        super().__init__(*args, **kwargs)\n"
               "pymorphy3.MorphAnalyzer = Counted\n")
    sources = [str(data_dir / "kremlin-ru" / "64534.txt"),
               str(ROOT / "examples" / "carlson-interview-ru.txt")]  # with its sidecar
    cache = tmp_path / "cache"
    result = python(counted + COMMAND + "print(len(made))\n", "encode", *sources,
                    "-o", str(tmp_path / "out"), cache=cache)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["kremlin-64534.xml",
                                                                    "kremlin-73411.xml"]
    assert result.stdout.splitlines()[-1] == "1"
    assert "pymorphy3" in loaded("encode", sources[0], "-o", str(tmp_path / "empty"),
                                 cache=tmp_path / "empty-cache")
    assert "pymorphy3" not in loaded("encode", sources[0], "-o", str(tmp_path / "again"),
                                     cache=cache)


def test_a_text_export_is_encoded_without_the_page_reader_or_error_explanations(
        tmp_path: Path, data_dir: Path) -> None:
    """Telling it from a web page needs no HTML parser; a valid document needs no explanation
    of errors, nor validate's reports and folder walk."""
    code = COMMAND + ("import json, sys\nprint(json.dumps(sorted(m for m in sys.modules if m in "
                      "('lxml.html', 'tei.readers.kremlin.html', 'tei.validation.explain', "
                      "'tei.validation.report', 'tei.validation.documents'))))\n")
    result = python(code, "encode", str(data_dir / "kremlin-ru" / "64534.txt"), "-o",
                    str(tmp_path))
    assert (tmp_path / "kremlin-64534.xml").is_file()
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_encoding_with_its_answers_remembered_imports_neither_tempfile_nor_hashlib(
        tmp_path: Path, data_dir: Path) -> None:
    """The output is written through a temporary file and the cache is checked by a CRC,
    both without the modules (some 11 ms of an ``encode`` of about 210)."""
    code = COMMAND + ("import json, sys\nprint(json.dumps(sorted(m for m in sys.modules if m in "
                      "('tempfile', 'hashlib', 'shutil', 'random'))))\n")
    source, cache = str(data_dir / "kremlin-ru" / "64534.txt"), tmp_path / "cache"
    python(COMMAND, "encode", source, "-o", str(tmp_path / "first"), cache=cache)
    result = python(code, "encode", source, "-o", str(tmp_path / "again"), cache=cache)
    assert json.loads(result.stdout.splitlines()[-1]) == []
    written = tmp_path / "again" / "kremlin-64534.xml"
    assert written.read_bytes() == (tmp_path / "first" / "kremlin-64534.xml").read_bytes()
    assert [p.name for p in (tmp_path / "again").iterdir()] == ["kremlin-64534.xml"]
    assert oct(written.stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize("command", ["validate", "render"])
def test_validating_and_rendering_load_no_morphology(command: str, tmp_path: Path,
                                                     data_dir: Path) -> None:
    """A TEI file is read, not a transcript: no morphology, no romanisation, no build."""
    tei = str(data_dir / "expected" / "kremlin-64534.xml")
    args = (command, tei) if command == "validate" else (command, tei, "-o", str(tmp_path))
    used = loaded(*args)
    assert not used & {"pymorphy3", "iuliia", "xmlschema", "starlette", "tei.corpus.runner"}
    assert ("jinja2" in used) == (command == "render")


def test_a_command_start_does_not_collect_garbage_over_and_over(tmp_path: Path,
                                                                 data_dir: Path) -> None:
    """The objects a start makes (modules, classes, functions) live as long as the process:
    the cyclic collector is not run dozens of times over them (about 40 times at Python's
    default threshold) while a transcript is encoded, from ``import tei.cli`` on."""
    counting = ("import gc, sys\nruns = []\n"
                "gc.callbacks.append(lambda phase, info: phase == 'start' and runs.append(1))\n")
    result = python(counting + COMMAND.replace("import json, sys\n", "") + "print(len(runs))\n",
                    "encode", str(data_dir / "kremlin-ru" / "64534.txt"), "-o", str(tmp_path),
                    cache=tmp_path / "cache")
    assert (tmp_path / "kremlin-64534.xml").is_file()
    assert int(result.stdout.splitlines()[-1]) <= 4  # where the count stands decides 2 or 3


def test_the_objects_are_frozen_at_exit_after_the_caches_are_saved(tmp_path: Path,
                                                                    data_dir: Path) -> None:
    """Python's last collection at exit would walk every object the command made; they are
    frozen by the last of the command's exit handlers (the morphology cache, saved by an
    earlier one, is written)."""
    last = ("import atexit, gc\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 1000))\n")
    cache = tmp_path / "cache"
    result = python(last + COMMAND, "encode", str(data_dir / "kremlin-ru" / "64534.txt"), "-o",
                    str(tmp_path / "out"), cache=cache)
    assert result.stdout.splitlines()[-1] == "frozen True"
    assert list((cache / "tei-edition").glob("morphology-*"))


def test_a_build_collects_garbage_at_pythons_own_thresholds(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_dir: Path) -> None:
    """The raised threshold is for a command's start; a build runs long, and its documents'
    garbage is collected as Python would (its peak memory does not grow)."""
    import gc

    import tei.corpus
    from click.testing import CliRunner

    from tei.cli import cli
    from tei.collector import PYTHON_THRESHOLDS, YOUNG_OBJECTS
    from tei.errors import TeiEditionError

    seen = []

    def build(*args: object, **kwargs: object) -> None:
        seen.append(gc.get_threshold())
        raise TeiEditionError("stopped here")

    monkeypatch.setattr(tei.corpus, "build", build)
    gc.set_threshold(YOUNG_OBJECTS)
    try:
        result = CliRunner().invoke(cli, ["build", str(data_dir / "kremlin-ru" / "64534.txt"),
                                          "-o", str(tmp_path / "out")])
    finally:
        gc.set_threshold(*PYTHON_THRESHOLDS)
    assert "stopped here" in result.output
    assert seen == [PYTHON_THRESHOLDS]
    assert PYTHON_THRESHOLDS[0] != YOUNG_OBJECTS
