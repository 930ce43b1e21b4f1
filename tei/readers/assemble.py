"""The shared second half of every reader: raw paragraphs in, a :class:`Document` out.

A reader (text export, headerless transcript, saved web page) only finds the
header strings and the paragraphs of the lead and the body, as a
:class:`RawDocument`. :func:`assemble` does the rest the same way for all:
speaker labels, turns, inline marks, separators, speakers and their
identities, place, source, document identifier, and options that fill or
override the metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from datetime import date, datetime

from tei.errors import ReadError
from tei.ids import document_id
from tei.model import (Document, Heading, Inline, LeadItem, Mention, Normalization, Omission,
                       Paragraph, Separator, Stage, TranscriptItem, Turn)
from tei.readers.decode import has_forbidden, refuse_characters
from tei.readers.editorial import editorial
from tei.readers.metadata import (is_date_line, is_language_tag, make_source, parse_place,
                                  parse_when)
from tei.readers.names.mentions import MentionTable, find_mentions, mention_table
from tei.readers.names.speakers import Cast, Speakers
from tei.readers.options import METADATA_FIELDS, ReadOptions
from tei.readers.rules.inline import parse_inline, standalone
from tei.readers.rules.labels import LabelMatch, document_rules, find_label

SEPARATOR = Separator().mark
"""How a section break is written in the model: ``* * *``."""
_SEPARATOR = re.compile(r"\*(?:[ \u00a0]*\*){2,}")


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A name the source itself links to its catalogue: who or what is meant, said by the page."""

    text: str
    """The linked words as printed (``Serzh Sargsyan``, ``CSTO``)."""
    kind: Literal["person", "term", "place"]
    target: str
    """The catalogue page: ``http://en.kremlin.ru/catalog/persons/110``."""


@dataclass(slots=True)
class RawParagraph:
    """One paragraph as a reader found it."""

    text: str
    """The paragraph's text, unescaped, whitespace as in the source (no-break spaces kept)."""
    line: int
    """1-based source line (0: unknown)."""
    label: str | None = None
    """A speaker label the reader already split off (bold in HTML); None: detect it."""
    note: str | None = None
    """The label's parenthetical, already split off (``retranslated``)."""
    heading: bool = False
    """A heading, as the reader found it marked (a bold paragraph that is no label in HTML)."""
    links: list[SourceLink] = field(default_factory=list)
    """Names in the paragraph that the source links to its catalogue, in order."""


@dataclass(slots=True)
class RawDocument:
    """What a reader found: header strings and paragraphs, not yet interpreted."""

    path: str
    title: str | None
    when: datetime | date | None
    """Aware datetime (readers convert naive Moscow times with zoneinfo)."""
    place_line: str | None
    """``Московская область, Ново-Огарёво`` (region, settlement) or None."""
    url: str | None
    """Canonical or print URL as found."""
    lead: list[RawParagraph] = field(default_factory=list)
    body: list[RawParagraph] = field(default_factory=list)
    """The transcript proper (after ``* * *``)."""
    language: str = "ru"
    detect_labels: bool = True
    """False when the reader split labels off itself (HTML)."""
    normalizations: list[Normalization] = field(default_factory=list)
    """What the reader changed in the source to read it (stray bytes replaced…)."""
    checked: bool = False
    """The reader refused forbidden characters in the whole text it read, paragraphs and
    labels come from (a text file's, at their line and column): not searched again."""


def assemble(raw: RawDocument, options: ReadOptions) -> Document:
    """Build the document model from a reader's raw document and the user's options.

    A source with no text but its title (an announcement or a photo item of
    the site, a text export that is only its header) gives a lead of that
    title as its heading: the title is all it printed, and a TEI body must hold
    something.
    """
    refuse_characters_of(raw, options)
    when = _when(raw, options)
    title = _title(raw, options)
    language = _language(raw, options)
    source = make_source(options.source or raw.url, raw.path)
    source.licence = options.licence or source.licence
    place_line = options.place or raw.place_line
    place = parse_place(place_line) if place_line else None
    lead = [p for p in raw.lead if _clean(p.text)]
    body = [p for p in raw.body if _clean(p.text) or p.label]  # a label alone opens a turn
    speakers = Speakers.from_lead([_clean(p.text) for p in lead])
    # the lead's names worked out once, and each label decided once, not once per paragraph
    rule_of = document_rules(options.disabled_rules, speakers.known)
    labelled = [(p, _label_of(p, raw.detect_labels, rule_of)) for p in body]
    cast = speakers.cast(match.label for _, match in labelled if match)
    transcript = _transcript(labelled, cast, options)
    persons = list(cast.persons)
    links = [(link.text, link.kind, link.target) for p in [*lead, *body] for link in p.links]
    table = mention_table(persons, cast.mentions, links)  # adds the persons the page links
    lead_items = [_lead_item(p, table, options) for p in lead]
    _link_transcript(transcript, table)
    return Document(
        id=document_id(source.number, when, title, prefix=source.collection or "doc"),
        title=title,
        language=language,
        when=when,
        place=place,
        source=source,
        lead=lead_items if lead_items or transcript else [Heading(title)],
        transcript=transcript,
        persons=persons,
        editorial=editorial(language, raw.normalizations),
        normalizations=raw.normalizations,
    )


def refuse_characters_of(raw: RawDocument, options: ReadOptions) -> None:
    """Refuse a character no TEI text may hold (:data:`tei.readers.decode.FORBIDDEN`) in
    anything that becomes text: options, header strings, paragraphs, labels and notes.

    The text readers have refused them already, at their line and column
    (:attr:`RawDocument.checked`); this is where a web page's (``&#1;`` too) and the
    options' are found.
    """
    for key in METADATA_FIELDS:
        refuse_characters(getattr(options, key) or "", raw.path, what=f"--{key}")
    for value in (raw.title, raw.place_line, raw.url):
        refuse_characters(value or "", raw.path, references=True)
    if raw.checked:
        return
    paragraphs = (*raw.lead, *raw.body)
    said = "\n".join(value or "" for p in paragraphs for value in (p.text, p.label, p.note))
    if not has_forbidden(said):  # one search of them all; where, only when there is one
        return
    for paragraph in paragraphs:
        for value in (paragraph.text, paragraph.label, paragraph.note):
            refuse_characters(value or "", raw.path, line=paragraph.line or None,
                              references=True)


def _clean(text: str) -> str:
    """A paragraph's text without the whitespace at its ends (inner spaces kept)."""
    return text.strip()


def _title(raw: RawDocument, options: ReadOptions) -> str:
    title = (options.title or raw.title or "").strip()
    if not title:
        raise ReadError("no title: give --title or a sidecar file NAME.meta.toml with title = …"
                        f"{_header_hint(raw, options)}", path=raw.path, line=1)
    return title


def _when(raw: RawDocument, options: ReadOptions) -> datetime | date:
    if options.date:
        when = parse_when(options.date)
        if when is None:
            raise ReadError(f"--date {options.date!r} is not an ISO date or date-time "
                            f"(e.g. 2024-02-06 or 2024-02-06T19:00; a UTC offset lies between "
                            f"-14:00 and +14:00)", path=raw.path)
        return when
    if raw.when is None:
        line = 2 if raw.title else 1
        raise ReadError("no date: the text has no date line (YYYY-MM-DD HH:MM:SS); give --date "
                        "or a sidecar file NAME.meta.toml with date = …"
                        f"{_header_hint(raw, options)}", path=raw.path, line=line)
    return raw.when


def _header_hint(raw: RawDocument, options: ReadOptions) -> str:
    """Why a text opening with a date line was read without its header, if it was."""
    opening = [*raw.lead, *raw.body][:2]
    if (options.gives_header() and raw.title is None and raw.when is None
            and any(is_date_line(paragraph.text) for paragraph in opening)):
        return ("; its first lines hold a date line, but --title, --date, --place or --source "
                "was given (or a sidecar file), so it was read as a headerless transcript: to "
                "take title and date from its first lines, give --from kremlin-text")
    return ""


def _language(raw: RawDocument, options: ReadOptions) -> str:
    """The language tag given, else the reader's; refused when it is no BCP 47 tag."""
    if options.language and not is_language_tag(options.language):
        raise ReadError(f"--language {options.language!r} is not a language tag (such as ru "
                        "or en)", path=raw.path)
    return options.language or raw.language


def _label_of(paragraph: RawParagraph, detect: bool,
              rule_of: Callable[[str], str | None]) -> LabelMatch | None:
    """The speaker label of a body paragraph: given by the reader, or detected (``rule_of``:
    the document's :func:`~tei.readers.rules.labels.document_rules`)."""
    if paragraph.heading:
        return None
    if paragraph.label is not None:
        return LabelMatch(paragraph.label.strip(), paragraph.note, _clean(paragraph.text), "reader")
    if not detect:
        return None
    return find_label(_clean(paragraph.text), rule_of=rule_of)


def is_separator(text: str) -> bool:
    """``* * *`` (also printed ``***`` or with no-break spaces): a section break."""
    text = text.strip()
    return text.startswith("*") and bool(_SEPARATOR.fullmatch(text))


def split_lead(paragraphs: list[RawParagraph], is_label: Callable[[RawParagraph], bool]
               ) -> tuple[list[RawParagraph], list[RawParagraph]]:
    """Lead and transcript: at a ``* * *`` that comes before the first turn, else before it
    (and before the headings right above it, which head the transcript).

    A separator after the first turn divides the transcript, never the lead from it.
    """
    first_label = next((i for i, p in enumerate(paragraphs) if is_label(p)), len(paragraphs))
    separator = next((i for i, p in enumerate(paragraphs[:first_label])
                      if is_separator(p.text)), None)
    if separator is not None:
        return paragraphs[:separator], paragraphs[separator + 1:]
    start = first_label
    while start > 0 and start < len(paragraphs) and paragraphs[start - 1].heading:
        start -= 1
    return paragraphs[:start], paragraphs[start:]


def _transcript(labelled: list[tuple[RawParagraph, LabelMatch | None]], cast: Cast,
                options: ReadOptions) -> list[TranscriptItem]:
    """Turns from labelled paragraphs; blocks outside any turn stand on their own.

    A heading or a separator ends the turn before it: what follows it belongs
    to no speaker until the next label. A label with nothing after it, not
    even in the next paragraph, gives a turn of one empty paragraph (TEI's
    ``sp`` needs one).
    """
    items: list[TranscriptItem] = []
    turn: Turn | None = None
    for paragraph, match in labelled:
        text = _clean(paragraph.text)
        if paragraph.heading:
            items.append(Heading(text, line=paragraph.line))
            turn = None
        elif match is None and is_separator(text):
            items.append(Separator(line=paragraph.line))
            turn = None
        elif match is not None:
            person = cast.by_label[match.label]
            turn = Turn(who=person.id, label=match.label, note=match.note, line=paragraph.line)
            items.append(turn)
            if match.rest:
                turn.blocks.append(_block(match.rest, paragraph.line, options))
        elif turn is not None:
            turn.blocks.append(_block(text, paragraph.line, options))
        else:
            items.append(_block(text, paragraph.line, options))
    for item in items:
        if isinstance(item, Turn) and not item.blocks:
            item.blocks.append(Paragraph([], line=item.line))
    return items


def _block(text: str, line: int, options: ReadOptions) -> Paragraph | Stage | Omission:
    """A stage direction or omission standing alone, else a paragraph."""
    content = parse_inline(text, options.disabled_rules)
    alone = standalone(text, options.disabled_rules, content)
    return alone if alone is not None else Paragraph(content, line=line)


def _lead_item(paragraph: RawParagraph, mentions: MentionTable,
               options: ReadOptions) -> LeadItem:
    """A heading, or a lead paragraph with the people it names (``mentions``: words -> ID)
    linked."""
    if paragraph.heading:
        return Heading(_clean(paragraph.text), line=paragraph.line)
    content = parse_inline(_clean(paragraph.text), options.disabled_rules)
    return Paragraph(_link_mentions(content, mentions), line=paragraph.line)


def _link_mentions(content: list[Inline], table: MentionTable) -> list[Inline]:
    """Split text items where a name of ``table`` stands: a :class:`Mention` of its target
    (``content`` itself when none may: most paragraphs name no one)."""
    if not table or not any(isinstance(item, str) and table.may_name(item) for item in content):
        return content
    result: list[Inline] = []
    for item in content:
        if not isinstance(item, str):
            result.append(item)
            continue
        pos = 0
        for start, end, target in find_mentions(item, table):
            if start > pos:
                result.append(item[pos:start])
            result.append(Mention(item[start:end], target.ref, target.kind))  # type: ignore[arg-type]
            pos = end
        if pos < len(item):
            result.append(item[pos:])
    return result


def _link_transcript(items: list[TranscriptItem], table: MentionTable) -> None:
    """Mentions in every paragraph of the transcript, in turns or between them."""
    for item in items:
        blocks = item.blocks if isinstance(item, Turn) else [item]
        for block in blocks:
            if isinstance(block, Paragraph):
                block.content = _link_mentions(block.content, table)
