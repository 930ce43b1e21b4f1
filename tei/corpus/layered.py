"""Records that grow with the corpus, kept as a shared base and what changed since.

Some of a build's own records hold a member per document or per corpus page: the
manifest's entries and page hashes (:mod:`tei.corpus.manifest`), the byte ranges of the
runs of a register's files (:mod:`tei.corpus.changes`). A rebuild changes a few members;
encoding, writing and flushing all of them again would cost it time that grows with the
corpus. Each such map of string keys to JSON values is kept instead as

* a **base** in ``.tei-edition/bases/`` (:data:`BASES`), ``NAME.DIGEST.json``: an object,
  one member a line, named by the start of the SHA-256 of its bytes and never written
  again once made. A rebuild hard-links it from the current build into the staged one,
  as it links an unchanged document: it is on disk already, and costs one link;
* a **layer** over it, stored by the record that holds the map (in ``manifest.json``, in a
  blocks file): ``{"base": "NAME.DIGEST.json", "removed": [keys of the base that are gone],
  "set": {members added, or changed since the base}}``.

Saving (:func:`write`) compares each member with the base the map was read over (by
value) and encodes only those that differ. Once they are more than :data:`REBASE_FROM`
and a quarter of the map, a new base is written with every member, under an empty layer:
the cost of a rebuild stays with what changed, the size of the files with the corpus.
Reading (:func:`read`) gives the members, and keeps the base's own (never handed out to be
changed) for the next save. A layer whose base is missing or unreadable gives nothing: its
reader then knows no more than without a record, and starts afresh (a build rebuilds).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tei.corpus.hashes import hash_bytes
from tei.corpus.recycle import kept

BASES = ".tei-edition/bases"
"""Where a build keeps the bases of its layered records (relative to the build)."""

REBASE_FROM = 100
"""Members changed since the base above which (and above a quarter of the map) the next
save writes a new base."""


@dataclass(slots=True)
class Layered:
    """A map as read from its layer and base, with what the next save compares it with."""

    members: dict[str, Any] = field(default_factory=dict)
    """Every member: the base's, less those removed, with those set."""
    base: dict[str, Any] = field(default_factory=dict)
    """The base's members as read (not to be changed: the next save compares with them)."""
    folder: Path | None = None
    """The folder of bases the base was read from."""
    name: str = ""
    """The base's file name (empty: no base)."""


encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Compact JSON by the C encoder (the records' one encoder)."""


def decode(data: bytes) -> Any:
    """A base's JSON, decoded by orjson: some MB at 2,000 documents (the register of persons'
    ranges 2.5 MB: 23 ms by the standard library, 10 ms so), read by every rebuild. What orjson
    refuses and the standard library reads (``NaN``) is read by the latter; what neither reads
    raises ValueError."""
    import orjson

    try:
        return orjson.loads(data)
    except ValueError:  # orjson.JSONDecodeError
        return json.loads(data)


def read(folder: Path, layer: Any) -> Layered | None:
    """The map stored as ``layer`` (as its record parsed it) over a base in ``folder`` (the
    build's :data:`BASES`); None when it is not a layer, or its base cannot be read."""
    if not isinstance(layer, dict) or not isinstance(layer.get("base"), str):
        return None
    name = layer["base"]
    if os.sep in name or name.startswith("."):
        return None  # a base is a file of the folder
    try:
        base = decode((folder / name).read_bytes())
    except (OSError, ValueError):
        return None
    changed, removed = layer.get("set", {}), layer.get("removed", [])
    if not (isinstance(base, dict) and isinstance(changed, dict) and isinstance(removed, list)):
        return None
    members = dict(base)
    for key in removed:
        members.pop(key, None)
    members.update(changed)
    return Layered(members, base, folder, name)


def write(folder: Path, name: str, members: Mapping[str, Any],
          previous: Layered | None) -> dict[str, Any]:
    """Put a base for ``members`` in ``folder`` (the staged build's :data:`BASES`) and return
    the layer that stores them over it (JSON-able, for the record that holds the map):
    over ``previous``'s base, linked, when few members differ from it; else over a new
    base named after ``name``, holding them all. A new base is flushed to disk: the record
    that names it may be published at once."""
    folder.mkdir(parents=True, exist_ok=True)
    if previous is not None and previous.folder is not None and previous.name:
        base = previous.base
        changed = {key: value for key, value in members.items()
                   if key not in base or not _same(value, base[key])}
        removed = [key for key in base if key not in members]
        if len(changed) + len(removed) <= max(REBASE_FROM, len(members) // 4) and _linked(
                previous.folder / previous.name, folder / previous.name):
            return {"base": previous.name, "removed": sorted(removed),
                    "set": dict(sorted(changed.items()))}
    data = f"{{{_lines(sorted(members.items()))}}}\n".encode()
    base_name = f"{name}.{hash_bytes(data)[:16]}.json"
    _write_flushed(folder / base_name, data)
    return {"base": base_name, "removed": [], "set": {}}


def encode_layer(layer: Mapping[str, Any]) -> str:
    """A layer as compact JSON, its members set one a line (as a base holds them)."""
    return (f'{{"base":{encode(layer["base"])},"removed":{encode(layer["removed"])},'
            f'"set":{{{_lines(layer["set"].items())}}}}}')


def _linked(source: Path, destination: Path) -> bool:
    """Hard-link a base into the staged build; False when it cannot be (gone, or no links
    on this file system: a new base is written instead)."""
    if kept(str(source), str(destination)):
        return True
    try:
        os.link(source, destination)
    except FileExistsError:
        return True  # linked for another record already: bases are named by content
    except OSError:
        return False
    return True


def _same(value: Any, recorded: Any) -> bool:
    """True when ``value`` encodes as ``recorded`` did: the same object, or equal and of
    one type (the records hold dicts, lists, strings and integers, where Python's equality
    is JSON's but for a list and a tuple, told apart here at the top)."""
    return value is recorded or (type(value) is type(recorded) and value == recorded)


def _lines(items: Iterable[tuple[str, Any]]) -> str:
    """The members of a JSON object, one a line."""
    body = ",\n".join(f"{encode(key)}:{encode(value)}" for key, value in items)
    return f"\n{body}\n" if body else ""


def flush_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (the bases linked or written into it), so that a
    record naming them is never on disk without them."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_flushed(path: Path, data: bytes) -> None:
    """Write a new file and flush it (under a temporary name until then: a base that is
    there is whole)."""
    partial = path.with_name(f".{path.name}.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
