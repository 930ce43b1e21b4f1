"""A turn's blocks written by the filter ``speech_html``, and a whole turn by ``turn_html``,
are what the template loop of ``_blocks.html`` wrote for them block by block, on every turn
of the TEI in tests/data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from jinja2 import Template
from render_support import FOREIGN, sample_bytes
from tei.pipeline import view_of
from tei.render import emit
from tei.render import RenderOptions
from tei.render.templates import environment, is_flat, is_speech
from tei.render.view import (DocumentView, Event, Gap, Item, Note, Paragraph, Piece, Section,
                             Separator, Speaker, Turn)
from tei.render.words import Words, words_for
from tei.xmlio import parse_bytes, parse_file

DATA = Path(__file__).parents[1] / "data"

def _loop(kind: str = "html") -> Template:
    """The loop of ``_blocks.html`` (or ``_macros.txt``) itself, told that no list of blocks
    is a speech and no list of items flat: every block written by its own branch of the
    template, not by the filters (an environment of its own: the one renderers share
    keeps its tests)."""
    env = environment.__wrapped__(kind)
    env.tests["speech"] = env.tests["flat"] = lambda blocks: False
    macros = "_blocks.html" if kind == "html" else "_macros.txt"
    return env.from_string(f'{{% from "{macros}" import items with context %}}{{{{ items(blocks) }}}}')


def _turns(items: list[Item] | list[Section]) -> list[Turn]:
    """Every turn of a view's sections, turns inside turns too."""
    found: list[Turn] = []
    for item in items:
        children = item.items if isinstance(item, Section) else (
            item.blocks if isinstance(item, Turn) else [])
        if isinstance(item, Turn):
            found.append(item)
        found += _turns(children)  # type: ignore[arg-type]
    return found


def _speeches() -> Iterator[tuple[str, Turn, Words, dict[str, str] | None]]:
    """Every turn of the test data whose blocks are a speech, in each language's words,
    without register pages and with them: ``(document, turn, words, targets)``."""
    trees = [("64534", parse_bytes(sample_bytes(), "64534.xml"))]
    trees += [(name, parse_file(path)) for name, path in FOREIGN.items()]
    for name, tree in trees:
        view = view_of(tree, name, f"{name}.xml")
        words = words_for(view.lang)
        for turn in _turns(view.sections):
            if is_speech(turn.blocks):
                for targets in (None, {f"#{p.id}": f"persons/{p.id}.html"
                                       for p in view.persons}):
                    yield name, turn, words, targets


def test_speech_html_is_the_loop_on_every_turn_of_the_test_data() -> None:
    template = _loop()
    kinds: Counter[str] = Counter()
    for name, turn, words, targets in _speeches():
        expected = template.render(blocks=turn.blocks, L=words, targets=targets)
        assert emit.speech_html(turn.blocks, words, targets) == expected, (name, turn.id)
        kinds.update(f"{b.block}{'-numbered' if getattr(b, 'n', None) else ''}"
                     for b in turn.blocks)
    assert {"paragraph-numbered", "event", "note"} <= set(kinds), kinds


def test_speech_html_is_the_loop_on_every_kind_of_block() -> None:
    """Blocks the test data's turns lack (gaps, separators, unnumbered paragraphs), with and
    without IDs and types, text to escape and a link sent to a register page."""
    text = [Piece("text", 'Tom & "Jerry" <b>'), Piece("link", children=[Piece("text", "P")],
                                                         href="#putin")]
    blocks: list[Item] = [
        Paragraph("p1", "1", text), Paragraph(None, None, text, kind="head"),
        Paragraph("h<2>", None, text, kind="label"), Paragraph("l3", "3", text, kind="l"),
        Event(None, "stage", None, text), Event("e1", "kinesic", "a&b", [Piece("text", "(Смех.)")]),
        Gap(None, None, ""), Gap("g1", "editorial", "2 words & more"),
        Note(None, None, text), Note("n1", "comment", text), Separator(), Separator("* < *"),
    ]
    template = _loop()
    for lang in ("ru", "en"):
        words = words_for(lang)
        for targets in (None, {"#putin": "persons/putin.html"}):
            assert (emit.speech_html(blocks, words, targets)
                    == template.render(blocks=blocks, L=words, targets=targets))


def test_turn_html_is_the_loop_on_every_turn_of_the_test_data() -> None:
    """A whole turn (its div, its label, its blocks) written by the filter ``turn_html`` is
    what the loop's branch for turns wrote, with and without register pages."""
    template = _loop()
    written = 0
    for name, turn, words, targets in _speeches():
        expected = template.render(blocks=[turn], L=words, targets=targets)
        assert f"{emit.turn_html(turn, words, targets)}\n" == expected, (name, turn.id)
        written += 1
    assert written > 100


def test_turn_html_is_the_loop_on_every_kind_of_label() -> None:
    """Labels the test data lacks: a note on the label (with a link sent to a register
    page), no label, several speakers, text to escape."""
    text = [Piece("text", 'Tom & "Jerry" <b>')]
    note = [Piece("text", "как <переведено>"), Piece("link", children=[Piece("text", "P")],
                                                     href="#putin")]
    one, two = Speaker("putin", "В.Путин"), Speaker("a&b", 'A "B"')
    turns = [Turn("sp1", "1", "В.Путин", [one], note, [Paragraph("p1", "1", text)]),
             Turn("sp<2>", "2", "", [], note, [Event(None, "stage", None, text)]),
             Turn("sp3", "3", "", [], None, [Note(None, None, text)]),
             Turn("sp4", "4", 'В.Путин, A "B"', [one, two], None, [Gap(None, None, "")]),
             Turn("sp5", "5", "Оба & <все>", [one, two], [], [Separator()])]
    template = _loop()
    for lang in ("ru", "en"):
        words = words_for(lang)
        for targets in (None, {"#putin": "persons/putin.html"}):
            for turn in turns:
                assert (f"{emit.turn_html(turn, words, targets)}\n"
                        == template.render(blocks=[turn], L=words, targets=targets)), turn.id


def _sections() -> list[tuple[str, DocumentView, Section]]:
    """Every section of the TEI in tests/data (a transcript's, plays', sittings'), by file."""
    trees = [("64534", parse_bytes(sample_bytes(), "64534.xml"))]
    trees += [(name, parse_file(path)) for name, path in FOREIGN.items()]
    found = []
    for name, tree in trees:
        view = view_of(tree, name, f"{name}.xml")
        found += [(name, view, section) for section in view.sections]
    return found


def test_items_html_is_the_loop_on_every_section_of_the_test_data() -> None:
    """A section's items written by the filter ``items_html`` (when they are flat) are what
    the loop of ``_blocks.html`` wrote, item by item, with and without register pages."""
    template = _loop()
    flat = 0
    for name, view, section in _sections():
        if not is_flat(section.items):
            continue
        words = words_for(view.lang)
        for targets in (None, {f"#{p.id}": f"persons/{p.id}.html" for p in view.persons}):
            expected = template.render(blocks=section.items, L=words, targets=targets)
            assert emit.items_html(section.items, words, targets) == expected, (name, section.id)
        flat += any(isinstance(it, Turn) for it in section.items) and any(
            not isinstance(it, Turn) for it in section.items)
    assert flat, "no section of turns and blocks between them in the test data"


def test_items_text_is_the_loop_on_every_section_of_the_test_data() -> None:
    """The same for the text edition: ``items_text`` (and the filters it calls) write what the
    loop of ``_macros.txt`` wrote, with paragraph numbers in the margin and wrapped too."""
    template = _loop("text")
    env = environment("text")
    filtered = env.from_string('{% from "_macros.txt" import items with context %}'
                               '{{ items(blocks) }}')
    for options in (RenderOptions(), RenderOptions(numbers=True, wrap=60)):
        for name, view, section in _sections():
            values = {"blocks": section.items, "L": words_for(view.lang), "options": options,
                      "margin": 6}
            assert filtered.render(**values) == template.render(**values), (name, section.id)
    assert env.tests["flat"] is is_flat and env.tests["speech"] is is_speech
