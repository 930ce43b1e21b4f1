"""The XML escaping the corpus pages and the DTS API write with (:mod:`tei.xmlio`): the same
characters as the standard library's ``xml.sax.saxutils``, whose module is not imported (it
costs every command ``urllib.request``, ``http.client`` and ``ssl``)."""

from __future__ import annotations

import subprocess
import sys
from xml.sax.saxutils import escape, quoteattr

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tei.xmlio import escape_text, quote_attribute


@given(st.text())
def test_escaping_is_the_standard_librarys(value: str) -> None:
    assert escape_text(value) == escape(value)
    assert quote_attribute(value) == quoteattr(value)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))
               | st.sampled_from(["\t", "\n", "\r", '"', "'", "&", "<", ">"])))
def test_a_quoted_attribute_reads_back_as_its_value(value: str) -> None:
    element = etree.fromstring(f"<a b={quote_attribute(value)}>{escape_text(value)}</a>")
    assert element.get("b") == value
    assert (element.text or "") == value.replace("\r\n", "\n").replace("\r", "\n")


def test_the_build_command_does_not_import_the_network_modules() -> None:
    code = ("import sys, tei.corpus.runner, tei.cli; "
            "print(sorted(m for m in ('urllib.request', 'http.client', 'ssl') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert found == "[]"
