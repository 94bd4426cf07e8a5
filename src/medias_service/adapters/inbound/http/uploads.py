"""POST /api/v1/media and POST /api/v1/media/{id}/versions: streamed multipart uploads."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from dishka import FromDishka
from litestar import Controller, Request, Response, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, RequestBody, Schema
from litestar.params import FromPath

from medias_service.adapters.inbound.http.dto import API, MediaOut
from medias_service.adapters.inbound.http.multipart import MultipartUploadSource
from medias_service.domain.permissions import MEDIA_WRITE
from medias_service.services.uploads import UploadService
from qhitz_shared.http.openapi import documented, problems
from qhitz_shared.http.security import Caller, require_permission, require_user

MIB = 1024 * 1024


# OpenAPI 3.1 says "file" with contentMediaType; format: binary is the 3.0 way, which Swagger UI still reads.
FILE = Schema(
    type=OpenAPIType.STRING, format="binary", content_media_type="application/octet-stream", description="the bytes"
)


def _multipart(summary: str, **fields: Schema) -> type:
    """The form the handler parses itself (MultipartUploadSource), so that the interactive page offers a file
    field: Litestar cannot see a body the handler streams."""
    schema = Schema(
        type=OpenAPIType.OBJECT,
        properties={"file": FILE, **fields},
        required=["file"],
    )
    body = RequestBody(
        content={"multipart/form-data": OpenAPIMediaType(schema=schema)}, required=True, description=summary
    )
    return documented(request_body=body)


_text = OpenAPIType.STRING
UPLOAD = _multipart(
    "The file and its metadata; fields may come before or after the file.",
    title=Schema(type=_text, description="defaults to the file name"),
    description=Schema(type=_text),
    tags=Schema(
        type=OpenAPIType.ARRAY, items=Schema(type=_text), description="repeat the field, or separate by commas"
    ),
    is_public=Schema(type=OpenAPIType.BOOLEAN, description="anyone may read it without a token"),
)
NEW_VERSION = _multipart("The new version's file.")
# What the stream itself can answer: an unreadable form (400), a body or file over a limit (413), a type that is
# not accepted (415), refused metadata (422), no quota left (507).
UPLOAD_PROBLEMS = problems(400, 413, 415, 422, 507)


class UploadSettings(msgspec.Struct, frozen=True):
    """MEDIAS_UPLOAD_*: accepted content types (patterns, sniffed from the bytes), the hard ceiling of a request
    body, above every owner's own limit, and the service clients that may upload on a user's behalf
    (POST /internal/v1/media?owner_id=...)."""

    allowed_types: list[str] = msgspec.field(
        default_factory=lambda: ["image/*", "video/*", "audio/*", "application/pdf", "text/plain", "application/zip"]
    )
    max_request_mb: int = 10240
    on_behalf_clients: list[str] = msgspec.field(default_factory=lambda: ["studio_service"])


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
        operation_class=UPLOAD,
        responses=UPLOAD_PROBLEMS,
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
        operation_class=NEW_VERSION,
        responses=problems(400, 403, 413, 415, 422, 507),
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
