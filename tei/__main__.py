"""``python -m tei``: the same program as ``tei-edition``."""

from tei.command import main

main()
