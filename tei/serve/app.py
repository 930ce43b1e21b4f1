"""The ASGI application of ``tei-edition serve``: a built edition's files and its DTS API.

Read-only: every route answers GET (and HEAD) only. ``/api/dts`` and below are
the DTS endpoints (:mod:`tei.serve.dts`); any other path is a file of the build
(HTML, text, TEI, corpus pages, search index: whatever the build holds), ``/``
and folders their ``index.html``.

What no request can do: read outside the build (a path is split into names,
and ``..``, ``.``, names starting with ``.`` (the build's own ``.tei-edition/``),
NUL, backslashes and over-long names are refused; the real path of what remains,
symbolic links followed, must lie inside the build), or get a 500: every error
is a 4xx with a JSON body, and an unexpected one is logged and answered 404
rather than let through.

``BUILD`` is usually the link ``build`` that ``tei-edition build`` switches to
each new build: the server follows it, so a new build is served from the next
request on (and the previous one, which ``build`` deletes, is let go).
"""

from __future__ import annotations

import logging
import mimetypes
import os
import stat
from collections.abc import AsyncIterator
from email.utils import formatdate
from pathlib import Path
from typing import IO

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from tei.corpus.dts import DtsStore, StoreError
from tei.corpus.layout import DTS, META_DIR
from tei.errors import TeiEditionError
from tei.serve import dts
from tei.serve.dts import ApiError

LOG = logging.getLogger("tei.serve")
MAX_NAME = 255
MAX_PATH = 2048
CHUNK = 64 * 1024
TYPES = {".xml": dts.TEI_XML, ".html": "text/html; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".tsv": "text/tab-separated-values; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".json": "application/json"}
"""Media types by suffix (every XML file of an edition is TEI); others as ``mimetypes`` says."""


class Edition:
    """The build being served: its folder (the link followed) and its DTS data, reopened when
    the link is switched to a new build."""

    def __init__(self, build: Path) -> None:
        self.build = Path(os.path.abspath(build))
        self.root = Path()
        self.store: DtsStore | None = None
        self.current()

    def current(self) -> tuple[Path, DtsStore]:
        """The real folder of the build and its DTS data (raises :class:`StoreError`)."""
        root = Path(os.path.realpath(self.build))
        if self.store is None or root != self.root:
            store = DtsStore(root / DTS.path)
            if self.store is not None:
                self.store.close()
            self.root, self.store = root, store
        return self.root, self.store

    def read(self, relative: str) -> bytes:
        """A file of the build that its data names (404 if it has gone)."""
        root, _ = self.current()
        try:
            return (root / relative).read_bytes()
        except OSError:
            raise ApiError(404, f"{relative} is missing from the build") from None


def edition_file(root: Path, path: str) -> Path | None:
    """The file of the build at URL path ``path``, or None when there is none or it may not
    be served (see the module docstring)."""
    if len(path) > MAX_PATH:
        return None
    names = [name for name in path.split("/") if name]
    for name in names:
        if (name.startswith(".") or len(name.encode("utf-8", "surrogatepass")) > MAX_NAME
                or "\x00" in name or "\\" in name or name == META_DIR):
            return None
    try:
        candidate = Path(os.path.realpath(root.joinpath(*names)))
        if candidate != root and root not in candidate.parents:
            return None  # a symbolic link that leads out of the build
        if candidate.is_dir():
            candidate = candidate / "index.html"
        mode = candidate.stat().st_mode
    except (OSError, ValueError):
        return None
    return candidate if stat.S_ISREG(mode) else None


async def _chunks(handle: IO[bytes]) -> AsyncIterator[bytes]:
    """The rest of an open file, a chunk at a time; closed at the end."""
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def file_response(request: Request, path: Path) -> Response:
    """``path`` streamed from a handle opened now (a new build may delete it meanwhile)."""
    media = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"
    try:
        handle = open(path, "rb")
        size = os.fstat(handle.fileno())
    except OSError:
        raise ApiError(404, "no such file in the edition") from None
    headers = {"Content-Length": str(size.st_size), "X-Content-Type-Options": "nosniff",
               "Last-Modified": formatdate(size.st_mtime, usegmt=True)}
    if request.method == "HEAD":
        handle.close()
        return Response(b"", headers=headers, media_type=media)
    return StreamingResponse(_chunks(handle), headers=headers, media_type=media)


def create_app(build: str | os.PathLike[str]) -> Starlette:
    """The application serving the edition built at ``build`` (raises
    :class:`~tei.errors.TeiEditionError` when it is not one)."""
    try:
        edition = Edition(Path(build))
    except StoreError as error:
        raise TeiEditionError(f"not an edition made by tei-edition build ({error}): "
                              f"run tei-edition build first", path=str(build)) from None

    async def entry(request: Request) -> Response:
        return dts.entry(request)

    async def collection(request: Request) -> Response:
        return dts.collection(request, edition.current()[1])

    async def navigation(request: Request) -> Response:
        return dts.navigation(request, edition.current()[1])

    async def document(request: Request) -> Response:
        return dts.document(request, edition.current()[1], edition.read, render_passage)

    async def files(request: Request) -> Response:
        root, _ = edition.current()
        path = request.url.path
        found = edition_file(root, path)
        if found is None:
            raise ApiError(404, "no such file in the edition")
        if found.name == "index.html" and not path.endswith(("/", ".html")):
            return RedirectResponse(request.url.replace(path=path + "/"), 308)
        return file_response(request, found)

    api = {"": entry, "/collection": collection, "/navigation": navigation,
           "/document": document}
    routes = [Route(f"/api/dts{suffix}{slash}", handler, methods=["GET", "HEAD"])
              for suffix, handler in api.items() for slash in ("", "/")]
    routes.append(Route("/{path:path}", files, methods=["GET", "HEAD"]))
    return Starlette(routes=routes, exception_handlers={
        ApiError: _api_error, HTTPException: _http_error, StoreError: _store_error,
        Exception: _unexpected})


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return error.response()


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    status = error.status_code if 400 <= error.status_code < 500 else 400
    return ApiError(status, str(error.detail)).response()


async def _store_error(request: Request, error: Exception) -> Response:
    return ApiError(404, f"the edition cannot be read now ({error})").response()


async def _unexpected(request: Request, error: Exception) -> Response:
    LOG.exception("unexpected error answering %s", request.url.path)
    return ApiError(404, "this request could not be answered").response()


def render_passage(tei: bytes, doc_id: str, media: str) -> bytes:
    """A passage's TEI as an HTML page or plain text, by the edition's own renderers."""
    from tei.pipeline import load_tei, view_of
    from tei.render import RenderOptions, render_html, render_text

    try:
        view = view_of(load_tei(tei, doc_id, checked=False), doc_id)
        if media == dts.HTML_TYPE:
            options = RenderOptions(static="/html/static/", home="/index.html", api="/api/dts")
            return render_html(view, options).encode("utf-8")
        return render_text(view).encode("utf-8")
    except TeiEditionError as error:
        raise ApiError(404, f"the passage cannot be shown as {media}: {error.message}") from None
