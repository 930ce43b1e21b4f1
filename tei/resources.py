"""Where the data folders live: in a checkout, or inside an installed wheel.

``schema/`` and ``transform/`` sit at the top of the repository; the wheel
carries them as ``tei/_data/schema`` and ``tei/_data/transform``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The ``tei`` package folder (its code is hashed into every build's settings)."""


def data_dir(name: str) -> Path:
    """The folder ``schema`` or ``transform``, wherever this copy of tei-edition keeps it."""
    for candidate in (PACKAGE / "_data" / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"tei-edition data folder {name!r} is missing from this installation")
