"""The build's records that grow with the corpus, kept as a base and a layer over it: what
a layer reads is always the map that was saved, whether its base was linked or written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tei.corpus import layered


def save(folder: Path, members: dict[str, Any], previous: layered.Layered | None) -> layered.Layered:
    """Save ``members`` into the build ``folder`` over ``previous``, and read them back as
    the next build would (the layer through its JSON)."""
    layer = layered.write(folder / "bases", "record", members, previous)
    found = layered.read(folder / "bases", json.loads(layered.encode_layer(layer)))
    assert found is not None
    return found


def test_a_layer_reads_as_the_map_saved_over_a_linked_base(tmp_path: Path) -> None:
    first = {f"doc-{n}": {"hash": str(n), "outputs": [n, n + 1]} for n in range(300)}
    read = save(tmp_path / "b1", first, None)
    assert read.members == first and read.name
    second = dict(first)
    second["doc-7"] = {"hash": "changed", "outputs": [7, 8]}
    second["doc-new"] = {"hash": "new", "outputs": []}
    del second["doc-3"]
    again = save(tmp_path / "b2", second, read)
    assert again.members == second
    assert again.name == read.name  # linked, not written again
    assert (tmp_path / "b2" / "bases" / again.name).stat().st_ino == \
        (tmp_path / "b1" / "bases" / read.name).stat().st_ino
    layer = json.loads((tmp_path / "b2" / "bases" / again.name).read_bytes())
    assert layer == first  # the base is never written into


def test_many_changes_write_a_new_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layered, "REBASE_FROM", 10)
    first = {f"doc-{n}": n for n in range(40)}
    read = save(tmp_path / "b1", first, None)
    few = {**first, **{f"doc-{n}": n + 100 for n in range(10)}}  # a quarter of 40: a layer
    assert save(tmp_path / "b2", few, read).name == read.name
    many = {**first, **{f"doc-{n}": n + 100 for n in range(11)}}
    rebased = save(tmp_path / "b3", many, read)
    assert rebased.name != read.name and rebased.members == many
    assert json.loads((tmp_path / "b3" / "bases" / rebased.name).read_bytes()) == many


def test_a_value_of_another_type_is_written_again(tmp_path: Path) -> None:
    """A tuple is JSON's list, and 1 is True in Python, not in JSON: neither is taken for
    the value read."""
    read = save(tmp_path / "b1", {"a": [1, 2], "b": 1}, None)
    layer = layered.write(tmp_path / "b2" / "bases", "record", {"a": (1, 2), "b": True}, read)
    assert sorted(layer["set"]) == ["a", "b"]


def test_a_layer_whose_base_is_gone_reads_as_nothing(tmp_path: Path) -> None:
    read = save(tmp_path / "b1", {"a": 1}, None)
    layer = {"base": read.name, "removed": [], "set": {"b": 2}}
    (tmp_path / "b1" / "bases" / read.name).unlink()
    assert layered.read(tmp_path / "b1" / "bases", layer) is None
    assert layered.read(tmp_path / "b1" / "bases", {"a": 1}) is None  # not a layer
    assert layered.read(tmp_path / "b1" / "bases", {"base": "../x.json"}) is None


def test_a_base_that_cannot_be_linked_is_written_anew(tmp_path: Path) -> None:
    read = save(tmp_path / "b1", {"a": 1, "b": 2}, None)
    (tmp_path / "b1" / "bases" / read.name).unlink()  # the current build's, gone meanwhile
    again = save(tmp_path / "b2", {"a": 1, "b": 3}, read)
    assert again.members == {"a": 1, "b": 3} and again.base == again.members


@pytest.mark.parametrize(("data", "members"), [
    (b'{"a": {"n": 18446744073709551616}, "b": [1.5, "\\u00e9"]}',  # beyond 64 bits
     {"a": {"n": 2 ** 64}, "b": [1.5, "é"]}),
    (b'{"a": NaN}', None),  # not JSON, read by the standard library: the value is NaN
    (b'{"a": ', None),  # not JSON at all: nothing
])
def test_a_base_reads_as_the_standard_library_reads_it(tmp_path: Path, data: bytes,
                                                        members: dict[str, Any] | None) -> None:
    """Bases are decoded by orjson (faster on the MB a large edition's have), and read as the
    standard library's decoder reads them, even where orjson refuses what that one takes."""
    (tmp_path / "base.json").write_bytes(data)
    found = layered.read(tmp_path, {"base": "base.json"})
    if data.endswith(b": "):
        assert found is None
    elif members is None:
        assert found is not None and found.members["a"] != found.members["a"]  # NaN
    else:
        assert found is not None and found.members == members == json.loads(data)
