"""What a build is made from: the source files that SRC names, found, kinded and hashed.

A source is a transcript (a text export, a headerless transcript with its
sidecar, a saved web page) or a TEI file; folders are searched for them.
Each :class:`SourceFile` knows its content hash (with its sidecar's), which
decides whether its last build can be carried over.

An output folder that is a source, holds one or lies inside one is refused
(:func:`check_output`): the build would read its own outputs, or replace the
sources by a link.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tei.corpus.manifest import Entry, hash_file
from tei.errors import TeiEditionError
from tei.readers.sidecar import sidecar_path

SOURCE_KINDS = {".txt": "transcript", ".html": "transcript", ".htm": "transcript", ".xml": "tei"}
"""File suffixes a folder is searched for, and how each kind is built."""

@dataclass(slots=True)
class SourceFile:
    """One input of the corpus: where it is, how it is built, its hash and last build."""

    path: Path
    """As given or found (shown in messages)."""
    kind: str
    """``transcript`` or ``tei`` (see ``SOURCE_KINDS``)."""
    key: str
    """The manifest's key for this file: its absolute path."""
    hash: str = ""
    previous: Entry | None = None
    """What it gave in the current build, if it was in it."""
    changed: bool = True

    def content_hash(self) -> str:
        """SHA-256 of the file, and of its sidecar ``NAME.meta.toml`` when there is one."""
        digest = hash_file(self.path)
        sidecar = sidecar_path(self.path)
        return f"{digest}+{hash_file(sidecar)}" if sidecar.is_file() else digest


@dataclass(slots=True)
class Corpus:
    """The source files of a build, in a stable order, with views by kind and state."""

    files: list[SourceFile] = field(default_factory=list)

    def changed(self) -> list[SourceFile]:
        """Files to build in this run."""
        return [f for f in self.files if f.changed]


def find_sources(sources: Iterable[str | os.PathLike[str]],
                 exclude: Iterable[Path] = ()) -> Corpus:
    """Every source file named or found in the folders named, once, sorted by path.

    Folders are searched recursively for ``.txt``, ``.html`` and ``.xml``
    files; hidden files and folders, and anything under ``exclude`` (the
    output folder, the authority file), are skipped.
    """
    excluded = [os.path.abspath(p) for p in exclude]
    found: dict[str, SourceFile] = {}
    for source in sources:
        path = Path(source)
        if not path.exists():
            raise TeiEditionError("no such file or folder", path=str(path))
        candidates = _walk(path) if path.is_dir() else [path]
        for candidate in candidates:
            absolute = os.path.abspath(candidate)
            if any(absolute == e or absolute.startswith(e + os.sep) for e in excluded):
                continue
            kind = SOURCE_KINDS.get(candidate.suffix.lower(), "transcript")
            found.setdefault(absolute, SourceFile(candidate, kind, absolute))
    return Corpus(sorted(found.values(), key=lambda f: f.key))


def check_output(sources: Sequence[str | os.PathLike[str]], out: Path, store: Path) -> None:
    """Refuse an output folder that is a source, holds one or lies inside one.

    ``out`` itself is not followed (it is normally the build's own link), but
    where it points is compared too, and so is its store of builds.
    """
    out_path = Path(os.path.realpath(out.parent)) / out.name
    outputs = {out_path, Path(os.path.realpath(out)), Path(os.path.realpath(store))}
    for source in sources:
        real = Path(os.path.realpath(source))
        if real in outputs:
            raise TeiEditionError(f"is a source and the output folder (-o {out}) at once: "
                                  f"choose another output folder", path=str(source))
        inside = next((output for output in outputs if output in real.parents), None)
        if inside is not None:
            raise TeiEditionError(f"lies inside the output folder {out}, which every build "
                                  f"replaces: build from a copy outside it", path=str(source))
        if real in out_path.parents or real in Path(os.path.realpath(out)).parents:
            raise TeiEditionError(f"lies inside the source folder {source}: choose an output "
                                  f"folder outside the sources", path=str(out))


def _walk(folder: Path) -> Iterator[Path]:
    """Source files under ``folder``, hidden ones left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SOURCE_KINDS:
                yield Path(root) / name


def default_sources() -> tuple[list[Path], Path | None]:
    """The bundled ``examples/`` folder, and its authority file, for ``build`` without sources.

    Looked up inside the installation (a wheel carries it as ``tei/_data/examples``), in
    the checkout the package runs from, then in the current folder (a checkout in
    which ``pip install .`` was run).
    """
    from tei.resources import data_dir

    try:
        examples = data_dir("examples")
    except FileNotFoundError:
        examples = Path("examples")
        if not examples.is_dir():
            raise TeiEditionError(
                "no sources given, and no bundled examples/ folder was found: name transcript "
                "files or folders, e.g. tei-edition build transcripts/ -o build") from None
    authority = examples / "authority.csv"
    return [examples], authority if authority.is_file() else None
