"""``tei-edition serve``: a built edition and its DTS 1.0 API over HTTP, for people and machines.

    from tei.serve import serve
    serve("build", host="127.0.0.1", port=8000)

:mod:`tei.serve.app` is the Starlette application (the edition's files and the
API's routes), :mod:`tei.serve.dts` the four DTS endpoints; what they read was
prepared by ``build`` (:mod:`tei.corpus.dts`). uvicorn runs it: one process,
bound to loopback unless told otherwise, stopped cleanly by Ctrl-C (SIGINT) or
SIGTERM: open requests are finished, then :func:`serve` returns.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (0: any free port) and listening."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket (IPv6 addresses in brackets)."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(build: str | os.PathLike[str], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          announce: Callable[[str], None] = print) -> None:
    """Serve the edition built at ``build`` until interrupted; ``announce`` is told, once,
    where it listens. Raises :class:`~tei.errors.TeiEditionError` when ``build`` is not an
    edition, :class:`OSError` when the address cannot be bound."""
    import uvicorn

    from tei.serve.app import create_app

    app = create_app(build)
    sock = listening_socket(host, port)
    url = url_of(sock)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    announce(f"Serving {build} at {url}/ (DTS API: {url}/api/dts); Ctrl-C stops.")
    try:
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises it again once shut down
            server.run(sockets=[sock])
    finally:
        sock.close()
