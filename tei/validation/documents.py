"""What a TEI file is held to: the profile (ours), TEI (another corpus's), or a corpus's rules.

* **Ours** is what tei-edition writes, or what says it is: a header that names
  tei-edition as its encoder (``titleStmt/respStmt/name``) or as its publisher
  (:func:`claims_profile`). It is held to the whole profile, as always.
* **A corpus of ours** (the build's ``corpus.xml``: a ``teiCorpus`` that claims the
  profile, its members XIncluded from ``corpus/<id>.xml``): its XIncludes are resolved
  safely (:mod:`tei.xinclude`); each member of ours is held to the profile's rules that
  apply to a member (:func:`member_findings`), and the corpus as a whole to the ones
  that need all of it: identifiers unique across the corpus, each person and place of a
  member linked (``sameAs``) to its entry in the corpus header. A member from another
  corpus gets a note of its distance from the profile; with ``--tei-all`` the
  resolved corpus is checked against tei_all too.
* **TEI from another corpus** (DraCor, ParlaMint, TEI Publisher): without ``--tei-all``
  it is checked against the profile like any file, and fails. With ``--tei-all`` the
  question is whether it is TEI: tei_all's findings (its XIncludes resolved first) are
  failures; when there are none the file is *valid TEI outside the profile* (exit
  status 0), with a note saying how far it is from the profile.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei import ENCODER
from tei.errors import TeiEditionError
from tei.validation.explain import Explanation
from tei.validation.integrity import (MEMBER_RULES, PEOPLE, PLACES, DocumentIndex, Violation,
                                      pointer_kinds, pointers_resolve, unique_ids)
from tei.validation.report import Distance, FileResult, ValidationReport
from tei.validation.locate import Text
from tei.validation.schema import (Finding, Validator, default_validator, explanation_of,
                                   unreadable)
from tei.xinclude import Resolution, has_includes, resolve
from tei.xmlio import xml_files as iter_xml_files
from tei.xmlio import (input_name, is_stdin, local_name, parse_bytes, read_input, read_limited,
                       tei, xml)

_CLAIMS = ("{*}teiHeader/{*}fileDesc/{*}titleStmt/{*}respStmt/{*}name",
           "{*}teiHeader/{*}fileDesc/{*}publicationStmt/{*}publisher")
"""Where a document names tei-edition when it is ours (any namespace: a TEI of ours that
lost its namespace is still ours, and told so by the profile)."""

VALID_TEI = "valid TEI (tei_all)"
"""What a note says of TEI from another corpus that tei_all accepts."""


def distance(findings: list[Finding], path: str, verdict: str) -> Distance | None:
    """The distance from the profile of a document with these profile ``findings``."""
    return Distance(path, len(findings), findings[0], verdict) if findings else None


LINKS = {"person": ("sameAs", PEOPLE), "place": ("sameAs", PLACES)}
"""The links of a member's entries to the corpus header: attribute, and what it leads to."""


def claims_profile(root: etree._Element) -> bool:
    """True when the document says it is tei-edition's, so is held to the profile: its title
    statement names tei-edition as responsible for the encoding, or its publisher is
    tei-edition (the encoder's default)."""
    return any(" ".join("".join(found.itertext()).split()) == ENCODER
               for path in _CLAIMS for found in root.iterfind(path))


@dataclass(slots=True)
class Checked:
    """One input checked: its result, and the files it includes as corpus members."""

    result: FileResult
    key: str | None = None
    """The file's real path (None for standard input): how other inputs' members name it."""
    members: set[str] = field(default_factory=set)


def check_input(validator: Validator, path: str | os.PathLike[str],
                stdin: bytes | None = None) -> Checked:
    """Validate one input (``-``: the bytes ``stdin``) by what it is (see the module)."""
    name = input_name(path)
    key = None if is_stdin(path) else os.path.realpath(path)
    try:
        data = read_input(path, stdin)
        tree = parse_bytes(data, name)
    except (OSError, TeiEditionError) as exc:
        return Checked(FileResult(name, [unreadable(name, exc)]), key)
    file = None if is_stdin(path) else Path(path)
    if not claims_profile(tree.getroot()):
        files = _Files(tree, name, data, None)
        return Checked(check_foreign(validator, files, file), key, files.included())
    if tree.getroot().tag == tei("teiCorpus"):
        return check_corpus(validator, tree, name, data, file, key)
    return Checked(FileResult(name, validator.validate_tree(tree, name, source=data)), key)


def check_foreign(validator: Validator, files: _Files, path: Path | None) -> FileResult:
    """TEI from another corpus: the profile's findings, or with tei_all whether it is TEI
    (its XIncludes resolved, into ``files``)."""
    tree, name = files.root.getroottree(), files.name
    profile = profile_validator(validator).validate_tree(tree, name, source=files.data)
    if validator.tei_all is None:
        return FileResult(name, profile)
    if has_includes(tree):
        files.resolved(resolve(tree, path, len(files.data)))
    findings = files.problems() + files.findings(validator, validator.tei_all_explanations(tree))
    note = distance(profile, name, VALID_TEI)
    if findings or note is None:
        return FileResult(name, findings)
    return FileResult(name, notes=[note], outside_profile=True)


def check_corpus(validator: Validator, tree: etree._ElementTree, name: str, data: bytes,
                 path: Path | None, key: str | None) -> Checked:
    """A corpus of ours: its members by their own rules, the whole by the corpus's."""
    files = _Files(tree, name, data, resolve(tree, path, len(data)))
    root = tree.getroot()
    checked_as_tei = validator.tei_all is not None
    header = root.find(tei("teiHeader"))
    entries = DocumentIndex.of(header).ids if header is not None else {}
    result = FileResult(name, files.problems())
    profile = profile_validator(validator)
    for member in members(root):
        member_name, source = files.owner(member)
        if claims_profile(member):
            result.findings += member_findings(profile, member, member_name, source)
            result.findings += files.findings(validator, map(explanation_of,
                                                             member_links(member, entries)))
        else:
            own = profile.validate_tree(etree.ElementTree(copy.deepcopy(member)), member_name,
                                        source=source)
            note = distance(own, member_name, "TEI from another corpus")
            result.notes += [note] if note else []
    result.findings += files.findings(validator, map(explanation_of,
                                                     unique_ids(DocumentIndex.of(root))))
    tei_all = files.findings(validator, validator.tei_all_explanations(tree))
    result.findings += tei_all
    result.findings.sort(key=lambda f: (f.path != name, f.path, f.line or 0))
    refused = {finding.path for finding in tei_all}
    result.notes = [dataclasses.replace(note, verdict=VALID_TEI)
                    if checked_as_tei and note.path not in refused else note
                    for note in result.notes]
    return Checked(result, key, files.included())


def profile_validator(validator: Validator) -> Validator:
    """A validator of the profile alone, with the engine of ``validator``."""
    return validator if validator.tei_all is None else Validator(engine=validator.engine)


def members(root: etree._Element) -> Iterator[etree._Element]:
    """The TEI documents of a ``teiCorpus`` (and of the corpora it holds), in order."""
    for child in root:
        if child.tag == tei("TEI"):
            yield child
        elif child.tag == tei("teiCorpus"):
            yield from members(child)


def member_findings(validator: Validator, member: etree._Element, name: str,
                    source: Text = None) -> list[Finding]:
    """A member of ours against the profile's rules that apply to a member: the schema
    (its corpus links aside: ``sameAs`` is the corpus's), paragraph and turn numbers, and
    identifiers that are the member's prefix (``kremlin-64534.``) and ``p``/``sp`` + number.
    Identifiers and pointers are checked across the corpus (:func:`member_links`)."""
    alone = copy.deepcopy(member)
    for element in alone.iter(*(tei(kind) for kind in LINKS)):
        element.attrib.pop(LINKS[local_name(element)][0], None)
    prefix = f"{member.get(xml('id')) or ''}."
    return validator.validate_tree(etree.ElementTree(alone), name, source=source,
                                   rules=MEMBER_RULES, id_prefix=prefix)


def member_links(member: etree._Element,
                 entries: dict[str, etree._Element]) -> Iterator[Violation]:
    """A member's pointers lead into it or to the corpus header's ``entries``, and each of
    its persons and places is linked to an entry of its kind there."""
    index = DocumentIndex.of(member)
    for identifier, element in entries.items():
        index.ids.setdefault(identifier, element)
    yield from pointers_resolve(index)
    yield from pointer_kinds(index)
    for element in member.iter(*(tei(kind) for kind in LINKS)):
        attribute, kinds = LINKS[local_name(element)]
        value = element.get(attribute)
        if value is None:
            continue
        target = entries.get(value[1:]) if value.startswith("#") else None
        if target is None or local_name(target) not in kinds:
            yield Violation(
                "pointers-resolve",
                f'@{attribute}="{value}" on <{local_name(element)}> must point to its entry in '
                f"the corpus header (#id of a <{'> or <'.join(sorted(kinds))}> there)",
                element, attribute)


class _Files:
    """The files a resolved tree was made of, to say in which one an element stands."""

    def __init__(self, tree: etree._ElementTree, name: str, data: bytes,
                 resolution: Resolution | None) -> None:
        self.root = tree.getroot()
        self.name = name
        self.data = data
        self.resolution: Resolution | None = None
        self._included: dict[etree._Element, Path] = {}
        if resolution is not None:
            self.resolved(resolution)

    def resolved(self, resolution: Resolution) -> None:
        """Take note of what resolving the tree's XIncludes brought in."""
        self.resolution = resolution
        self._included = {inclusion.element: inclusion.path
                          for inclusion in resolution.inclusions
                          if inclusion.element is not None}

    def included(self) -> set[str]:
        """The real paths of the files included (validated as parts of this one)."""
        inclusions = self.resolution.inclusions if self.resolution else []
        return {os.path.realpath(inclusion.path) for inclusion in inclusions}

    def owner(self, element: etree._Element) -> tuple[str, Text]:
        """The name of the file ``element`` comes from, and (lazily) its bytes."""
        root = self._root_of(element)
        if root is self.root:
            return self.name, self.data
        path = self._included[root]
        return str(path), functools.partial(read_limited, path)

    def problems(self) -> list[Finding]:
        """The includes left unresolved, as findings (``read``, ``well-formed``, ``safety``)."""
        problems = self.resolution.problems if self.resolution else []
        return [Finding(p.path, p.line, None, p.message, p.rule) for p in problems]

    def findings(self, validator: Validator,
                 explanations: Iterable[Explanation]) -> list[Finding]:
        """Explanations about elements of the tree as findings, each in its own file."""
        groups: dict[etree._Element, list[Explanation]] = {}
        for explanation in explanations:
            element = explanation.element
            root = self._root_of(element) if element is not None else self.root
            groups.setdefault(root, []).append(explanation)
        found: list[Finding] = []
        for root, group in groups.items():
            name, source = self.owner(root)
            found += validator.findings(name, root, group, source)
        return found

    def _root_of(self, element: etree._Element) -> etree._Element:
        """The root element of the file ``element`` comes from."""
        for candidate in (element, *element.iterancestors()):
            if candidate in self._included:
                return candidate
        return self.root


def _edition_sitemap(path: Path | str) -> bool:
    """True for an edition's ``sitemap.xml`` (beside its ``corpus.xml``): XML, but no TEI."""
    return (isinstance(path, Path) and path.name == "sitemap.xml"
            and (path.parent / "corpus.xml").is_file())


def validate_paths(paths: Iterable[str | os.PathLike[str]],
                   tei_all: str | os.PathLike[str] | bool | None = None,
                   engine: str = "libxml2", stdin: bytes | None = None) -> ValidationReport:
    """Validate files and folders (``*.xml`` inside) against the profile, and tei_all if asked;
    a path ``-`` stands for the bytes ``stdin`` (standard input, read by the caller).

    Each file is held to what it is (:func:`tei.validation.documents.check_input`): the
    profile, TEI (from another corpus, with tei_all), or the rules of a corpus. A file that
    a corpus among the inputs includes is validated as its member, not again on its own.
    """
    validator = Validator(tei_all, engine) if tei_all or engine != "libxml2" else default_validator()
    checked = [check_input(validator, path, stdin) for path in iter_xml_files(paths)
               if not _edition_sitemap(path)]
    members = {member for check in checked for member in check.members}
    results = [check.result for check in checked if check.key not in members]
    against = f"tei-transcript {validator.profile.version}"
    if validator.engine != "libxml2":
        against += f" (with {validator.engine})"
    if validator.tei_all is not None:
        against += " and TEI P5 tei_all"
    return ValidationReport(results, against)
