"""The ``tei-edition`` program (the console script's entry, and ``python -m tei``): the
process set up for a short command (:func:`tei.collector.collect_rarely`), then the
command line of :mod:`tei.cli`, imported only after that."""

from __future__ import annotations

from collections.abc import Sequence

from tei.collector import collect_rarely


def main(args: Sequence[str] | None = None) -> None:
    """Run ``tei-edition ARGS`` (by default the process's own arguments)."""
    collect_rarely()
    from tei.cli import cli

    cli.main(list(args) if args is not None else None, prog_name="tei-edition")
