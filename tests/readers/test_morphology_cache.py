"""The dictionary's answers remembered across runs: the same TEI with or without them.

Each encode runs in a fresh interpreter with its own cache folder (``XDG_CACHE_HOME``), as
a user's successive commands do; none of this is timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENCODE = """
import json, sys
from tei.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="tei-edition", standalone_mode=False)
except SystemExit as stop:
    assert not stop.code, stop.code
print(json.dumps("pymorphy3" in sys.modules))
"""


def russian_sources(data_dir: Path) -> list[str]:
    """Russian transcripts: the text export of the tests' sample, the example (with a
    sidecar)."""
    return [str(data_dir / "kremlin-ru" / "64534.txt"),
            str(ROOT / "examples" / "carlson-interview-ru.txt")]


def encode(sources: list[str], out: Path, cache: Path) -> tuple[dict[str, bytes], bool]:
    """Encode ``sources`` into ``out`` in a fresh interpreter whose user cache is ``cache``:
    the files written (name -> bytes) and whether it imported pymorphy3."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run([sys.executable, "-c", ENCODE, "encode", *sources, "-o", str(out),
                             "--force"], capture_output=True, text=True, cwd=ROOT, env=env,
                            check=False)
    assert result.returncode == 0, result.stderr
    files = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    return files, json.loads(result.stdout.splitlines()[-1])


def cache_files(cache: Path) -> list[Path]:
    """The morphology cache files under the user cache folder ``cache``."""
    return sorted((cache / "tei-edition").glob("morphology-*"))


def test_a_warm_cache_gives_the_same_tei_without_pymorphy3(tmp_path: Path,
                                                            data_dir: Path) -> None:
    sources = russian_sources(data_dir)
    cold, cold_loaded = encode(sources, tmp_path / "cold", tmp_path / "cache")
    assert cold_loaded
    assert len(cache_files(tmp_path / "cache")) == 1
    warm, warm_loaded = encode(sources, tmp_path / "warm", tmp_path / "cache")
    assert not warm_loaded
    assert warm == cold
    assert cold["kremlin-64534.xml"] == (data_dir / "expected" / "kremlin-64534.xml").read_bytes()


def test_answers_of_several_runs_are_merged(tmp_path: Path, data_dir: Path) -> None:
    """Two commands over different transcripts each add their words to the one file."""
    first, second = russian_sources(data_dir)
    cache = tmp_path / "cache"
    encode([first], tmp_path / "a", cache)
    encode([second], tmp_path / "b", cache)
    both, loaded = encode([first, second], tmp_path / "both", cache)
    assert not loaded
    assert both == encode([first, second], tmp_path / "cold", tmp_path / "empty")[0]


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path, data_dir: Path) -> None:
    sources = russian_sources(data_dir)[:1]
    cache = tmp_path / "cache"
    expected, _ = encode(sources, tmp_path / "cold", cache)
    (path,) = cache_files(cache)
    path.write_bytes(path.read_bytes()[:-100])  # cut short, as by a full disk
    files, loaded = encode(sources, tmp_path / "corrupt", cache)
    assert loaded
    assert files == expected
    assert not encode(sources, tmp_path / "again", cache)[1]  # written anew


def test_an_unwritable_cache_only_means_asking_pymorphy3(tmp_path: Path,
                                                        data_dir: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be\n", encoding="utf-8")
    sources = russian_sources(data_dir)[:1]
    files, loaded = encode(sources, tmp_path / "out", blocked)
    assert loaded
    assert files["kremlin-64534.xml"] == (data_dir / "expected" / "kremlin-64534.xml").read_bytes()
