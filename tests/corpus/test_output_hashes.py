"""Every file ``build`` writes, pinned by its SHA-256: reorganising the code changes no byte.

The recorded hashes (``tests/data/expected/build-hashes.json``) are of the published
files of two builds: the bundled ``examples/`` with their authority file, and the copies
of the real samples in ``tests/data/``. The build's own bookkeeping (``.tei-edition/``:
manifest, index) is left out: it names absolute paths and the tool's code hash.

A commit that changes output on purpose records the new hashes with
``python tests/corpus/test_output_hashes.py`` and says why in its message.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

if __name__ == "__main__":  # run as a script: record this checkout's outputs, not an installed tei's
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tei.corpus import BuildOptions, build  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
RECORD = DATA / "expected" / "build-hashes.json"
SAMPLES = ("kremlin-ru", "kremlin-en", "kremlin-en-more", "kremlin-html", "dracor", "parlamint")
"""The folders of ``tests/data`` that hold real samples."""


def builds() -> dict[str, tuple[list[Path], BuildOptions]]:
    """The builds whose outputs are pinned: name -> sources and options."""
    return {
        "examples": ([ROOT / "examples"], BuildOptions(authority=ROOT / "examples" / "authority.csv")),
        "samples": ([DATA / name for name in SAMPLES], BuildOptions()),
    }


def output_hashes(out: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every published file of the build at ``out``."""
    files = sorted(p for p in out.resolve().rglob("*")
                   if p.is_file() and ".tei-edition" not in p.relative_to(out.resolve()).parts)
    return {p.relative_to(out.resolve()).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files}


def build_hashes(name: str, work: Path) -> dict[str, str]:
    """Build ``name`` into a fresh folder under ``work`` and hash what it published."""
    sources, options = builds()[name]
    out = work / name
    build(sources, out, options)
    return output_hashes(out)


@pytest.mark.parametrize("name", sorted(builds()))
def test_build_outputs_are_byte_identical_to_the_record(name: str, tmp_path: Path) -> None:
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))[name]
    found = build_hashes(name, tmp_path)
    assert sorted(found) == sorted(recorded), "the build writes other files than recorded"
    changed = [path for path in recorded if found[path] != recorded[path]]
    assert not changed, f"these outputs changed: {changed}"


def record(work: Path) -> None:
    """Write the record afresh from the current code."""
    hashes = {name: build_hashes(name, work) for name in sorted(builds())}
    RECORD.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        record(Path(folder))
    print(f"recorded {RECORD.relative_to(ROOT)}", file=sys.stderr)
