"""Downloads with HTTP Range, ETag and Last-Modified, streamed from storage."""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from dishka import FromDishka
from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.response import Stream

from medias_service.adapters.inbound.http.content_openapi import CONTENT, CONTENT_PROBLEMS
from medias_service.adapters.inbound.http.dto import API
from medias_service.adapters.inbound.http.ranges import (
    RangeNotSatisfiable,
    etag_for,
    http_date,
    not_modified,
    parse_range,
    range_applies,
)
from medias_service.domain.content import serves_inline
from medias_service.domain.media import StoredContent
from medias_service.services.downloads import DownloadService
from qhitz_shared.http.inputs import positive_int32_param, text_param
from qhitz_shared.http.problems import problem
from qhitz_shared.http.security import MaybeCaller

MAX_SIZE_NAME = 32  # the column; size names are configuration (thumb, preview...)


def content_disposition(content: StoredContent) -> str:
    """inline for images, video, audio and PDF; attachment for the rest, active types (HTML, SVG...) above all."""
    return disposition("inline" if serves_inline(content.content_type) else "attachment", content.filename)


def disposition(kind: str, filename: str | None) -> str:
    """``kind`` with the file name as an ASCII fallback and in UTF-8 (RFC 6266)."""
    if not filename:
        return kind
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    quoted = urllib.parse.quote(filename, safe="")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


def content_type_header(content_type: str) -> str:
    """The stored type as is: a text carries the charset sniffed at upload (``text/plain; charset=utf-16le``).
    Texts stored before charsets were recorded passed a UTF-8 check."""
    if content_type.startswith("text/") and "charset=" not in content_type:
        return f"{content_type}; charset=utf-8"
    return content_type


def serve(
    request: Request[Any, Any, Any],
    content: StoredContent,
    downloads: DownloadService,
    body: Callable[[AsyncIterator[bytes]], AsyncIterator[bytes]] | None = None,
) -> Response[Any]:
    """The content as the request asks for it: 304 when unchanged, 206 for a satisfiable Range, 416 otherwise,
    else 200; ``body`` wraps the bytes streamed (share links count completed downloads with it)."""
    wrap = body or (lambda stream: stream)
    etag = etag_for(content.sha256)
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(content.last_modified),
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if not_modified(
        request.headers.get("if-none-match"), request.headers.get("if-modified-since"), etag, content.last_modified
    ):
        return Response(content=b"", status_code=304, headers=headers)
    headers["Content-Disposition"] = content_disposition(content)
    byte_range = None
    if range_applies(request.headers.get("if-range"), etag, content.last_modified):
        try:
            byte_range = parse_range(request.headers.get("range"), content.size)
        except RangeNotSatisfiable:
            response = problem(
                request,
                416,
                "range_not_satisfiable",
                "Range not satisfiable",
                f"The content has {content.size} bytes",
                size=content.size,
            )
            response.headers.update({**headers, "Content-Range": f"bytes */{content.size}"})
            return response
    # Set here, or Litestar appends its own "; charset=utf-8" to any text/* type.
    headers["Content-Type"] = content_type_header(content.content_type)
    if byte_range is None:
        headers["Content-Length"] = str(content.size)
        return Stream(
            wrap(downloads.stream(content)), status_code=200, media_type=content.content_type, headers=headers
        )
    headers["Content-Length"] = str(byte_range.length)
    headers["Content-Range"] = byte_range.content_range(content.size)
    return Stream(
        wrap(downloads.stream(content, byte_range.start, byte_range.end + 1)),
        status_code=206,
        media_type=content.content_type,
        headers=headers,
    )


class ContentController(Controller):
    path = f"{API}/{{media_id:uuid}}"
    tags = ["media"]

    @get(
        "/content",
        summary="The current version's bytes (Range, conditional GET)",
        operation_class=CONTENT,
        responses=CONTENT_PROBLEMS,
    )
    async def current(
        self,
        request: Request[Any, Any, Any],
        media_id: FromPath[uuid.UUID],
        maybe_principal: MaybeCaller,
        downloads: FromDishka[DownloadService],
    ) -> Response[Any]:
        return serve(request, await downloads.content(maybe_principal, media_id), downloads)

    @get(
        "/versions/{number:int}/content",
        summary="A version's bytes (Range, conditional GET)",
        operation_class=CONTENT,
        responses=CONTENT_PROBLEMS,
    )
    async def version(
        self,
        request: Request[Any, Any, Any],
        media_id: FromPath[uuid.UUID],
        number: Annotated[int, positive_int32_param()],
        maybe_principal: MaybeCaller,
        downloads: FromDishka[DownloadService],
    ) -> Response[Any]:
        return serve(request, await downloads.content(maybe_principal, media_id, version=number), downloads)

    @get(
        "/sizes/{name:str}/content",
        summary="A generated size of the current version (Range, conditional GET)",
        operation_class=CONTENT,
        responses=CONTENT_PROBLEMS,
    )
    async def size(
        self,
        request: Request[Any, Any, Any],
        media_id: FromPath[uuid.UUID],
        name: Annotated[str, text_param(MAX_SIZE_NAME, normalised=False)],
        maybe_principal: MaybeCaller,
        downloads: FromDishka[DownloadService],
    ) -> Response[Any]:
        return serve(request, await downloads.content(maybe_principal, media_id, size=name), downloads)
