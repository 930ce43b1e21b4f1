"""A Pagefind bundle made byte-identical for identical pages: its filters in a fixed order.

Pagefind 1.5 collects filters in hash maps with a random seed per run (its
``index/mod.rs`` says so: "Change filter indexes to BTree to give them a
stable hash"), so the values of each ``filter/*.pf_filter`` file, and the
filters listed in ``pagefind.*.pf_meta``, come in another order at every run,
and so do the files' names, which are hashes of their content. Everything
else it writes is already stable (checked by indexing the same pages twice).

:func:`make_stable` rewrites those two kinds of file in sorted order, named by
the hash of their new content, and points ``pagefind-entry.json`` at the new
metadata file (whose fields past the sorts, such as 1.5's list of metadata
keys, are kept as they are). The files are gzip-compressed CBOR behind Pagefind's
signature; the small CBOR codec here reads and writes the subset they use
(unsigned and negative integers, text, arrays).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
import zlib
from pathlib import Path
from typing import Any

from tei.corpus.recycle import write_new

SIGNATURE = b"pagefind_dcd"
"""What every decompressed Pagefind file starts with."""


class FormatError(ValueError):
    """A Pagefind file that is not what this module knows how to read."""


def _read(path: Path) -> Any:
    """The CBOR value of a Pagefind file."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path.name}: not a Pagefind file")
    value, end = decode(data, len(SIGNATURE))
    if end != len(data):
        raise FormatError(f"{path.name}: {len(data) - end} bytes after its content")
    return value


def _write(path: Path, payload: bytes) -> None:
    """Write CBOR ``payload`` as a Pagefind file (gzip without a time stamp)."""
    write_new(path, gzipped(SIGNATURE + payload, 9))


def gzipped(data: bytes, level: int) -> bytes:
    """``data`` gzip-compressed at ``level``, its header the same under every Python: no
    time stamp, no name, and the system byte 3 (Unix). ``gzip.compress`` leaves that byte to
    the interpreter: 3.11 and 3.12 write zlib's (3 on Linux), 3.13 writes 255, so the same
    build gave other search files under another Python. The compressed stream is zlib's own,
    as ``gzip.compress`` makes it (the same zlib gives the same bytes)."""
    deflate = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    flags = 2 if level == 9 else 4 if 0 <= level < 2 else 0  # zlib's: slowest, fastest, else
    return (struct.pack("<4sIBB", b"\x1f\x8b\x08\x00", 0, flags, 3) + body
            + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))


def decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR value of ``data`` starting at ``at``, and where it ends."""
    if at >= len(data):
        raise FormatError("truncated CBOR")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise FormatError(f"unsupported CBOR item (major type {major}, length code {info})")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 3:
        return data[at:at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise FormatError(f"unsupported CBOR major type {major}")


def _head(major: int, argument: int) -> bytes:
    """A CBOR item's first bytes, in the shortest form (as minicbor writes them)."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for code, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | code]) + argument.to_bytes(size, "big")
    raise FormatError(f"integer too large for CBOR: {argument}")


def encode(value: Any) -> bytes:
    """``value`` (integers, text and lists of them) as CBOR."""
    if isinstance(value, bool) or not isinstance(value, (int, str, list)):
        raise FormatError(f"cannot encode {type(value).__name__} as CBOR here")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(encode(item) for item in value)


def _name(lang: str, payload: bytes, length: int, taken: set[str]) -> str:
    """``ru_1a2b3c4``: a file name from the hash of its content, longer where one is taken."""
    digest = hashlib.sha256(payload).hexdigest()
    while f"{lang}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    name = f"{lang}_{digest[:length]}"
    taken.add(name)
    return name


def _meta_path(folder: Path) -> Path:
    """The metadata file of the (one-language) bundle at ``folder``."""
    entry = json.loads((folder / "pagefind-entry.json").read_bytes())
    for language in entry["languages"].values():
        return folder / f"pagefind.{language['hash']}.pf_meta"
    raise FormatError(f"{folder.name}: a bundle of no language")


def read_meta(folder: Path) -> list[Any]:
    """The metadata of the bundle at ``folder``: version, pages (fragment, words), index
    chunks, filters (name, file), sorts (name, pages in order), and what follows."""
    meta = _read(_meta_path(folder))
    if not (isinstance(meta, list) and len(meta) >= 5):
        raise FormatError(f"{folder.name}: not the metadata of Pagefind 1.5")
    return meta


def read_filter(folder: Path, name: str) -> list[Any]:
    """The values of the filter ``name`` of the bundle at ``folder``: (value, pages) each."""
    for key, file in read_meta(folder)[3]:
        if key == name:
            return list(_read(folder / "filter" / f"{file}.pf_filter")[1])
    return []


def make_stable(folder: Path, drop: frozenset[int] = frozenset()) -> None:
    """Rewrite the filters and metadata of the bundle in ``folder`` in a fixed order, leaving
    the pages numbered ``drop`` out of every filter and sort (they stay in the index, but no
    filtered or sorted search finds them: see :mod:`tei.corpus.delta`). Each file is written
    anew, never through a hard link to a previous build's."""
    entry_path = folder / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    for lang, language in json.loads(entry_text)["languages"].items():
        old_meta = folder / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(old_meta)
        if not (isinstance(meta, list) and len(meta) >= 5):
            raise FormatError(f"{old_meta.name}: not the metadata of Pagefind 1.5")
        version, pages, chunks, filters, sorts, *rest = meta
        contents = []
        for name, old in filters:
            path = folder / "filter" / f"{old}.pf_filter"
            key, values = _read(path)
            kept = [[value, [page for page in members if page not in drop]]
                    for value, members in values]
            contents.append((name, [key, sorted((value for value in kept if value[1]),
                                                key=lambda value: str(value[0]))]))
            path.unlink()
        taken: set[str] = set()
        stable = []
        for name, content in sorted(contents, key=lambda item: str(item[0])):
            payload = encode(content)
            new = _name(lang, payload, 7, taken)
            _write(folder / "filter" / f"{new}.pf_filter", payload)
            stable.append([name, new])
        sorts = [[key, [page for page in order if page not in drop]] for key, order in sorts]
        payload = encode([version, pages, chunks, stable,
                          sorted(sorts, key=lambda sort: str(sort[0])), *rest])
        new_meta = _name(lang, payload, 10, set())
        old_meta.unlink()
        _write(folder / f"pagefind.{new_meta}.pf_meta", payload)
        entry_text = entry_text.replace(json.dumps(language["hash"]), json.dumps(new_meta))
    write_new(entry_path, entry_text.encode("utf-8"))
