"""The header of any TEI document as view data: title, date, place, source, licence, persons.

Reads ``teiHeader`` the way the renderers need it, whoever wrote the TEI: our
encoder (``creation/date``, ``sourceDesc/bibl/ref``), DraCor (``bibl`` with an
``idno type="URL"``, several ``persName`` per person in several languages) and
ParlaMint (``setting`` of ``name`` elements, a ``licence`` that is a bare URL,
surnames before forenames). A teiCorpus contributes its own header first, then
those of the TEI documents it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from tei.render.inline import collapse, has_own_text, is_element, text_of
from tei.render.words import format_when, when_parts
from tei.render.view import Date, Idno, Link, Place
from tei.xmlio import NSMAP, local_name, tei, xml


def header_elements(root: etree._Element) -> list[etree._Element]:
    """The root's ``<teiHeader>``, then those of the TEI documents a teiCorpus holds."""
    return list(root.iter(tei("teiHeader")))


def joined(elements: Iterable[etree._Element], sep: str = "; ") -> str:
    """The collapsed texts of elements, joined."""
    return sep.join(t for t in (collapse(text_of(e)) for e in elements) if t)


def preferred_text(elements: list[etree._Element], lang: str) -> str:
    """The text of the element in the document's language (or without a language), else the first."""
    for el in elements:
        if el.get(xml("lang")) in (None, lang):
            text = collapse(text_of(el))
            if text:
                return text
    return collapse(text_of(elements[0])) if elements else ""


def person_name(el: etree._Element, lang: str) -> str:
    """A person's name: ``persName`` in the document's language, else ``name``.

    The name is shown as the TEI writes it (``В.Путин`` stays without a
    space), except that a name written surname first reads forenames first
    (ParlaMint: ``<surname>Corbyn</surname><forename>Jeremy</forename>``).
    """
    names = el.findall("tei:persName", NSMAP)
    chosen = next((n for n in names if n.get(xml("lang")) in (None, lang)), None)
    if chosen is not None and not has_own_text(chosen):
        parts = [p for p in chosen if is_element(p)]
        kinds = [local_name(p) for p in parts]
        surname_first = "forename" in kinds and "surname" in kinds and (
            kinds.index("surname") < kinds.index("forename"))
        if surname_first:
            ordered = sorted(parts, key=lambda p: local_name(p) != "forename")
            return " ".join(t for t in (collapse(text_of(p)) for p in ordered) if t)
    return (preferred_text(names, lang) or preferred_text(el.findall("tei:name", NSMAP), lang)
            or (el.get("role") or ""))


_WEB_ADDRESS = re.compile(r"https?://\S+$", re.IGNORECASE)

_AUTHORITIES = {
    "wikidata": (re.compile(r"Q\d+$"), "https://www.wikidata.org/wiki/{}"),
    "geonames": (re.compile(r"\d+$"), "https://www.geonames.org/{}"),
    "viaf": (re.compile(r"\d+$"), "https://viaf.org/viaf/{}"),
}


def idnos(el: etree._Element) -> list[Idno]:
    """A person's or place's identifiers, with a web address when one is known."""
    found: list[Idno] = []
    for idno in el.findall("tei:idno", NSMAP):
        value = collapse(text_of(idno))
        if not value:
            continue
        kind = idno.get("type") or ""
        url = value if _WEB_ADDRESS.match(value) else None
        pattern, template = _AUTHORITIES.get(kind.lower(), (None, ""))
        if url is None and pattern is not None and pattern.match(value):
            url = template.format(value)
        found.append(Idno(type=kind, value=value, url=url))
    return found


def document_lang(root: etree._Element, headers: list[etree._Element]) -> str:
    """The document's language: ``xml:lang`` of the root or text, else the first declared."""
    value = root.get(xml("lang"))
    if not value:
        text = root.find("tei:text", NSMAP)
        value = text.get(xml("lang")) if text is not None else None
    if not value:
        for header in headers:
            language = header.find("tei:profileDesc/tei:langUsage/tei:language", NSMAP)
            if language is not None and language.get("ident"):
                value = language.get("ident")
                break
    value = (value or "en").strip()
    return value if re.match(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", value) else "en"


def _first(headers: list[etree._Element], paths: Iterable[str]) -> etree._Element | None:
    """The first element found at any of ``paths`` (in order) in any header."""
    for path in paths:
        for header in headers:
            found = header.find(path, NSMAP)
            if found is not None:
                return found
    return None


def titles(headers: list[etree._Element], lang: str) -> tuple[str, list[str]]:
    """The title (``type="main"``, else the first in the document's language) and subtitles."""
    if not headers:
        return "", []
    titles = [t for t in headers[0].findall("tei:fileDesc/tei:titleStmt/tei:title", NSMAP)
              if collapse(text_of(t))]
    own = [t for t in titles if t.get(xml("lang")) in (None, lang)] or titles
    main = [t for t in own if t.get("type") == "main"] or [t for t in own if t.get("type") is None]
    main = main or own
    if not main:
        return "", []
    title = collapse(text_of(main[0]))
    subtitles = [collapse(text_of(t)) for t in own
                 if t is not main[0] and (t.get("type") == "sub" or t.get("type") is None)]
    return title, subtitles


def authors(headers: list[etree._Element], lang: str) -> list[str]:
    """The authors of the work (``titleStmt/author``: a play's playwright), names as written."""
    if not headers:
        return []
    found = []
    for el in headers[0].findall("tei:fileDesc/tei:titleStmt/tei:author", NSMAP):
        name = person_name(el, lang) if el.find("tei:persName", NSMAP) is not None else ""
        found.append(name or collapse(text_of(el)))
    return [name for name in dict.fromkeys(found) if name]


def date(headers: list[etree._Element], lang: str) -> Date | None:
    """When the event took place: creation date, setting date, else the source's date."""
    el = _first(headers, ("tei:profileDesc/tei:creation/tei:date",
                          "tei:profileDesc/tei:settingDesc/tei:setting/tei:date",
                          "tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date"))
    if el is None:
        return None
    text = collapse(text_of(el))
    when = el.get("when")
    if when and when_parts(when) is not None:
        return Date(text=format_when(when, lang) or when, iso=when.strip())
    start, end = el.get("from") or el.get("notBefore"), el.get("to") or el.get("notAfter")
    if start or end:
        shown = [format_when(v, lang) or v for v in (start, end) if v]
        return Date(text=text or " – ".join(shown), iso=None)
    return Date(text=text or (when or ""), iso=None) if (text or when) else None


def setting_place(headers: list[etree._Element]) -> tuple[str | None, str | None]:
    """Where the event took place, as words, and the id of its ``<place>`` if it points at one."""
    el = _first(headers, ("tei:profileDesc/tei:creation/tei:placeName",
                          "tei:profileDesc/tei:settingDesc/tei:setting/tei:placeName"))
    if el is not None:
        ref = el.get("ref") or ""
        return collapse(text_of(el)) or None, (ref[1:] if ref.startswith("#") else None)
    setting = _first(headers, ("tei:profileDesc/tei:settingDesc/tei:setting",))
    if setting is None:
        return None, None
    names = joined((n for n in setting if is_element(n) and local_name(n) in
                     ("name", "placeName", "orgName", "geogName", "settlement", "region",
                      "country")), ", ")
    return names or None, None


def place_label(ref: str, places: list[Place]) -> str | None:
    """A listed place as words: ``Ново-Огарёво, Московская область``."""
    for place in places:
        if place.id == ref:
            return ", ".join([place.name, *place.parts])
    return None


def source(headers: list[etree._Element]) -> tuple[Link | None, str | None]:
    """The source's web address and publisher, from ``sourceDesc``."""
    link: Link | None = None
    publisher: str | None = None
    for header in headers:
        source = header.find("tei:fileDesc/tei:sourceDesc", NSMAP)
        if source is None:
            continue
        for el in source.iter(tei("ref"), tei("idno"), tei("ptr")):
            address = el.get("target") if local_name(el) != "idno" else collapse(text_of(el))
            if link is None and address and _WEB_ADDRESS.match(address):
                link = Link(url=address, text=address)
        pub = source.find(".//tei:publisher", NSMAP)
        if pub is None:
            pub = source.find(".//tei:bibl/tei:name", NSMAP)
        if publisher is None and pub is not None:
            publisher = collapse(text_of(pub)) or None
        if link is not None:
            break
    return link, publisher


def licence(headers: list[etree._Element]) -> tuple[Link | None, str | None]:
    """The licence: a name and address from ``<licence>``, else the availability statement."""
    el = _first(headers, ("tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence",))
    if el is not None:
        text = collapse(text_of(el))
        address = el.get("target") or text
        if _WEB_ADDRESS.match(address or ""):
            return Link(url=address.split()[0], text=text or address), None
        return None, text or None
    statement = _first(headers, ("tei:fileDesc/tei:publicationStmt/tei:availability/tei:p",))
    return None, (collapse(text_of(statement)) or None) if statement is not None else None


def document_id(root: etree._Element, headers: list[etree._Element], name: str | None) -> str:
    """The document identifier: ``xml:id``, else the local ``idno``, else the file's name."""
    value = root.get(xml("id"))
    if not value:
        idno = _first(headers, ("tei:fileDesc/tei:publicationStmt/tei:idno[@type='local']",))
        value = collapse(text_of(idno)) if idno is not None else None
    return collapse(value or name or "document")
