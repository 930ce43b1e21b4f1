"""Compiled templates kept in the user cache: the same pages, and an edited template shows.

Each render runs in a fresh interpreter with its own cache folder (``XDG_CACHE_HOME``), as
a user's successive commands do; none of this is timed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tei.render.templates import KINDS, bytecode_folder

ROOT = Path(__file__).resolve().parents[2]


def render(tei: Path, out: Path, cache: Path, *options: str) -> dict[str, bytes]:
    """Render ``tei`` into ``out`` in a fresh interpreter whose user cache is ``cache``:
    every file written, by its path under ``out``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run([sys.executable, "-m", "tei", "render", str(tei), "-o", str(out),
                             *options], capture_output=True, text=True, cwd=ROOT, env=env,
                            check=False)
    assert result.returncode == 0, result.stderr
    return {str(path.relative_to(out)): path.read_bytes()
            for path in sorted(out.rglob("*")) if path.is_file()}


def test_cached_templates_render_the_same_pages(tmp_path: Path, data_dir: Path) -> None:
    tei = data_dir / "expected" / "kremlin-64534.xml"
    cold = render(tei, tmp_path / "cold", tmp_path / "cache")
    assert list((tmp_path / "cache" / "tei-edition").glob("jinja-*/*"))
    assert render(tei, tmp_path / "warm", tmp_path / "cache") == cold
    assert render(tei, tmp_path / "none", tmp_path / "empty") == cold


def test_an_edited_template_is_used_by_the_next_render(tmp_path: Path, data_dir: Path) -> None:
    """A template of ``--templates`` changed after a render that cached it is compiled anew."""
    tei = data_dir / "expected" / "kremlin-64534.xml"
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "transform" / "text", theme / "text")
    cache = tmp_path / "cache"
    before = render(tei, tmp_path / "before", cache, "--templates", str(theme), "--format", "text")
    template = theme / "text" / "base.txt"
    template.write_text(template.read_text(encoding="utf-8") + "EDITED\n", encoding="utf-8")
    after = render(tei, tmp_path / "after", cache, "--templates", str(theme), "--format", "text")
    (name,) = after
    assert b"EDITED" not in before[name]
    assert after[name].rstrip().endswith(b"EDITED")


def test_an_unwritable_cache_only_means_compiling(tmp_path: Path, data_dir: Path) -> None:
    tei = data_dir / "expected" / "kremlin-64534.xml"
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be\n", encoding="utf-8")
    assert render(tei, tmp_path / "blocked", blocked) == render(tei, tmp_path / "ok",
                                                                 tmp_path / "cache")


def test_a_new_versions_cache_removes_old_versions_folders_once_unused(
        tmp_path: Path, data_dir: Path) -> None:
    """Compiled templates of another version go when their folder has not been used for a
    month; a lately used one (another installed version in use) stays."""
    folder = tmp_path / "cache" / "tei-edition"
    month_ago = time.time() - 40 * 86400
    for name, when in (("jinja-00000000deadbeef", month_ago), ("jinja-11111111deadbeef", None)):
        (folder / name).mkdir(parents=True)
        (folder / name / "__jinja2_x.cache").write_bytes(b"old")
        if when is not None:
            os.utime(folder / name, (when, when))
    render(data_dir / "expected" / "kremlin-64534.xml", tmp_path / "out", tmp_path / "cache")
    names = sorted(path.name for path in folder.glob("jinja-*"))
    assert "jinja-00000000deadbeef" not in names
    assert "jinja-11111111deadbeef" in names
    current = {bytecode_folder(kind) for kind in KINDS}
    assert set(names) - {"jinja-11111111deadbeef"} <= current  # and this version's own


def test_rendering_from_the_cache_marks_it_as_used(tmp_path: Path, data_dir: Path) -> None:
    """A render that only loads compiled templates gives their folder the time of now, so
    another version's pruning keeps it."""
    tei = data_dir / "expected" / "kremlin-64534.xml"
    render(tei, tmp_path / "first", tmp_path / "cache")
    month_ago = time.time() - 40 * 86400
    folders = list((tmp_path / "cache" / "tei-edition").glob("jinja-*"))
    for folder in folders:
        os.utime(folder, (month_ago, month_ago))
    render(tei, tmp_path / "again", tmp_path / "cache")
    assert folders and all(folder.stat().st_mtime > time.time() - 86400 for folder in folders)
