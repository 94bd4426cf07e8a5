"""/api/v1/uploads: resumable uploads, tus 1.0.0 (core, creation, creation-with-upload, termination, expiration,
checksum). HEAD is answered by GET (qhitz_shared.http.head), which also returns the state as JSON."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from email.utils import format_datetime
from typing import Any

import msgspec
from dishka import FromDishka
from litestar import Controller, Request, Response, delete, get, patch, post, route
from litestar.enums import HttpMethod
from litestar.exceptions import InternalServerException
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, RequestBody, Schema
from litestar.params import FromPath

from medias_service.adapters.inbound.http import tus_headers as tus
from medias_service.adapters.inbound.http.dto import API as MEDIA_API
from medias_service.domain.errors import UnsupportedMediaType
from medias_service.domain.permissions import MEDIA_WRITE
from medias_service.domain.resumable import ResumableUpload
from medias_service.services.resumable import ResumableUploadService
from medias_service.services.resumable_append import PatchBody, ResumableAppend
from qhitz_shared.http.openapi import documented, problems
from qhitz_shared.http.security import Caller, require_permission, require_user

UPLOADS = "/api/v1/uploads"
BATCH_BYTES = 1024 * 1024
_OCTETS = Schema(type=OpenAPIType.STRING, format="binary", content_media_type="application/octet-stream")


def _octets(description: str, *, required: bool) -> type:
    """The raw bytes the handler streams itself (Litestar cannot see such a body), for the OpenAPI document."""
    content = {tus.OFFSET_OCTET_STREAM: OpenAPIMediaType(schema=_OCTETS)}
    return documented(request_body=RequestBody(content=content, required=required, description=description))


MIB = 1024 * 1024
# The headers a browser client must be allowed to read (CORS) and send.
EXPOSED_HEADERS = [
    "Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Upload-Metadata", "Tus-Resumable",
    "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm", "Media-Location",
]  # fmt: skip


class TusSettings(msgspec.Struct, frozen=True):
    """MEDIAS_TUS_*: resumable uploads: Tus-Max-Size, expiry, lease, cleanup interval.

    max_size_mb is announced as Tus-Max-Size (each owner's own limit applies too); an upload waits
    expire_after_hours for its next bytes before it is removed with its partial data and reservation; a request
    sending bytes holds the upload for lease_seconds without renewing; expired uploads are looked for every
    cleanup_interval_seconds (0: never)."""

    max_size_mb: int = 10240
    expire_after_hours: float = 24.0
    lease_seconds: float = 60.0
    cleanup_interval_seconds: float = 300.0


class UploadOut(msgspec.Struct):
    id: uuid.UUID
    offset: int
    length: int
    expires_at: datetime
    media_id: uuid.UUID | None
    media_url: str | None


def _state_headers(upload: ResumableUpload) -> dict[str, str]:
    headers = {
        "Tus-Resumable": tus.TUS_VERSION,
        "Upload-Offset": str(upload.offset),
        "Upload-Length": str(upload.length),
        "Upload-Expires": format_datetime(upload.expires_at, usegmt=True),
        "Cache-Control": "no-store",
    }
    if upload.media_id is not None:
        headers["Media-Location"] = f"{MEDIA_API}/{upload.media_id}"
    return headers


async def _body(request: Request[Any, Any, Any], body: PatchBody) -> AsyncIterator[bytes]:
    """The request's bytes as they arrive, in pieces of about ``BATCH_BYTES`` (the server hands them over in
    64 KiB pieces; one join saves the per-piece work of every layer downstream); a client that goes away ends
    them early (``body.interrupted``), after what did arrive."""
    batch: list[bytes] = []
    batched = 0
    try:
        async for chunk in request.stream():
            batch.append(chunk)
            batched += len(chunk)
            if batched >= BATCH_BYTES:
                yield b"".join(batch)
                batch, batched = [], 0
    except InternalServerException:  # Litestar's answer to a client that disconnected mid-body
        body.interrupted = True
    if batch:
        yield b"".join(batch)


def _patch_body(request: Request[Any, Any, Any], checksum: str = "") -> PatchBody:
    media_type, _ = request.content_type
    if media_type != tus.OFFSET_OCTET_STREAM:
        raise UnsupportedMediaType(f"Send the bytes as {tus.OFFSET_OCTET_STREAM}")
    body = PatchBody(chunks=(), announced=request.content_length, checksum=tus.checksum(checksum))
    body.chunks = _body(request, body)
    return body


class TusController(Controller):
    path = UPLOADS
    tags = ["uploads"]
    # No body limit here: every upload is bounded by its Upload-Length, checked against the owner's limits.
    request_max_body_size = None

    # Named to sort before ``create``: Litestar registers a controller's handlers by name, and a path's first
    # handler gets an automatic OPTIONS handler that would otherwise replace this one.
    # Protocol discovery, as tus clients and browsers (CORS preflight) send it; not part of the OpenAPI document.
    @route("/", http_method=[HttpMethod.OPTIONS], status_code=204, include_in_schema=False)
    async def capabilities(self, settings: FromDishka[TusSettings]) -> Response[None]:
        return Response(
            None,
            status_code=204,
            headers={
                "Tus-Resumable": tus.TUS_VERSION,
                "Tus-Version": tus.TUS_VERSION,
                "Tus-Extension": tus.EXTENSIONS,
                "Tus-Max-Size": str(settings.max_size_mb * MIB),
                "Tus-Checksum-Algorithm": ",".join(tus.CHECKSUM_ALGORITHMS),
            },
        )

    @post(
        "/",
        guards=[require_permission(MEDIA_WRITE)],
        summary="Create an upload (Upload-Length, Upload-Metadata; the first bytes may come along)",
        status_code=201,
        operation_class=_octets("The first bytes (creation-with-upload), or nothing", required=False),
        responses=problems(400, 404, 412, 413, 415, 422, 460, 507),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: Caller,
        tus_resumable: tus.TusResumable,
        upload_length: tus.UploadLength,
        uploads: FromDishka[ResumableUploadService],
        appending: FromDishka[ResumableAppend],
        settings: FromDishka[TusSettings],
        upload_metadata: tus.MetadataHeader = "",
    ) -> Response[None]:
        tus.require_version(tus_resumable)
        if upload_length > settings.max_size_mb * MIB:
            raise tus.UploadTooLarge(f"An upload has at most {settings.max_size_mb * MIB} bytes")
        upload = await uploads.create(principal, upload_length, tus.intent(tus.metadata(upload_metadata)))
        headers = _state_headers(upload) | {"Location": f"{UPLOADS}/{upload.id}"}
        if (request.content_length or 0) > 0 or "transfer-encoding" in request.headers:
            upload = (await appending.append(principal, upload.id, 0, _patch_body(request))).upload
            headers |= _state_headers(upload)
        return Response(None, status_code=201, headers=headers)

    @get(
        "/{upload_id:uuid}",
        guards=[require_user],
        summary="The upload's offset (tus HEAD), length, expiry and, once complete, its media",
        responses=problems(404),
    )
    async def status(
        self, upload_id: FromPath[uuid.UUID], principal: Caller, uploads: FromDishka[ResumableUploadService]
    ) -> Response[UploadOut]:
        upload = await uploads.status(principal, upload_id)
        media_url = f"{MEDIA_API}/{upload.media_id}" if upload.media_id else None
        out = UploadOut(upload.id, upload.offset, upload.length, upload.expires_at, upload.media_id, media_url)
        return Response(out, headers=_state_headers(upload))

    @patch(
        "/{upload_id:uuid}",
        guards=[require_user],
        summary="Append bytes at Upload-Offset (application/offset+octet-stream; Upload-Checksum optional)",
        status_code=204,
        operation_class=_octets("The bytes that follow Upload-Offset", required=True),
        responses=problems(400, 404, 409, 412, 413, 415, 422, 460, 507),
    )
    async def append(
        self,
        request: Request[Any, Any, Any],
        upload_id: FromPath[uuid.UUID],
        principal: Caller,
        tus_resumable: tus.TusResumable,
        upload_offset: tus.UploadOffset,
        appending: FromDishka[ResumableAppend],
        upload_checksum: tus.UploadChecksum = "",
    ) -> Response[None]:
        tus.require_version(tus_resumable)
        body = _patch_body(request, upload_checksum)
        appended = await appending.append(principal, upload_id, upload_offset, body)
        return Response(None, status_code=204, headers=_state_headers(appended.upload))

    @delete(
        "/{upload_id:uuid}",
        guards=[require_user],
        summary="Terminate an upload: its partial data is removed",
        status_code=204,
        responses=problems(404, 409, 412),
    )
    async def terminate(
        self,
        upload_id: FromPath[uuid.UUID],
        principal: Caller,
        tus_resumable: tus.TusResumable,
        uploads: FromDishka[ResumableUploadService],
    ) -> Response[None]:
        tus.require_version(tus_resumable)
        await uploads.terminate(principal, upload_id)
        return Response(None, status_code=204, headers={"Tus-Resumable": tus.TUS_VERSION})
