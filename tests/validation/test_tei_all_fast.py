"""tei_all cut to each document's elements gives the whole schema's verdicts, and its cache
on disk may be missing, corrupt or unwritable without changing them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from tei.errors import TeiEditionError
from tei.validation import bundled_tei_all
from tei.usercache import cache_dir
from tei.validation.prepared import cache_path, vocabulary
from tei.validation.schema import TeiAll
from tei.xmlio import parse_bytes, parse_file

DATA = Path(__file__).parent.parent / "data"
TEI_FILES = sorted(p for p in DATA.rglob("*.xml") if "unsafe" not in p.parts)
SAMPLE = DATA / "valid" / "full-header.xml"


def parsed(path: Path) -> etree._ElementTree | None:
    """The document at ``path``, or None when it is not well-formed (no verdict to compare)."""
    try:
        return parse_file(path)
    except TeiEditionError:
        return None


def changed(old: str, new: str) -> etree._ElementTree:
    """The sample with ``old`` replaced by ``new`` (once)."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    return parse_bytes(text.replace(old, new, 1).encode(), "changed.xml")


MUTATIONS = {
    "a paragraph inside a paragraph": ("</p>", "<p>inner</p></p>"),
    "a cast list in the header": ("</fileDesc>", "</fileDesc><castList/>"),
    "an element TEI does not have": ("</p>", "<colour/></p>"),
    "an attribute TEI does not have": ("<p ", '<p colour="red" '),
    "a note in a paragraph, new to the document and allowed": ("</p>", "<note>n</note></p>"),
    "a quotation in a paragraph, new and allowed": ("</p>", "<quote>q</quote></p>"),
    "a title inside a title": ("<title>", "<title><title>inner</title>"),
}


@pytest.fixture(scope="module")
def fast() -> TeiAll:
    """tei_all as validation uses it, the cut schemas of its own (not the process's)."""
    return TeiAll(bundled_tei_all())


def assert_same_verdict(fast: TeiAll, whole: etree.RelaxNG, document: etree._ElementTree) -> None:
    """The cut schema and the whole one say the same of ``document``."""
    cut = fast.cut(vocabulary(document))
    assert cut is not None
    assert cut.validate(document) == whole.validate(document), whole.error_log.last_error


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_the_cut_schema_gives_the_whole_schema_s_verdict_on_every_test_file(
        path: Path, fast: TeiAll, tei_all: etree.RelaxNG) -> None:
    document = parsed(path)
    if document is not None:
        assert_same_verdict(fast, tei_all, document)


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=list(MUTATIONS))
def test_the_cut_schema_gives_the_whole_schema_s_verdict_on_changed_documents(
        mutation: tuple[str, str], fast: TeiAll, tei_all: etree.RelaxNG) -> None:
    assert_same_verdict(fast, tei_all, changed(*mutation))


def test_a_refused_document_gets_the_whole_schema_s_messages(tei_all: etree.RelaxNG) -> None:
    document = changed(*MUTATIONS["a paragraph inside a paragraph"])
    assert not tei_all.validate(document)
    expected = [str(entry.message) for entry in tei_all.error_log]
    schema = TeiAll(bundled_tei_all())
    assert not schema.validate(document)
    assert [str(entry.message) for entry in schema.error_log] == expected


def test_cut_schemas_are_kept_in_the_cache_and_read_back(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    document = parse_file(SAMPLE)
    assert TeiAll(bundled_tei_all()).validate(document)
    kept = list((tmp_path / "tei-edition").iterdir())
    assert len(kept) == 1 and kept[0].suffix == ".rng"
    schema = TeiAll(bundled_tei_all())
    schema.__dict__["_grammar"] = None  # as if it could not be cut: only the cache has a cut
    cut = schema.cut(vocabulary(document))
    assert cut is not None and cut.validate(document)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"truncated"], ids=["empty", "garbage",
                                                                         "truncated"])
def test_a_corrupt_cache_file_is_cut_again_and_rewritten(
        damage: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    document = parse_file(SAMPLE)
    assert TeiAll(bundled_tei_all()).validate(document)
    [kept] = (tmp_path / "tei-edition").iterdir()
    good = kept.read_bytes()
    kept.write_bytes(good[: len(good) // 2] if damage == b"truncated" else damage)
    assert TeiAll(bundled_tei_all()).validate(document)
    assert kept.read_bytes() == good


def test_an_unwritable_cache_changes_nothing(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    schema = TeiAll(bundled_tei_all())
    assert schema.validate(parse_file(SAMPLE))
    assert not schema.validate(changed(*MUTATIONS["a paragraph inside a paragraph"]))
    assert blocker.read_text() == "a file where the cache folder would be"


def test_the_cache_is_keyed_by_the_schema_s_content(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    document = parse_file(SAMPLE)
    assert TeiAll(bundled_tei_all()).validate(document)
    text = bundled_tei_all().read_text(encoding="utf-8")
    start = text.index("<start>")
    corpora_only = tmp_path / "corpora-only.rng"  # the same schema, but only teiCorpus at the top
    corpora_only.write_text(text[:start] + text[start:].replace('<ref name="TEI"/>', "", 1),
                            encoding="utf-8")
    other = TeiAll(corpora_only)
    assert other.digest != TeiAll(bundled_tei_all()).digest
    cut = other.cut(vocabulary(document))
    assert cut is not None and not cut.validate(document)
    assert len(list(cache_dir().iterdir())) == 2
    assert cache_path(other.digest, vocabulary(document)).exists()


def test_a_schema_it_cannot_cut_is_compiled_whole(tmp_path: Path) -> None:
    folder = tmp_path / "schema"
    folder.mkdir()
    shutil.copy(bundled_tei_all(), folder / "tei_all.rng")
    (folder / "wrapper.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
        '<include href="tei_all.rng"/></grammar>', encoding="utf-8")
    schema = TeiAll(folder / "wrapper.rng")
    assert schema.cut(vocabulary(parse_file(SAMPLE))) is None
