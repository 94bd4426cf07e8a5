"""Projects and assets in studiodb."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qhitz_shared.pagination import PageRequest
from studio_service.adapters.outbound.persistence.models import assets, projects
from studio_service.domain.projects import Asset, AssetKind, Project, ProjectStatus


def _project(row: Any) -> Project:
    return Project(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        description=row.description,
        status=ProjectStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _asset(row: Any) -> Asset:
    return Asset(
        id=row.id,
        project_id=row.project_id,
        media_id=row.media_id,
        kind=AssetKind(row.kind),
        metadata=row.metadata,
        derived_from_job=row.derived_from_job,
        derived_from_asset=row.derived_from_asset,
        created_at=row.created_at,
    )


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SqlaProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, project: Project) -> None:
        row = (
            await self._session.execute(
                insert(projects)
                .values(
                    id=project.id,
                    owner_id=project.owner_id,
                    name=project.name,
                    description=project.description,
                    status=project.status.value,
                )
                .returning(projects.c.created_at, projects.c.updated_at)
            )
        ).one()
        project.created_at, project.updated_at = row.created_at, row.updated_at

    async def get(self, project_id: uuid.UUID, *, lock: bool = False) -> Project | None:
        statement = select(projects).where(projects.c.id == project_id)
        row = (await self._session.execute(statement.with_for_update() if lock else statement)).first()
        return _project(row) if row else None

    async def save(self, project: Project) -> None:
        row = (
            await self._session.execute(
                update(projects)
                .where(projects.c.id == project.id)
                .values(name=project.name, description=project.description, status=project.status.value)
                .returning(projects.c.updated_at)
            )
        ).one()
        project.updated_at = row.updated_at

    async def page(
        self, owner_id: uuid.UUID | None, status: ProjectStatus | None, q: str | None, page: PageRequest
    ) -> tuple[list[Project], int]:
        conditions = []
        if owner_id is not None:
            conditions.append(projects.c.owner_id == owner_id)
        if status is not None:
            conditions.append(projects.c.status == status.value)
        if q:
            pattern = _like(q.lower())
            conditions.append(
                or_(
                    func.lower(projects.c.name).like(pattern, escape="\\"),
                    func.lower(projects.c.description).like(pattern, escape="\\"),
                )
            )
        total = (await self._session.execute(select(func.count()).select_from(projects).where(*conditions))).scalar()
        rows = await self._session.execute(
            select(projects)
            .where(*conditions)
            .order_by(projects.c.created_at.desc(), projects.c.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        return [_project(row) for row in rows], int(total or 0)


class SqlaAssetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, asset: Asset) -> None:
        await self._session.execute(
            insert(assets).values(
                id=asset.id,
                project_id=asset.project_id,
                media_id=asset.media_id,
                kind=AssetKind(asset.kind).value,
                metadata=asset.metadata,
                derived_from_job=asset.derived_from_job,
                derived_from_asset=asset.derived_from_asset,
            )
        )

    async def get(self, project_id: uuid.UUID, asset_id: uuid.UUID) -> Asset | None:
        row = (
            await self._session.execute(
                select(assets).where(assets.c.id == asset_id, assets.c.project_id == project_id)
            )
        ).first()
        return _asset(row) if row else None

    async def remove(self, asset_id: uuid.UUID) -> None:
        await self._session.execute(delete(assets).where(assets.c.id == asset_id))

    async def page(self, project_id: uuid.UUID, page: PageRequest) -> tuple[list[Asset], int]:
        where = assets.c.project_id == project_id
        total = (await self._session.execute(select(func.count()).select_from(assets).where(where))).scalar()
        rows = await self._session.execute(
            select(assets)
            .where(where)
            .order_by(assets.c.created_at.desc(), assets.c.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        return [_asset(row) for row in rows], int(total or 0)
