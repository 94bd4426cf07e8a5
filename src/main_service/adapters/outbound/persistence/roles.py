"""SqlaRoleRepository: roles and their permission sets."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.mapping import role_to_domain
from main_service.adapters.outbound.persistence.models import PermissionModel, RoleModel, UserModel, user_roles
from main_service.domain.errors import RoleNameTaken
from main_service.domain.roles import Role
from qhitz_shared.db import translate_integrity_error
from qhitz_shared.pagination import PageRequest

UNIQUE_VIOLATIONS: dict[str, type[Exception]] = {"uq_roles_name": RoleNameTaken, "roles.name": RoleNameTaken}


class SqlaRoleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, role_id: uuid.UUID) -> Role | None:
        model = await self._session.get(RoleModel, role_id)
        return role_to_domain(model) if model else None

    async def get_by_name(self, name: str) -> Role | None:
        model = await self._session.scalar(select(RoleModel).where(RoleModel.name == name))
        return role_to_domain(model) if model else None

    async def list(self, page: PageRequest) -> tuple[list[Role], int]:
        total = await self._session.scalar(select(func.count(RoleModel.id))) or 0
        rows = await self._session.scalars(
            select(RoleModel).order_by(RoleModel.is_system.desc(), RoleModel.name).offset(page.offset).limit(page.limit)
        )
        return [role_to_domain(model) for model in rows], total

    async def add(self, role: Role) -> Role:
        model = RoleModel(id=role.id, name=role.name, description=role.description, is_system=role.is_system)
        model.permissions = await self._permission_models(role.permissions)
        self._session.add(model)
        await self._flush()
        return role_to_domain(model)

    async def save(self, role: Role) -> Role:
        model = await self._session.get_one(RoleModel, role.id)
        model.name = role.name
        model.description = role.description
        model.permissions = await self._permission_models(role.permissions)
        await self._flush()
        return role_to_domain(model)

    async def delete(self, role: Role) -> None:
        await self._session.delete(await self._session.get_one(RoleModel, role.id))
        await self._session.flush()

    async def holders(self, role_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self._session.scalars(
            select(user_roles.c.user_id)
            .join(UserModel, UserModel.id == user_roles.c.user_id)
            .where(user_roles.c.role_id == role_id, UserModel.status == "active")
        )
        return list(rows)

    async def bump_holders_token_version(self, role_id: uuid.UUID) -> None:
        await self._session.execute(
            update(UserModel)
            .where(UserModel.id.in_(select(user_roles.c.user_id).where(user_roles.c.role_id == role_id)))
            .values(token_version=UserModel.token_version + 1)
            .execution_options(synchronize_session=False)
        )

    async def _permission_models(self, codes: frozenset[str]) -> list[PermissionModel]:
        if not codes:
            return []
        return list(await self._session.scalars(select(PermissionModel).where(PermissionModel.code.in_(codes))))

    async def _flush(self) -> None:
        try:
            await self._session.flush()
        except IntegrityError as exc:
            await self._session.rollback()
            raise (translate_integrity_error(exc, UNIQUE_VIOLATIONS) or exc) from exc
