"""Folders of the drive: /api/v1/folders (create, read, rename/move, trash, restore) and their children."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from dishka import FromDishka
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from medias_service.adapters.inbound.http.dto import MediaOut
from medias_service.adapters.outbound.persistence.views import SqlaMediaViews
from medias_service.domain.folders import MAX_FOLDER_NAME, ChildOrder, ChildSort, Folder, FolderDetails
from medias_service.domain.library import MediaFilter, SortField, SortOrder
from medias_service.domain.permissions import MEDIA_READ, MEDIA_WRITE
from medias_service.services.folders import FolderService
from qhitz_shared.http.inputs import Text
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Paging
from qhitz_shared.http.security import Caller, require_permission, require_user
from qhitz_shared.pagination import PageRequest

FOLDERS = "/api/v1/folders"
NameText = Text(MAX_FOLDER_NAME, min_length=1)
MEDIA_SORT = {
    ChildSort.NAME: SortField.TITLE,
    ChildSort.UPDATED_AT: SortField.UPDATED_AT,
    ChildSort.SIZE: SortField.SIZE,
}


class FolderIn(msgspec.Struct, forbid_unknown_fields=True):
    name: NameText
    parent_id: uuid.UUID | None = None
    """null or absent: at the root of your drive."""


class FolderPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Rename (name), move (parent_id; null: to the root), or both."""

    name: NameText | msgspec.UnsetType = msgspec.UNSET
    parent_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class FolderOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    created_at: datetime | None
    updated_at: datetime | None
    trashed_at: datetime | None

    @classmethod
    def of(cls, folder: Folder) -> FolderOut:
        return cls(
            id=folder.id,
            owner_id=folder.owner_id,
            parent_id=folder.parent_id,
            name=folder.name,
            created_at=folder.created_at,
            updated_at=folder.updated_at,
            trashed_at=folder.trashed_at,
        )


class Crumb(msgspec.Struct):
    id: uuid.UUID
    name: str


class FolderDetailsOut(msgspec.Struct):
    """The folder, the path to it from the root (``breadcrumbs``, top-level first, without the folder itself) and
    what its whole subtree holds outside the trash: ``folder_count`` sub-folders at any depth, ``media_count``
    media of ``bytes`` bytes (current versions)."""

    folder: FolderOut
    breadcrumbs: list[Crumb]
    folder_count: int
    media_count: int
    bytes: int

    @classmethod
    def of(cls, details: FolderDetails) -> FolderDetailsOut:
        return cls(
            folder=FolderOut.of(details.folder),
            breadcrumbs=[Crumb(id=item.id, name=item.name) for item in details.breadcrumbs],
            folder_count=details.totals.folders,
            media_count=details.totals.media,
            bytes=details.totals.bytes,
        )


class ChildrenOut(msgspec.Struct):
    """One page of a folder's children: sub-folders first, then media. ``total`` = ``folder_total`` +
    ``media_total``; ``folder`` is null for the root."""

    folder: FolderOut | None
    folders: list[FolderOut]
    media: list[MediaOut]
    total: int
    folder_total: int
    media_total: int
    page: int
    per_page: int


class FolderController(Controller):
    path = FOLDERS
    tags = ["folders"]

    @post("/", guards=[require_permission(MEDIA_WRITE)], summary="Create a folder", responses=problems(404, 409))
    async def create_folder(
        self, data: JSONBody[FolderIn], principal: Caller, folders: FromDishka[FolderService]
    ) -> FolderOut:
        return FolderOut.of(await folders.create(principal, data.name, data.parent_id))

    @get("/{folder_id:uuid}", guards=[require_user], summary="A folder with breadcrumbs and subtree totals")
    async def get_folder(
        self, folder_id: FromPath[uuid.UUID], principal: Caller, folders: FromDishka[FolderService]
    ) -> FolderDetailsOut:
        return FolderDetailsOut.of(await folders.details(principal, folder_id))

    @patch("/{folder_id:uuid}", guards=[require_user], summary="Rename and/or move", responses=problems(403, 409))
    async def patch_folder(
        self,
        folder_id: FromPath[uuid.UUID],
        data: JSONBody[FolderPatch],
        principal: Caller,
        folders: FromDishka[FolderService],
    ) -> FolderOut:
        moved = data.parent_id is not msgspec.UNSET
        folder = await folders.update(
            principal,
            folder_id,
            name=None if data.name is msgspec.UNSET else data.name,  # type: ignore[arg-type]
            move=moved,
            parent_id=data.parent_id if moved else None,  # type: ignore[arg-type]
        )
        return FolderOut.of(folder)

    @delete(
        "/{folder_id:uuid}",
        guards=[require_user],
        status_code=200,
        summary="Move the folder, its sub-folders and their media to the trash",
        responses=problems(403, 409),
    )
    async def trash_folder(
        self, folder_id: FromPath[uuid.UUID], principal: Caller, folders: FromDishka[FolderService]
    ) -> FolderOut:
        return FolderOut.of(await folders.trash(principal, folder_id))

    @post(
        "/{folder_id:uuid}/restore",
        guards=[require_user],
        status_code=200,
        summary="Bring the folder and what was trashed with it back (at the root if its parent is gone)",
        responses=problems(403, 409),
    )
    async def restore_folder(
        self, folder_id: FromPath[uuid.UUID], principal: Caller, folders: FromDishka[FolderService]
    ) -> FolderOut:
        return FolderOut.of(await folders.restore(principal, folder_id))

    @get("/root/children", guards=[require_permission(MEDIA_READ)], summary="Folders, then media, at the root")
    async def root_children(
        self,
        principal: Caller,
        folders: FromDishka[FolderService],
        views: FromDishka[SqlaMediaViews],
        page_request: Paging,
        owner_id: Annotated[uuid.UUID | None, QueryParameter(description="another owner (media:read:any)")] = None,
        sort: Annotated[ChildSort, QueryParameter()] = ChildSort.NAME,
        order: Annotated[SortOrder, QueryParameter()] = SortOrder.ASC,
    ) -> ChildrenOut:
        return await _children(principal, folders, views, page_request, None, owner_id, sort, order)

    @get("/{folder_id:uuid}/children", guards=[require_user], summary="Sub-folders, then media, of a folder")
    async def folder_children(
        self,
        folder_id: FromPath[uuid.UUID],
        principal: Caller,
        folders: FromDishka[FolderService],
        views: FromDishka[SqlaMediaViews],
        page_request: Paging,
        sort: Annotated[ChildSort, QueryParameter()] = ChildSort.NAME,
        order: Annotated[SortOrder, QueryParameter()] = SortOrder.ASC,
    ) -> ChildrenOut:
        return await _children(principal, folders, views, page_request, folder_id, None, sort, order)


async def _children(
    principal: Caller,
    folders: FolderService,
    views: SqlaMediaViews,
    page: PageRequest,
    folder_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    sort: ChildSort,
    order: SortOrder,
) -> ChildrenOut:
    window = ChildOrder(sort, order is SortOrder.DESC, page.offset, page.limit)
    children = await folders.children(principal, folder_id, owner_id, window)
    filters = MediaFilter(
        owner_id=children.owner_id,
        folder_id=folder_id,
        at_root=folder_id is None,
        sort=MEDIA_SORT[sort],
        order=order,
    )
    media, media_total = await views.window(filters, children.media_offset, children.media_limit)
    return ChildrenOut(
        folder=FolderOut.of(children.folder) if children.folder else None,
        folders=[FolderOut.of(folder) for folder in children.folders],
        media=media,
        total=children.folder_total + media_total,
        folder_total=children.folder_total,
        media_total=media_total,
        page=page.page,
        per_page=page.per_page,
    )
