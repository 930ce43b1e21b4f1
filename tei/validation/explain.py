"""Plain messages for the errors of libxml2's validators, in the profile's terms.

libxml2 reports ``Element '{http://www.tei-c.org/ns/1.0}p': This element is
not expected. Expected is ( {http://www.tei-c.org/ns/1.0}div ).``; an editor
needs ``<p> is not allowed directly inside <body>: every paragraph stands in
a <div>``. :class:`SchemaGuide` reads the profile's XSD once (element names,
attribute datatypes and their documentation) and :meth:`SchemaGuide.explain`
turns each libxml2 error into an :class:`Explanation`: the rule broken, the
message, and the element (and attribute, or stray text) to point at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from tei.validation.integrity import line_of
from tei.xmlio import TEI_NS, XML_NS, local_name

XS_NS = "http://www.w3.org/2001/XMLSchema"
_XS = f"{{{XS_NS}}}"

_ELEMENT_ERROR = re.compile(
    r"Element '(?P<element>[^']*)'(?:, attribute '(?P<attribute>[^']*)')?: (?P<rest>.*)", re.S)
_NOT_EXPECTED = re.compile(
    r"This element is not expected\.(?: Expected is (?:one of )?\( (?P<expected>.*) \)\.)?")
_MISSING_CHILD = re.compile(
    r"Missing child element\(s\)\. Expected is (?:one of )?\( (?P<expected>.*) \)\.")
_ATTRIBUTE_NOT_ALLOWED = re.compile(r"The attribute '(?P<name>[^']*)' is not allowed\.")
_ATTRIBUTE_MISSING = re.compile(r"The attribute '(?P<name>[^']*)' is required but missing\.")
_BAD_VALUE = re.compile(
    r"'(?P<value>.*)' is not a valid value of the (?:[\w ]+ )?type '(?P<type>[^']*)'\.", re.S)
_FACET = re.compile(r"\[facet '(?P<facet>\w+)'\] The value '(?P<value>.*?)' (?P<detail>.*)", re.S)
_ENUMERATION = re.compile(r"set \{(?P<values>.*)\}")
_PREFIXED_STEP = re.compile(r"(?<=/)([\w.-]+):([\w.-]+)")
_CLARK = re.compile(r"\{([^}]*)\}([\w.-]+)")

LIBXML2_LIST_LIMIT = 10
"""libxml2 names at most this many expected elements; a full list may be longer."""

BUILTIN_TYPES = {
    "xs:NCName": "an identifier: a letter or '_', then letters, digits, '-', '_' or '.' "
                 "(no spaces, no leading digit)",
    "xs:language": "a BCP 47 language tag such as ru, en or ru-Latn",
    "xs:anyURI": "a URI",
    "xs:date": "a date such as 2020-12-02",
    "xs:decimal": "a number",
    "xs:nonNegativeInteger": "a whole number, 0 or more",
}
"""What the XSD built-in types the profile uses mean, in words."""

ATTRIBUTE_HINTS = {
    ("sp", "who"): "'#' and the xml:id of the speaker's <person> or <personGrp> "
                   "(who=\"#putin-vladimir\")",
    ("sp", "n"): "the turn's number (n=\"12\")",
    ("sp", "xml:id"): "sp and the turn's number (xml:id=\"sp12\")",
    ("p", "n"): "the paragraph's number (n=\"4\", or 4.1 for one inserted after 4)",
    ("p", "xml:id"): "p and the paragraph's number (xml:id=\"p4\")",
    ("TEI", "xml:id"): "the document's identifier (xml:id=\"kremlin-64534\")",
    ("TEI", "xml:lang"): "the language of the text (xml:lang=\"ru\")",
    ("foreign", "xml:lang"): "the language of the foreign words (xml:lang=\"en\")",
    ("div", "type"): "what the part is (type=\"summary\" or type=\"transcript\")",
    ("milestone", "unit"): "what kind of break it is (unit=\"section\")",
    ("language", "ident"): "the language tag (ident=\"ru\")",
    ("person", "xml:id"): "the identifier that @who and @ref point to (xml:id=\"putin-vladimir\")",
    ("personGrp", "xml:id"): "the identifier that @who points to (xml:id=\"role-vopros\")",
    ("place", "xml:id"): "the identifier that placeName/@ref points to (xml:id=\"novo-ogaryovo\")",
    ("org", "xml:id"): "the identifier that orgName/@ref points to (xml:id=\"odkb\")",
    ("citeStructure", "match"): "an XPath from the root (match=\"/TEI/text/body//p\")",
    ("citeStructure", "use"): "what identifies a unit (use=\"@n\")",
}
"""What to write for a required attribute, by (element, attribute)."""

PLACEMENT_HINTS = {
    ("p", "body"): "every paragraph stands in a <div type=\"summary\"> or "
                   "<div type=\"transcript\">",
    ("sp", "body"): "every turn stands in the <div type=\"transcript\">",
    ("p", "p"): "paragraphs do not nest: close the first <p> before the next one",
    ("speaker", "sp"): "a turn has one <speaker>, as its first child",
    ("speaker", "div"): "a <speaker> stands first inside its <sp who=\"…\">",
    ("sp", "sp"): "turns do not nest: close the first <sp> before the next one",
    ("div", "div"): "divisions do not nest: use <milestone unit=\"section\"/> for a section break",
}
"""Why an element of the profile cannot stand where it is, by (element, parent)."""

TEXT_HINTS = {
    "sp": "put it in a <p xml:id=\"…\" n=\"…\"> (or a <stage> for a stage direction)",
    "div": "put it in a <p xml:id=\"…\" n=\"…\">",
    "body": "put it in a <p> inside a <div>",
}
"""Where stray text belongs, by the element it stands in."""


@dataclass(slots=True)
class Explanation:
    """A validator error in the profile's terms, and what it is about."""

    rule: str
    message: str
    element: etree._Element | None = None
    attribute: str | None = None
    line: int | None = None
    """A line more precise than the element's (stray text); None: the element's line."""
    snippet: str | None = None
    """Text to point the column at, when the problem is text rather than a tag."""


def display(name: str) -> str:
    """A Clark name as the editor writes it: ``p``, ``xml:lang``, ``seg (namespace urn:x)``."""
    match = _CLARK.fullmatch(name)
    if not match:
        return name
    namespace, local = match.groups()
    if namespace == TEI_NS:
        return local
    if namespace == XML_NS:
        return f"xml:{local}"
    return f"{local} (namespace {namespace})"


def _names(expected: str) -> list[str]:
    """``( {ns}a, {ns}b )`` contents as display names."""
    return [display(item.strip()) for item in expected.split(",") if item.strip()]


def _listing(names: list[str]) -> str:
    """``<hi>, <foreign>, …``: a libxml2 list, marked open when it hit libxml2's limit."""
    tags = ", ".join(f"<{name}>" for name in names)
    return tags + ", …" if len(names) >= LIBXML2_LIST_LIMIT else tags


class SchemaGuide:
    """What the profile's XSD declares, read once, to explain validation errors."""

    def __init__(self, xsd: etree._Element) -> None:
        self.element_names = frozenset(
            str(node.get("name")) for node in xsd.iter(f"{_XS}element") if node.get("name"))
        self.type_docs = _type_docs(xsd)
        self.attribute_types = _attribute_types(xsd)

    # -- XSD errors -------------------------------------------------------

    def explain(self, entry: etree._LogEntry, tree: etree._ElementTree) -> Explanation:
        """Translate one libxml2 XSD error about ``tree``."""
        node = _node(tree, entry.path)
        match = _ELEMENT_ERROR.match(entry.message or "")
        if not match:
            explanation = Explanation("schema", _plain(entry.message or "invalid"), node)
        elif match["attribute"]:
            explanation = self._attribute(node, display(match["element"]),
                                          display(match["attribute"]), match["rest"].strip())
        else:
            explanation = self._content(node, display(match["element"]), match["rest"].strip())
        if explanation.element is None and explanation.line is None:
            explanation.line = entry.line or None
        return explanation

    def _content(self, node: etree._Element | None, name: str, rest: str) -> Explanation:
        """Errors about an element's place or content."""
        missing_attribute = _ATTRIBUTE_MISSING.fullmatch(rest)
        if missing_attribute:
            return self._attribute(node, name, display(missing_attribute["name"]), rest)
        if rest.startswith("No matching global declaration"):
            return Explanation(
                "root", f"<{name}> cannot be the root: a document is one <TEI> element in the "
                f"TEI namespace (<TEI xmlns=\"{TEI_NS}\">)", node)
        not_expected = _NOT_EXPECTED.fullmatch(rest)
        if not_expected:
            return self._misplaced(node, name, _names(not_expected["expected"] or ""))
        missing = _MISSING_CHILD.fullmatch(rest)
        if missing:
            return self._incomplete(node, name, _names(missing["expected"]))
        if rest.startswith("Character content other than whitespace is not allowed"):
            return _stray_text(node, name)
        if rest.startswith("Character content is not allowed"):
            return Explanation("text-placement", f"<{name}/> must be empty: remove the text in it",
                               node)
        if rest.startswith("Element content is not allowed"):
            return Explanation("element-placement",
                               f"<{name}> holds plain text only: remove the elements inside it",
                               node)
        return Explanation("schema", f"<{name}>: {_plain(rest)}", node)

    def _misplaced(self, node: etree._Element | None, name: str,
                   expected: list[str]) -> Explanation:
        """An element where the profile does not allow it (or not at all)."""
        parent = node.getparent() if node is not None else None
        parent_name = local_name(parent) if parent is not None else "the document"
        if parent is not None and parent_name == "sp" and expected == ["speaker"]:
            if parent.find(f"{{{TEI_NS}}}speaker") is None:
                return _no_speaker(parent)
            return Explanation("element-placement",
                               f"<{name}> cannot come before the <speaker>: a turn begins with "
                               "its speaker's label", node)
        allowed = f"; expected {_listing(expected)}" if expected else ""
        if name not in self.element_names:
            return Explanation(
                "profile",
                f"<{name}> is not an element of this TEI profile (schema/README.md lists them)"
                + (f"; inside <{parent_name}> use {_listing(expected)}" if expected else ""),
                node)
        hint = PLACEMENT_HINTS.get((name, parent_name))
        return Explanation(
            "element-placement",
            f"<{name}> is not allowed here, inside <{parent_name}>"
            + (f": {hint}" if hint else allowed), node)

    def _incomplete(self, node: etree._Element | None, name: str,
                    expected: list[str]) -> Explanation:
        """An element that ends before a required child."""
        if name == "sp" and node is not None:
            if "speaker" in expected:
                return _no_speaker(node)
            return Explanation(
                "sp-content",
                "<sp> has no <p> or <stage> after its <speaker>: a turn holds at least one "
                "paragraph or stage direction (an omission alone goes in a <p>: "
                "<p xml:id=\"…\" n=\"…\"><gap reason=\"omitted\"/></p>)", node)
        return Explanation("missing-element",
                           f"<{name}> is incomplete: expected {_listing(expected)} in it", node)

    def _attribute(self, node: etree._Element | None, name: str, attribute: str,
                   rest: str) -> Explanation:
        """Errors about an attribute: not allowed, missing, or a malformed value."""
        if _ATTRIBUTE_NOT_ALLOWED.fullmatch(rest):
            return Explanation("attribute", f"@{attribute} is not allowed on <{name}>",
                               node, attribute)
        if _ATTRIBUTE_MISSING.fullmatch(rest):
            hint = ATTRIBUTE_HINTS.get((name, attribute))
            return Explanation("required-attribute",
                               f"<{name}> needs @{attribute}" + (f": {hint}" if hint else ""),
                               node, attribute)
        value, expected = self._value_problem(name, attribute, rest)
        if value is None:
            return Explanation("schema", f"@{attribute} on <{name}>: {_plain(rest)}", node,
                               attribute)
        return Explanation(
            "datatype", f"@{attribute}=\"{value}\" on <{name}> is not valid: expected {expected}",
            node, attribute)

    def _value_problem(self, name: str, attribute: str, rest: str) -> tuple[str | None, str]:
        """The offending value and what was expected instead, from a datatype error."""
        bad = _BAD_VALUE.fullmatch(rest)
        if bad:
            type_name = display(bad["type"])
            return bad["value"], self._describe(type_name, name, attribute)
        facet = _FACET.fullmatch(rest)
        if facet:
            enumeration = _ENUMERATION.search(facet["detail"])
            if facet["facet"] == "enumeration" and enumeration:
                values = enumeration["values"].replace("'", "")
                return facet["value"], f"one of {values}"
            return facet["value"], self._describe(None, name, attribute)
        return None, ""

    def _describe(self, type_name: str | None, element: str, attribute: str) -> str:
        """The documentation of a datatype, found by name or by the attribute's declaration."""
        candidates = [type_name] if type_name else []
        candidates += self.attribute_types.get((element, attribute), [])
        for candidate in candidates:
            doc = self.type_docs.get(candidate) or BUILTIN_TYPES.get(candidate)
            if doc:
                return doc
        return f"a value of type {candidates[0]}" if candidates else "a valid value"

    # -- RELAX NG errors (tei_all) -----------------------------------------

    @staticmethod
    def explain_relaxng(entry: etree._LogEntry, tree: etree._ElementTree) -> Explanation:
        """Translate one libxml2 RELAX NG error of the official tei_all schema."""
        message = _plain(entry.message or "invalid").replace("Expecting an element , got nothing",
                                                             "an element is missing here")
        node = _node(tree, entry.path)
        return Explanation("tei-all", f"TEI P5 tei_all: {message}", node,
                           line=None if node is not None else entry.line or None)


def relevant_relaxng_errors(entries: Iterable[etree._LogEntry]) -> list[etree._LogEntry]:
    """RELAX NG errors without libxml2's echoes (an 'extra content' after 'did not expect')."""
    kept: list[etree._LogEntry] = []
    echoes = {"RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_ATTRVALID", "RELAXNG_ERR_CONTENTVALID"}
    for entry in entries:
        if entry.type_name in echoes and any(k.line == entry.line for k in kept):
            continue
        kept.append(entry)
    return kept


def _no_speaker(sp: etree._Element) -> Explanation:
    """The explanation for a turn without its speaker's label."""
    return Explanation("sp-speaker",
                       "<sp> has no <speaker>: a turn begins with its speaker's label as printed "
                       "(<speaker>В.Путин</speaker>)", sp)


def _stray_text(node: etree._Element | None, name: str) -> Explanation:
    """Text standing directly in an element that holds only elements."""
    hint = TEXT_HINTS.get(name, "only elements may stand here")
    if node is None:
        return Explanation("text-placement", f"text directly inside <{name}>: {hint}")
    line, text = _first_text(node)
    shown = text if len(text) <= 30 else text[:29] + "…"
    return Explanation("text-placement",
                       f"text \"{shown}\" stands directly inside <{name}>: {hint}",
                       node, line=line, snippet=text[:30])


def _first_text(node: etree._Element) -> tuple[int | None, str]:
    """The first non-blank text directly in ``node`` and the line where it starts."""
    start = line_of(node)
    if node.text and node.text.strip():
        return _line_after(start, node.text), node.text.strip()
    for child in node:
        if child.tail and child.tail.strip():
            child_line = line_of(child)
            end = None
            if child_line:
                end = child_line + etree.tostring(child, with_tail=False).count(b"\n")
            return _line_after(end, child.tail), child.tail.strip()
    return start, ""


def _line_after(line: int | None, text: str) -> int | None:
    """The line of the first non-blank character of ``text``, which starts on ``line``."""
    if line is None:
        return None
    leading = len(text) - len(text.lstrip())
    return line + text[:leading].count("\n")


def _node(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    """The element at libxml2's XPath ``path`` (``/*/*[2]/x:foo``), if it can be found.

    Steps with a namespace prefix are matched by local name: the prefixes of
    the document are not known to the XPath evaluator.
    """
    if not path:
        return None
    try:
        found = tree.xpath(_PREFIXED_STEP.sub(r"*[local-name()='\2']", path))
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def _plain(message: str) -> str:
    """A libxml2 message without namespace URIs in element names."""
    return _CLARK.sub(lambda m: display(m.group(0)), message).strip()


def _type_docs(xsd: etree._Element) -> dict[str, str]:
    """Named simple types and their one-line documentation."""
    docs: dict[str, str] = {}
    for simple in xsd.iter(f"{_XS}simpleType"):
        doc = simple.findtext(f"{_XS}annotation/{_XS}documentation")
        if simple.get("name") and doc:
            docs[str(simple.get("name"))] = " ".join(doc.split())
    return docs


def _attribute_types(xsd: etree._Element) -> dict[tuple[str, str], list[str]]:
    """(element, attribute) -> the datatypes declared for it, following groups and extensions."""
    complex_types = {str(t.get("name")): t for t in xsd.iterfind(f"{_XS}complexType")}
    groups = {str(g.get("name")): g for g in xsd.iterfind(f"{_XS}attributeGroup")}
    found: dict[tuple[str, str], list[str]] = {}
    for declaration in xsd.iter(f"{_XS}element"):
        element = declaration.get("name")
        if not element:
            continue
        definition = declaration.find(f"{_XS}complexType")
        if definition is None:
            definition = complex_types.get(_local(declaration.get("type")))
        if definition is None:
            continue
        for attribute, type_name in _attributes(definition, complex_types, groups):
            types = found.setdefault((element, attribute), [])
            if type_name not in types:
                types.append(type_name)
    return found


def _attributes(node: etree._Element, complex_types: dict[str, etree._Element],
                groups: dict[str, etree._Element]) -> list[tuple[str, str]]:
    """The (attribute, type) pairs a complex type or attribute group declares."""
    pairs: list[tuple[str, str]] = []
    for child in node.iter(f"{_XS}attribute", f"{_XS}attributeGroup", f"{_XS}extension"):
        if child.tag == f"{_XS}attribute" and child.get("ref"):
            reference = str(child.get("ref"))
            pairs.append((reference, "xs:NCName" if reference == "xml:id" else "xs:language"))
        elif child.tag == f"{_XS}attribute" and child.get("name"):
            pairs.append((str(child.get("name")), str(child.get("type") or "")))
        elif child.tag == f"{_XS}attributeGroup" and child.get("ref"):
            group = groups.get(_local(child.get("ref")))
            if group is not None:
                pairs += _attributes(group, complex_types, groups)
        elif child.tag == f"{_XS}extension":
            base = complex_types.get(_local(child.get("base")))
            if base is not None:
                pairs += _attributes(base, complex_types, groups)
    return pairs


def _local(qname: str | None) -> str:
    """``xs:string`` -> ``string``; our own types have no prefix."""
    return (qname or "").rpartition(":")[2]
