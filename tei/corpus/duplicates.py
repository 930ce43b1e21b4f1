"""The warning of probable duplicate persons (a build without an authority file), kept up
to date by each rebuild rather than found again across the whole corpus."""

from __future__ import annotations

import json
from pathlib import Path

from tei.corpus.changes import Changes
from tei.corpus.index import CorpusIndex
from tei.errors import TeiEditionError


def duplicate_warning(index_path: Path, changes: Changes | None = None,
                      shown: int = 10) -> list[TeiEditionError]:
    """One warning naming the persons of the corpus that are probably one person each.

    The pairs are kept beside the index (:data:`DUPLICATES`): a rebuild compares only
    the persons it added with the others, and keeps the known pairs of those still there.
    """
    from tei.authority_draft import probable_duplicates

    ids = _person_ids(index_path)
    known = _known_pairs(changes)
    if known is None or changes is None:
        pairs = probable_duplicates(ids)
    else:
        present = set(ids)
        added = present - set(_person_ids(changes.index))
        pairs = sorted({*(pair for pair in known if pair[0] in present and pair[1] in present),
                        *probable_duplicates(ids, added)})
    (index_path.parent / DUPLICATES).write_bytes(json.dumps(pairs, ensure_ascii=False).encode())
    if not pairs:
        return []
    named = ", ".join(f"{first} ~ {second}" for first, second, _ in pairs[:shown])
    more = f" and {len(pairs) - shown} more" if len(pairs) > shown else ""
    return [TeiEditionError(f"probable duplicate persons: {named}{more}. Draft an authority "
                            f"file with 'tei-edition authority SRC... -o authority.csv', "
                            f"check it, and build with --authority authority.csv")]


DUPLICATES = "duplicates.json"
"""The probable duplicate persons of a build, in its own folder beside the corpus index."""


def _person_ids(index_path: Path) -> list[str]:
    """Every person ID of the index at ``index_path``."""
    index = CorpusIndex(index_path, read_only=True)
    try:
        return index.entity_ids("person")
    finally:
        index.close()


def _known_pairs(changes: Changes | None) -> list[tuple[str, str, str]] | None:
    """The probable duplicates the current build found, if it kept them."""
    if changes is None:
        return None
    try:
        data = json.loads((changes.index.parent / DUPLICATES).read_bytes())
    except (OSError, ValueError):
        return None
    return [(first, second, reason) for first, second, reason in data]
