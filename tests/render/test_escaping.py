"""The HTML edition's escaping of text is markupsafe's: the same characters, the same entities."""

from __future__ import annotations

import pytest
from markupsafe import Markup, escape

from tei.render.emit import escaped


@pytest.mark.parametrize("value", [
    "", "plain", "Путин: «Добрый день»", "a & b", "<script>", "x > y", "it's", 'say "hi"',
    "&amp; already", "&<>'\"", "\u00a0no-break\u202f", Markup("<b>safe</b>"), None, 12,
])
def test_escaped_is_markupsafe_escape(value: object) -> None:
    assert escaped(value) == str(escape(value))


def test_escaped_text_stays_plain_text() -> None:
    assert type(escaped("a & b")) is str  # joined by the caller into one Markup per block
