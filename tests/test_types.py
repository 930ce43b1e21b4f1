"""The package's type hints hold: ``mypy --strict`` with the settings of ``pyproject.toml``.

Type hints that no checker reads drift from the code; this keeps them honest.
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).parent.parent


def test_the_package_passes_mypy_strict() -> None:
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                      "--cache-dir", str(ROOT / ".mypy_cache"),
                                      str(ROOT / "tei")])
    assert status == 0, stdout + stderr
