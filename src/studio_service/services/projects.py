"""Projects and their assets: the owner's only (404 to others), studio:*:any for moderators."""

from __future__ import annotations

import uuid
from typing import Any

from qhitz_shared.errors import PermissionDeniedError
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.principal import Principal, user_of
from studio_service.domain.errors import AssetNotFound, MediaNotReadable, ProjectArchived, ProjectNotFound
from studio_service.domain.permissions import STUDIO_USE, can_read, can_write, scope_owner
from studio_service.domain.projects import (
    Asset,
    AssetKind,
    Project,
    ProjectChanges,
    ProjectStatus,
    asset_metadata,
    project_description,
    project_name,
)
from studio_service.ports.medias import MediaAccess
from studio_service.ports.repositories import AssetRepository, ProjectRepository


async def visible_project(
    projects: ProjectRepository, actor: Principal, project_id: uuid.UUID, *, write: bool = False, lock: bool = False
) -> Project:
    """The project if the caller may read it (and with ``write`` change it); ProjectNotFound (404) when they may not
    even read it, PermissionDeniedError (403) when they may read but not change it."""
    project = await projects.get(project_id, lock=lock)
    if project is None or not can_read(actor, project.owner_id):
        raise ProjectNotFound(f"No project with id {project_id}")
    if write and not can_write(actor, project.owner_id):
        raise PermissionDeniedError("Requires the permission studio:write:any", required=["studio:write:any"])
    return project


class ProjectService:
    def __init__(
        self, projects: ProjectRepository, assets: AssetRepository, media: MediaAccess, uow: UnitOfWork
    ) -> None:
        self._projects = projects
        self._assets = assets
        self._media = media
        self._uow = uow

    async def create(self, actor: Principal, name: str, description: str, status: ProjectStatus) -> Project:
        actor = user_of(actor)
        if not actor.has(STUDIO_USE):
            raise PermissionDeniedError("Requires the permission studio:use", required=[STUDIO_USE])
        project = Project(
            id=new_id(),
            owner_id=actor.user_id,
            name=project_name(name),
            description=project_description(description),
            status=status,
        )
        await self._projects.add(project)
        await self._uow.commit()
        return project

    async def get(self, actor: Principal, project_id: uuid.UUID) -> Project:
        return await visible_project(self._projects, user_of(actor), project_id)

    async def page(
        self,
        actor: Principal,
        owner_id: uuid.UUID | None,
        status: ProjectStatus | None,
        q: str | None,
        page: PageRequest,
    ) -> tuple[list[Project], int]:
        return await self._projects.page(scope_owner(user_of(actor), owner_id), status, q, page)

    async def update(self, actor: Principal, project_id: uuid.UUID, changes: ProjectChanges) -> Project:
        project = await visible_project(self._projects, user_of(actor), project_id, write=True, lock=True)
        if changes.name is not None:
            project.name = project_name(changes.name)
        if changes.description is not None:
            project.description = project_description(changes.description)
        if changes.status is not None:
            project.status = changes.status
        await self._projects.save(project)
        await self._uow.commit()
        return project

    async def archive(self, actor: Principal, project_id: uuid.UUID) -> None:
        """DELETE archives: the project, its assets and jobs stay readable; archiving twice is fine."""
        project = await visible_project(self._projects, user_of(actor), project_id, write=True, lock=True)
        project.status = ProjectStatus.ARCHIVED
        await self._projects.save(project)
        await self._uow.commit()

    async def add_asset(
        self,
        actor: Principal,
        authorization: str,
        project_id: uuid.UUID,
        media_id: uuid.UUID,
        kind: AssetKind,
        metadata: dict[str, Any],
        derived_from_job: uuid.UUID | None = None,
        derived_from_asset: uuid.UUID | None = None,
    ) -> Asset:
        """The media must be readable by the caller: medias_service is asked with the caller's own token."""
        project = await visible_project(self._projects, user_of(actor), project_id, write=True)
        if project.status == ProjectStatus.ARCHIVED:
            raise ProjectArchived("An archived project takes no new assets")
        if derived_from_asset is not None and await self._assets.get(project_id, derived_from_asset) is None:
            raise AssetNotFound(f"No asset {derived_from_asset} in this project", field="derived_from_asset")
        if not await self._media.readable(media_id, authorization):
            raise MediaNotReadable(f"No media you can read has the id {media_id}", field="media_id")
        asset = Asset(
            id=new_id(),
            project_id=project_id,
            media_id=media_id,
            kind=kind,
            metadata=asset_metadata(metadata),
            derived_from_job=derived_from_job,
            derived_from_asset=derived_from_asset,
        )
        await self._assets.add(asset)
        await self._uow.commit()
        return asset

    async def assets(self, actor: Principal, project_id: uuid.UUID, page: PageRequest) -> tuple[list[Asset], int]:
        await visible_project(self._projects, user_of(actor), project_id)
        return await self._assets.page(project_id, page)

    async def remove_asset(self, actor: Principal, project_id: uuid.UUID, asset_id: uuid.UUID) -> None:
        """Only the reference goes; the media stays in the library."""
        await visible_project(self._projects, user_of(actor), project_id, write=True)
        if await self._assets.get(project_id, asset_id) is None:
            raise AssetNotFound(f"No asset {asset_id} in this project")
        await self._assets.remove(asset_id)
        await self._uow.commit()
