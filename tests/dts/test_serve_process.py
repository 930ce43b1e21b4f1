"""The real ``tei-edition serve``: started on a free loopback port, queried, stopped by SIGINT.

Raw requests go over a socket too, so that what uvicorn itself makes of ``..``,
NUL and broken percent-escapes is what is tested.
"""

from __future__ import annotations

import re
import select
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def raw_status(host: str, port: int, target: bytes) -> int:
    """The status of ``GET target`` sent as it is, byte for byte."""
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    match = re.match(rb"HTTP/1\.1 (\d{3})", reply)
    assert match, reply[:200]
    assert b"root:" not in reply and b"secret" not in reply
    return int(match.group(1))


def test_serve_starts_answers_and_stops_cleanly_on_ctrl_c(edition: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "tei", "serve", str(edition), "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "serve said nothing within 60 s"
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"at http://(127\.0\.0\.1):(\d+)/ \(DTS API: http://127\.0\.0\.1:\d+/api/dts\)",
                          line)
        assert match, line
        host, port = match.group(1), int(match.group(2))
        base = f"http://{host}:{port}"
        entry = httpx.get(f"{base}/api/dts", timeout=10)
        assert entry.status_code == 200 and entry.json()["@type"] == "EntryPoint"
        passage = httpx.get(f"{base}/api/dts/document",
                            params={"resource": "kremlin-64534", "ref": "p34"}, timeout=10)
        assert passage.status_code == 200 and "Спасибо, Владимир Владимирович." in passage.text
        assert httpx.head(f"{base}/api/dts/collection", timeout=10).status_code == 200
        for target in (b"/../../../../etc/passwd", b"/tei/../../../etc/passwd",
                       b"/%2e%2e/%2e%2e/etc/passwd", b"/tei/%00", b"/%ff%fe%80",
                       b"/api/dts/navigation?resource=%ff&down=1",
                       b"/api/dts/document?resource=a%00b", b"/" + b"x" * 6000):
            assert 400 <= raw_status(host, port, target) < 500, target
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err and "Error" not in err
