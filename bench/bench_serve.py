"""Benchmark ``tei-edition serve``: a bounded load of DTS Navigation and Document requests on loopback.

Makes a corpus of N transcripts (``make_corpus.py``) and builds it (or takes a
build given with ``--build``), starts ``python -m tei serve BUILD --port 0`` as a
real command, and times its start-up: until it says where it listens, and until
it answers. Then ``--clients`` concurrent clients (asyncio, one httpx connection
each) send ``--requests`` requests in all and stop: half Navigation (a
document's turns, ``down=1``, or one turn's paragraphs), half Document (one
paragraph's TEI), on documents drawn at random (seeded) from the whole corpus,
so most miss the server's small cache. Prints requests per second, latency
percentiles (p50, p99, max), errors (any status but 200, or a failed request),
and the server's resident memory after start-up, after the load and at its
peak. The server is then stopped with SIGINT.

    python bench/bench_serve.py 2000
    python bench/bench_serve.py 200 --requests 2000
    python bench/bench_serve.py 2000 --build /tmp/bench-2000/out   # an existing build
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import ROOT, _rss_kb, reference_loop, run_build  # noqa: E402
from make_corpus import make_corpus  # noqa: E402

PARAGRAPHS = 20
"""Paragraph ``p1`` to ``p20``: every transcript of ``make_corpus`` has at least these."""


def _peak_kb(pid: int) -> int:
    """Peak resident set of a process (``VmHWM``), in kB."""
    with open(f"/proc/{pid}/status", "rb") as handle:
        for line in handle:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used, in seconds (``/proc/PID/stat``)."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        fields = handle.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(build: Path) -> tuple[subprocess.Popen[str], str, float, float]:
    """Start ``serve``; returns the process, its address, seconds until it said where it
    listens and seconds until its first answer."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "tei", "serve", str(build), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline()
    listening = time.perf_counter() - started
    match = re.search(r"at (http://[^/ ]+)/", line)
    if not match:
        process.kill()
        raise SystemExit(f"serve did not start: {line}{process.stderr.read() if process.stderr else ''}")
    base = match.group(1)
    httpx.get(f"{base}/api/dts/collection", timeout=30).raise_for_status()
    return process, base, listening, time.perf_counter() - started


def document_ids(base: str) -> list[str]:
    """Every document of the edition, from the Collection endpoint (page by page)."""
    ids: list[str] = []
    url: str | None = f"{base}/api/dts/collection?id=tei-edition:corpus"
    with httpx.Client(timeout=30) as client:
        while url:
            data = client.get(url).json()
            ids += [m["@id"] for m in data["member"] if m["@type"] == "Resource"]
            url = data.get("view", {}).get("next")
    return ids


def requests_to_send(ids: list[str], count: int, seed: int = 14) -> list[str]:
    """``count`` request paths: Navigation and Document alternately, random documents."""
    chance = random.Random(seed)
    paths = []
    for number in range(count):
        doc = chance.choice(ids)
        if number % 2:
            paths.append(f"/api/dts/document?resource={doc}&ref=p{chance.randint(1, PARAGRAPHS)}")
        elif number % 4:
            paths.append(f"/api/dts/navigation?resource={doc}&down=1")
        else:
            paths.append(f"/api/dts/navigation?resource={doc}&ref=sp{chance.randint(1, 3)}&down=1")
    return paths


async def load(base: str, paths: list[str], clients: int) -> tuple[float, list[float], int]:
    """Send ``paths`` from ``clients`` concurrent clients; seconds in all, each request's
    latency, and the number of errors."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)
    latencies: list[float] = []
    errors = 0

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30,
                                     limits=httpx.Limits(max_connections=1)) as http:
            while not queue.empty():
                path = queue.get_nowait()
                sent = time.perf_counter()
                try:
                    response = await http.get(path)
                    await response.aread()
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - sent)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies, errors


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0-1) percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(args: argparse.Namespace, workdir: Path) -> None:
    """Build (unless given a build), serve, load, print the figures, stop."""
    build = args.build
    if build is None:
        make_corpus(args.n, workdir / "src")
        done = run_build(workdir / "src", workdir / "out", None)
        print(f"build of {args.n} transcripts: {done.seconds:.1f} s [{done.output}]")
        build = workdir / "out"
    print(f"{os.cpu_count()} cores; machine speed now: {reference_loop():.2f} s for the "
          f"reference loop")
    process, base, listening, answering = start_server(build)
    try:
        ids = document_ids(base)
        rss_start = _rss_kb(process.pid)
        print(f"start-up: listening after {listening:.2f} s, first answer after {answering:.2f} s; "
              f"{len(ids)} documents; server memory {rss_start / 1024:.0f} MB")
        paths = requests_to_send(ids, args.requests)
        server_cpu, client_cpu = _cpu_seconds(process.pid), time.process_time()
        seconds, latencies, errors = asyncio.run(load(base, paths, args.clients))
        server_cpu = _cpu_seconds(process.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        rss_end = _rss_kb(process.pid)
        print(f"load: {len(latencies)} requests (Navigation and Document, half each) from "
              f"{args.clients} clients in {seconds:.2f} s: {len(latencies) / seconds:.0f} "
              f"requests/s; latency p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
              f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms, "
              f"mean {statistics.fmean(latencies) * 1000:.1f} ms; errors {errors}")
        print(f"CPU during the load: server {server_cpu:.2f} s "
              f"({server_cpu / len(latencies) * 1000:.2f} ms a request), clients {client_cpu:.2f} s "
              f"(the clients run on the same {os.cpu_count()} cores)")
        print(f"server memory: {rss_start / 1024:.0f} MB after start-up, {rss_end / 1024:.0f} MB "
              f"after the load, peak {_peak_kb(process.pid) / 1024:.0f} MB")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    print(f"stopped: exit status {process.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of transcripts to make and build")
    parser.add_argument("--requests", type=int, default=4000, help="requests in all (4000)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--build", type=Path, default=None,
                        help="serve this existing build instead of making one (n is then unused)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="a new folder for the corpus and its build, kept afterwards "
                             "(default: a temporary folder, removed at the end)")
    args = parser.parse_args()
    if args.workdir is not None and args.workdir.exists():
        parser.error(f"--workdir {args.workdir} exists: name a new folder")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix=f"tei-bench-serve-{args.n}-"))
    try:
        measure(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
