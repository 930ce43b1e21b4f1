"""The warning of probable duplicate persons (a build without an authority file), kept up
to date by each rebuild rather than found again across the whole corpus.

The pairs are recorded in the corpus index (its ``duplicates`` table), which a rebuild
carries from the current build: it forgets the pairs of the persons no document names any
more, and compares each person it added with the persons of the same opening letters only
(the only ones :func:`~tei.authority_draft.probable_duplicates` pairs it with), found by
the index's order of IDs. The warning is read back from the record, its first pairs and
their count, so a rebuild neither finds nor writes the whole list again.
"""

from __future__ import annotations

from pathlib import Path

from tei.corpus.changes import Changes
from tei.corpus.index import CorpusIndex
from tei.errors import TeiEditionError

PERSON = "person"


def duplicate_warning(index_path: Path, changes: Changes | None = None,
                      shown: int = 10) -> list[TeiEditionError]:
    """One warning naming the persons of the corpus that are probably one person each;
    the record in the index at ``index_path`` brought up to date first (``changes``: what
    a rebuild changed; None: found afresh)."""
    search = Duplicates(index_path, changes)
    search.find()
    return search.warning(shown)


class Duplicates:
    """The probable duplicates of a build: found reading the index only (:meth:`find`, at
    the same time as the corpus pages are written from it), then recorded in it and told
    (:meth:`warning`)."""

    def __init__(self, index_path: Path, changes: Changes | None = None) -> None:
        self.index_path = index_path
        self.changes = changes
        self.gone: list[str] | None = None
        """The persons whose pairs are forgotten (None: every one)."""
        self.found: list[tuple[str, str, str]] = []

    def find(self) -> None:
        """Compare the persons of the index (those a rebuild added, with the others of
        their opening letters)."""
        index = CorpusIndex(self.index_path, read_only=True)
        try:
            if self.changes is None:
                self.gone, self.found = None, _find_all(index)
            else:
                self.gone, self.found = _find_changed(index, self.changes)
        finally:
            index.close()

    def warning(self, shown: int = 10) -> list[TeiEditionError]:
        """Record what :meth:`find` found in the index; the warning of its first ``shown``
        pairs (none if there are none)."""
        index = CorpusIndex(self.index_path)
        try:
            index.update_duplicates(self.gone, self.found)
            pairs, count = index.duplicates(shown)
        finally:
            index.close()
        if not pairs:
            return []
        named = ", ".join(f"{first} ~ {second}" for first, second, _ in pairs)
        more = f" and {count - shown} more" if count > shown else ""
        return [TeiEditionError(f"probable duplicate persons: {named}{more}. Draft an "
                                f"authority file with 'tei-edition authority SRC... -o "
                                f"authority.csv', check it, and build with --authority "
                                f"authority.csv")]


def _find_all(index: CorpusIndex) -> list[tuple[str, str, str]]:
    """The probable duplicates of every person of the corpus (recorded instead of any
    other)."""
    from tei.authority_draft import probable_duplicates

    return probable_duplicates(index.entity_ids(PERSON))


def _find_changed(index: CorpusIndex,
                  changes: Changes) -> tuple[list[str], list[tuple[str, str, str]]]:
    """What brings the carried record up to date with a rebuild: the persons that left
    (forgotten), the pairs of the persons added, compared with the others of their opening
    letters."""
    from tei.authority_draft import opening, probable_duplicates

    previous = CorpusIndex(changes.index, read_only=True)
    try:
        before = previous.entities_of((PERSON,), changes.touched)
        added = {ident for ident in index.entities_of((PERSON,), changes.documents)
                 if not previous.has_entity(ident, PERSON)}
    finally:
        previous.close()
    gone = sorted(ident for ident in before if not index.has_entity(ident, PERSON))
    near = sorted({ident for prefix in {opening(ident) for ident in added}
                   for ident in index.entity_ids_from(PERSON, prefix)})
    return gone, probable_duplicates(near, added) if added else []
