"""Inline rules: editorial marks inside a paragraph.

Each rule looks at ``state.pos``; when its construct starts there it pushes a
model item, advances ``state.pos`` and returns True, otherwise it returns
False and touches nothing. Characters no rule claims are plain text, so every
character of the source is either text or accounted for by a mark.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from tei.model import Inline, Omission, Stage, Supplied
from tei.readers.rules import active


@dataclass(slots=True)
class InlineState:
    """A paragraph being read: the source, the cursor, the items so far."""

    src: str
    pos: int = 0
    content: list[Inline] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)

    def push(self, item: Inline, end: int) -> None:
        """Add a mark that ends at ``end`` (exclusive) and move past it."""
        self._flush()
        self.content.append(item)
        self.pos = end

    def push_text(self, end: int) -> None:
        """Keep the source from the cursor up to ``end`` (exclusive) as text."""
        self._pending.append(self.src[self.pos:end])
        self.pos = end

    def finish(self) -> list[Inline]:
        """The items, with pending text flushed."""
        self._flush()
        return self.content

    def _flush(self) -> None:
        if self._pending:
            self.content.append("".join(self._pending))
            self._pending.clear()


InlineRule = Callable[[InlineState], bool]
"""A rule: recognise one construct at ``state.pos``; True when it did."""

_OMISSION = re.compile(r"<(?:…|\.\.\.)>|&lt;(?:…|\.\.\.)&gt;|\[(?:…|\.\.\.)\]")
_BRACKETED = re.compile(r"\[([^\[\]\n]+)\]")
_PARENTHESISED = re.compile(r"\(([^()\n]+)\)")

STAGE_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("laughter", ("смех", "laughter")),
    ("applause", ("аплодисмент", "applause")),
    ("silence", ("минута молчания", "minute of silence")),
)
"""Normalised kinds of stage direction and the words that name them (ru, en)."""

_STAGE_MAX_WORDS = 6


def stage_type(inner: str) -> str | None:
    """``laughter``/``applause``/``silence`` when ``inner`` (``Смех.``) names one, else None.

    Parentheses around an omission mark (``(Смех. <…>)``) are no stage direction, as
    brackets around one are no supplied words: the mark is recognised as one.
    """
    if len(inner.split()) > _STAGE_MAX_WORDS or _OMISSION.search(inner):
        return None
    lowered = inner.lower()
    for kind, words in STAGE_TYPES:
        if any(word in lowered for word in words):
            return kind
    return None


def omission(state: InlineState) -> bool:
    """``<…>``, ``&lt;…&gt;`` or ``[…]``: a passage the source's editors left out."""
    match = _OMISSION.match(state.src, state.pos)
    if not match:
        return False
    mark = match.group().replace("&lt;", "<").replace("&gt;", ">")
    state.push(Omission(mark=mark), match.end())
    return True


def supplied(state: InlineState) -> bool:
    """``[Нурсултаном Назарбаевым]``: words the editors supplied.

    Brackets around an omission mark are left as text, so that the mark is
    recognised as one.
    """
    match = _BRACKETED.match(state.src, state.pos)
    if not match or not match.group(1).strip() or _OMISSION.search(match.group(1)):
        return False
    state.push(Supplied(match.group(1)), match.end())
    return True


def stage(state: InlineState) -> bool:
    """``(Смех.)``, ``(Applause.)``: a known stage direction inside a paragraph."""
    match = _PARENTHESISED.match(state.src, state.pos)
    if not match:
        return False
    kind = stage_type(match.group(1))
    if kind is None:
        return False
    state.push(Stage(match.group(1), kind), match.end())
    return True


INLINE_RULES: tuple[tuple[str, InlineRule], ...] = (
    ("omission", omission),
    ("supplied", supplied),
    ("stage", stage),
)
"""Inline rules in the order they are tried at each position."""

_OPENERS = "<&[("
_NEXT_OPENER = re.compile(f"[{re.escape(_OPENERS)}]")
"""Where a mark may start: rules are only tried there, text in between is taken whole."""


@lru_cache(maxsize=32)
def _rules(disabled: frozenset[str]) -> tuple[InlineRule, ...]:
    """The inline rules not switched off, in order (the same few sets for every paragraph)."""
    return tuple(rule for _, rule in active(INLINE_RULES, disabled))


def parse_inline(text: str, disabled: frozenset[str] = frozenset()) -> list[Inline]:
    """The items of one paragraph's text: strings and marks, in source order.

    Most paragraphs have no character where a mark may start: they are one string, found
    without the rules (a transcript has hundreds of paragraphs)."""
    if not any(map(text.__contains__, _OPENERS)):  # a search of each: faster than the pattern
        return [text] if text else []
    first = _NEXT_OPENER.search(text)
    assert first is not None
    rules = _rules(disabled)
    state = InlineState(text)
    if first.start():
        state.push_text(first.start())
    while state.pos < len(text):
        if text[state.pos] in _OPENERS and any(rule(state) for rule in rules):
            continue
        following = _NEXT_OPENER.search(text, state.pos + 1)
        state.push_text(following.start() if following else len(text))
    return state.finish()


def standalone(text: str, disabled: frozenset[str] = frozenset(),
               content: list[Inline] | None = None) -> Stage | Omission | None:
    """A paragraph that is only a stage direction or an omission mark, as that block.

    A whole paragraph in parentheses that reads like a direction
    (``(Говорит по-английски.)``: capital letter, final full stop) is a
    stage direction even when its kind is not one of :data:`STAGE_TYPES`.
    ``content`` is the paragraph already parsed by :func:`parse_inline`, if it is.
    """
    if content is None:
        content = parse_inline(text, disabled)
    if len(content) == 1 and isinstance(content[0], (Stage, Omission)):
        return content[0]
    match = _PARENTHESISED.fullmatch(text) if text.startswith("(") else None
    if match and "stage" not in disabled:
        inner = match.group(1)
        if inner[:1].isupper() and inner.rstrip().endswith("."):
            return Stage(inner, stage_type(inner))
    return None
