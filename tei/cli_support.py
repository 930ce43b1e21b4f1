"""What the commands of :mod:`tei.cli` share: how they report, read standard input, their
common options, and a progress bar on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from tei.errors import TeiEditionError

def error_line(error: TeiEditionError | OSError, path: str | None = None) -> str:
    """``Error: FILE:LINE: message``; an OS error names its file (or ``path``)."""
    if isinstance(error, OSError):
        error = TeiEditionError(error.strerror or str(error), path=error.filename or path)
    return f"Error: {error}"


def report_error(error: TeiEditionError | OSError, path: str | None = None) -> None:
    """Print one ``Error: FILE:LINE: message`` line on stderr."""
    click.echo(error_line(error, path), err=True)


def warning_line(located: str) -> str:
    """``Warning: FILE:LINE: message``: a change made to an input (a stray byte replaced),
    or something to look at; not a failure."""
    return f"Warning: {located}"


def report_warning(located: str) -> None:
    """Print one ``Warning: …`` line on stderr."""
    click.echo(warning_line(located), err=True)


def read_stdin(inputs: tuple[str, ...]) -> bytes | None:
    """Standard input, when ``-`` is among the inputs: at most one byte beyond the size
    limit, so that a flood is refused, not held in memory. It can be read only once."""
    from tei.xmlio import MAX_BYTES, STDIN

    if inputs.count(STDIN) > 1:
        raise click.UsageError("'-' (standard input) is given more than once: it can be read once.")
    return sys.stdin.buffer.read(MAX_BYTES + 1) if STDIN in inputs else None


def refuse_published_build(out_dir: str) -> None:
    """Stop when ``out_dir`` lies in an edition that ``build`` published (it would be lost)."""
    from tei.corpus.store import published_build_of

    link = published_build_of(out_dir)
    if link is not None:
        raise click.UsageError(
            f"{out_dir} is inside {link}, an edition published by 'tei-edition build': files "
            f"written there would be lost at the next build. Choose another -o, or build "
            f"the sources with 'tei-edition build'.")


F = TypeVar("F", bound=Callable[..., Any])


def force_option(fn: F) -> F:
    """``--force``: replace output files that differ from the new output (hand edits)."""
    return click.option(
        "--force", is_flag=True,
        help="Replace existing output files even when they differ (hand corrections are lost).",
    )(fn)


def templates_option(fn: F) -> F:
    """``--templates DIR``: a folder searched before the bundled templates."""
    return click.option(
        "--templates", type=click.Path(exists=True, file_okay=False), default=None,
        help="Folder of your own templates, searched before the bundled ones "
             "(copy transform/ and edit it).",
    )(fn)


def _base_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--base-url``: an absolute http(s) address, given back ending with ``/``."""
    from tei.render.options import base_url

    try:
        return base_url(value) if value else None
    except ValueError as problem:
        raise click.BadParameter(str(problem)) from None


def base_url_option(fn: F) -> F:
    """``--base-url URL``: where the output folder is published, for citation addresses."""
    return click.option(
        "--base-url", "base_url", default=None, metavar="URL", callback=_base_url,
        help="Address where the output folder will be published (https://example.org/edition/): "
             "how to cite then gives each page's own address and each paragraph's, pages get "
             "a canonical link, and build writes sitemap.xml.",
    )(fn)


class Progress:
    """A progress bar on a terminal (stderr); silent when stderr is not one.

    While the bar is drawn, what a command would print (:meth:`say`) waits
    until the bar is closed, so that lines and the bar do not cut into each other.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0
        self.waiting: list[tuple[str, bool]] = []

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and total > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                         show_pos=True).__enter__()
        if self.bar is not None:
            self.bar.update(done - self.done)
        self.done = done

    def say(self, line: str, err: bool = False) -> None:
        """Print ``line`` (on stderr with ``err``) now, or once the bar is closed."""
        if self.bar is None:
            click.echo(line, err=err)
        else:
            self.waiting.append((line, err))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        for line, err in self.waiting:
            click.echo(line, err=err)
