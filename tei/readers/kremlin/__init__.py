"""kremlin.ru and en.kremlin.ru: the text export (``text``), saved pages (``html``) and
what the sites' addresses say (``site``)."""
