"""The build manifest: what a build was made from and what it wrote, by content hash.

A build is redone only where its inputs changed. The manifest, kept in the
build itself (``OUT/.tei-edition/manifest.json``), records:

* ``settings``: one hash of everything that shapes every output besides the
  sources: the tool's version and code, the authority file, the templates and
  the build options. When it changes, every document is rebuilt.
* ``documents``: for each source file (by absolute path), the hash of its
  content, the document ID it gave and the hash of each file written for it.
  A source whose hash and settings are unchanged is not read again: its
  outputs are carried over from the previous build.

Hashes are SHA-256 of file contents, never modification times (mkdocs'
``--dirty`` mtime check misses template and config changes; see STYLE.md).
The hashes of written files also tell a hand-corrected TEI from one this tool
wrote, so a correction is never overwritten silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tei import __version__
from tei.corpus.hashes import hash_bytes, hash_or_missing, hash_tree
from tei.corpus.layout import MANIFEST
from tei.xmlio import atomic_write

FORMAT = 1
"""Version of the manifest's own layout: a manifest of another format is ignored."""


def settings_hash(**settings: object) -> str:
    """One hash of the tool (version, code, schema and templates) and of the build's settings.

    The package's own source files and data folders are hashed too, so a
    changed tei-edition (or a changed schema, against which TEI sources are
    checked) rebuilds everything even when its version number did not change.
    """
    from tei.resources import PACKAGE, data_dir

    code = hash_tree([PACKAGE], skip=frozenset({"__pycache__", "_data"}))  # a wheel's data: below
    data = hash_tree([data_dir("schema"), data_dir("transform")])
    payload = json.dumps({"version": __version__, "code": code, "data": data, **settings},
                         sort_keys=True, default=str)
    return hash_bytes(payload.encode())


@dataclass(slots=True)
class Entry:
    """What one source file gave in the build that holds this manifest."""

    hash: str
    """SHA-256 of the source file when it was last built successfully."""
    id: str
    """The document ID (``kremlin-64534``): its outputs are named after it. Empty when the
    source gave no document (a part of TEI that documents XInclude)."""
    outputs: dict[str, str] = field(default_factory=dict)
    """Path of each output, relative to the build (``tei/kremlin-64534.xml``) -> its SHA-256."""
    ids: list[str] = field(default_factory=list)
    """Every document ID, when the source gave more than one (the members of a teiCorpus)."""
    included: dict[str, str] = field(default_factory=dict)
    """Files the source XIncludes -> their SHA-256 when it was built (empty: missing)."""

    def document_ids(self) -> list[str]:
        """The IDs of the documents the source gave, in order."""
        return self.ids or ([self.id] if self.id else [])

    def includes_unchanged(self) -> bool:
        """True when every file the source XIncludes is as it was when it was built."""
        return all(hash_or_missing(path) == digest for path, digest in self.included.items())
    item: dict[str, Any] | None = None
    """What linking versions in other languages needs of the document (its language and
    source addresses: :class:`tei.render.versions.Item`), kept so that an unchanged
    document's TEI is not read again; None until known."""
    versions: list[list[str]] = field(default_factory=list)
    """The versions its page links to, ``[language, document ID]``, as the page was written."""
    stat: list[int] = field(default_factory=list)
    """The source's size, modification and change times (ns), inode and device when
    :attr:`hash` was taken, then its sidecar's (if any): a source whose stat reads the same
    keeps its hash, unread (as git's index does). Empty: hash it again."""


@dataclass(slots=True)
class Manifest:
    """The record of one complete build."""

    settings: str = ""
    documents: dict[str, Entry] = field(default_factory=dict)
    """Absolute path of each source file -> what it gave."""
    pages: dict[str, str] = field(default_factory=dict)
    """Corpus-wide files (``index.html``, ``corpus.xml``...) -> their SHA-256; for a file
    written as one run per document (``turns.tsv``, a speaker's downloads), ``runs:`` and
    the SHA-256 of its runs' (:class:`tei.corpus.writers.HashingWriter`), which a rebuild that
    copies the runs knows without reading them."""
    tool: str = f"tei-edition {__version__}"

    def written(self) -> dict[str, str]:
        """Every file this build wrote (relative path -> SHA-256)."""
        found = dict(self.pages)
        for entry in self.documents.values():
            found.update(entry.outputs)
        return found

    def save(self, build_dir: Path) -> None:
        """Write the manifest into ``build_dir`` (atomically: it marks the build complete):
        compact, by the C encoder (``indent`` would take Python's own, several times
        slower), the corpus pages on one line, then one source a line."""
        head = ",".join(f"{_encode(name)}:{_encode(value)}" for name, value in
                        (("format", FORMAT), ("tool", self.tool), ("settings", self.settings)))
        pages = _encode(dict(sorted(self.pages.items())))
        documents = _lines((key, _fields(entry)) for key, entry in sorted(self.documents.items()))
        text = f'{{{head},\n"pages":{pages},\n"documents":{{{documents}}}}}\n'
        atomic_write(build_dir / MANIFEST, text.encode())


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Compact JSON by the C encoder, one encoder for every value."""


def _lines(items: Iterable[tuple[str, Any]]) -> str:
    """The members of a JSON object, one a line."""
    body = ",\n".join(f"{_encode(key)}:{_encode(value)}" for key, value in items)
    return f"\n{body}\n" if body else ""


def _fields(entry: Entry) -> dict[str, Any]:
    """An entry's fields by name, as JSON takes them: not ``dataclasses.asdict``, which copies
    every value deeply (a tenth of a second for a manifest of 2,000 sources)."""
    return {name: getattr(entry, name) for name in _ENTRY_FIELDS}


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def load_manifest(build_dir: Path | None) -> Manifest:
    """The manifest of a build, or an empty one (no build yet, or another format)."""
    if build_dir is None:
        return Manifest()
    try:
        data: dict[str, Any] = json.loads((build_dir / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return Manifest()
    documents = {key: Entry(**{name: value[name] for name in _ENTRY_FIELDS if name in value})
                 for key, value in data.get("documents", {}).items()}  # a later tool's fields left
    return Manifest(settings=data.get("settings", ""), documents=documents,
                    pages=data.get("pages", {}), tool=data.get("tool", ""))
