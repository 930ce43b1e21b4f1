"""Processes of a build: how many, and that none outlives the build that started it."""

from __future__ import annotations

import ctypes
import os
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
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def helper(module: str, *args: str, **popen: Any) -> subprocess.Popen[bytes] | None:
    """``python -S -m MODULE ARGS``, a module of this package run by a process of its own
    (this package found first, be it a checkout or an installed wheel; the site's packages
    left out: a helper needs none); None when no process can be started."""
    if not sys.executable:
        return None
    package = str(Path(__file__).resolve().parents[2])  # the folder that holds this ``tei``
    paths = os.pathsep.join([package, *filter(None, [os.environ.get("PYTHONPATH")])])
    try:
        return subprocess.Popen([sys.executable, "-S", "-m", module, *args],
                                env={**os.environ, "PYTHONPATH": paths}, **popen)
    except OSError:
        return None
