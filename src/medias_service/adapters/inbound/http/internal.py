"""/internal/v1/media: uploads by a trusted service on a user's behalf (studio_service's generated outputs).

Service tokens of the clients named in MEDIAS_UPLOAD_ON_BEHALF_CLIENTS only; the media belongs to ``owner_id``,
whose upload limit and quota apply as to their own uploads, and who can then read and download it."""

from __future__ import annotations

import uuid
from typing import Any

from dishka import FromDishka
from litestar import Controller, Request, Response, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromQuery

from medias_service.adapters.inbound.http.dto import API, MediaOut
from medias_service.adapters.inbound.http.multipart import MultipartUploadSource
from medias_service.adapters.inbound.http.uploads import UPLOAD, UPLOAD_PROBLEMS, UploadSettings
from medias_service.services.uploads import UploadService
from qhitz_shared.errors import PermissionDeniedError
from qhitz_shared.http.openapi import answers
from qhitz_shared.http.security import current_principal, require_service

MIB = 1024 * 1024


async def require_on_behalf_client(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    await require_service(connection, handler)
    principal = current_principal(connection)
    settings = await connection.state.dishka_container.get(UploadSettings)
    if principal is None or principal.service not in settings.on_behalf_clients:
        raise PermissionDeniedError("This service may not upload on a user's behalf")


answers(401, 403)(require_on_behalf_client)


class OnBehalfUploadController(Controller):
    path = "/internal/v1/media"
    tags = ["internal"]
    request_max_body_size = None

    @post(
        "/",
        guards=[require_on_behalf_client],
        summary="Upload a file owned by owner_id (service tokens of MEDIAS_UPLOAD_ON_BEHALF_CLIENTS)",
        status_code=201,
        operation_class=UPLOAD,
        responses=UPLOAD_PROBLEMS,
    )
    async def upload_on_behalf(
        self,
        request: Request[Any, Any, Any],
        owner_id: FromQuery[uuid.UUID],
        uploads: FromDishka[UploadService],
        settings: FromDishka[UploadSettings],
    ) -> Response[MediaOut]:
        source = MultipartUploadSource.of(request, settings.max_request_mb * MIB)
        media = await uploads.upload_for_owner(owner_id, source)
        return Response(MediaOut.of(media), status_code=201, headers={"Location": f"{API}/{media.id}"})
