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

``documents`` and ``pages`` grow with the corpus, and a rebuild changes a few of their
members: each is stored as a layer over a base (:mod:`tei.corpus.layered`, format 2), so
that a rebuild writes what changed since the base, and links the base. ``manifest.json``
holds the head and both layers, and is written last, atomically: it marks the build
complete. A manifest of format 1 (both maps in full, in ``manifest.json``) still reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tei import __version__
from tei.collector import acyclic
from tei.corpus import layered
from tei.corpus.hashes import hash_bytes, hash_or_missing, hash_tree
from tei.corpus.layered import BASES, Layered
from tei.corpus.layout import MANIFEST
from tei.xmlio import atomic_write

FORMAT = 2
"""Version of the manifest's own layout: a manifest of another format is ignored (but for
format 1, the same record in one file)."""
READABLE = (1, FORMAT)


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
    layers: dict[str, Layered] = field(default_factory=dict, compare=False, repr=False)
    """The maps as read (``documents``, ``pages``): what the next save compares with."""

    def written(self) -> dict[str, str]:
        """Every file this build wrote (relative path -> SHA-256)."""
        found = dict(self.pages)
        for entry in self.documents.values():
            found.update(entry.outputs)
        return found

    def save(self, build_dir: Path, over: Manifest | None = None) -> None:
        """Write the manifest into ``build_dir`` (atomically: it marks the build complete),
        each map as a layer over a base (see the module docstring): over the bases of
        ``over`` (the current build's manifest) where few of their members changed. Compact
        JSON, by the C encoder, one member a line; only what differs from the base is
        encoded."""
        head = ",".join(f"{layered.encode(name)}:{layered.encode(value)}" for name, value in
                        (("format", FORMAT), ("tool", self.tool), ("settings", self.settings)))
        maps: dict[str, Mapping[str, Any]] = {"pages": self.pages,
                "documents": {key: _fields(entry) for key, entry in self.documents.items()}}
        previous = over.layers if over is not None else {}
        layers = {name: layered.encode_layer(layered.write(
            build_dir / BASES, f"manifest-{name}", members, previous.get(name)))
            for name, members in maps.items()}
        text = f'{{{head},\n"pages":{layers["pages"]},\n"documents":{layers["documents"]}}}\n'
        layered.flush_folder(build_dir / BASES)  # the bases' names on disk before the record
        atomic_write(build_dir / MANIFEST, text.encode())


def _fields(entry: Entry) -> dict[str, Any]:
    """An entry's fields by name, as JSON takes them: not ``dataclasses.asdict``, which copies
    every value deeply (a tenth of a second for a manifest of 2,000 sources)."""
    return {name: getattr(entry, name) for name in _ENTRY_FIELDS}


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def load_manifest(build_dir: Path | None) -> Manifest:
    """The manifest of a build, or an empty one (no build yet, another format, a base
    missing); decoded as the build's records are (:func:`~tei.collector.acyclic`)."""
    if build_dir is None:
        return Manifest()
    with acyclic():
        return _load(build_dir)


def _load(build_dir: Path) -> Manifest:
    """The manifest of the build at ``build_dir`` (see :func:`load_manifest`)."""
    try:
        data: dict[str, Any] = json.loads((build_dir / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, dict) or data.get("format") not in READABLE:
        return Manifest()
    if data["format"] == 1:
        maps, layers = {"documents": data.get("documents", {}), "pages": data.get("pages", {})}, {}
    else:
        read = {name: layered.read(build_dir / BASES, data.get(name)) for name in MAPS}
        if any(layer is None for layer in read.values()):
            return Manifest()
        layers = {name: layer for name, layer in read.items() if layer is not None}
        maps = {name: layer.members for name, layer in layers.items()}
    documents = {key: _entry(value) for key, value in maps["documents"].items()}
    return Manifest(settings=data.get("settings", ""), documents=documents,
                    pages=dict(maps["pages"]), tool=data.get("tool", ""), layers=layers)


MAPS = ("pages", "documents")
"""The manifest's maps that are kept as layers."""


def _entry(value: dict[str, Any]) -> Entry:
    """An entry of the manifest as read (a later tool's fields left), its lists and dicts
    copied: a build changes its entries, the base read must stay as it was."""
    return Entry(**{name: _copy(value[name]) for name in _ENTRY_FIELDS if name in value})


def _copy(value: Any) -> Any:
    """A list or dict copied (one level: their items are never changed in place)."""
    if isinstance(value, dict):
        return dict(value)
    return list(value) if isinstance(value, list) else value
