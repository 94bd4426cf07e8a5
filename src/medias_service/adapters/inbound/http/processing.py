"""POST /api/v1/media/{id}/reprocess: run processing again."""

from __future__ import annotations

import uuid

from dishka import FromDishka
from litestar import Controller, post
from litestar.params import FromPath

from medias_service.adapters.inbound.http.dto import API, MediaOut
from medias_service.services.reprocessing import ReprocessService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, require_user


class ProcessingController(Controller):
    path = API
    tags = ["media"]

    @post(
        "/{media_id:uuid}/reprocess",
        guards=[require_user],
        status_code=202,
        summary="Process the current version again (owner with media:write, or media:write:any)",
        responses=problems(403),
    )
    async def reprocess(
        self, media_id: FromPath[uuid.UUID], principal: Caller, reprocessing: FromDishka[ReprocessService]
    ) -> MediaOut:
        return MediaOut.of(await reprocessing.reprocess(principal, media_id))
