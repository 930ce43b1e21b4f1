"""One document's summary: what the corpus pages need of it, as plain data.

Made in the worker that builds the document, from its view and TEI tree:
title, date, place and counts; for every person and place, the document's
turns (``(turn, paragraphs, link to its first paragraph)``) and mentions
(``(paragraph, link)``; a speaker the TEI points at but does not describe, as
ParlaMint does, is listed by its identifier); every turn with its row of
``turns.tsv`` and the text said in each of its paragraphs (as
:func:`~tei.render.inline.spoken_text` reads it: what was said, not the
editors' additions), for the speakers' downloads; and what the DTS API serves of it
(:func:`resource_summary`). So the work of a corpus page grows with the number
of documents, not of turns, and is done in parallel, once per document. The
summary holds no markup: the corpus templates make the links.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from tei.corpus.citations import citation_data
from tei.outputs import HTML
from tei.render.inline import spoken_text
from tei.render.view import DocumentView, Paragraph
from tei.xmlio import NSMAP, xml


TSV_COLUMNS = ("document_id", "date", "turn", "paragraphs", "speaker_id", "speaker_label",
               "words", "characters", "speaker_office", "language", "source", "text")
"""Columns of ``turns.tsv``: one row per turn (``<sp>``), in document and turn order. New
columns go at the end, so that scripts reading the first ones by position go on working.
A summary holds every column but ``text``, which the index keeps once, by paragraph, and
adds when ``turns.tsv`` is written (:meth:`tei.corpus.index.CorpusIndex.turn_rows`)."""

def summarise_document(view: DocumentView, tree: etree._ElementTree,
                       tei: bytes) -> dict[str, Any]:
    """What the corpus pages and the DTS API need of one document, as JSON-ready data
    (``tei``: the TEI's bytes as published)."""
    page = HTML.path(view.id)
    entities: dict[tuple[str, str], dict[str, Any]] = {}
    for person in view.persons:
        entities[("person", person.id)] = _entity(
            person.id, "group" if person.group else "person", person.name,
            person.occupation, person.role, person.idnos, person.listed)
    for place in view.places:
        entities[("place", place.id)] = _entity(place.id, "place", place.name,
                                                ", ".join(place.parts) or None, None, place.idnos)
    when = view.date.iso if view.date else None
    source = view.source.url if view.source else None
    offices = {person.id: person.occupation or person.role or "" for person in view.persons}
    speech: list[dict[str, Any]] = []
    for seq, turn in enumerate(view.turns):
        numbered = [b for b in turn.blocks if isinstance(b, Paragraph) and b.n is not None]
        said: list[tuple[str | None, str | None, str]] = [(b.id, b.n, spoken_text(b.pieces))
                                                         for b in numbered]
        span = f"{numbered[0].n}-{numbered[-1].n}" if numbered else ""
        who = [s.id for s in turn.speakers]
        words = turn.words  # summed over its blocks at each asking
        cells: list[Any] = [view.id, when or "", turn.n, span, " ".join(who), turn.label, words,
                 sum(len(text) for _, _, text in said),
                 "; ".join(o for o in dict.fromkeys(offices.get(i, "") for i in who) if o),
                 view.lang, source or ""]
        speech.append({"seq": seq, "n": turn.n, "who": who, "cells": cells, "paragraphs": said})
        anchor = numbered[0].id if numbered else turn.id
        for ident in who:
            if (entity := entities.get(("person", ident))) is not None:
                entity["turns"].append((turn.n, span, f"{page}#{anchor}"))
                entity["words"] += words
    for kind, ref, anchor, number in _mentions(tree):
        if (entity := entities.get((kind, ref))) is not None:
            link = (number or "", f"{page}#{anchor}" if anchor else page)
            if link not in entity["mentions"]:  # named twice in one paragraph: one link
                entity["mentions"].append(link)
    if view.place_id and (setting := entities.get(("place", view.place_id))) is not None:
        setting["setting"] = True
    speakers = list(dict.fromkeys(ident for turn in speech for ident in turn["who"]))
    return {
        "id": view.id, "title": view.title, "lang": view.lang, "when": when,
        "date": view.date.text if view.date else "", "place": view.place,
        "source": source, "publisher": view.source_publisher,
        "licence": view.licence.url if view.licence else view.licence_text,
        "speakers": len(speakers), "speaker_ids": speakers,
        "turns": len(speech), "words": sum(turn["cells"][6] for turn in speech),
        "entities": [{**e, "turn_count": len(e["turns"])} for e in entities.values()],
        "speech": speech,
        "dts": resource_summary(view, tree, tei),
    }


def resource_summary(view: DocumentView, tree: etree._ElementTree, tei: bytes) -> dict[str, Any]:
    """The document as a DTS resource, in two parts kept apart to the server's file: ``meta``,
    what describes it (Dublin Core, its trees' ``citeStructure``), small; ``passages``, its
    citable units with their byte offsets (:func:`tei.corpus.citations.citation_data`)."""
    data = citation_data(tree, tei)
    return {
        "meta": {
            "source": view.source.url if view.source else None,
            "publisher": view.source_publisher,
            "licence": view.licence.url if view.licence else None,
            "trees": [{"identifier": t["identifier"], "citeStructure": t["citeStructure"]}
                      for t in data["trees"]],
            "fragments": data["fragments"],
        },
        "passages": {**data, "trees": [{"identifier": t["identifier"], "units": t["units"],
                                        "namespaces": t["namespaces"]} for t in data["trees"]]},
    }


def _entity(ident: str, kind: str, name: str, details: str | None, role: str | None,
            idnos: Iterable[Any], listed: bool = True) -> dict[str, Any]:
    """A person or place of one document, before its turns and mentions are added;
    ``listed``: described in the TEI (else only pointed at, and named by its identifier)."""
    return {"id": ident, "kind": kind, "name": name, "details": details, "role": role,
            "idnos": [[i.type, i.value, i.url] for i in idnos], "turns": [], "mentions": [],
            "words": 0, "setting": False, "listed": listed}


def _mentions(tree: etree._ElementTree) -> list[tuple[str, str, str | None, str | None]]:
    """Persons and places named in running text: ``(kind, id, paragraph anchor, paragraph n)``."""
    found = []
    for element in tree.getroot().iterfind(".//tei:text//*[@ref]", NSMAP):
        kind = {"persName": "person", "placeName": "place"}.get(etree.QName(element).localname)
        ref = element.get("ref", "")
        if kind is None or not ref.startswith("#"):
            continue
        paragraph = next(element.iterancestors("{*}p", "{*}u", "{*}sp"), None)
        anchor = paragraph.get(xml("id")) if paragraph is not None else None
        number = paragraph.get("n") if paragraph is not None else None
        found.append((kind, ref[1:], anchor, number))
    return found
