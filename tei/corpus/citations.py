"""A TEI document's citation trees, as its ``refsDecl/citeStructure`` declares them, with byte offsets.

Made in the worker that builds the document (so ``tei-edition serve`` never
parses TEI to navigate it) and kept, as plain data, in the document's summary.
The mapping from TEI to the DTS 1.0 model of citation trees is this module's:

- **One citation tree per ``refsDecl``** that holds ``citeStructure``: the one
  with ``@default="true"`` (else the first) is the default tree, without an
  identifier; the others are identified by their ``@n`` (else ``@xml:id``,
  else ``tree2``, ``tree3``...), as MyDapytains, the DTS editors' own
  implementation, reads them.
- **Units**: the elements each ``citeStructure/@match`` selects (absolute, or
  relative to the unit of the enclosing ``citeStructure``), with the reference
  its ``@use`` gives (``position()`` is the unit's place among those matched);
  a nested one's reference is its parent's, ``@delim`` and its own, as TEI
  says. Names in ``@match`` and ``@use`` are TEI names, as TEI's own
  processors read them. The ``citeType`` is ``@unit`` (else the element's name).
  A unit whose ``@use`` gives nothing is not citable (TEI: ``match[use]``).
- **Several top-level ``citeStructure``** (ours: turns ``sp`` and paragraphs
  ``p``, :func:`tei.encode.encode_encoding_desc`) are units of one tree; a unit
  inside another unit's element is its child (DTS "unevenly nested references":
  the lead's paragraphs at level 1 beside the turns, each turn's paragraphs at
  level 2).
- **Identifiers.** DTS wants them unique in a tree. When two top-level
  ``citeStructure`` number their units with the same ``@use`` (ours: turn 3 and
  paragraph 3 are both ``@n="3"``), references cannot tell them apart, and the
  units are identified by their ``xml:id`` instead: ``sp3`` and ``p3``, the
  form this edition is cited by (``kremlin-64534#p3``, README "Citing"). A unit
  whose identifier is taken already (or, there, that has no ``xml:id``) is left
  out with the units below it: an ambiguous reference cites nothing.
- **Nothing declared** (no ``citeStructure`` that can be evaluated): the body's
  ``div`` and ``sp`` elements (and ``u``, ParlaMint's turns), nested as they are,
  numbered by position with ``.`` (``1``, ``1.2``, ``1.2.5``: ``use="position()"
  delim="."``); ``citeType`` the division's ``@type`` (``act``, ``scene``), else
  ``div``, and ``turn``.

Offsets are those of the published TEI's bytes (the file ``tei/<id>.xml``):
the root's start tag, the ``teiHeader`` and each unit's element, so the
Document endpoint cuts passages out of the file. Found by a scan of the tags
(a regular expression; expat for a document with a DOCTYPE or in another
encoding), for documents in an ASCII-compatible encoding (UTF-8, as this tool
writes; Latin-1...); a TEI source in UTF-16 or UTF-32 is navigable, but its
passages are not offered (``fragments`` False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree

from tei.corpus.offsets import element_offsets, start_tag_end
from tei.xmlio import NSMAP, local_name, tei, xml

FALLBACK_USE = "position()"
_OPEN = frozenset({"@", "::", "(", "[", ",", "$"})
_OPERATORS = frozenset({"/", "//", "|", "+", "-", "=", "!=", "<", "<=", ">", ">="})
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<literal>"[^"]*"|'[^']*')
  | (?P<number>\d+(?:\.\d*)?|\.\d+)
  | (?P<op>//|::|\.\.|!=|<=|>=|[/()\[\]@,|+\-=<>*$.])
  | (?P<name>[^\W\d][\w.\-]*(?::(?:[^\W\d][\w.\-]*|\*))?)
  | (?P<other>.)
""", re.VERBOSE)


_ATTRIBUTE = re.compile(r"@\s*([A-Za-z_][\w.\-]*)")
"""An ``@use`` that is one unprefixed attribute, whose value is read without XPath."""


_NOT_ELEMENTS = (etree._Comment, etree._ProcessingInstruction, etree._Entity)
"""The nodes lxml gives as ``_Element`` that are not elements (their ``tag`` is not a name)."""


class DeclarationError(ValueError):
    """A ``citeStructure`` whose ``@match`` or ``@use`` cannot be evaluated (XPath 1.0)."""


def tei_xpath(expression: str) -> str:
    """An XPath whose unprefixed element names are TEI names: ``/TEI/text//p`` ->
    ``/tei:TEI/tei:text//tei:p``.

    Tokens are told apart as XPath 1.0 says (section 3.7): a name right after an
    operand is an operator (``div`` in ``a div 2``), a name before ``(`` is a
    function, before ``::`` an axis; attribute and variable names stay as they are.
    """
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(expression)]
    significant = [i for i, (kind, _) in enumerate(tokens) if kind != "space"]
    out = [text for _, text in tokens]
    previous: tuple[str, str] | None = None
    previous_is_operator = False
    axis = ""
    for position, index in enumerate(significant):
        kind, text = tokens[index]
        following = tokens[significant[position + 1]][1] if position + 1 < len(significant) else ""
        test_expected = previous is None or previous[1] in _OPEN or previous_is_operator
        is_operator = False
        if kind == "name":
            if not test_expected:
                is_operator = True  # and, or, div, mod
            elif following in ("(", "::") or ":" in text:
                pass  # a function, a node type, an axis, or a name with its own prefix
            elif previous is not None and (previous[1] in ("@", "$") or (
                    previous[1] == "::" and axis in ("attribute", "namespace"))):
                pass  # an attribute or a variable
            else:
                out[index] = f"tei:{text}"
            if following == "::":
                axis = text
        elif kind == "op":
            is_operator = text in _OPERATORS or (text == "*" and not test_expected)
        elif kind == "other":
            raise DeclarationError(f"not an XPath 1.0 expression: {expression!r}")
        previous, previous_is_operator = (kind, text), is_operator
    return "".join(out)


@lru_cache(maxsize=256)
def _compile(expression: str) -> etree.XPath:
    """``expression`` compiled with TEI names (``DeclarationError`` when it is not XPath 1.0);
    once per process: every document of an edition declares the same few."""
    try:
        return etree.XPath(tei_xpath(expression), namespaces=NSMAP, smart_strings=False)
    except etree.XPathError as error:
        raise DeclarationError(f"{expression!r}: {error}") from None


@dataclass(slots=True)
class Structure:
    """One ``citeStructure``: what it matches, how its units are referenced, what nests in it."""

    unit: str | None
    match: etree.XPath
    use: etree.XPath | None
    """None for ``position()``."""
    use_text: str
    delim: str
    children: list[Structure] = field(default_factory=list)
    attribute: str | None = None
    """The attribute when ``@use`` is one unprefixed attribute (``@n``), read directly."""


@dataclass(slots=True)
class Unit:
    """A citable unit found in the document: its element, reference and place in the tree."""

    element: etree._Element
    reference: str
    cite_type: str
    structure: int
    """The top-level ``citeStructure`` it comes from (identifier mode is chosen per tree)."""
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)


def _structure(element: etree._Element) -> Structure:
    """A ``citeStructure`` element and those nested in it."""
    use = (element.get("use") or "").strip()
    match = (element.get("match") or "").strip()
    if not use or not match:
        raise DeclarationError("a citeStructure needs @match and @use")
    return Structure(unit=element.get("unit"), match=_compile(match),
                     use=None if use == FALLBACK_USE else _compile(use), use_text=use,
                     delim=element.get("delim") or "",
                     children=[_structure(c) for c in element.iterfind("tei:citeStructure", NSMAP)],
                     attribute=match_attribute.group(1)
                     if (match_attribute := _ATTRIBUTE.fullmatch(use)) else None)


def _values(structure: Structure, elements: list[etree._Element]) -> list[str]:
    """The reference value ``@use`` gives each of ``elements`` (the matches, in order)."""
    if structure.use is None:
        return [str(position) for position in range(1, len(elements) + 1)]
    if (name := structure.attribute) is not None:  # @n: what the XPath gives, unevaluated
        return [" ".join((element.get(name) or "").split()) for element in elements]
    return [_value(structure.use, structure.use_text, element) for element in elements]


def _value(use: etree.XPath, use_text: str, element: etree._Element) -> str:
    """The reference value the XPath ``use`` (``@use``, ``use_text``) gives ``element``."""
    try:
        result = use(element)
    except etree.XPathError as error:
        raise DeclarationError(f"{use_text!r}: {error}") from None
    if isinstance(result, list):
        result = result[0] if result else ""
        if isinstance(result, etree._Element):
            result = "".join(result.itertext())
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, float):
        return str(int(result)) if result.is_integer() else str(result)
    return " ".join(str(result).split())


def _matches(structure: Structure, context: etree._Element) -> list[etree._Element]:
    """The elements ``@match`` selects from ``context``, in document order."""
    try:
        found = structure.match(context)
    except etree.XPathError as error:
        raise DeclarationError(str(error)) from None
    if not isinstance(found, list):
        return []
    return [node for node in found
            if isinstance(node, etree._Element) and not isinstance(node, _NOT_ELEMENTS)]


def _declared_units(structures: list[Structure], context: etree._Element, prefix: str,
                    parent: Unit | None, top: int | None, found: list[Unit]) -> list[Unit]:
    """The units of ``structures`` (and, below each, of its nested ones), recursively,
    appended to ``found`` in the order they are met."""
    for index, structure in enumerate(structures):
        tree = index if top is None else top
        children, unit_type = structure.children, structure.unit
        elements = _matches(structure, context)
        for element, value in zip(elements, _values(structure, elements)):
            if not value:
                continue
            reference = f"{prefix}{structure.delim}{value}" if parent is not None else value
            unit = Unit(element, reference, unit_type or local_name(element), tree, parent)
            found.append(unit)
            if children:
                _declared_units(children, element, reference, unit, tree, found)
    return found


def _fallback_units(root: etree._Element) -> list[Unit]:
    """``div``, ``sp`` and ``u`` of the body, nested as they are, numbered by position."""
    units: list[Unit] = []

    def walk(element: etree._Element, parent: Unit | None) -> None:
        position = 0
        for child in element.iterchildren(tei("div"), tei("sp"), tei("u")):
            position += 1
            reference = f"{parent.reference}.{position}" if parent else str(position)
            kind = (child.get("type") or "div") if local_name(child) == "div" else "turn"
            unit = Unit(child, reference, kind, 0, parent)
            units.append(unit)
            walk(child, unit)

    for body in root.iterfind("tei:text/tei:body", NSMAP):
        walk(body, None)
    return units


@dataclass(slots=True)
class Tree:
    """One citation tree: its identifier (None for the default) and its units in preorder."""

    identifier: str | None
    units: list[Unit]

    def structure(self) -> list[dict[str, Any]]:
        """The DTS ``citeStructure`` of the tree: the citeTypes as they nest in this document,
        siblings in the order they first occur."""
        def level(units: list[Unit]) -> list[dict[str, Any]]:
            kinds: dict[str, list[Unit]] = {}
            for unit in units:
                kinds.setdefault(unit.cite_type, []).extend(unit.children)
            out = []
            for kind, children in kinds.items():
                entry: dict[str, Any] = {"@type": "CiteStructure", "citeType": kind}
                if children:
                    entry["citeStructure"] = level(children)
                out.append(entry)
            return out

        return level([u for u in self.units if u.parent is None])


def _trees_of(root: etree._Element) -> list[tuple[str | None, etree._Element]]:
    """The ``refsDecl`` elements that declare ``citeStructure``, the default first, named."""
    declared = [r for r in root.iterfind("tei:teiHeader/tei:encodingDesc/tei:refsDecl", NSMAP)
                if r.find("tei:citeStructure", NSMAP) is not None]
    declared.sort(key=lambda r: r.get("default") != "true")
    named: list[tuple[str | None, etree._Element]] = []
    for number, refs in enumerate(declared, 1):
        name = None if number == 1 else (refs.get("n") or refs.get(xml("id")) or f"tree{number}")
        named.append((name, refs))
    return named


def _nest(units: list[Unit], order: dict[etree._Element, int]) -> list[Unit]:
    """Give each top-level unit inside another unit's element that unit as parent; sort every
    level by document order; returns the units in preorder (depth first)."""
    by_element = {u.element: u for u in units}
    places = [order[u.element] for u in units]
    roots: list[Unit] = []
    # In document order (a stable sort: units of one element keep the order they were found
    # in), so that each level is in document order as its units are appended.
    for i in sorted(range(len(units)), key=places.__getitem__):
        unit = units[i]
        parent = unit.parent
        if parent is None:
            ancestor = unit.element.getparent()  # a walk up, cheaper than iterancestors()
            while ancestor is not None and ancestor not in by_element:
                ancestor = ancestor.getparent()
            if ancestor is not None:
                unit.parent = parent = by_element[ancestor]
        (roots if parent is None else parent.children).append(unit)
    ordered: list[Unit] = []
    pending = roots[::-1]
    while pending:
        unit = pending.pop()
        ordered.append(unit)
        if unit.children:
            pending.extend(reversed(unit.children))
    return ordered


def _identify(units: list[Unit], by_xml_id: bool) -> list[Unit]:
    """Each unit's DTS identifier (its reference, or its ``xml:id``); a unit whose identifier
    is taken, or missing, is left out with the units below it."""
    kept: list[Unit] = []
    taken: set[str] = set()
    dropped: set[int] = set()
    xml_id = xml("id")
    for unit in units:
        if unit.parent is not None and id(unit.parent) in dropped:
            dropped.add(id(unit))
            continue
        identifier = unit.element.get(xml_id) if by_xml_id else unit.reference
        if not identifier or identifier in taken:
            dropped.add(id(unit))
            continue
        taken.add(identifier)
        unit.reference = identifier
        kept.append(unit)
    if dropped:
        for unit in kept:
            if unit.children:
                unit.children = [c for c in unit.children if id(c) not in dropped]
    return kept


def citation_trees(root: etree._Element,
                   order: dict[etree._Element, int] | None = None) -> list[Tree]:
    """Every citation tree of the document, the default first (see the module docstring);
    ``order``: each element's position in document order, when the caller has it already."""
    if order is None:
        order = {el: i for i, el in enumerate(root.iter(etree.Element))}
    trees: list[Tree] = []
    for name, refs in _trees_of(root):
        try:
            structures = [_structure(c) for c in refs.iterfind("tei:citeStructure", NSMAP)]
            units = _declared_units(structures, root, "", None, None, [])
        except DeclarationError:
            continue
        uses = [" ".join(s.use_text.split()) for s in structures]
        by_xml_id = len(set(uses)) < len(uses)
        trees.append(Tree(name if trees else None, _identify(_nest(units, order), by_xml_id)))
    if not trees:
        trees.append(Tree(None, _identify(_nest(_fallback_units(root), order), False)))
    return [tree for tree in trees if tree.units]


def _extra_namespaces(element: etree._Element, root: etree._Element,
                      root_namespaces: dict[str | None, str] | None = None) -> dict[str, str]:
    """Namespaces in scope at ``element`` (declared on an ancestor below the root) that a copy
    of it needs when it stands alone under the root's start tag (``root_namespaces``: the
    root's ``nsmap``, which lxml builds afresh at every call)."""
    parent = element.getparent()
    if parent is None or parent is root:
        return {}
    in_root = root.nsmap if root_namespaces is None else root_namespaces
    in_parent = parent.nsmap
    if in_parent == in_root:  # nothing declared below the root (every file of ours)
        return {}
    own = {p: u for p, u in element.nsmap.items() if in_parent.get(p) != u}
    return {p or "": u for p, u in in_parent.items() if in_root.get(p) != u and p not in own}


def citation_data(tree: etree._ElementTree, tei_bytes: bytes) -> dict[str, Any]:
    """What the DTS API needs of one document, as JSON-ready data (see the module docstring).

    ``trees``: ``identifier``, ``citeStructure`` and the units in preorder, each
    ``[identifier, citeType, level, parent, last, start, end]`` (``parent`` and
    ``last``, the last unit below it, are positions in the list; -1 for none;
    ``start``/``end`` byte offsets, -1 when there are none) plus, when it needs them,
    ``namespaces`` by unit position. ``root``: the root start tag's offsets;
    ``header``: the ``teiHeader``'s; ``prefix``: the root's namespace prefix;
    ``encoding``: the file's.
    """
    root = tree.getroot()
    index = {el: i for i, el in enumerate(root.iter(etree.Element))}  # comments and PIs: no
    offsets = element_offsets(tei_bytes)
    if offsets is not None and len(offsets) != len(index):
        offsets = None  # not the bytes of this tree: no passages rather than wrong ones

    def span(element: etree._Element) -> tuple[int, int]:
        return (-1, -1) if offsets is None else offsets[index[element]]

    root_start = span(root)[0]
    root_end = start_tag_end(tei_bytes, root_start) if root_start >= 0 else -1
    # No namespace declared below the root's start tag in the bytes of this tree (every file
    # of ours): no unit needs namespaces of its own, and lxml's nsmap, built afresh for each
    # of thousands of units, is spared.
    declared_below = root_end < 0 or tei_bytes.find(b"xmlns", root_end) >= 0
    root_namespaces = root.nsmap
    trees = []
    for found in citation_trees(root, index):
        position = {id(u): i for i, u in enumerate(found.units)}
        rows: list[list[Any]] = []
        namespaces: dict[str, dict[str, str]] = {}
        spans = [(-1, -1)] * len(found.units) if offsets is None else [
            offsets[index[u.element]] for u in found.units]
        for i, (unit, (start, end)) in enumerate(zip(found.units, spans)):
            if unit.parent is None:
                parent, level = -1, 1
            else:
                parent = position[id(unit.parent)]
                level = rows[parent][2] + 1
            rows.append([unit.reference, unit.cite_type, level, parent, i, start, end])
            if declared_below and (extra := _extra_namespaces(unit.element, root,
                                                               root_namespaces)):
                namespaces[str(i)] = extra
        for row in reversed(rows):  # preorder: a unit's descendants follow it
            if row[3] >= 0 and row[4] > rows[row[3]][4]:
                rows[row[3]][4] = row[4]
        trees.append({"identifier": found.identifier, "citeStructure": found.structure(),
                      "units": rows, "namespaces": namespaces})
        for unit in found.units:  # no parent <-> children cycles: refcounting frees the units
            unit.children.clear()
    header = root.find("tei:teiHeader", NSMAP)
    return {
        "trees": trees,
        "fragments": offsets is not None and root.tag == tei("TEI"),
        "root": [root_start, root_end],
        "header": list(span(header)) if header is not None else None,
        "prefix": root.prefix or "",
        "encoding": tree.docinfo.encoding or "UTF-8",
    }
