"""Small rules that recognise one construct each, in ordered, named tables.

As in markdown-it-py, a rule looks at the current position and either
recognises its construct (and records it) or leaves the input untouched. The
tables list each rule once, with its name, in the order they are tried;
:class:`tei.readers.options.ReadOptions` can switch rules off by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

R = TypeVar("R")


def active(table: Iterable[tuple[str, R]], disabled: frozenset[str]) -> list[tuple[str, R]]:
    """The rules of ``table`` that are not switched off, in order."""
    return [(name, rule) for name, rule in table if name not in disabled]
