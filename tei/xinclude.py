"""XInclude, resolved safely: files under one folder only, never the network.

TEI corpora keep shared parts in files of their own and include them: a ParlaMint
sitting or corpus its persons (``<xi:include href="ParlaMint-GB-listPerson.xml"/>``),
``corpus.xml`` its members. :func:`resolve` replaces each ``<xi:include href>`` of a
parsed tree by what it names, when the reference is relative and leads to a file
under ``base`` (the including source's own folder): no scheme (``http:``,
``file:``), no absolute path, no ``..`` and no symbolic link out of the folder, no
``xpointer``. Each included file is read and parsed as safely as any input
(:func:`tei.xmlio.parse_bytes`), its own includes are resolved in turn (relative to
it, still under ``base``), never a file that includes itself, at most
:data:`MAX_INCLUDE_DEPTH` includes deep, with all the files together under
:data:`~tei.xmlio.MAX_BYTES` and the tree under :data:`~tei.xmlio.MAX_DEPTH` levels.

An include that cannot be resolved is taken out of the tree (its ``xi:fallback``
stands in its place when it has one) and reported as a :class:`Problem`, with the
rule (``read``, ``well-formed``, ``safety``) that ``validate`` reports; whether it
is an error (``validate`` of a corpus) or a note (``build`` of another corpus's TEI)
is the caller's choice.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei.errors import TeiEditionError, UnsafeXMLError
from tei.xmlio import MAX_BYTES, MAX_DEPTH, XI_NS, parse_bytes, read_limited

INCLUDE = f"{{{XI_NS}}}include"
FALLBACK = f"{{{XI_NS}}}fallback"
MAX_INCLUDE_DEPTH = 8
"""How deep includes may nest (a corpus including sittings including persons is 2)."""


@dataclass(frozen=True, slots=True)
class Inclusion:
    """One file included, and the element that now stands for it in the tree."""

    path: Path
    """The file, named as the including file names it (``build/corpus/kremlin-64534.xml``)."""
    element: etree._Element | None
    """Its root element, now in the tree (None for text included with ``parse="text"``)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """An include left unresolved: why, where, and under which rule."""

    message: str
    path: str
    """The file the problem is in: the including one, or the included one for a parse error."""
    line: int | None
    rule: str
    """``read`` (missing, unreadable, unsupported), ``well-formed`` or ``safety``."""

    def error(self) -> TeiEditionError:
        """The problem as an error, for messages (``FILE:LINE: message``)."""
        return TeiEditionError(self.message, path=self.path, line=self.line)


@dataclass(slots=True)
class Resolution:
    """What :func:`resolve` did: the files included, in document order, and the problems."""

    inclusions: list[Inclusion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    """Every file under the folder that an include names, included or not (missing, say):
    a change to any of them changes what the tree resolves to."""
    size: int = 0
    """Bytes read so far, the source's own included."""


def has_includes(tree: etree._ElementTree | etree._Element) -> bool:
    """True when the tree holds an ``xi:include``."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return next(root.iter(INCLUDE), None) is not None


def resolve(tree: etree._ElementTree, path: str | os.PathLike[str] | None,
            size: int = 0) -> Resolution:
    """Resolve, in place, every XInclude of ``tree``, parsed from the file ``path`` (``size``
    bytes): only files under the folder of ``path``. A tree without a file (standard input)
    includes nothing: each include is a problem."""
    resolution = Resolution(size=size)
    source = Path(path) if path is not None else None
    base = source.parent.resolve() if source is not None else None
    active = frozenset({source.resolve()}) if source is not None else frozenset()
    _resolve_in(tree.getroot(), source, base, resolution, active, depth=0)
    return resolution


def _resolve_in(root: etree._Element, source: Path | None, base: Path | None,
                resolution: Resolution, active: frozenset[Path], depth: int) -> None:
    """Resolve the includes under ``root``, which was read from ``source``."""
    for include in list(root.iter(INCLUDE)):
        if any(ancestor.tag == INCLUDE for ancestor in include.iterancestors()):
            continue  # inside another include's fallback: resolved, if at all, with it
        problem = _include(include, source, base, resolution, active, depth)
        if problem is not None:
            fallback = include.find(FALLBACK)
            if fallback is None or problem.rule == "safety":
                resolution.problems.append(problem)
            _replace(include, fallback)
            if fallback is not None:
                _resolve_in(root, source, base, resolution, active, depth)
                return


def _include(include: etree._Element, source: Path | None, base: Path | None,
             resolution: Resolution, active: frozenset[Path], depth: int) -> Problem | None:
    """Put what ``include`` names in its place; the problem when it cannot be done."""
    name = str(source) if source is not None else "<stdin>"
    line = include.sourceline if isinstance(include.sourceline, int) else None
    href = include.get("href") or ""
    shown = f"xi:include of {href!r}" if href else "xi:include without href"

    def problem(message: str, rule: str = "read", at: str = name,
                at_line: int | None = line) -> Problem:
        return Problem(f"{shown}: {message}", at, at_line, rule)

    if include.get("xpointer") is not None or not href:
        return problem("only whole files are included (no xpointer, no href to the document itself)")
    if include.getparent() is None:
        return problem("an include cannot be the root element")
    if source is None or base is None:
        return problem("standard input has no folder to include files from", "safety")
    target = _target(href, source, base)
    if target is None:
        return problem(f"refused: only files under {source.parent or '.'} are included "
                       "(no address with a scheme such as http:, no absolute path, nothing "
                       "outside the folder)", "safety")
    resolution.files.append(target)
    if depth >= MAX_INCLUDE_DEPTH:
        return problem(f"includes nest more than {MAX_INCLUDE_DEPTH} deep", "safety")
    real = target.resolve()
    if real in active:
        return problem("the file includes itself", "safety")
    try:
        data = read_limited(target)
    except OSError as exc:
        return problem(f"cannot read {target}: {exc.strerror or exc}")
    except UnsafeXMLError as exc:
        return problem(exc.message, "safety")
    resolution.size += len(data)
    if resolution.size > MAX_BYTES:
        return problem(f"the included files are larger than {MAX_BYTES:,} bytes together",
                       "safety")
    if include.get("parse", "xml") == "text":
        _replace_with_text(include, data.decode(include.get("encoding") or "utf-8", "replace"))
        resolution.inclusions.append(Inclusion(target, None))
        return None
    if include.get("parse", "xml") != "xml":
        return problem(f"parse={include.get('parse')!r} is neither xml nor text")
    try:
        included = parse_bytes(data, str(target)).getroot()
    except TeiEditionError as exc:
        rule = "safety" if isinstance(exc, UnsafeXMLError) else "well-formed"
        return problem(exc.message, rule, str(target), exc.line)
    if _depth(include) + _height(included) > MAX_DEPTH:
        return problem(f"elements would nest deeper than {MAX_DEPTH} levels", "safety")
    _replace(include, included)
    resolution.inclusions.append(Inclusion(target, included))
    _resolve_in(included, target, base, resolution, active | {real}, depth + 1)
    return None


def _target(href: str, source: Path, base: Path) -> Path | None:
    """The file ``href`` names relative to ``source``, if it lies under ``base`` (else None)."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or parts.query or parts.fragment or "\\" in href:
        return None
    relative = urllib.parse.unquote(parts.path)
    if not relative or relative.startswith("/") or "\0" in relative:
        return None
    target = source.parent / relative
    try:
        inside = target.resolve().is_relative_to(base)
    except (OSError, RuntimeError):  # a loop of symbolic links
        return None
    return target if inside else None


def _depth(element: etree._Element) -> int:
    """How many elements ``element`` stands in."""
    return sum(1 for _ in element.iterancestors())


def _height(root: etree._Element) -> int:
    """How deep elements nest under and including ``root``."""
    deepest = level = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        level += 1 if event == "start" else -1
        deepest = max(deepest, level)
    return deepest


def _replace(include: etree._Element, replacement: etree._Element | None) -> None:
    """Put ``replacement`` (an included root, or a fallback's content) where ``include`` was;
    None: take the include out. The text after the include stays."""
    parent = include.getparent()
    assert parent is not None
    tail = include.tail
    if replacement is not None and replacement.tag != FALLBACK:
        replacement.tail = tail
        parent.replace(include, replacement)
        return
    position = parent.index(include)
    _text_before(include, (replacement.text or "") if replacement is not None else "")
    moved = list(replacement) if replacement is not None else []
    parent.remove(include)
    for offset, child in enumerate(moved):
        parent.insert(position + offset, child)
    last = moved[-1] if moved else None
    if last is not None:
        last.tail = (last.tail or "") + (tail or "")
    else:
        _append_text(parent, position, tail or "")


def _replace_with_text(include: etree._Element, text: str) -> None:
    """Put ``text`` where ``include`` was (``parse="text"``)."""
    parent = include.getparent()
    assert parent is not None
    position = parent.index(include)
    tail = include.tail or ""
    parent.remove(include)
    _append_text(parent, position, text + tail)


def _text_before(include: etree._Element, text: str) -> None:
    """Add ``text`` just before ``include``."""
    parent = include.getparent()
    assert parent is not None
    _append_text(parent, parent.index(include), text)


def _append_text(parent: etree._Element, position: int, text: str) -> None:
    """Add ``text`` at child ``position`` of ``parent``: to the tail before it, or its text."""
    if not text:
        return
    if position == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[position - 1]
        before.tail = (before.tail or "") + text
