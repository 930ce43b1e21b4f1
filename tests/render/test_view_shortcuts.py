"""A paragraph or line of text alone is read into the view as the general inline walk reads it:
the same pieces, the same words, on every such element of the TEI in tests/data."""

from __future__ import annotations

from pathlib import Path

from render_support import FOREIGN, sample_bytes
from tei.render.inline import LinkRegistry, content_of, count_words, pieces_of, tidy
from tei.xmlio import TEI_NS, parse_bytes, parse_file

DATA = Path(__file__).parents[1] / "data"


def test_text_alone_reads_as_the_inline_walk_reads_it() -> None:
    roots = [parse_bytes(sample_bytes(), "64534.xml").getroot()]
    roots += [parse_file(path).getroot() for path in FOREIGN.values()]
    plain = walked = 0
    for root in roots:
        for el in root.iter(f"{{{TEI_NS}}}p", f"{{{TEI_NS}}}l", f"{{{TEI_NS}}}seg",
                            f"{{{TEI_NS}}}ab", f"{{{TEI_NS}}}head"):
            general = tidy(pieces_of(el, LinkRegistry()))
            assert content_of(el, LinkRegistry()) == (general, count_words(general))
            plain += not len(el)
            walked += bool(len(el))
    assert plain > 300 and walked > 20  # both ways taken, many times
