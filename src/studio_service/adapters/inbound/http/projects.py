"""/api/v1/projects: projects and their assets."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from dishka import FromDishka
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from qhitz_shared.http.inputs import query_text, text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_permission, require_user
from studio_service.adapters.inbound.http.dto import AssetIn, AssetOut, ProjectIn, ProjectOut, ProjectPatch
from studio_service.adapters.inbound.http.strict import refuse_unknown_query
from studio_service.domain.permissions import STUDIO_USE
from studio_service.domain.projects import ProjectChanges, ProjectStatus
from studio_service.services.projects import ProjectService

API = "/api/v1/projects"


def _changes(data: JSONBody[ProjectPatch]) -> ProjectChanges:
    unset = msgspec.UNSET
    return ProjectChanges(
        name=None if data.name is unset else data.name,  # type: ignore[arg-type]
        description=None if data.description is unset else data.description,  # type: ignore[arg-type]
        status=None if data.status is unset else data.status,  # type: ignore[arg-type]
    )


class ProjectsController(Controller):
    path = API
    before_request = refuse_unknown_query
    tags = ["projects"]

    @post("/", guards=[require_permission(STUDIO_USE)], summary="Create a project", responses=problems(422))
    async def create(
        self, data: JSONBody[ProjectIn], principal: Caller, service: FromDishka[ProjectService]
    ) -> ProjectOut:
        return ProjectOut.of(await service.create(principal, data.name, data.description, data.status))

    @get("/", guards=[require_user], summary="List projects (your own, or an owner's with studio:read:any)")
    async def list_projects(
        self,
        principal: Caller,
        service: FromDishka[ProjectService],
        page_request: Paging,
        owner_id: Annotated[uuid.UUID | None, QueryParameter(description="another owner (studio:read:any)")] = None,
        status: Annotated[ProjectStatus | None, QueryParameter()] = None,
        q: Annotated[str | None, text_param(200, description="in name and description")] = None,
    ) -> Page[ProjectOut]:
        items, total = await service.page(principal, owner_id, status, query_text(q), page_request)
        return page_of([ProjectOut.of(item) for item in items], total, page_request)

    @get("/{project_id:uuid}", guards=[require_user], summary="One project", responses=problems(404))
    async def get_project(
        self, project_id: FromPath[uuid.UUID], principal: Caller, service: FromDishka[ProjectService]
    ) -> ProjectOut:
        return ProjectOut.of(await service.get(principal, project_id))

    @patch("/{project_id:uuid}", guards=[require_user], summary="Edit a project", responses=problems(403, 404, 422))
    async def update_project(
        self,
        project_id: FromPath[uuid.UUID],
        data: JSONBody[ProjectPatch],
        principal: Caller,
        service: FromDishka[ProjectService],
    ) -> ProjectOut:
        return ProjectOut.of(await service.update(principal, project_id, _changes(data)))

    @delete("/{project_id:uuid}", guards=[require_user], summary="Archive a project", responses=problems(403, 404))
    async def archive_project(
        self, project_id: FromPath[uuid.UUID], principal: Caller, service: FromDishka[ProjectService]
    ) -> None:
        await service.archive(principal, project_id)

    @post(
        "/{project_id:uuid}/assets",
        guards=[require_user],
        summary="Add a media of the library you can read as an asset",
        responses=problems(403, 404, 409, 422, 503),
    )
    async def add_asset(
        self,
        request: Request[Any, Any, Any],
        project_id: FromPath[uuid.UUID],
        data: JSONBody[AssetIn],
        principal: Caller,
        service: FromDishka[ProjectService],
    ) -> AssetOut:
        asset = await service.add_asset(
            principal,
            request.headers.get("authorization", ""),
            project_id,
            data.media_id,
            data.kind,
            dict(data.metadata),
            data.derived_from_job,
            data.derived_from_asset,
        )
        return AssetOut.of(asset)

    @get("/{project_id:uuid}/assets", guards=[require_user], summary="A project's assets", responses=problems(404))
    async def list_assets(
        self,
        project_id: FromPath[uuid.UUID],
        principal: Caller,
        service: FromDishka[ProjectService],
        page_request: Paging,
    ) -> Page[AssetOut]:
        items, total = await service.assets(principal, project_id, page_request)
        return page_of([AssetOut.of(item) for item in items], total, page_request)

    @delete(
        "/{project_id:uuid}/assets/{asset_id:uuid}",
        guards=[require_user],
        summary="Remove an asset (the media stays in the library)",
        responses=problems(403, 404),
    )
    async def remove_asset(
        self,
        project_id: FromPath[uuid.UUID],
        asset_id: FromPath[uuid.UUID],
        principal: Caller,
        service: FromDishka[ProjectService],
    ) -> None:
        await service.remove_asset(principal, project_id, asset_id)
