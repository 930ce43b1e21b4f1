"""A fast path to tei_all: the schema cut down to the elements a document uses.

libxml2 spends 6 s compiling the whole of tei_all.rng (an automaton for each of its
590 elements' content, most choosing among hundreds of elements) and then checks a
file in about a millisecond. A document of the edition uses a few dozen elements.
:func:`reduce_schema` cuts the schema to them, for that document:

* every ``<element name="X">`` pattern whose X the document does not use is made
  ``<element name="X"><empty/></element>`` (its content and attributes gone);
* a branch of a choice that can match none of the document's elements (such an
  element, a reference to a definition that is only one, a choice of those) is
  dropped when the choice has another branch;
* definitions nothing reaches any more are dropped.

libxml2 compiles that in about 15 ms and validates with it as fast as with the whole.
(Making those patterns ``notAllowed`` instead compiles as fast but leaves the content
models uncompiled, 17 times slower to check; simplifying them away as RELAX NG's own
simplification would made libxml2's compilation run for more than a minute.)

Why the verdict is the same: an element pattern named X matches only elements named
X, so for a document without X its content never matters, and a choice branch that
can match none of the document's elements (nor nothing) never decides a match. The
cut schema accepts exactly the documents over that vocabulary that tei_all accepts.
A document it refuses is checked again by the whole schema, for the same precise
messages as before (:class:`~tei.validation.schema.TeiAll`).

Cut schemas are cached on disk (:func:`tei.usercache.cache_dir`), one per set of element names,
keyed by the full schema's SHA-256, this tool's version and :data:`PREPARATION`;
a missing, corrupt or unwritable cache only means cutting again (a few tens of ms).
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from tei import __version__
from tei.usercache import cache_dir

RNG_NS = "http://relaxng.org/ns/structure/1.0"
PREPARATION = "2"
"""The version of the cutting below: change it when the cut schemas would change."""
UNSUPPORTED = frozenset(f"{{{RNG_NS}}}{name}" for name in
                        ("include", "externalRef", "parentRef", "grammar", "div"))
"""Structures the cutting does not follow: a schema with any of them is always compiled whole."""

Vocabulary = frozenset[str]
"""The element names (Clark notation, ``{ns}local``) a document uses."""


def _rng(name: str) -> str:
    """A RELAX NG element's tag."""
    return f"{{{RNG_NS}}}{name}"


def vocabulary(document: etree._ElementTree) -> Vocabulary:
    """The names of the elements in ``document``."""
    return frozenset(element.tag for element in document.getroot().iter(etree.Element))


def preparable(grammar: etree._Element) -> bool:
    """True when ``grammar`` is one self-contained RELAX NG grammar the cutting understands:
    no includes, external or parent references, nested grammars, divisions or combined
    definitions."""
    return (grammar.tag == _rng("grammar") and grammar.find(_rng("start")) is not None
            and not any(node.tag in UNSUPPORTED or node.get("combine") is not None
                        for node in grammar.iterdescendants(etree.Element)))


def reduce_schema(grammar: etree._Element, names: Vocabulary) -> etree._Element:
    """A copy of ``grammar`` (see :func:`preparable`) that validates a document whose
    elements are all in ``names`` as ``grammar`` does (see the module's docstring)."""
    root = copy.deepcopy(grammar)
    unwanted = [element for element in root.iter(_rng("element")) if not _wanted(element, names)]
    for element in unwanted:
        _empty(element)
    defines = {define.get("name", ""): define for define in root.iterchildren(_rng("define"))}
    dead = _Dead(defines, set(unwanted))
    for choice in list(root.iter(_rng("choice"))):
        branches = list(choice.iterchildren(_rng("*")))
        live = [branch for branch in branches if not dead(branch)]
        for branch in branches if live else branches[1:]:
            if branch not in live:
                choice.remove(branch)
    reached = _reached(root, defines)
    for name, define in defines.items():
        if name not in reached:
            root.remove(define)
    return root


def _empty(element: etree._Element) -> None:
    """Make an element pattern allow only an empty element, its name class kept."""
    named = element.get("name") is not None
    for number, child in enumerate(element.iterchildren(_rng("*"))):
        if named or number > 0:
            element.remove(child)
    etree.SubElement(element, _rng("empty"))


class _Dead:
    """Which patterns can match none of a document's elements: an element pattern of a name
    it does not use, a reference to a definition that is one, a choice of such only."""

    def __init__(self, defines: dict[str, etree._Element], unwanted: set[etree._Element]) -> None:
        self.defines = defines
        self.unwanted = unwanted
        self.known: dict[str, bool] = {}

    def __call__(self, pattern: etree._Element) -> bool:
        """True when ``pattern`` matches no element of the document, and nothing empty."""
        if pattern.tag == _rng("element"):
            return pattern in self.unwanted
        if pattern.tag == _rng("ref"):
            return self._define(pattern.get("name", ""))
        if pattern.tag == _rng("choice"):
            return all(self(branch) for branch in pattern.iterchildren(_rng("*")))
        return False

    def _define(self, name: str) -> bool:
        """Whether the definition ``name`` is one dead pattern (one being decided, through
        a recursion, counts as alive: that keeps more, and is safe)."""
        if name not in self.known:
            self.known[name] = False
            define = self.defines.get(name)
            patterns = [] if define is None else list(define.iterchildren(_rng("*")))
            self.known[name] = len(patterns) == 1 and self(patterns[0])
        return self.known[name]


def _reached(root: etree._Element, defines: dict[str, etree._Element]) -> set[str]:
    """The names of the definitions reachable from the grammar's start."""
    seen: set[str] = set()
    pending = list(root.iterchildren(_rng("start")))
    while pending:
        for ref in pending.pop().iter(_rng("ref")):
            name = ref.get("name", "")
            if name not in seen and name in defines:
                seen.add(name)
                pending.append(defines[name])
    return seen


def _wanted(element: etree._Element, names: Vocabulary) -> bool:
    """False for an element pattern of one name that is not in ``names``; True for the
    others (wildcards and name choices are kept)."""
    name = element.get("name")
    ns = _inherited_ns(element)
    if name is None:
        first = next(element.iterchildren(_rng("*")), None)
        if first is None or first.tag != _rng("name"):
            return True
        ns, name = first.get("ns", ns), (first.text or "").strip()
    if ":" in name:
        prefix, name = name.split(":", 1)
        ns = element.nsmap.get(prefix) or ""
    return (f"{{{ns}}}{name}" if ns else name) in names


def _inherited_ns(node: etree._Element) -> str:
    """The ``ns`` a pattern has or inherits from its ancestors (RELAX NG's rule)."""
    for ancestor in (node, *node.iterancestors()):
        value = ancestor.get("ns")
        if value is not None:
            return str(value)
    return ""


# -- the cache on disk -------------------------------------------------------------------


def cache_path(schema_digest: str, names: Vocabulary) -> Path:
    """The cache file of the cut of the schema of SHA-256 ``schema_digest`` to ``names``."""
    import hashlib  # here: only tei_all needs it

    key = hashlib.sha256("\n".join([schema_digest, __version__, PREPARATION, *sorted(names)])
                         .encode()).hexdigest()
    return cache_dir() / f"tei_all-{key[:32]}.rng"
