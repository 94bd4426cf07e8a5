"""Trash: DELETE moves a media there (or purges it with ?permanent=true), restore, and the trash list."""

from __future__ import annotations

import uuid
from typing import Annotated

from dishka import FromDishka
from litestar import Controller, delete, get, post
from litestar.params import FromPath, QueryParameter

from medias_service.adapters.inbound.http.dto import API, MediaOut
from medias_service.domain.permissions import MEDIA_READ
from medias_service.services.trash import TrashService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission, require_user


class TrashController(Controller):
    path = API
    tags = ["media"]

    @get("/trash", guards=[require_permission(MEDIA_READ)], summary="Media in the trash, newest first")
    async def list_trash(
        self,
        principal: Caller,
        trash: FromDishka[TrashService],
        page_request: Paging,
        owner_id: Annotated[uuid.UUID | None, QueryParameter(description="another owner (media:read:any)")] = None,
    ) -> Page[MediaOut]:
        items, total = await trash.list_trash(principal, owner_id, page_request)
        return page_of([MediaOut.of(media, trash.retention) for media in items], total, page_request)

    @delete(
        "/{media_id:uuid}",
        guards=[require_user],
        summary="Move to the trash, or purge with ?permanent=true",
        responses=problems(403, 409),
    )
    async def delete_media(
        self,
        media_id: FromPath[uuid.UUID],
        principal: Caller,
        trash: FromDishka[TrashService],
        permanent: Annotated[bool, QueryParameter(description="purge now, blobs included")] = False,
    ) -> None:
        if permanent:
            await trash.purge(principal, media_id)
        else:
            await trash.trash(principal, media_id)

    @post(
        "/{media_id:uuid}/restore",
        guards=[require_user],
        status_code=200,
        summary="Bring back from the trash",
        responses=problems(403, 409),
    )
    async def restore_media(
        self, media_id: FromPath[uuid.UUID], principal: Caller, trash: FromDishka[TrashService]
    ) -> MediaOut:
        return MediaOut.of(await trash.restore(principal, media_id))
