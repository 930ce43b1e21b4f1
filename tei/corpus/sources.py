"""What a build is made from: the source files that SRC names, found, kinded and hashed.

A source is a transcript (a text export, a headerless transcript with its
sidecar, a saved web page) or a TEI file; folders are searched for them.
Each :class:`SourceFile` knows its content hash (with its sidecar's), which
decides whether its last build can be carried over.

Only regular files are read: a FIFO, a device (a link to ``/dev/zero`` named
``x.txt``) or a socket would block a build or never end, so it is skipped with
a warning. A file that cannot be read (a broken link, a loop of links, no
permission) is a failing source: reported as ``FILE: reason``, the rest is
built. An output folder that is a source, holds one or lies inside one is
refused (:func:`check_output`): the build would read its own outputs, or
replace the sources by a link.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tei.corpus.hashes import hash_file
from tei.corpus.manifest import Entry
from tei.errors import ReadError, TeiEditionError
from tei.readers.sidecar import SIDECAR, sidecar_path

SOURCE_KINDS = {".txt": "transcript", ".html": "transcript", ".htm": "transcript", ".xml": "tei"}
"""File suffixes a folder is searched for, and how each kind is built."""

FILE_TYPES = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
              (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
              (stat.S_ISDIR, "a folder"))
"""What a file that is not a regular one is, for the warning that skips it."""


class SkippedSource(TeiEditionError):
    """A source that is not a regular file (a FIFO, a device): skipped with a warning."""


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
    error: ReadError | None = None
    """Why the file cannot be read (a broken link, no permission): reported, never built."""

    stat: list[int] = field(default_factory=list)
    """What :attr:`hash` was taken with (see :attr:`tei.corpus.manifest.Entry.stat`)."""
    found: list[int] | None = None
    """Its stat when it was found (:func:`find_sources`), taken after :attr:`found_at`: the
    one :meth:`content_hash` goes by (None: it takes its own)."""
    found_at: int = 0
    """The time (ns) before :attr:`found`."""
    sidecar: bool | None = None
    """False when the listing of its folder showed no sidecar (None: not listed, or one is
    there: looked at when hashed)."""

    def content_hash(self, previous: Entry | None = None) -> str:
        """SHA-256 of the file, and of its sidecar ``NAME.meta.toml`` when there is one; the
        hash of ``previous`` (the last build's entry) without reading either when their stat
        is the one recorded there. Sets :attr:`stat` (left empty for a file changed in the
        last :data:`RACY_NS`: another change within its clock's tick would not show)."""
        if self.found is None:
            started, found = time.time_ns(), _stat(self.path)
        else:  # one stat a source in a build: found, not taken again
            started, found = self.found_at, self.found
        sidecar = sidecar_path(self.path) if self.sidecar is not False else None
        if sidecar is not None and sidecar.is_file():  # not looked for if not listed
            found = found + _stat(sidecar)
        if previous is not None and previous.stat and previous.stat == found:
            self.stat = found
            return previous.hash
        digest = hash_file(self.path)
        if sidecar is not None and len(found) > _STAT_FIELDS:
            digest = f"{digest}+{hash_file(sidecar)}"
        racy = any(change >= started - RACY_NS for change in found[2::_STAT_FIELDS])
        self.stat = [] if racy else found
        return digest


RACY_NS = 2_000_000_000
"""A file changed this recently (ns) is hashed again next time whatever its stat says:
file systems keep times to a tick (2 s on FAT), and two changes within one look alike."""

_STAT_FIELDS = 5


def _stat(path: Path) -> list[int]:
    """What tells a changed file: size, modification and change times (ns), inode, device
    (the change time moves whenever the content or the times are set)."""
    return _fields(os.stat(path))


def _fields(info: os.stat_result) -> list[int]:
    """The fields of a stat that tell a changed file (see :func:`_stat`)."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


@dataclass(slots=True)
class Corpus:
    """The source files of a build, in a stable order, with views by kind and state."""

    files: list[SourceFile] = field(default_factory=list)
    skipped: list[SkippedSource] = field(default_factory=list)
    """What SRC names or holds that is not a regular file, each with its warning."""

    def changed(self) -> list[SourceFile]:
        """Files to build in this run."""
        return [f for f in self.files if f.changed]


def find_sources(sources: Iterable[str | os.PathLike[str]],
                 exclude: Iterable[Path] = ()) -> Corpus:
    """Every source file named or found in the folders named, once, sorted by path.

    Folders are searched recursively for ``.txt``, ``.html`` and ``.xml``
    files; hidden files and folders, and anything under ``exclude`` (the
    output folder, the authority file), are left out; what is not a regular
    file is skipped with a warning (``Corpus.skipped``).
    """
    excluded = [os.path.abspath(p) for p in exclude]
    found: dict[str, SourceFile] = {}
    skipped: dict[str, SkippedSource] = {}
    for source in sources:
        path = Path(source)
        if not path.exists() and not path.is_symlink():
            raise TeiEditionError("no such file or folder", path=str(path))
        candidates = (_walk(path) if path.is_dir()
                      else [(str(path), os.path.abspath(path), None)])
        for candidate, absolute, sidecar in candidates:
            if (any(absolute == e or absolute.startswith(e + os.sep) for e in excluded)
                    or absolute in found or absolute in skipped):
                continue
            inspected = _inspect(candidate, absolute, sidecar)
            if isinstance(inspected, SkippedSource):
                skipped[absolute] = inspected
            else:
                found[absolute] = inspected
    return Corpus(sorted(found.values(), key=lambda f: f.key),
                  [skipped[key] for key in sorted(skipped)])


def _inspect(name: str, key: str, sidecar: bool | None) -> SourceFile | SkippedSource:
    """The source file at ``name`` (one that fails when it cannot even be looked at), or
    the warning that skips what is not a regular file; ``sidecar``: whether the listing of
    its folder showed its sidecar (None: not listed)."""
    path = Path(name)
    kind = SOURCE_KINDS.get(path.suffix.lower(), "transcript")
    started = time.time_ns()
    try:
        info = os.stat(name)
    except OSError as error:
        return SourceFile(path, kind, key, error=unreadable(path, error))
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return SourceFile(path, kind, key, found=_fields(info), found_at=started,
                          sidecar=False if sidecar is False else None)
    what = next((name for test, name in FILE_TYPES if test(mode)), "not a file")
    return SkippedSource(f"not a regular file ({what}), skipped", path=str(path))


def unreadable(path: Path, error: OSError) -> ReadError:
    """The failure of a source that cannot be opened or read, in words."""
    if error.errno == errno.ENOENT and path.is_symlink():
        reason = f"a broken symbolic link (to {os.readlink(path)}): not read"
    elif error.errno == errno.ELOOP:
        reason = "a loop of symbolic links: not read"
    else:
        reason = f"cannot be read: {(error.strerror or str(error)).lower()}"
    return ReadError(reason, path=str(path))


def check_output(sources: Sequence[str | os.PathLike[str]], out: Path, store: Path) -> None:
    """Refuse an output folder that is a source, holds one or lies inside one.

    ``out`` itself is not followed (it is normally the build's own link), but
    where it points is compared too, and so is its store of builds.
    """
    out_path = Path(os.path.realpath(out.parent)) / out.name
    followed = Path(os.path.realpath(out))
    outputs = {out_path, followed, Path(os.path.realpath(store))}
    for source in sources:
        real = Path(os.path.realpath(source))
        if real in outputs:
            raise TeiEditionError(f"is a source and the output folder (-o {out}) at once: "
                                  f"choose another output folder", path=str(source))
        if any(output in real.parents for output in outputs):
            raise TeiEditionError(f"lies inside the output folder {out}, which every build "
                                  f"replaces: build from a copy outside it", path=str(source))
        if real in out_path.parents or real in followed.parents:
            raise TeiEditionError(f"lies inside the source folder {source}: choose an output "
                                  f"folder outside the sources", path=str(out))


def _walk(folder: Path) -> Iterator[tuple[str, str, bool]]:
    """Source files under ``folder``, hidden ones left out: each as found (its folder's path
    joined to its name), its absolute path (its folder's taken once, not each file's), and
    whether its folder lists its sidecar (:func:`~tei.readers.sidecar.sidecar_path`)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        names = frozenset(files)
        absolute = os.path.abspath(root)
        for name in sorted(files):
            stem, suffix = os.path.splitext(name)
            if not name.startswith(".") and suffix.lower() in SOURCE_KINDS:
                yield (os.path.join(root, name), os.path.join(absolute, name),
                       f"{stem}{SIDECAR}" in names)


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
