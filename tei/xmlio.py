"""Safe XML in and deterministic, atomic XML out: the one place the project touches files of XML.

Parsing is safe everywhere: a document with a DOCTYPE (where billion-laughs and
XXE attacks live; TEI needs none) is refused before it is parsed, by a scan of its
prolog in every encoding it may be read in; and, should one get past, the parser
loads no DTD, expands no entity, and opens no file or URL (its resolver refuses
them all). Size and nesting depth are bounded so a hostile file cannot exhaust memory.

Writing is atomic (temporary file in the same folder, then ``os.replace``) and
guarded: a file whose content differs from what would be written, such as a
hand-corrected TEI, is only replaced with ``force``.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import html
import os
import re
import unicodedata
import urllib.parse
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


_PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "no_network": True,
    "huge_tree": False,
    "remove_comments": False,
    "collect_ids": False,
}
"""How every XML input is parsed. ``collect_ids=False`` makes a repeated xml:id the rule
layer's finding rather than a parse error; but with libxml2 before 2.15 lxml then sets
a bit of libxml2's ``loadsubset``, and any bit set there makes libxml2 read the external
DTD a DOCTYPE names (a file, or a FIFO that never answers) whatever ``load_dtd`` says:
the parser's resolver (:class:`_Resources`) refuses it."""


class _ResourceRefused(Exception):
    """libxml2 asked for an external resource (a DTD, an entity) while parsing an input."""


class _Resources(etree.Resolver):  # type: ignore[misc]  # lxml has no type information
    """Refuses every file and URL libxml2 asks for, except the files of one folder.

    ``folder``: the folder of a schema, whose ``xs:import`` the schema compiler reads
    through the parser of the schema's document; None for every other input.
    """

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self._folder = folder.resolve() if folder is not None else None

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> object:
        """The file asked for when it is in the folder; else refuse, whatever the file is."""
        path = _local_path(system_url)
        if self._folder is not None and path is not None and path.is_relative_to(self._folder) \
                and path.is_file():
            return self.resolve_filename(str(path), context)
        raise _ResourceRefused(system_url or public_id or "")


def _url2pathname(path: str) -> str:
    """``urllib.request.url2pathname``, without importing urllib.request (and its HTTP client:
    15 ms of every command's start): what that function is on POSIX, and on Windows."""
    if os.name == "nt":
        from nturl2path import url2pathname

        return url2pathname(path)
    return urllib.parse.unquote(path)


def _local_path(url: str | None) -> Path | None:
    """The resolved path of a ``file:`` URI or an absolute path; None for anything else."""
    if not url:
        return None
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
        return Path(_url2pathname(parsed.path)).resolve()
    return Path(url).resolve() if not parsed.scheme and Path(url).is_absolute() else None


def _parser(folder: Path | None = None) -> etree.XMLParser:
    """A parser that loads no DTD, expands no entity and opens no file or URL (but those of
    ``folder``, for a schema)."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    parser.resolvers.add(_Resources(folder))
    return parser


# -- the prolog: no DOCTYPE, in whatever encoding --------------------------------------------

_SIGNATURES = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),
    (b"Lo\xa7\x94", "cp037"),
)
"""How an XML document may begin in an encoding that is not ASCII-compatible, by byte order
mark or by ``<`` (XML 1.0, appendix F); more than one may match (``FF FE 00 00``)."""

_BYTE_ORDERS = {"utf-16": ("utf-16-le", "utf-16-be"), "utf-32": ("utf-32-le", "utf-32-be")}
"""A declared UTF-16 or UTF-32 without a byte order mark: both orders (Python's ``utf-16``
refuses to guess)."""

_DECLARED = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[ \t\r\n][^>]*?"
                       rb"encoding[ \t\r\n]*=[ \t\r\n]*[\"']([^\"']*)[\"']")
_PROLOG_ITEM = re.compile(rb"[ \t\r\n]+|<!--.*?-->|<\?.*?\?>", re.S)
_DECLARATION = re.compile(rb"<![A-Za-z]")
_CUT = -1
"""What :func:`_declaration` says when the text ends before it can tell."""
_WINDOW = 4096
"""Bytes decoded first to read the prolog of a document in another encoding than UTF-8."""

DOCTYPE_REFUSED = ("a DOCTYPE declaration is not allowed (no DTDs or entities: they are how "
                   "billion-laughs and XXE attacks work, and TEI needs none)")


def _readings(data: bytes, name: str) -> list[str]:
    """Every encoding a parser may read ``data`` in: by its first bytes, and as declared."""
    found = [codec for signature, codec in _SIGNATURES if data.startswith(signature)]
    found = found or ["utf-8"]
    declared = _DECLARED.match(_utf8_view(data[:1024], found[0]))
    if declared:
        label = declared[1].decode("ascii", "replace")
        try:
            b"<".decode(label, "replace")  # a text encoding: not "base64", "zlib"
            codec = codecs.lookup(label).name
        except (LookupError, UnicodeError):
            raise _unreadable(label, name) from None
        found += [codec for codec in _BYTE_ORDERS.get(codec, (codec,)) if codec not in found]
    return found


def _unreadable(encoding: str, name: str) -> UnsafeXMLError:
    """The refusal of a document whose prolog cannot be read in its declared encoding."""
    return UnsafeXMLError(f"the encoding \"{encoding}\" is unknown or cannot be read here: the "
                          "document cannot be checked for a DOCTYPE", path=name, line=1)


def _utf8_view(data: bytes, codec: str, final: bool = True) -> bytes:
    """``data`` read in ``codec``, as UTF-8 (the bytes themselves for UTF-8); undecodable bytes
    become U+FFFD, so that markup stays where the parser sees it."""
    if codec == "utf-8":
        return data
    decoder = codecs.getincrementaldecoder(codec)("replace")
    return str(decoder.decode(data, final)).encode("utf-8", "replace")


def _declaration(view: bytes, complete: bool = True) -> int | None:
    """Offset of the markup declaration (``<!DOCTYPE``, ``<!ENTITY``) that follows the
    XML declaration, comments, processing instructions and whitespace at the start of
    ``view``; None when the first thing after them is anything else (an element).

    ``complete``: ``view`` is the whole document; when it is only its beginning,
    :data:`_CUT` says that it ends before the answer is known.
    """
    position = len(codecs.BOM_UTF8) if view.startswith(codecs.BOM_UTF8) else 0
    while (item := _PROLOG_ITEM.match(view, position)) is not None:
        position = item.end()
    if _DECLARATION.match(view, position):
        return position
    if not complete and (len(view) - position < 4 or
                         view.startswith((b"<!--", b"<?"), position)):
        return _CUT
    return None


def _refused_at(data: bytes, codec: str) -> int | None:
    """The line of a declaration in the prolog of ``data`` read in ``codec``; None if none.

    Only as much as the prolog needs is decoded: the first :data:`_WINDOW` bytes,
    then four times more until the prolog ends.
    """
    window = _WINDOW if codec != "utf-8" else len(data)
    while True:
        complete = window >= len(data)
        view = _utf8_view(data[:window], codec, final=complete)
        offset = _declaration(view, complete)
        if offset != _CUT:
            return None if offset is None else _line(view, offset)
        window *= 4


def _line(view: bytes, offset: int) -> int:
    """The line of ``offset``, counting line ends as XML does (CR LF, CR or LF)."""
    return (view.count(b"\n", 0, offset) + view.count(b"\r", 0, offset)
            - view.count(b"\r\n", 0, offset) + 1)


def check_safe(data: bytes, name: str) -> None:
    """Refuse a document that is too large or declares a DOCTYPE, before parsing it.

    The prolog (XML declaration, comments, processing instructions, whitespace, in
    any order) is scanned as a parser reads it, so that ``<!-- <a -->`` does not
    hide a DOCTYPE; in every encoding the document may be read in (UTF-16 and
    UTF-32 by byte order mark or first bytes, and the declared one). Any DOCTYPE
    is refused, with or without an external DTD, with one message: nothing it
    names is ever looked at.
    """
    if len(data) > MAX_BYTES:
        raise UnsafeXMLError(
            f"document of {len(data):,} bytes is larger than the limit of {MAX_BYTES:,} bytes",
            path=name, line=1)
    for codec in _readings(data, name):
        try:
            line = _refused_at(data, codec)
        except UnicodeError:  # a codec that cannot replace what it cannot decode
            raise _unreadable(codec, name) from None
        if line is not None:
            raise UnsafeXMLError(DOCTYPE_REFUSED, path=name, line=line)


def parse_bytes(data: bytes, name: str = "<input>") -> etree._ElementTree:
    """Parse XML bytes safely; errors name the file and line."""
    check_safe(data, name)
    return _parse(data, name, _parser())


def _parse(data: bytes, name: str, parser: etree.XMLParser) -> etree._ElementTree:
    """Parse ``data`` with ``parser``; libxml2's errors as the project's, naming ``name``."""
    try:
        root = etree.fromstring(data, parser, base_url=None)
    except _ResourceRefused:  # check_safe refuses every DOCTYPE first; kept as a second wall
        raise UnsafeXMLError(DOCTYPE_REFUSED, path=name, line=1) from None
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
        raise UnsafeXMLError(DOCTYPE_REFUSED, path=name, line=1)
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
        # as much as the file holds and one byte more (a read of the whole limit at once
        # allocates its 64 MiB first); then, if there is more, on up to the limit
        wanted = min(os.fstat(handle.fileno()).st_size, MAX_BYTES) + 1
        data = handle.read(wanted)
        if len(data) == wanted:
            data += handle.read(MAX_BYTES + 1 - wanted)
    if len(data) > MAX_BYTES:
        size = path.stat().st_size
        amount = f"of {size:,} bytes " if size > MAX_BYTES else ""
        raise UnsafeXMLError(f"document {amount}is larger than the limit of {MAX_BYTES:,} bytes",
                             path=str(path), line=1)
    return data


def parse_file(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse an XML file safely; errors name the file and line."""
    return parse_bytes(read_limited(path), str(path))


def parse_schema(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse a schema (XSD, RELAX NG) as safely as any input; compiling it may then
    read the files it imports from its own folder, and no other file or URL."""
    path = Path(path)
    data = read_limited(path)
    check_safe(data, str(path))
    return _parse(data, str(path), _parser(path.parent))


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


def escape_text(value: str) -> str:
    """``value`` as XML character data: ``&``, ``<`` and ``>`` escaped (as
    ``xml.sax.saxutils.escape`` does, whose module imports ``urllib.request``, ``http.client``
    and ``ssl``: some 30 ms of every command that writes corpus pages)."""
    return html.escape(value, quote=False)


def quote_attribute(value: str) -> str:
    """``value`` as a quoted XML attribute value, as ``xml.sax.saxutils.quoteattr`` writes it
    (see :func:`escape_text`): escaped, line breaks and tabs as character references, in
    double quotes, or in single ones where it holds a double quote and no single one."""
    value = escape_text(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def indent(element: etree._Element, level: int = 0) -> None:
    """Indent element-only content in place, two spaces a level; leave mixed content untouched."""
    if not len(element) or _is_mixed(element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        if len(child) and child.tag not in MIXED_CONTENT:  # the others: nothing to indent
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


def name_key(name: str) -> str:
    """What a file name is compared by: two names with one key are one file on a
    case-insensitive file system (macOS, Windows), so ``Doc`` and ``doc`` share a key
    (as do ``é`` written as one character and as two, which macOS also takes as one)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new file in ``path``'s folder, open to write (its descriptor, its path), named
    ``.NAME.RANDOM.tmp``: to be renamed over ``path`` once written. Made as
    :func:`tempfile.mkstemp` makes one (exclusively, readable by its owner only), without
    importing :mod:`tempfile`, which brings :mod:`shutil` and :mod:`random` with it (6 ms
    of every ``encode``)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    for _attempt in range(100):
        name = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(path.parent))


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temporary_beside(path)
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
