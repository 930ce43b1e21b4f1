"""The DTS 1.0 endpoints of ``tei-edition serve``, through Starlette's TestClient, on a real build.

Every JSON response is checked against the JSON Schemas written from the
specification (``schemas/``); every error class the specification names, and
the malformed requests it does not, get their 4xx and a JSON error body.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tei.serve import dts
from tei.xmlio import NSMAP, TEI_NS

Schema = Callable[[str, Any], None]
DOC = "kremlin-64534"
NAV = f"/api/dts/navigation?resource={DOC}"
DOCUMENT = f"/api/dts/document?resource={DOC}"


def get_json(client: Any, url: str, schema: Schema, kind: str, status: int = 200) -> Any:
    """GET ``url``: its status, JSON-LD type and schema checked; the parsed body."""
    response = client.get(url)
    assert response.status_code == status, (url, response.text)
    assert response.headers["content-type"] == "application/ld+json"
    data = response.json()
    schema("error" if status >= 400 else kind, data)
    return data


def identifiers(data: dict[str, Any]) -> list[str]:
    return [unit["identifier"] for unit in data["member"]]


# -- Entry --------------------------------------------------------------------------------


def test_entry_gives_the_three_endpoints_as_uri_templates(client: Any, schema: Schema) -> None:
    for url in ("/api/dts", "/api/dts/"):
        data = get_json(client, url, schema, "entry")
        assert data["collection"] == "/api/dts/collection{?id,page,nav}"
        assert data["navigation"] == "/api/dts/navigation{?resource,ref,start,end,down,tree,page}"
        assert data["document"] == "/api/dts/document{?resource,ref,start,end,tree,mediaType}"


# -- Collection ---------------------------------------------------------------------------


def test_the_root_collection_is_the_edition_with_languages_then_documents(
        client: Any, schema: Schema) -> None:
    data = get_json(client, "/api/dts/collection", schema, "collection")
    assert data["@id"] == dts.ROOT_ID and data["totalParents"] == 0
    kinds = [(m["@type"], m["@id"]) for m in data["member"]]
    assert kinds[:2] == [("Collection", "tei-edition:lang:en"), ("Collection", "tei-edition:lang:ru")]
    documents = [ident for kind, ident in kinds if kind == "Resource"]
    assert set(documents) == {"kremlin-64534", "kremlin-73411", "kremlin-en-57137",
                              "kremlin-en-73411", "hand-corrected"}
    assert data["totalChildren"] == len(data["member"]) == 7
    assert "view" not in data
    assert data == get_json(client, f"/api/dts/collection?id={dts.ROOT_ID}", schema, "collection")


def test_a_document_is_a_resource_with_title_date_language_trees_and_media_types(
        client: Any, schema: Schema) -> None:
    data = get_json(client, f"/api/dts/collection?id={DOC}", schema, "collection")
    assert data["@type"] == "Resource" and data["title"] == "Сессия Совета коллективной безопасности ОДКБ"
    assert data["dublinCore"]["language"] == ["ru"]
    assert data["dublinCore"]["date"] == "2020-12-02T13:15:00+03:00"
    assert data["dublinCore"]["source"] == ["http://kremlin.ru/events/president/news/64534"]
    assert data["mediaTypes"] == ["application/tei+xml", "text/html", "text/plain"]
    assert data["download"] == f"/tei/{DOC}.xml"
    tree, = data["citationTrees"]
    assert tree["citeStructure"] == [
        {"@type": "CiteStructure", "citeType": "paragraph"},
        {"@type": "CiteStructure", "citeType": "turn",
         "citeStructure": [{"@type": "CiteStructure", "citeType": "paragraph"}]}]
    assert client.get(data["download"]).status_code == 200


def test_a_language_collection_and_the_parents_of_a_document(client: Any, schema: Schema) -> None:
    russian = get_json(client, "/api/dts/collection?id=tei-edition:lang:ru", schema, "collection")
    assert [m["@id"] for m in russian["member"]] == ["kremlin-64534", "kremlin-73411"]
    assert russian["totalChildren"] == 2 and russian["totalParents"] == 1
    parents = get_json(client, f"/api/dts/collection?id={DOC}&nav=parents", schema, "collection")
    assert [m["@id"] for m in parents["member"]] == [dts.ROOT_ID, "tei-edition:lang:ru"]
    assert parents["totalParents"] == 2
    up = get_json(client, "/api/dts/collection?id=tei-edition:lang:ru&nav=parents", schema,
                  "collection")
    assert [m["@id"] for m in up["member"]] == [dts.ROOT_ID]


def test_a_large_collection_is_paginated(client: Any, schema: Schema,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dts, "COLLECTION_PAGE", 3)
    pages = [get_json(client, f"/api/dts/collection?page={n}", schema, "collection")
             for n in (1, 2, 3)]
    assert [len(p["member"]) for p in pages] == [3, 3, 1]
    everything = [m["@id"] for page in pages for m in page["member"]]
    assert len(set(everything)) == 7
    first, middle, last = (p["view"] for p in pages)
    assert "previous" not in first and first["next"].endswith("page=2")
    assert middle["previous"].endswith("page=1") and middle["next"].endswith("page=3")
    assert "next" not in last and last["last"] == middle["last"]
    assert middle["@id"] == "http://testserver/api/dts/collection?page=2"
    get_json(client, "/api/dts/collection?page=4", schema, "collection", 404)


# -- Navigation ---------------------------------------------------------------------------


def test_navigation_down_1_lists_the_lead_paragraphs_and_the_turns(client: Any,
                                                                 schema: Schema) -> None:
    data = get_json(client, f"{NAV}&down=1", schema, "navigation")
    assert identifiers(data) == ["p1", "p2", "p3"] + [f"sp{n}" for n in range(1, 14)]
    assert {u["citeType"] for u in data["member"]} == {"paragraph", "turn"}
    assert all(u["level"] == 1 and u["parent"] is None for u in data["member"])
    assert data["@id"] == f"http://testserver{NAV}&down=1"
    assert "ref" not in data and data["resource"]["@id"] == DOC


def test_navigation_of_a_turn_gives_its_paragraphs(client: Any, schema: Schema,
                                                   edition: Path) -> None:
    data = get_json(client, f"{NAV}&ref=sp2&down=1", schema, "navigation")
    assert data["ref"] == {"identifier": "sp2", "@type": "CitableUnit", "level": 1,
                           "parent": None, "citeType": "turn"}
    assert identifiers(data)[:3] == ["sp2", "p34", "p35"]
    assert all(u["parent"] == "sp2" and u["level"] == 2 for u in data["member"][1:])
    tei = etree.parse(str(edition / "tei" / f"{DOC}.xml"))
    paragraphs = tei.xpath("//tei:sp[@n='2']/tei:p/@xml:id", namespaces=NSMAP)
    assert identifiers(data)[1:] == paragraphs


def test_navigation_ref_without_down_describes_the_unit_only(client: Any, schema: Schema) -> None:
    data = get_json(client, f"{NAV}&ref=p34", schema, "navigation")
    assert data["ref"]["parent"] == "sp2" and data["ref"]["level"] == 2
    assert "member" not in data


def test_navigation_down_0_gives_the_siblings(client: Any, schema: Schema) -> None:
    data = get_json(client, f"{NAV}&ref=p35&down=0", schema, "navigation")
    turn = get_json(client, f"{NAV}&ref=sp2&down=1", schema, "navigation")
    assert identifiers(data) == identifiers(turn)[1:]


def test_navigation_down_minus_1_and_down_2_give_the_whole_tree(client: Any,
                                                               schema: Schema) -> None:
    whole = get_json(client, f"{NAV}&down=-1", schema, "navigation")
    assert identifiers(whole) == identifiers(get_json(client, f"{NAV}&down=2", schema,
                                                      "navigation"))
    assert len(whole["member"]) == 3 + 13 + 139
    assert len(set(identifiers(whole))) == len(whole["member"])  # unique in the tree
    seen: set[str | None] = {None}
    for unit in whole["member"]:  # document order: a parent comes before its units
        assert unit["parent"] in seen
        seen.add(unit["identifier"])
    deeper = get_json(client, f"{NAV}&ref=p34&down=3", schema, "navigation")
    assert identifiers(deeper) == ["p34"]  # nothing below: the ref alone


def test_navigation_of_a_range(client: Any, schema: Schema) -> None:
    data = get_json(client, f"{NAV}&start=sp2&end=sp3&down=1", schema, "navigation")
    assert data["start"]["identifier"] == "sp2" and data["end"]["identifier"] == "sp3"
    turns = [u["identifier"] for u in data["member"] if u["citeType"] == "turn"]
    assert turns == ["sp2", "sp3"]
    assert identifiers(data)[-1] in identifiers(get_json(client, f"{NAV}&ref=sp3&down=1",
                                                         schema, "navigation"))
    bare = get_json(client, f"{NAV}&start=sp2&end=sp3", schema, "navigation")
    assert "member" not in bare and bare["start"]["identifier"] == "sp2"


def test_navigation_is_paginated_past_a_page(client: Any, schema: Schema,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dts, "NAVIGATION_PAGE", 100)
    first = get_json(client, f"{NAV}&down=-1", schema, "navigation")
    second = get_json(client, f"{NAV}&down=-1&page=2", schema, "navigation")
    assert len(first["member"]) == 100 and len(second["member"]) == 55
    assert first["view"]["next"] == second["view"]["@id"]
    assert "page=2" in second["view"]["@id"] and "down=-1" in second["view"]["@id"]


def test_a_second_citation_tree_is_reached_with_tree(client: Any, schema: Schema) -> None:
    resource = get_json(client, "/api/dts/collection?id=hand-corrected", schema, "collection")
    assert [t.get("identifier") for t in resource["citationTrees"]] == [None, "turns"]
    data = get_json(client, "/api/dts/navigation?resource=hand-corrected&tree=turns&down=-1",
                    schema, "navigation")
    assert all(u["citeType"] == "turn" and u["level"] == 1 for u in data["member"])
    assert identifiers(data)[:2] == ["1", "2"]  # one citeStructure: references as declared
    get_json(client, "/api/dts/navigation?resource=hand-corrected&tree=turns&ref=sp1", schema,
             "navigation", 404)


# -- Document -----------------------------------------------------------------------------


def test_document_without_ref_is_the_tei_file(client: Any, edition: Path) -> None:
    response = client.get(DOCUMENT)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/tei+xml"
    assert response.content == (edition / "tei" / f"{DOC}.xml").read_bytes()
    assert response.headers["link"] == f'</api/dts/collection?id={DOC}>; rel="collection"'
    ignored = client.get(f"{DOCUMENT}&tree=nonesuch")  # tree has no effect without ref
    assert ignored.status_code == 200 and ignored.content == response.content


def wrapped(response: Any) -> list[etree._Element]:
    """The elements inside ``<dts:wrapper>`` of a Document response (checked: TEI root,
    header, well-formed)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/tei+xml"
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{TEI_NS}}}TEI" and root.get("{http://www.w3.org/XML/1998/namespace}id") == DOC
    assert root.find("tei:teiHeader", NSMAP) is not None
    wrapper, = root.iterfind("tei:text/tei:body/{https://w3id.org/api/dts#}wrapper", NSMAP)
    return list(wrapper)


def test_document_ref_is_exactly_that_paragraph(client: Any, edition: Path) -> None:
    paragraph, = wrapped(client.get(f"{DOCUMENT}&ref=p34"))
    source = etree.parse(str(edition / "tei" / f"{DOC}.xml"))
    expected, = source.xpath("//tei:p[@xml:id='p34']", namespaces=NSMAP)
    def canonical(element: etree._Element) -> bytes:
        return etree.tostring(element, method="c14n", exclusive=True, with_tail=False)

    assert canonical(paragraph) == canonical(expected)
    turn, = wrapped(client.get(f"{DOCUMENT}&ref=sp2"))
    assert turn.get("n") == "2" and turn.find("tei:speaker", NSMAP) is not None


def test_document_range_gives_the_units_from_start_to_end(client: Any) -> None:
    units = wrapped(client.get(f"{DOCUMENT}&start=p12&end=p15"))
    assert [u.get("n") for u in units] == ["12", "13", "14", "15"]
    across = wrapped(client.get(f"{DOCUMENT}&start=p3&end=sp2"))  # the lead's last, two turns
    assert [(etree.QName(u).localname, u.get("n")) for u in across] == [
        ("p", "3"), ("sp", "1"), ("sp", "2")]


@pytest.mark.parametrize("media, marker", [("text/html", b"<!DOCTYPE html>"),
                                           ("text/plain", "Спасибо, Владимир".encode())])
def test_document_in_html_and_plain_text(client: Any, edition: Path, media: str,
                                         marker: bytes) -> None:
    whole = client.get(f"{DOCUMENT}&mediaType={media}")
    assert whole.status_code == 200 and whole.headers["content-type"] == f"{media}; charset=utf-8"
    folder, suffix = ("html", ".html") if media == "text/html" else ("text", ".txt")
    assert whole.content == (edition / folder / f"{DOC}{suffix}").read_bytes()
    passage = client.get(f"{DOCUMENT}&ref=p34&mediaType={media}")
    assert passage.status_code == 200 and marker in passage.content
    assert "Спасибо, Владимир Владимирович." in passage.text
    assert "ОДКБ наладили" not in passage.text  # paragraph 13 is not part of it


# -- errors -------------------------------------------------------------------------------


BAD_REQUESTS = [
    "/api/dts/navigation?down=1",                              # no resource
    "/api/dts/document",
    f"{NAV}",                                                  # neither ref, range nor down
    f"{NAV}&down=0",
    f"{NAV}&ref=p1&start=p1&end=p2",                           # ref with start/end
    f"{DOCUMENT}&ref=p1&start=p2",
    f"{NAV}&start=p1&down=1",                                  # start without end
    f"{DOCUMENT}&end=p2",
    f"{NAV}&start=p1&end=p2&down=0",
    f"{NAV}&down=-2",                                          # down out of range
    f"{NAV}&down=abc",                                         # malformed values
    f"{NAV}&down=1.5",
    f"{NAV}&down=99999999999999999999",
    f"{NAV}&down=1&page=0",
    "/api/dts/collection?page=-1",
    "/api/dts/collection?nav=siblings",
    f"{NAV}&start=p5&end=p2&down=1",                           # end before start
    f"{DOCUMENT}&start=sp3&end=sp2",
    f"{NAV}&ref=p1&ref=p2",                                    # given twice
    "/api/dts/navigation?resource=%ff&down=1",                 # not UTF-8
    "/api/dts/collection?id=%C0%AF",
    "/api/dts/document?resource=kremlin%00-64534",             # control characters
    f"{NAV}&ref=p1%0a",
    f"/api/dts/navigation?resource={'x' * 5000}&down=1",       # too long
    f"{DOCUMENT}&ref={'p' * 1001}",
]

NOT_FOUND = [
    "/api/dts/collection?id=nonesuch",                         # unknown resource or collection
    "/api/dts/collection?id=tei-edition:lang:xx",
    "/api/dts/navigation?resource=nonesuch&down=1",
    "/api/dts/document?resource=nonesuch",
    "/api/dts/document?resource=../tei/kremlin-64534.xml",
    f"{NAV}&ref=p9999",                                        # unknown reference
    f"{NAV}&ref=34",
    f"{NAV}&start=p1&end=p9999&down=1",
    f"{DOCUMENT}&ref=nonesuch",
    f"{NAV}&tree=pages&down=1",                                # unknown tree
    f"{DOCUMENT}&tree=pages&ref=p1",
    f"{DOCUMENT}&mediaType=application/pdf",                   # media type not offered
    f"{DOCUMENT}&ref=p1&mediaType=text/html;charset=utf-8",
    f"{NAV}&down=1&page=2",                                    # no such page
]


@pytest.mark.parametrize("url", BAD_REQUESTS)
def test_bad_requests_are_400_with_a_json_error(client: Any, schema: Schema, url: str) -> None:
    data = get_json(client, url, schema, "error", 400)
    assert data["statusCode"] == 400 and data["description"]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_unknown_things_are_404_with_a_json_error(client: Any, schema: Schema, url: str) -> None:
    data = get_json(client, url, schema, "error", 404)
    assert data["statusCode"] == 404


def test_an_empty_value_counts_as_absent_and_unknown_parameters_are_ignored(
        client: Any, schema: Schema) -> None:
    plain = get_json(client, f"{NAV}&down=1", schema, "navigation")
    padded = get_json(client, f"{NAV}&down=1&ref=&start=&end=&tree=&utm=x", schema, "navigation")
    assert identifiers(plain) == identifiers(padded)


def test_writing_methods_are_refused(client: Any) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = client.request(method, NAV + "&down=1")
        assert response.status_code == 405
        assert response.json()["statusCode"] == 405
    assert client.head(f"{NAV}&down=1").status_code == 200
