"""Inline pieces into HTML or plain text: one small function per piece kind, in a table.

As in markdown-it-py's renderer, each kind of :class:`~tei.render.view.Piece`
has a rule, registered in :data:`HTML` or :data:`TEXT`; change one construct
by replacing one entry. Templates call them as the filters ``html`` and
``text``. Everything from the TEI is escaped here (HTML); Jinja escapes the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

from tei.render.inline import gap_mark, has_parentheses
from tei.render.words import Words
from tei.render.view import Event, Gap, Item, Note, Paragraph, Piece, Separator, Turn, TurnRef

Rule = Callable[[Piece, Words], str]


def escaped(value: object) -> str:
    """``str(markupsafe.escape(value))``, the same characters replaced (``& < > ' "``), without
    making a ``Markup`` of every piece of text (a transcript's page has thousands): a plain
    string is replaced in place, anything else (``Markup`` itself, None) goes to markupsafe."""
    if type(value) is not str:
        return str(escape(value))
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "'" in value:
        value = value.replace("'", "&#39;")
    if '"' in value:
        value = value.replace('"', "&#34;")
    return value


def html(pieces: list[Piece], words: Words, targets: Mapping[str, str] | None = None) -> Markup:
    """Pieces as HTML (safe: every text escaped); ``targets`` sends links elsewhere (an
    internal ``#id`` to the register page of that person, say: see :func:`retarget`)."""
    return Markup(html_of(pieces, words, targets))


def html_of(pieces: list[Piece], words: Words, targets: Mapping[str, str] | None = None) -> str:
    """:func:`html` as a plain string, for the functions here that put it into more HTML (a
    ``Markup`` made for every paragraph and piece only to be joined into another)."""
    if len(pieces) == 1 and pieces[0].kind == "text" and HTML.get("text") is html_text:
        return escaped(pieces[0].text)  # most paragraphs: text alone, nothing to retarget
    if targets:
        pieces = retarget(pieces, targets)
    return "".join([HTML.get(p.kind, html_span)(p, words) for p in pieces])


def numbered_html(paragraph: Paragraph, words: Words,
                  targets: Mapping[str, str] | None = None) -> Markup:
    """A numbered paragraph (or verse line) of the HTML edition, with its number linking to
    itself: one call per paragraph instead of a template line of eight escaped expressions
    (a transcript has hundreds of paragraphs)."""
    return Markup(_numbered(paragraph, words, targets))


def _numbered(paragraph: Paragraph, words: Words, targets: Mapping[str, str] | None) -> str:
    """:func:`numbered_html` as a plain string."""
    anchor, number = escaped(paragraph.id), escaped(paragraph.n)
    label = escaped(words.line if paragraph.kind == "l" else words.paragraph)
    return (f'<p class="para para-{escaped(paragraph.kind)}" id="{anchor}"><a class="pnum" '
            f'href="#{anchor}" aria-label="{label} {number}">{number}</a> '
            f"{html_of(paragraph.pieces, words, targets)}</p>")


def speech_html(blocks: list[Item], words: Words,
                targets: Mapping[str, str] | None = None) -> Markup:
    """A turn's blocks, none a turn itself, as the loop of ``_blocks.html`` writes them (each
    block on a line of its own), in one call for the turn instead of a template loop per
    block (a transcript has hundreds of paragraphs)."""
    return Markup("".join([block_html(it, words, targets) for it in blocks]))


def items_html(items: list[Item], words: Words,
               targets: Mapping[str, str] | None = None) -> Markup:
    """A section's items, each a block or a turn whose blocks are a speech, as the loop of
    ``_blocks.html`` writes them (:func:`turn_html` and a line for each turn, the line of
    :func:`block_html` for each block), in one call for the section instead of a template
    loop over its hundreds of turns."""
    return Markup("".join([f"{turn_html(it, words, targets)}\n" if isinstance(it, Turn)
                           else block_html(it, words, targets) for it in items]))


def turn_html(turn: Turn, words: Words, targets: Mapping[str, str] | None = None) -> Markup:
    """A turn whose blocks are a speech (none a turn itself) as the turn's branch of the loop
    of ``_blocks.html`` writes it: its ``div``, its label line, its blocks (:func:`speech_html`),
    in one call for the turn instead of a template branch per turn (an interview has
    hundreds)."""
    head = ""
    if turn.label or turn.note:
        note = (f' <span class="label-note">({html_of(turn.note, words, targets)})</span>'
                if turn.note else "")
        head = f'<p class="speaker">{speakers_html(turn)}{note}</p>\n'
    speech = speech_html(turn.blocks, words, targets)
    return Markup(f'<div class="turn" id="{escaped(turn.id)}">\n{head}{speech}</div>')


def block_html(it: Item, words: Words, targets: Mapping[str, str] | None = None) -> str:
    """One block but a turn, as its branch of the loop of ``_blocks.html`` writes it: a line
    (nothing for a turn)."""
    if isinstance(it, Paragraph) and it.n is not None:  # most blocks: first, and no more asked
        return f"{_numbered(it, words, targets)}\n"
    anchor = getattr(it, "id", None)  # a separator has none
    ident = f' id="{escaped(anchor)}"' if anchor else ""
    if isinstance(it, Paragraph):
        inner = html_of(it.pieces, words, targets)
        return f'<p class="para-{escaped(it.kind)}"{ident}>{inner}</p>\n'
    if isinstance(it, Event):
        kind = f"{escaped(it.kind)} event-{escaped(it.type)}" if it.type else escaped(it.kind)
        return f'<p class="event event-{kind}"{ident}>{event_html(it.pieces, words, targets)}</p>\n'
    if isinstance(it, Gap):
        return (f'<p class="omission"{ident}><span class="gap" title="{escaped(words.omitted)}">'
                f"{escaped(gap_mark(it.desc))}</span></p>\n")
    if isinstance(it, Note):
        kind = f" note-{escaped(it.type)}" if it.type else ""
        return f'<p class="note-block{kind}"{ident}>{html_of(it.pieces, words, targets)}</p>\n'
    if isinstance(it, Separator):
        return f'<hr class="separator" title="{escaped(it.mark)}">\n'
    return ""


def speakers_html(turn: Turn) -> Markup:
    """A turn's label with its speakers linked to their entries in the page: one speaker,
    the label linked; a label that is the speakers' names, each name linked; else the label
    and, in parentheses, the names linked (a turn of hundreds: one call each, not a macro)."""
    label = escaped(turn.label)
    if len(turn.speakers) == 1:
        return Markup(f'<a class="who" href="#{escaped(turn.speakers[0].id)}">{label}</a>')
    if not turn.speakers:
        return Markup(label)
    links = ", ".join([f'<a class="who" href="#{escaped(s.id)}">{escaped(s.name)}</a>'
                       for s in turn.speakers])
    if turn.label == ", ".join(s.name for s in turn.speakers):
        return Markup(links)
    return Markup(f"{label} ({links})")


def turn_links(turns: list[TurnRef], words: Words) -> Markup:
    """A person's turns as links to them, each after a space: `` <a href="#sp3"
    aria-label="Turn 3">3</a>`` (a speaker of an interview has hundreds)."""
    label = escaped(words.turn)
    return Markup("".join(f' <a href="#{escaped(ref.id)}" aria-label="{label} {escaped(ref.n)}">'
                          f"{escaped(ref.n)}</a>" for ref in turns))


def retarget(pieces: list[Piece], targets: Mapping[str, str]) -> list[Piece]:
    """The pieces with each link whose ``href`` is a key of ``targets`` pointing at its value
    instead; copies of the pieces that change, the view itself untouched (the text edition
    and the corpus summary read it too)."""
    changed: list[Piece] = []
    different = False
    for piece in pieces:
        if piece.kind == "link" and piece.href is not None and piece.href in targets:
            piece = dataclasses.replace(piece, href=targets[piece.href])
            different = True
        elif piece.children:
            children = retarget(piece.children, targets)
            if children is not piece.children:
                piece = dataclasses.replace(piece, children=children)
                different = True
        changed.append(piece)
    return changed if different else pieces


def text(pieces: list[Piece], words: Words) -> str:
    """Pieces as plain text, marks as printed: ``[supplied]``, ``(Смех.)``, ``<…>``."""
    if len(pieces) == 1 and pieces[0].kind == "text" and TEXT.get("text") is text_text:
        return pieces[0].text  # most paragraphs: text alone
    return "".join([TEXT.get(p.kind, text_children)(p, words) for p in pieces])


# -- HTML ---------------------------------------------------------------------------------


def html_text(piece: Piece, words: Words) -> str:
    """Running text."""
    return escaped(piece.text)


def html_supplied(piece: Piece, words: Words) -> str:
    """Words the editors supplied: in square brackets, styled as editorial."""
    return (f'<span class="supplied" title="{escape(words.supplied)}">'
            f"[{html_of(piece.children, words)}]</span>")


def html_gap(piece: Piece, words: Words) -> str:
    """An omission, marked as the source marks it."""
    return f'<span class="gap" title="{escape(words.omitted)}">{escape(gap_mark(piece.text))}</span>'


def html_omission(piece: Piece, words: Words) -> str:
    """The source's own omission mark, as printed (``<…>`` when the TEI gives none)."""
    mark = html(piece.children, words) or escape(gap_mark(""))
    return f'<span class="gap" title="{escape(words.omitted)}">{mark}</span>'


def html_event(piece: Piece, words: Words) -> str:
    """A stage direction inside a paragraph: in parentheses, styled apart."""
    return f'<span class="event">{event_html(piece.children, words)}</span>'


def event_html(children: list[Piece], words: Words,
               targets: Mapping[str, str] | None = None) -> Markup:
    """The content of a stage direction in parentheses (unless the TEI already has them)."""
    inner = html(children, words, targets)
    return inner if has_parentheses(text(children, words)) else Markup(f"({inner})")


def html_note(piece: Piece, words: Words) -> str:
    """A note inside a paragraph, kept in place and labelled."""
    return (f'<span class="note"><span class="note-label">{escape(words.note)}:</span> '
            f"{html_of(piece.children, words)}</span>")


def html_link(piece: Piece, words: Words) -> str:
    """A link; one whose target is not in the page is plain text."""
    if piece.href is None:
        return html_span(piece, words)
    return f'<a href="{escaped(piece.href)}">{html_of(piece.children, words)}</a>'


def html_emph(piece: Piece, words: Words) -> str:
    """Emphasis."""
    return f"<em>{html_of(piece.children, words)}</em>"


def html_break(piece: Piece, words: Words) -> str:
    """A line break."""
    return "<br>"


def html_span(piece: Piece, words: Words) -> str:
    """Any other element, kept for its text and named for styling (``tei-date``)."""
    kind = escaped(piece.type or piece.kind)
    return f'<span class="tei-{kind}">{html_of(piece.children, words)}</span>'


HTML: dict[str, Rule] = {
    "text": html_text,
    "supplied": html_supplied,
    "gap": html_gap,
    "omission": html_omission,
    "event": html_event,
    "note": html_note,
    "link": html_link,
    "emph": html_emph,
    "break": html_break,
    "span": html_span,
}


# -- plain text ---------------------------------------------------------------------------


def text_text(piece: Piece, words: Words) -> str:
    """Running text."""
    return piece.text


def text_supplied(piece: Piece, words: Words) -> str:
    """Words the editors supplied, in square brackets as the source prints them."""
    return f"[{text(piece.children, words)}]"


def text_gap(piece: Piece, words: Words) -> str:
    """An omission: ``<…>``."""
    return gap_mark(piece.text)


def text_omission(piece: Piece, words: Words) -> str:
    """The source's own omission mark, as printed."""
    return text(piece.children, words) or gap_mark("")


def text_event(piece: Piece, words: Words) -> str:
    """A stage direction in parentheses."""
    return parenthesise(text(piece.children, words))


def parenthesise(inner: str) -> str:
    """A stage direction's text in parentheses, unless the TEI already has them (DraCor does)."""
    return inner if has_parentheses(inner) else f"({inner})"


def text_note(piece: Piece, words: Words) -> str:
    """A note inside a paragraph: ``[Прим.: …]``."""
    return f"[{words.note}: {text(piece.children, words)}]"


def text_break(piece: Piece, words: Words) -> str:
    """A line break."""
    return "\n"


def text_children(piece: Piece, words: Words) -> str:
    """Links, emphasis and other elements: their text."""
    return text(piece.children, words)


TEXT: dict[str, Rule] = {
    "text": text_text,
    "supplied": text_supplied,
    "gap": text_gap,
    "omission": text_omission,
    "event": text_event,
    "note": text_note,
    "break": text_break,
}
