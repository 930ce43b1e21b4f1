"""Sidecar files: metadata of a headerless transcript in ``NAME.meta.toml`` beside it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tei.errors import ReadError
from tei.readers.decode import refuse_characters
from tei.readers.options import METADATA_FIELDS


SIDECAR = ".meta.toml"
"""What a sidecar's name adds to its transcript's stem."""


def sidecar_path(path: Path) -> Path:
    """``interview.meta.toml`` for ``interview.txt``."""
    return path.with_name(f"{path.stem}{SIDECAR}")


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata of a sidecar file (title, date, place, language, source), checked."""
    import tomllib  # here: most transcripts have no sidecar

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise ReadError(f"sidecar is not valid TOML: {error}", path=str(path),
                        line=int(match.group(1)) if match else None) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ReadError(f"cannot read the sidecar: {error}", path=str(path)) from None
    unknown = sorted(set(data) - set(METADATA_FIELDS))
    if unknown:
        raise ReadError(f"unknown key {unknown[0]!r} in the sidecar "
                        f"(expected: {', '.join(METADATA_FIELDS)})", path=str(path))
    for key, value in data.items():  # TOML escapes (\u0001) can give any character
        refuse_characters(str(value), str(path), what=f"the sidecar's {key}")
    return data
