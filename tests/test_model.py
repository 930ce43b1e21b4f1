"""The document model's classes behave as the dataclasses they are: equal by class and
fields, shown as ``Class(field=value)``, unhashable, usable with ``dataclasses``' helpers
(their ``__eq__`` and ``__repr__`` are written once for all of them, :func:`tei.model.record`)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

import pytest

from tei.model import Document, Omission, Paragraph, Separator, Stage, Supplied, Turn
from tei.pipeline import read_document
from tei.readers.options import ReadOptions


def test_a_document_equals_its_copies_and_differs_when_a_field_does(data_dir: Path) -> None:
    doc = read_document(data_dir / "kremlin-ru" / "64534.txt", ReadOptions())
    assert copy.deepcopy(doc) == doc == pickle.loads(pickle.dumps(doc))
    changed = copy.deepcopy(doc)
    turn = next(item for item in changed.transcript if isinstance(item, Turn))
    paragraph = next(block for block in turn.blocks if isinstance(block, Paragraph))
    paragraph.line += 1
    assert changed != doc
    assert not changed == doc


def test_equality_needs_the_same_class_and_fields_in_order() -> None:
    assert Supplied("на период") == Supplied("на период")
    assert Supplied("на период") != Supplied("на срок")
    assert Omission("<…>") != Supplied("<…>")  # type: ignore[comparison-overlap]
    assert Stage("Смех.", "laughter") != Stage("laughter", "Смех.")
    assert Separator() == Separator("* * *", 0)
    assert (Supplied("x") == "x") is False  # type: ignore[comparison-overlap]


def test_records_show_as_dataclasses_do_and_are_unhashable() -> None:
    assert repr(Stage("Смех.", "laughter")) == "Stage(text='Смех.', type='laughter')"
    assert repr(Paragraph(["a", Supplied("b")], line=3)) == (
        "Paragraph(content=['a', Supplied(text='b')], line=3)")
    assert repr(Document("kremlin-1", "T")).startswith("Document(id='kremlin-1', title='T', ")
    with pytest.raises(TypeError, match="unhashable"):
        hash(Supplied("x"))


def test_dataclass_helpers_work_on_records() -> None:
    stage = Stage("Смех.")
    assert dataclasses.is_dataclass(stage)
    assert [f.name for f in dataclasses.fields(stage)] == ["text", "type"]
    assert dataclasses.replace(stage, type="laughter") == Stage("Смех.", "laughter")
    assert dataclasses.astuple(Separator()) == ("* * *", 0)
    with pytest.raises(AttributeError):
        stage.colour = "red"  # type: ignore[attr-defined]  # slotted: no other attributes
