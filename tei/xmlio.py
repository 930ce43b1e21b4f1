"""Safe XML in and deterministic, atomic XML out: the one place the project touches files of XML.

Parsing is safe everywhere: no DTD is loaded, no entity is expanded, nothing is
fetched from the network, and a document with a DOCTYPE (where billion-laughs
and XXE attacks live; TEI needs none) is refused before it is parsed. Size and
nesting depth are bounded so a hostile file cannot exhaust memory.

Writing is atomic (temporary file in the same folder, then ``os.replace``) and
guarded: a file whose content differs from what would be written, such as a
hand-corrected TEI, is only replaced with ``force``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from tei.errors import OverwriteError, UnsafeXMLError, XMLSyntaxError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
NSMAP = {"tei": TEI_NS}

MAX_BYTES = 64 * 1024 * 1024
"""Largest XML input accepted (64 MiB: a thousand times a long transcript)."""
MAX_DEPTH = 256
"""Deepest element nesting accepted (libxml2's own limit without ``huge_tree``)."""

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_\x80-\xff]")


def tei(tag: str) -> str:
    """The Clark name of a TEI element: ``tei("sp")`` -> ``{http://www.tei-c.org/ns/1.0}sp``."""
    return f"{{{TEI_NS}}}{tag}"


def xml(attr: str) -> str:
    """The Clark name of an ``xml:`` attribute: ``xml("id")``."""
    return f"{{{XML_NS}}}{attr}"


_TEI_PREFIX = f"{{{TEI_NS}}}"


def local_name(element: etree._Element) -> str:
    """The name of a TEI element (``sp``); the Clark name of any other (or of a comment's tag)."""
    tag = str(element.tag)
    return tag[len(_TEI_PREFIX):] if tag.startswith(_TEI_PREFIX) else tag


def in_text(element: etree._Element) -> bool:
    """True for an element inside a ``<text>``: running text, not a header listing."""
    return any(True for _ in element.iterancestors(tei("text")))


def _parser() -> etree.XMLParser:
    """A parser that loads no DTD, expands no entity and reaches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        no_network=True,
        huge_tree=False,
        remove_comments=False,
        collect_ids=False,
    )


def check_safe(data: bytes, name: str) -> None:
    """Refuse a document that is too large or declares a DOCTYPE, before parsing it.

    UTF-16 and UTF-32 documents (a NUL among the first bytes) are searched
    with their NUL bytes removed, so their DOCTYPE cannot hide between them.
    """
    if len(data) > MAX_BYTES:
        raise UnsafeXMLError(
            f"document of {len(data):,} bytes is larger than the limit of {MAX_BYTES:,} bytes",
            path=name, line=1)
    if b"\x00" in data[:4]:
        data = data.replace(b"\x00", b"")
    match = _FIRST_ELEMENT.search(data)
    prolog = data[: match.start()] if match else data
    declarations = [at for at in (prolog.find(b"<!DOCTYPE"), prolog.find(b"<!ENTITY")) if at >= 0]
    if declarations:
        line = prolog.count(b"\n", 0, min(declarations)) + 1
        raise UnsafeXMLError(
            "a DOCTYPE declaration is not allowed (no DTDs or entities: "
            "they are how billion-laughs and XXE attacks work, and TEI needs none)",
            path=name, line=line)


def parse_bytes(data: bytes, name: str = "<input>") -> etree._ElementTree:
    """Parse XML bytes safely; errors name the file and line."""
    check_safe(data, name)
    try:
        root = etree.fromstring(data, _parser(), base_url=None)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 0, 0)
        message = exc.msg or str(exc)
        message = re.sub(r",\s*line \d+, column \d+$", "", message)
        if "depth" in message.lower():  # libxml2: "Excessive depth in document"
            raise UnsafeXMLError(
                f"elements nested deeper than {MAX_DEPTH} levels", path=name, line=line,
                column=column) from None
        if "amplification" in message or "entity reference loop" in message.lower():
            raise UnsafeXMLError("entity expansion refused (a billion-laughs document?)",
                                 path=name, line=line, column=column) from None
        raise XMLSyntaxError(f"not well-formed XML: {message}", path=name, line=line,
                             column=column) from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:  # check_safe catches it first; kept as a second wall
        raise UnsafeXMLError("a DOCTYPE declaration is not allowed", path=name, line=1)
    return tree


def xml_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | str]:
    """The files named, and the ``*.xml`` files under each folder named (see :func:`input_files`)."""
    return input_files(paths, (".xml",))


def input_files(paths: Iterable[str | os.PathLike[str]],
                suffixes: tuple[str, ...]) -> Iterator[Path | str]:
    """The files named, and the files with one of ``suffixes`` under each folder named, sorted.

    Hidden files and folders (``.git``, ``.cache``) inside a folder are
    skipped. A folder with no such file in it is yielded itself, so that the
    caller reports it instead of passing over it in silence. ``-`` (standard
    input) is yielded as it is.
    """
    for item in paths:
        if is_stdin(item):
            yield STDIN
            continue
        path = Path(item)
        if not path.is_dir():
            yield path
            continue
        found = sorted(p for p in path.rglob("*")
                       if p.suffix.lower() in suffixes and p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        yield from found or [path]


def read_limited(path: str | os.PathLike[str]) -> bytes:
    """The bytes of an XML file, refused beyond :data:`MAX_BYTES` without reading further.

    Reads at most one byte more than the limit, so a huge file, a growing one
    or a device such as ``/dev/zero`` cannot exhaust memory.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder with no .xml files in it", str(path))
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        size = path.stat().st_size
        amount = f"of {size:,} bytes " if size > MAX_BYTES else ""
        raise UnsafeXMLError(f"document {amount}is larger than the limit of {MAX_BYTES:,} bytes",
                             path=str(path), line=1)
    return data


def parse_file(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse an XML file safely; errors name the file and line."""
    return parse_bytes(read_limited(path), str(path))


STDIN = "-"
"""The argument that stands for standard input, as in most command-line tools. Only the
string itself: a path (``Path("-")``, ``./-``) is a file of that name."""


def is_stdin(item: str | os.PathLike[str]) -> bool:
    """True for the argument ``-`` (standard input), not for a file named ``-``."""
    return isinstance(item, str) and item == STDIN


def input_name(item: str | os.PathLike[str]) -> str:
    """How messages name an input: its path, or ``<stdin>``."""
    return "<stdin>" if is_stdin(item) else str(item)


def stdin_bytes(stdin: bytes | None) -> bytes:
    """Standard input as the caller read it (at most one byte beyond :data:`MAX_BYTES`),
    refused when it is larger than the limit."""
    if stdin is None:
        raise ValueError("'-' (standard input) given, but its bytes were not passed")
    if len(stdin) > MAX_BYTES:
        raise UnsafeXMLError(f"standard input is larger than the limit of {MAX_BYTES:,} bytes",
                             path=input_name(STDIN), line=1)
    return stdin


def read_input(item: str | os.PathLike[str], stdin: bytes | None = None) -> bytes:
    """The bytes of the file ``item``, or of standard input (read by the caller) for ``-``."""
    return stdin_bytes(stdin) if is_stdin(item) else read_limited(item)


MIXED_CONTENT = frozenset(tei(name) for name in (
    "p", "ab", "l", "seg", "u", "head", "speaker", "stage", "note", "persName", "placeName",
    "orgName", "name", "title", "q", "quote", "said", "hi", "foreign", "supplied", "desc",
))
"""TEI elements whose content is text with phrases: never indented inside, even when they
hold only elements (``<p><ellipsis/></p>``), since whitespace there would be text."""


def _is_mixed(element: etree._Element) -> bool:
    """True when indentation inside ``element`` would change its text."""
    if element.tag in MIXED_CONTENT or (element.text and element.text.strip()):
        return True
    return any(child.tail and child.tail.strip() for child in element)


def indent(element: etree._Element, level: int = 0) -> None:
    """Indent element-only content in place, two spaces a level; leave mixed content untouched."""
    if not len(element) or _is_mixed(element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        indent(child, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * level


def to_bytes(tree: etree._ElementTree | etree._Element, indented: bool = False) -> bytes:
    """Serialise as indented UTF-8 with a declaration: byte-identical for equal trees.

    Indentation is only added between elements of element-only content, never
    inside mixed content (a paragraph's text is left exactly as it is).
    ``indented``: the tree was parsed from this function's output and only its
    attributes changed since, so it is indented already (a walk of the tree spared).
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if not indented:
        indent(root)
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def guarded_write(path: str | os.PathLike[str], data: bytes, force: bool = False) -> bool:
    """Write atomically unless an existing file differs and ``force`` is off.

    Returns True when the file was written, False when it already held ``data``.
    Raises :class:`OverwriteError` when it holds something else (a hand edit).
    """
    path = Path(path)
    if path.exists():
        if path.read_bytes() == data:
            return False
        if not force:
            raise OverwriteError(
                "exists and differs from the new output (hand-corrected?); "
                "not overwritten: use --force to replace it",
                path=str(path))
    atomic_write(path, data)
    return True
