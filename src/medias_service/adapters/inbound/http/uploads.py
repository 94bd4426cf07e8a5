"""POST /api/v1/media and POST /api/v1/media/{id}/versions: streamed multipart uploads."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from dishka import FromDishka
from litestar import Controller, Request, Response, post
from litestar.params import FromPath

from medias_service.adapters.inbound.http.dto import API, MediaOut
from medias_service.adapters.inbound.http.multipart import MultipartUploadSource
from medias_service.domain.permissions import MEDIA_WRITE
from medias_service.services.uploads import UploadService
from qhitz_shared.http.security import Caller, require_permission, require_user

MIB = 1024 * 1024


class UploadSettings(msgspec.Struct, frozen=True):
    """MEDIAS_UPLOAD_*: accepted content types (patterns, sniffed from the bytes) and the hard ceiling of a request
    body, above every owner's own limit."""

    allowed_types: list[str] = msgspec.field(
        default_factory=lambda: ["image/*", "video/*", "audio/*", "application/pdf", "text/plain", "application/zip"]
    )
    max_request_mb: int = 10240


class UploadController(Controller):
    path = API
    tags = ["media"]
    # The Litestar body limit is off here: the stream is bounded by MultipartUploadSource (the ceiling) and by
    # the use case (the owner's limit and quota), before or while the bytes arrive.
    request_max_body_size = None

    @post(
        "/",
        guards=[require_permission(MEDIA_WRITE)],
        summary="Upload a file (multipart: file, title?, description?, tags?, is_public?)",
        status_code=201,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        principal: Caller,
        uploads: FromDishka[UploadService],
        settings: FromDishka[UploadSettings],
    ) -> Response[MediaOut]:
        source = MultipartUploadSource.of(request, settings.max_request_mb * MIB)
        media = await uploads.upload_media(principal, source)
        return Response(MediaOut.of(media), status_code=201, headers={"Location": f"{API}/{media.id}"})

    @post(
        "/{media_id:uuid}/versions",
        guards=[require_user],
        summary="Upload a new version (multipart: file); it becomes current",
        status_code=201,
    )
    async def upload_version(
        self,
        request: Request[Any, Any, Any],
        media_id: FromPath[uuid.UUID],
        principal: Caller,
        uploads: FromDishka[UploadService],
        settings: FromDishka[UploadSettings],
    ) -> Response[MediaOut]:
        source = MultipartUploadSource.of(request, settings.max_request_mb * MIB)
        media = await uploads.upload_version(principal, media_id, source)
        number = media.current_version.number if media.current_version else 1
        return Response(
            MediaOut.of(media), status_code=201, headers={"Location": f"{API}/{media.id}/versions/{number}"}
        )
