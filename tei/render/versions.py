"""Documents of one source item in several languages: which pages are versions of which.

Two documents are versions of one item when one's source address (``sourceDesc``:
``ref/@target``, a web ``idno``) is another's, or is the target of the other's
``relatedItem`` (an en.kremlin.ru document points at the kremlin.ru item of its number;
see ``schema/README.md``, "Versions in other languages"), and their languages differ.
That is known only of documents rendered together (a corpus build, one ``render``), so a
page's versions are not in its TEI: the callers gather each document's :class:`Item`
(:func:`item_of`, or :func:`read_item` from the header alone), :func:`versions` links
them, and the view's ``versions`` carry the result into the page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from tei.render.header import document_id, document_lang, header_elements
from tei.render.inline import collapse, text_of
from tei.xmlio import NSMAP, check_safe, local_name, tei

_ADDRESS = re.compile(r"https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Item:
    """What linking needs of one document: its ID, language and addresses."""

    id: str
    lang: str
    own: tuple[str, ...]
    """Its source's addresses, normalised (see :func:`address_key`)."""
    related: tuple[str, ...] = ()
    """Addresses of the same item in other languages (``relatedItem/@target``)."""


def address_key(url: str) -> str:
    """An address as compared: without scheme, ``www.`` or a final ``/``, host in lower case."""
    rest = re.sub(r"^https?://(www\.)?", "", url.strip(), flags=re.IGNORECASE).rstrip("/")
    host, _, path = rest.partition("/")
    return f"{host.lower()}/{path}" if path else host.lower()


def item_of(root: etree._Element, name: str | None = None) -> Item:
    """The :class:`Item` of a parsed document (``name``: the file's stem, for a document
    without an ``xml:id``, as the view names it)."""
    headers = header_elements(root)
    own: list[str] = []
    related: list[str] = []
    for header in headers:
        source = header.find("tei:fileDesc/tei:sourceDesc", NSMAP)
        if source is None:
            continue
        for el in source.iter(tei("ref"), tei("idno"), tei("ptr"), tei("relatedItem")):
            kind = local_name(el)
            address = collapse(text_of(el)) if kind == "idno" else (el.get("target") or "")
            if _ADDRESS.match(address):
                (related if kind == "relatedItem" else own).append(address_key(address))
    return Item(document_id(root, headers, name), document_lang(root, headers),
                tuple(dict.fromkeys(own)), tuple(dict.fromkeys(related)))


def read_item(data: bytes, name: str | None = None) -> Item:
    """The :class:`Item` of a TEI file's bytes, read from the root and header only."""
    check_safe(data, name or "<input>")
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                             no_network=True, huge_tree=False, remove_comments=True)
    root: etree._Element | None = None
    for event, el in events:
        if root is None:
            root = el
        if event == "end" and el.tag == tei("teiHeader") and el.getparent() is root:
            break
        if event == "start" and el.tag == tei("text"):
            break
    assert root is not None
    return item_of(root, name)


def versions(items: Iterable[Item]) -> dict[str, list[tuple[str, str]]]:
    """Each document's versions in other languages, ``(lang, document ID)``, one per language.

    Documents are linked through shared addresses (own or related), then grouped (a
    Russian item and its English and Chinese versions form one group even if only the
    two translations name the original); within a group, each language's first
    document by ID stands for it. Documents without versions are left out.
    """
    items = sorted(items, key=lambda i: i.id)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owners: dict[str, int] = {}
    for index, item in enumerate(items):
        for key in item.own:
            owners.setdefault(key, index)
    for index, item in enumerate(items):
        for key in (*item.own, *item.related):
            other = owners.get(key)
            if other is not None and items[other].lang != item.lang:
                parent[find(index)] = find(other)
    groups: dict[int, list[Item]] = {}
    for index, item in enumerate(items):
        groups.setdefault(find(index), []).append(item)
    found: dict[str, list[tuple[str, str]]] = {}
    for group in groups.values():
        by_lang: dict[str, str] = {}
        for item in group:
            by_lang.setdefault(item.lang, item.id)
        for item in group:
            others = [(lang, doc) for lang, doc in sorted(by_lang.items()) if lang != item.lang]
            if others:
                found[item.id] = others
    return found
