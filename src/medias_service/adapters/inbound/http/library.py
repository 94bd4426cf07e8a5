"""The library: list, read and edit media; tags; statistics."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec
from dishka import FromDishka
from litestar import Controller, get, patch
from litestar.params import FromPath, JSONBody, QueryParameter

from medias_service.adapters.inbound.http.dto import API, MediaOut, MediaPatch, StatsOut, TagOut
from medias_service.adapters.outbound.persistence.views import SqlaMediaViews
from medias_service.domain.library import MediaChanges, MediaFilter, SortField, SortOrder
from medias_service.domain.media import MediaKind, ProcessingStatus
from medias_service.domain.permissions import MEDIA_READ
from medias_service.domain.tags import MAX_TAG_LENGTH, MAX_TAGS_PER_MEDIA
from medias_service.services.access import library_scope, readable
from medias_service.services.library import MediaLibrary
from qhitz_shared.http.inputs import Text, aware_param, query_text, text_list_param, text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, MaybeCaller, require_permission, require_user

MAX_QUERY = 200
TagQuery = Text(MAX_TAG_LENGTH)


def _changes(data: MediaPatch) -> MediaChanges:
    unset = msgspec.UNSET
    return MediaChanges(
        title=None if data.title is unset else data.title,  # type: ignore[arg-type]
        description=None if data.description is unset or not data.description else data.description,  # type: ignore[arg-type]
        clear_description=data.description is not unset and not data.description,
        tags=None if data.tags is unset else data.tags,  # type: ignore[arg-type]
        is_public=None if data.is_public is unset else data.is_public,  # type: ignore[arg-type]
        move=data.folder_id is not unset,
        folder_id=None if data.folder_id is unset else data.folder_id,  # type: ignore[arg-type]
    )


class LibraryController(Controller):
    path = API
    tags = ["media"]

    @get("/", guards=[require_permission(MEDIA_READ)], summary="List media (your own, or an owner's with :any)")
    async def list_media(
        self,
        principal: Caller,
        views: FromDishka[SqlaMediaViews],
        page_request: Paging,
        owner_id: Annotated[uuid.UUID | None, QueryParameter(description="another owner (media:read:any)")] = None,
        kind: Annotated[MediaKind | None, QueryParameter()] = None,
        tag: Annotated[
            list[TagQuery] | None,
            text_list_param(MAX_TAGS_PER_MEDIA, MAX_TAG_LENGTH, description="repeat to require several tags"),
        ] = None,
        status: Annotated[ProcessingStatus | None, QueryParameter()] = None,
        is_public: Annotated[bool | None, QueryParameter()] = None,
        q: Annotated[str | None, text_param(MAX_QUERY, description="in title, description, filename")] = None,
        folder_id: Annotated[uuid.UUID | None, QueryParameter(description="only media directly in this folder")] = None,
        created_before: Annotated[datetime | None, aware_param()] = None,
        created_after: Annotated[datetime | None, aware_param()] = None,
        sort: Annotated[SortField, QueryParameter()] = SortField.CREATED_AT,
        order: Annotated[SortOrder, QueryParameter()] = SortOrder.DESC,
    ) -> Page[MediaOut]:
        filters = MediaFilter(
            owner_id=owner_id,
            kind=kind,
            tags=tuple(tag or ()),
            status=status,
            is_public=is_public,
            q=query_text(q),
            folder_id=folder_id,
            created_before=created_before,
            created_after=created_after,
            sort=sort,
            order=order,
        )
        # hot reads: straight into the answer, no use case or ORM needed (STYLE: reads are not writes)
        items, total = await views.page(library_scope(principal, filters), page_request)
        return page_of(items, total, page_request)

    @get("/stats", guards=[require_permission(MEDIA_READ)], summary="Counts and bytes by kind and status")
    async def stats(
        self,
        principal: Caller,
        library: FromDishka[MediaLibrary],
        which: Annotated[
            Literal["own", "global"], QueryParameter(name="scope", description="global needs media:read:any")
        ] = "own",
    ) -> StatsOut:
        return StatsOut.of(await library.stats(principal, everyone=which == "global"), which)

    @get("/{media_id:uuid}", summary="A media: metadata, current version, sizes, tags, status")
    async def get_media(
        self, media_id: FromPath[uuid.UUID], maybe_principal: MaybeCaller, views: FromDishka[SqlaMediaViews]
    ) -> MediaOut:
        return readable(maybe_principal, await views.media(media_id), media_id)

    @patch(
        "/{media_id:uuid}",
        guards=[require_user],
        summary="Change title, description, tags or visibility",
        responses=problems(403),
    )
    async def patch_media(
        self,
        media_id: FromPath[uuid.UUID],
        data: JSONBody[MediaPatch],
        principal: Caller,
        library: FromDishka[MediaLibrary],
    ) -> MediaOut:
        return MediaOut.of(await library.update(principal, media_id, _changes(data)))


class TagsController(Controller):
    path = "/api/v1/tags"
    tags = ["media"]

    @get("/", guards=[require_permission(MEDIA_READ)], summary="Your tags with how many media use each")
    async def list_tags(self, principal: Caller, library: FromDishka[MediaLibrary]) -> list[TagOut]:
        return [TagOut(name=name, count=count) for name, count in await library.tags(principal)]
