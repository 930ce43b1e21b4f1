"""Processes of a build: how many, and that none outlives the build that started it."""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any


def worker_count(jobs: int | None) -> int:
    """The number of worker processes: ``jobs``, or one per core."""
    return jobs or os.cpu_count() or 1


def end_with_parent() -> None:
    """Make this process end when the build that started it ends, and only then.

    On Linux the kernel sends it SIGTERM when the build process dies (even by
    SIGKILL), so no worker outlives an interrupted build. Ctrl-C (SIGINT, sent to
    the whole process group) is left to the build, which stops its pool: a worker
    interrupted while it held the lock of the pool's queue would leave the other
    workers waiting for that lock for ever, and the build waiting for them.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        _ask_for_the_signal()


def _ask_for_the_signal() -> None:
    """Ask the kernel to send this process SIGTERM when the thread that started it ends
    (Linux's PR_SET_PDEATHSIG, kept across ``exec``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def helper(module: str, *args: str, **popen: Any) -> subprocess.Popen[bytes] | None:
    """``python -S -m MODULE ARGS``, a module of this package run by a process of its own
    (this package found first, be it a checkout or an installed wheel; the site's packages
    left out: a helper needs none); None when no process can be started."""
    if not sys.executable:
        return None
    command, env = helper_command(module, *args)
    try:
        return subprocess.Popen(command, env=env, **popen)
    except OSError:
        return None


def helper_command(module: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment of :func:`helper`."""
    package = str(Path(__file__).resolve().parents[2])  # the folder that holds this ``tei``
    paths = os.pathsep.join([package, *filter(None, [os.environ.get("PYTHONPATH")])])
    return [sys.executable, "-S", "-m", module, *args], {**os.environ, "PYTHONPATH": paths}


def ended_with_build(command: list[str]) -> tuple[list[str], dict[str, str] | None]:
    """A program of another package (Pagefind), run so that it ends when the build's thread
    that waits for it ends, even by SIGKILL: on Linux, the kernel is asked for it (then, in
    case the build ended first, the program is not started) by util-linux's ``setpriv`` and a
    shell, or where there is none by a ``python -S`` of this module; either then becomes the
    program (``exec``: the same process, its output the build's to read). Without it, a
    Pagefind whose build was killed went on indexing, and once the next build removed the
    dead build's folder it waited for ever. ``setpriv`` starts in 2 ms of CPU, an interpreter
    in 40 (once per bundle indexed). Elsewhere, and with neither, the program as it is. The
    command, and the environment to run it in (None: the build's)."""
    if not sys.platform.startswith("linux"):
        return command, None
    setpriv, shell = _programs()
    if setpriv is not None and shell is not None:
        return [setpriv, "--pdeathsig", "TERM", "--", shell, "-c", _UNLESS_ENDED,
                str(os.getpid()), *command], None
    if not sys.executable:
        return command, None
    return helper_command(__name__, str(os.getpid()), *command)


_UNLESS_ENDED = 'test "$PPID" = "$0" && exec "$@"'
"""The shell's part of :func:`ended_with_build`: the program, unless the build (``$0``) ended
before ``setpriv`` asked the kernel (its parent is then another)."""


@functools.cache
def _programs() -> tuple[str | None, str | None]:
    """Where ``setpriv`` and ``sh`` are, if anywhere."""
    return shutil.which("setpriv"), shutil.which("sh")


if __name__ == "__main__":  # ended_with_build's process: PARENT PROGRAM [ARGS...]
    _ask_for_the_signal()
    if os.getppid() != int(sys.argv[1]):  # the build ended before the kernel was asked
        sys.exit(1)
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    except OSError as error:
        sys.exit(f"{sys.argv[2]}: {error.strerror}")
