"""What kremlin.ru and en.kremlin.ru are: their addresses, publishers and identifiers.

A source address on either site (``http://kremlin.ru/events/president/news/64534``
or its print view ``…/news/copy/64534``) gives the canonical and print URLs,
the item number (the documents' identifier: ``kremlin-64534``, ``kremlin-en-64534``:
the two sites publish different texts), the publishing body and the licence. The
two sites share item numbers: an en.kremlin.ru item is the English version of the
kremlin.ru item of the same number (not every Russian item has one).
"""

from __future__ import annotations

import re

from tei.model import CC_BY_4, Source

PUBLISHERS = {"ru": "Президент России", "en": "President of Russia"}
"""The publishing body of kremlin.ru, in the language of the site."""

NUMBER_TYPE = "kremlin"
"""The ``idno`` type of an item number of either site."""

_URL = re.compile(
    r"^(?P<scheme>https?)://(?P<host>(?:www\.)?(?:en\.)?kremlin\.ru)"
    r"(?P<path>/[^?#\s]*?)/(?:copy/)?(?P<number>\d+)/?(?:[?#].*)?$")


def english_site(url_or_host: str) -> bool:
    """True for en.kremlin.ru (a host, or a URL on it)."""
    host = re.sub(r"^https?://", "", url_or_host)
    return host.removeprefix("www.").startswith("en.")


def source(url: str, path: str | None) -> Source | None:
    """The source data of a kremlin.ru or en.kremlin.ru address; None for another address."""
    match = _URL.match(url)
    if not match:
        return None
    base = f"{match['scheme']}://{match['host']}{match['path']}"
    english = english_site(match["host"])
    russian = f"http://kremlin.ru{match['path']}/{match['number']}"  # the site's own scheme
    return Source(url=f"{base}/{match['number']}", print_url=f"{base}/copy/{match['number']}",
                  number=match["number"], number_type=NUMBER_TYPE,
                  collection="kremlin-en" if english else "kremlin",
                  publisher=PUBLISHERS["en" if english else "ru"], licence=CC_BY_4, path=path,
                  other_languages={"ru": russian} if english else {})
