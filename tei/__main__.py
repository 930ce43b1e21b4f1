"""``python -m tei``: the same command line as ``tei-edition``."""

from tei.cli import cli

cli(prog_name="tei-edition")
