"""Versions of a media: the list, and restoring an old one."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, get, post
from litestar.params import FromPath

from medias_service.adapters.inbound.http.dto import API, MediaOut, VersionOut
from medias_service.services.versions import VersionService
from qhitz_shared.http.inputs import positive_int32_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, MaybeCaller, require_user


class VersionsController(Controller):
    path = f"{API}/{{media_id:uuid}}/versions"
    tags = ["media"]

    @get("/", summary="Every version, newest first")
    async def list_versions(
        self, media_id: FromPath[uuid.UUID], maybe_principal: MaybeCaller, versions: FromDishka[VersionService]
    ) -> list[VersionOut]:
        found = await versions.list(maybe_principal, media_id)
        current = max((version.number for version in found), default=0)
        return [VersionOut.of(version, current=version.number == current) for version in found]

    @post(
        "/{number:int}/restore",
        guards=[require_user],
        status_code=200,
        summary="Make version n current again (as a new version on the same bytes)",
        responses=problems(403),
    )
    async def restore_version(
        self,
        media_id: FromPath[uuid.UUID],
        number: Annotated[int, positive_int32_param()],
        principal: Caller,
        versions: FromDishka[VersionService],
    ) -> MediaOut:
        return MediaOut.of(await versions.restore(principal, media_id, number))
