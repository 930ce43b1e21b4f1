"""The DTS 1.0 API over a built edition: Entry, Collection, Navigation and Document endpoints.

Follows Distributed Text Services 1.0 (https://dtsapi.org/versions/v1.0/) as it is
written; where it leaves a choice, this module makes it:

- **Identifiers.** A resource is a document, identified by its ``xml:id``
  (``kremlin-64534``); citable units are what its ``refsDecl/citeStructure``
  declares, with the identifiers :mod:`tei.corpus.citations` gives them (ours:
  ``sp3`` for turn 3, ``p34`` for paragraph 34). Collections are ``tei-edition:corpus``,
  the edition as a whole, whose members are one collection per language
  (``tei-edition:lang:ru``) and then every document; each document is also a
  member of its language's collection (so it has two parents). Identifiers are
  looked up in the edition's data, never joined to paths.
- **Links.** URI templates and links are relative to the server's root
  (``/api/dts/collection{?id,page,nav}``, as the specification's examples); the
  ``@id`` of a Navigation response and of a Pagination are the request's
  absolute URL, as the specification asks.
- **Pagination.** Collections list 100 members a page, Navigation 1,000 units;
  ``view`` appears only when there is more than one page. The first page has no
  ``previous`` and the last no ``next`` (the specification's table requires both,
  but a link from the last page to itself would never let a client stop). A page
  beyond the last is 404, a ``page`` that is not a positive integer 400.
- **Navigation without ``down``** and with ``ref`` (or ``start``/``end``) has no
  ``member``, as the specification's table says (its Example 7 shows one).
- **Errors** are JSON-LD bodies of the form the DTS drafts prescribed (Hydra's
  ``Status``: ``statusCode``, ``title``, ``description``), 1.0 saying nothing of
  a body: 400 for a missing ``resource``, ``ref`` with ``start``/``end``, one of
  ``start``/``end`` alone, ``down`` absent or 0 where the table says so, ``down``
  below -1, ``end`` before ``start``, a value that is not an integer, not UTF-8,
  holds control characters, is given twice or is longer than 1,000 characters;
  404 for an unknown resource, collection, tree, reference, page or media type.
- **Document** returns the TEI file itself for a whole document, and for
  ``ref`` or ``start``/``end`` the root's start tag, the ``teiHeader`` and, in
  ``<dts:wrapper>`` inside ``<text><body>``, exactly the requested units, cut
  out of the file by their byte offsets: for a range, every unit from ``start``
  to ``end`` that lies wholly inside it, the outermost ones (a turn, not its
  paragraphs again). ``text/html`` and ``text/plain`` are the edition's page and
  text for a whole document, and the same renderers' output for a passage.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_to_bytes, urlencode

from starlette.requests import Request
from starlette.responses import Response

from tei.corpus.dts import CitationTree, DtsStore, Passages, Resource, Unit
from tei.xmlio import quote_attribute

CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"
JSON_LD = "application/ld+json"
TEI_XML = "application/tei+xml"
HTML_TYPE = "text/html"
TEXT_TYPE = "text/plain"
ROOT_ID = "tei-edition:corpus"
LANG_PREFIX = "tei-edition:lang:"
COLLECTION_PAGE = 100
NAVIGATION_PAGE = 1000
MAX_VALUE = 1000
"""Longest parameter value accepted, in characters (identifiers are far shorter)."""
MAX_QUERY = 8192
PARENTS = 2
"""Collections a document is a member of: the edition and its language's."""
LANGUAGES = {"ru": "Russian", "en": "English", "de": "German", "fr": "French", "uk": "Ukrainian"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ApiError(Exception):
    """A request the API answers with a 4xx status and a JSON error body."""

    TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description

    def response(self) -> Response:
        """The error as a JSON-LD ``Status`` body."""
        body = {"@context": "http://www.w3.org/ns/hydra/context.jsonld", "@type": "Status",
                "statusCode": self.status, "title": self.TITLES.get(self.status, "Error"),
                "description": self.description}
        return json_response(body, self.status)


def json_response(data: dict[str, Any], status: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    """A JSON-LD response (UTF-8, compact)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status, headers, media_type=JSON_LD)


# -- query parameters ----------------------------------------------------------------------


def query(request: Request, known: Iterable[str]) -> dict[str, str]:
    """The request's parameters among ``known``, checked: UTF-8, no control characters, each
    at most once and :data:`MAX_VALUE` long. An empty value counts as absent (RFC 6570
    expands an empty variable to ``ref=``); unknown parameters are ignored."""
    raw: bytes = request.scope.get("query_string", b"")
    if len(raw) > MAX_QUERY:
        raise ApiError(400, f"the query is longer than {MAX_QUERY} bytes")
    wanted = set(known)
    found: dict[str, str] = {}
    for part in raw.split(b"&"):
        name_bytes, _, value_bytes = part.partition(b"=")
        try:
            name = unquote_to_bytes(name_bytes.replace(b"+", b" ")).decode("utf-8")
            value = unquote_to_bytes(value_bytes.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "the query is not UTF-8 (percent-escapes must encode UTF-8)") \
                from None
        if name not in wanted:
            continue
        if name in found:
            raise ApiError(400, f"the parameter {name!r} is given more than once")
        if len(value) > MAX_VALUE:
            raise ApiError(400, f"the value of {name!r} is longer than {MAX_VALUE} characters")
        if _CONTROL.search(value):
            raise ApiError(400, f"the value of {name!r} holds control characters")
        if value:
            found[name] = value
    return found


def integer(params: dict[str, str], name: str, minimum: int) -> int | None:
    """The parameter ``name`` as an integer of at least ``minimum`` (None when absent)."""
    value = params.get(name)
    if value is None:
        return None
    if not re.fullmatch(r"-?[0-9]{1,9}", value) or int(value) < minimum:
        raise ApiError(400, f"{name} must be an integer of at least {minimum} (got {value!r})")
    return int(value)


# -- links and objects ---------------------------------------------------------------------


def api_base(request: Request) -> str:
    """The API's address relative to the server's root (``/api/dts``)."""
    return f"{request.scope.get('root_path', '')}/api/dts"


def _q(value: str) -> str:
    return quote(value, safe="")


def page_url(request: Request, page: int) -> str:
    """The absolute URL of the current request with ``page`` set."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return str(request.url.replace(query=urlencode([*params, ("page", str(page))])))


def pagination(request: Request, page: int, pages: int) -> dict[str, str]:
    """The ``view`` of a paginated response (see the module docstring)."""
    view = {"@id": page_url(request, page), "@type": "Pagination",
            "first": page_url(request, 1), "last": page_url(request, pages)}
    if page > 1:
        view["previous"] = page_url(request, page - 1)
    if page < pages:
        view["next"] = page_url(request, page + 1)
    return view


def pages_of(count: int, size: int, page: int | None) -> tuple[int, int]:
    """``(page, pages)`` for ``count`` items, ``size`` a page; 404 beyond the last page."""
    pages = max(1, -(-count // size))
    page = page or 1
    if page > pages:
        raise ApiError(404, f"there is no page {page}: the last is {pages}")
    return page, pages


def media_types(resource: Resource) -> list[str]:
    """The media types the Document endpoint offers for ``resource``'s passages."""
    return [TEI_XML, HTML_TYPE, TEXT_TYPE] if resource.meta["fragments"] else [TEI_XML]


def resource_object(request: Request, resource: Resource) -> dict[str, Any]:
    """A document as a DTS ``Resource`` (Collection members, Navigation's ``resource``)."""
    meta = resource.meta
    base, rid = api_base(request), _q(resource.id)
    root = request.scope.get("root_path", "")
    dublin_core: dict[str, Any] = {"title": [{"lang": meta["lang"], "value": meta["title"]}],
                                   "language": [meta["lang"]]}
    if meta["when"]:
        dublin_core["date"] = meta["when"]
    if meta["publisher"]:
        dublin_core["publisher"] = [{"lang": meta["lang"], "value": meta["publisher"]}]
    if meta["source"]:
        dublin_core["source"] = [meta["source"]]
    if meta["licence"]:
        dublin_core["license"] = [meta["licence"]]
    trees = []
    for tree in meta["trees"]:
        entry: dict[str, Any] = {"@type": "CitationTree", "citeStructure": tree["citeStructure"]}
        if tree["identifier"] is not None:
            entry["identifier"] = tree["identifier"]
        trees.append(entry)
    return {
        "@id": resource.id, "@type": "Resource", "title": meta["title"],
        "totalParents": PARENTS, "totalChildren": 0, "dublinCore": dublin_core,
        "collection": f"{base}/collection?id={rid}{{&page,nav}}",
        "navigation": f"{base}/navigation?resource={rid}{{&ref,down,start,end,tree,page}}",
        "document": f"{base}/document?resource={rid}{{&ref,start,end,tree,mediaType}}",
        "download": f"{root}/{meta['files']['tei']}",
        "citationTrees": trees, "mediaTypes": media_types(resource),
    }


def language_name(lang: str) -> str:
    """A language tag's English name, or the tag."""
    return LANGUAGES.get(lang.split("-")[0], lang)


def collection_object(request: Request, store: DtsStore, lang: str | None) -> dict[str, Any]:
    """The edition (``lang`` None) or one language's documents as a DTS ``Collection``."""
    base = api_base(request)
    if lang is None:
        return {"@id": ROOT_ID, "@type": "Collection", "title": store.edition.get("title", ""),
                "totalParents": 0, "totalChildren": len(store.languages) + store.total,
                "dublinCore": {"language": sorted(store.languages)},
                "collection": f"{base}/collection{{?id,page,nav}}"}
    cid = f"{LANG_PREFIX}{lang}"
    return {"@id": cid, "@type": "Collection",
            "title": f"{store.edition.get('title', '')}: documents in {language_name(lang)}",
            "totalParents": 1, "totalChildren": store.languages[lang],
            "dublinCore": {"language": [lang]},
            "collection": f"{base}/collection?id={_q(cid)}{{&page,nav}}"}


def top(data: dict[str, Any]) -> dict[str, Any]:
    """A response's top object: the JSON-LD context and DTS version first."""
    return {"@context": CONTEXT, "dtsVersion": VERSION, **data}


# -- the endpoints -------------------------------------------------------------------------


def entry(request: Request) -> Response:
    """The Entry endpoint: where the other three are, as URI templates."""
    base = api_base(request)
    return json_response(top({
        "@id": base, "@type": "EntryPoint",
        "collection": f"{base}/collection{{?id,page,nav}}",
        "navigation": f"{base}/navigation{{?resource,ref,start,end,down,tree,page}}",
        "document": f"{base}/document{{?resource,ref,start,end,tree,mediaType}}",
    }))


def collection(request: Request, store: DtsStore) -> Response:
    """The Collection endpoint: the edition, a language's documents, or one document."""
    params = query(request, ("id", "page", "nav"))
    page = integer(params, "page", 1)
    nav = params.get("nav", "children")
    if nav not in ("children", "parents"):
        raise ApiError(400, f"nav must be children or parents (got {nav!r})")
    ident = params.get("id", ROOT_ID)
    if ident == ROOT_ID or ident.startswith(LANG_PREFIX):
        lang = None if ident == ROOT_ID else ident[len(LANG_PREFIX):]
        if lang is not None and lang not in store.languages:
            raise ApiError(404, f"there is no collection {ident!r}")
        data = collection_object(request, store, lang)
        if nav == "parents":
            data["member"] = [] if lang is None else [collection_object(request, store, None)]
            return json_response(top(data))
        return json_response(top(_children(request, store, lang, page, data)))
    resource = store.resource(ident)
    if resource is None:
        raise ApiError(404, f"there is no collection or resource {ident!r}")
    data = resource_object(request, resource)
    if nav == "parents":
        data["member"] = [collection_object(request, store, None),
                          collection_object(request, store, resource.meta["lang"])]
    return json_response(top(data))


def _children(request: Request, store: DtsStore, lang: str | None, requested: int | None,
              data: dict[str, Any]) -> dict[str, Any]:
    """A collection with a page of its members: languages first (the edition), then documents."""
    languages = sorted(store.languages) if lang is None else []
    count = len(languages) + (store.total if lang is None else store.languages[lang])
    page, pages = pages_of(count, COLLECTION_PAGE, requested)
    first, last = (page - 1) * COLLECTION_PAGE, page * COLLECTION_PAGE
    members: list[dict[str, Any]] = [collection_object(request, store, code)
                                     for code in languages[first:last]]
    offset = max(0, first - len(languages))
    limit = last - max(first, len(languages))
    if limit > 0:
        members += [resource_object(request, r) for r in store.members(lang, offset, limit)]
    data["member"] = members
    if pages > 1:
        data["view"] = pagination(request, page, pages)
    return data


@dataclass(slots=True)
class Selection:
    """What a Navigation or Document request names: a resource, a tree and units in it."""

    resource: Resource
    passages: Passages
    tree: CitationTree | None
    ref: Unit | None = None
    start: Unit | None = None
    end: Unit | None = None


def select(store: DtsStore, params: dict[str, str], use_tree: bool) -> Selection:
    """Check the parameters common to Navigation and Document and find what they name;
    ``use_tree``: the request addresses units (else ``tree`` has no effect, as the
    specification says of Document)."""
    if "resource" not in params:
        raise ApiError(400, "the resource parameter is required")
    if "ref" in params and ("start" in params or "end" in params):
        raise ApiError(400, "ref cannot be used with start or end")
    if ("start" in params) != ("end" in params):
        raise ApiError(400, "start and end must be given together")
    resource = store.resource(params["resource"])
    passages = store.passages(params["resource"])
    if resource is None or passages is None:
        raise ApiError(404, f"there is no resource {params['resource']!r}")
    name = params.get("tree") if use_tree else None
    tree = passages.tree(name)
    if tree is None and passages.trees:
        raise ApiError(404, f"the resource has no citation tree {name!r}")
    found = Selection(resource, passages, tree)
    if tree is None:
        return found
    for key in ("ref", "start", "end"):
        if key in params:
            unit = tree.by_identifier.get(params[key])
            if unit is None:
                raise ApiError(404, f"the citation tree has no unit {params[key]!r} ({key})")
            setattr(found, key, unit)
    if found.start is not None and found.end is not None \
            and found.end.position < found.start.position:
        raise ApiError(400, "end comes before start in the document")
    return found


def citable_unit(tree: CitationTree, unit: Unit) -> dict[str, Any]:
    """A unit as a DTS ``CitableUnit``."""
    parent = tree.units[unit.parent].identifier if unit.parent >= 0 else None
    return {"identifier": unit.identifier, "@type": "CitableUnit", "level": unit.level,
            "parent": parent, "citeType": unit.cite_type}


def navigation(request: Request, store: DtsStore) -> Response:
    """The Navigation endpoint: units of a document's citation tree (see the table of the
    specification's "Usage of down, ref, start and end")."""
    params = query(request, ("resource", "ref", "start", "end", "down", "tree", "page"))
    down = integer(params, "down", -1)
    page = integer(params, "page", 1)
    has_ref, has_range = "ref" in params, "start" in params or "end" in params
    if "resource" in params and not has_ref and not has_range and not down:
        raise ApiError(400, "give ref, start and end, or down (other than 0)")
    if has_range and down == 0:
        raise ApiError(400, "down=0 is for ref (the unit's siblings), not start and end")
    found = select(store, params, use_tree=True)
    data = top({"@type": "Navigation", "@id": str(request.url),
                "resource": resource_object(request, found.resource)})
    tree = found.tree
    if tree is None:  # a resource without citation trees: an empty member, never an error
        data["member"] = []
        return json_response(data)
    for key in ("ref", "start", "end"):
        unit = getattr(found, key)
        if unit is not None:
            data[key] = citable_unit(tree, unit)
    if down is None:
        return json_response(data)
    members = _members(tree, found, down)
    page, pages = pages_of(len(members), NAVIGATION_PAGE, page)
    first = (page - 1) * NAVIGATION_PAGE
    data["member"] = [citable_unit(tree, u) for u in members[first:first + NAVIGATION_PAGE]]
    if pages > 1:
        data["view"] = pagination(request, page, pages)
    return json_response(data)


def _members(tree: CitationTree, found: Selection, down: int) -> list[Unit]:
    """The units a Navigation request with ``down`` lists, in document order."""
    units = tree.units
    if found.ref is not None and down == 0:
        return [u for u in units if u.parent == found.ref.parent]
    if found.ref is not None:
        span, level = units[found.ref.position:found.ref.last + 1], found.ref.level
    elif found.start is not None and found.end is not None:
        span = units[found.start.position:found.end.last + 1]
        level = max(found.start.level, found.end.level)
    else:
        span, level = units, 0
    return span if down == -1 else [u for u in span if u.level <= level + down]


# -- Document ------------------------------------------------------------------------------


Reader = Callable[[str], bytes]
"""Reads a file of the build by its path relative to the build (one the data names)."""
Renderer = Callable[[bytes, str, str], bytes]
"""Renders a TEI document (bytes, resource ID, media type) as HTML or text."""


def document(request: Request, store: DtsStore, read: Reader, render: Renderer) -> Response:
    """The Document endpoint: a whole document, or exactly the requested units."""
    params = query(request, ("resource", "ref", "start", "end", "tree", "mediaType"))
    partial = any(key in params for key in ("ref", "start", "end"))
    found = select(store, params, use_tree=partial)
    resource = found.resource
    media = params.get("mediaType", TEI_XML)
    if media not in media_types(resource):
        raise ApiError(404, f"{media!r} is not offered for this resource "
                            f"(offered: {', '.join(media_types(resource))})")
    link = f'<{api_base(request)}/collection?id={_q(resource.id)}>; rel="collection"'
    headers = {"Link": link}
    files = resource.meta["files"]
    if not partial:
        name = {TEI_XML: "tei", HTML_TYPE: "html", TEXT_TYPE: "text"}[media]
        return Response(read(files[name]), headers=headers, media_type=_typed(media))
    if found.tree is None:
        raise ApiError(404, "the resource has no citation tree")
    units = _passage(found)
    tei = _fragment(read(files["tei"]), found.passages, found.tree, units, media != TEI_XML)
    body = tei if media == TEI_XML else render(tei, resource.id, media)
    return Response(body, headers=headers, media_type=_typed(media))


def _typed(media: str) -> str:
    """A media type with its charset where the body is text."""
    return media if media == TEI_XML else f"{media}; charset=utf-8"


def _passage(found: Selection) -> list[Unit]:
    """The units a Document request returns: ``ref``'s, or the outermost units that lie
    wholly between ``start`` and ``end``."""
    if found.ref is not None:
        return [found.ref]
    assert found.start is not None and found.end is not None and found.tree is not None
    units = found.tree.units
    begin, finish = found.start.start, found.end.end
    chosen: list[Unit] = []
    index = found.start.position
    while index <= found.end.last:
        unit = units[index]
        if unit.start >= begin and unit.end <= finish:
            chosen.append(unit)
            index = unit.last + 1
        else:
            index += 1
    return chosen


def _fragment(data: bytes, passages: Passages, tree: CitationTree, units: list[Unit],
              for_rendering: bool) -> bytes:
    """A TEI document of the root's start tag, the header and ``units`` cut out of ``data``:
    in ``<dts:wrapper>`` (or, to be rendered, in a ``<div>``)."""
    if not passages.fragments:
        raise ApiError(404, "passages of this resource are not offered (its TEI file is not in "
                            "an ASCII-compatible encoding): ask for the whole document")
    codec = passages.encoding

    def text(start: int, end: int) -> str:
        return data[start:end].decode(codec, errors="replace")

    prefix = f"{passages.prefix}:" if passages.prefix else ""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', text(*passages.root), "\n"]
    if passages.header is not None:
        parts += [text(*passages.header), "\n"]
    opening = "<div>" if for_rendering else f"<dts:wrapper xmlns:dts={quote_attribute(DTS_NS)}>"
    closing = "</div>" if for_rendering else "</dts:wrapper>"
    parts.append(f"<{prefix}text><{prefix}body>{opening}\n")
    for unit in units:
        parts += [_declared(text(unit.start, unit.end), tree.namespaces.get(unit.position)), "\n"]
    parts.append(f"{closing}</{prefix}body></{prefix}text>\n</{prefix}TEI>\n")
    return "".join(parts).encode("utf-8")


def _declared(element: str, namespaces: dict[str, str] | None) -> str:
    """``element`` with the namespace declarations it inherited from ancestors now left out."""
    if not namespaces:
        return element
    name = re.match(r"<[^\s/>]+", element)
    at = name.end() if name else 0
    declarations = "".join(f" xmlns{':' + p if p else ''}={quote_attribute(uri)}"
                           for p, uri in sorted(namespaces.items()))
    return element[:at] + declarations + element[at:]
