"""The dictionary's answers remembered across runs: the same TEI with or without them.

Each encode runs in a fresh interpreter with its own cache folder (``XDG_CACHE_HOME``), as
a user's successive commands do; none of this is timed.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import time
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

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


@pytest.fixture
def answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The answers module with a cache folder of the test's own and no answers in memory
    (as in a new process), saved only when the test says so; forgotten again afterwards."""
    from tei.readers.names import analyses

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(atexit, "register", lambda function: function)
    forget(analyses)
    yield analyses
    forget(analyses)


def forget(analyses: ModuleType) -> None:
    """Drop the answers this process holds, as if it were a new one."""
    analyses._answers.cache_clear()
    analyses.analyses.cache_clear()


def without_pymorphy3(analyses: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, a question the cache cannot answer fails."""
    def refuse() -> None:
        raise AssertionError("pymorphy3 was asked")

    monkeypatch.setattr(analyses, "morph", refuse)


def test_a_full_cache_keeps_its_words_and_answers_them_alone(
        answers: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """Words beyond the most the file keeps are not kept; those it keeps are answered, with
    their inflections, without the dictionary."""
    monkeypatch.setattr(answers, "MOST_WORDS", 3)
    words = ["Путин", "Песков", "Лавров", "Шойгу"]
    expected = {}
    for word in words:
        first = answers.analyses(word)[0]
        expected[word] = (answers.analyses(word), answers.inflect(word, first, {"gent"}))
    answers.save()
    forget(answers)
    without_pymorphy3(answers, monkeypatch)
    for word in words[:3]:
        first = answers.analyses(word)[0]
        assert (answers.analyses(word), answers.inflect(word, first, {"gent"})) == expected[word]
    with pytest.raises(AssertionError, match="pymorphy3 was asked"):
        answers.analyses(words[3])


def test_inflections_learnt_in_later_runs_join_the_word_already_kept(
        answers: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    word = "Песков"
    first = answers.analyses(word)[0]
    genitive = answers.inflect(word, first, {"gent"})
    answers.save()
    forget(answers)
    dative = answers.inflect(word, answers.analyses(word)[0], {"datv"})  # a new question
    answers.save()
    forget(answers)
    without_pymorphy3(answers, monkeypatch)
    assert answers.analyses(word)[0] == first
    assert answers.inflect(word, first, {"gent"}) == genitive
    assert answers.inflect(word, first, {"datv"}) == dative
    assert genitive and dative and genitive != dative


def old_cache(folder: Path, name: str, days: float) -> Path:
    """A cache file ``name`` in ``folder``, last written ``days`` ago."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"00000000\nold\n")
    when = time.time() - days * 86400
    os.utime(path, (when, when))
    return path


def test_a_new_cache_file_removes_the_old_versions_files_once_unused(
        answers: ModuleType) -> None:
    """After an upgrade (a new key), the files of older keys unused for a month go; one
    used lately (another installed version still in use) and other kinds of cache stay."""
    folder = answers.cache_file().parent
    unused = old_cache(folder, "morphology-00000000deadbeef.marshal", 40)
    in_use = old_cache(folder, "morphology-11111111deadbeef.marshal", 2)
    schema = old_cache(folder, "tei_all-0123.rng", 40)
    answers.analyses("Песков")
    answers.save()
    assert answers.cache_file().is_file()
    assert not unused.exists()
    assert in_use.exists() and schema.exists()


def test_a_kept_cache_file_leaves_the_folder_alone(answers: ModuleType) -> None:
    """Pruning is for the first file of a key: later saves look at nothing else."""
    answers.analyses("Песков")
    answers.save()
    unused = old_cache(answers.cache_file().parent, "morphology-00000000deadbeef.marshal", 40)
    forget(answers)
    answers.analyses("Лавров")
    answers.save()
    assert unused.exists()


def test_reading_the_cache_marks_it_as_used(answers: ModuleType) -> None:
    """A version that only reads its file (it learns no new word) still keeps it: each read
    gives the file the time of now, which the pruning of other versions looks at."""
    answers.analyses("Песков")
    answers.save()
    path = answers.cache_file()
    month_ago = time.time() - 40 * 86400
    os.utime(path, (month_ago, month_ago))
    forget(answers)
    answers.analyses("Песков")
    assert path.stat().st_mtime > time.time() - 86400
