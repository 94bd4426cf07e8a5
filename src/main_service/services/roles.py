"""Roles, their permissions, and who holds them."""

from __future__ import annotations

import uuid

from main_service.domain.errors import RoleNameTaken, RoleNotFound, SystemRoleProtected, UserNotFound
from main_service.domain.permissions import ADMIN, PERMISSIONS
from main_service.domain.roles import Role, normalize_role_description, normalize_role_name, validate_permissions
from main_service.ports.directory import RoleRepository, UserRepository
from qhitz_shared.ids import new_id
from qhitz_shared.pagination import PageRequest
from qhitz_shared.ports import UnitOfWork


class RoleService:
    """Every change that alters what a user may do bumps that user's token_version, so old tokens stop working."""

    def __init__(self, roles: RoleRepository, users: UserRepository, uow: UnitOfWork) -> None:
        self._roles = roles
        self._users = users
        self._uow = uow

    @staticmethod
    def catalogue() -> dict[str, str]:
        return dict(PERMISSIONS)

    async def list(self, page: PageRequest) -> tuple[list[Role], int]:
        return await self._roles.list(page)

    async def get(self, role_id: uuid.UUID) -> Role:
        role = await self._roles.get(role_id)
        if role is None:
            raise RoleNotFound(f"No role with id {role_id}")
        return role

    async def create(self, name: str, description: str | None, permissions: set[str]) -> Role:
        name = normalize_role_name(name)
        if await self._roles.get_by_name(name) is not None:
            raise RoleNameTaken(f"A role named {name} exists")
        role = Role(
            id=new_id(),
            name=name,
            description=normalize_role_description(description),
            permissions=validate_permissions(permissions),
        )
        role = await self._roles.add(role)
        await self._uow.commit()
        return role

    async def update(self, role_id: uuid.UUID, name: str | None, description: str | None) -> Role:
        role = await self.get(role_id)
        if name is not None and normalize_role_name(name) != role.name:
            role.rename(name)
            if await self._roles.get_by_name(role.name) is not None:
                raise RoleNameTaken(f"A role named {role.name} exists")
        if description is not None:
            role.description = normalize_role_description(description)
        role = await self._roles.save(role)
        await self._roles.bump_holders_token_version(role.id)  # tokens carry role names
        await self._uow.commit()
        return role

    async def set_permissions(self, role_id: uuid.UUID, permissions: set[str]) -> Role:
        role = await self.get(role_id)
        role.replace_permissions(permissions)
        role = await self._roles.save(role)
        await self._roles.bump_holders_token_version(role.id)
        await self._uow.commit()
        return role

    async def delete(self, role_id: uuid.UUID) -> None:
        role = await self.get(role_id)
        role.ensure_deletable()
        await self._roles.bump_holders_token_version(role.id)
        await self._roles.delete(role)
        await self._uow.commit()

    async def grant(self, user_id: uuid.UUID, role_name: str) -> list[str]:
        return await self._change_membership(user_id, role_name, grant=True)

    async def revoke(self, user_id: uuid.UUID, role_name: str) -> list[str]:
        return await self._change_membership(user_id, role_name, grant=False)

    async def _change_membership(self, user_id: uuid.UUID, role_name: str, *, grant: bool) -> list[str]:
        user = await self._users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user with id {user_id}")
        role = await self._roles.get_by_name(normalize_role_name(role_name))
        if role is None:
            raise RoleNotFound(f"No role named {role_name}")
        held = {r.id: r.name for r in [await self._roles.get_by_name(n) for n in user.roles] if r is not None}
        if grant == (role.id in held):
            return sorted(held.values())  # already as asked: idempotent, no token revocation
        if grant:
            held[role.id] = role.name
        else:
            if role.name == ADMIN and len(await self._roles.holders(role.id)) <= 1:
                raise SystemRoleProtected("The last admin cannot lose the admin role")
            del held[role.id]
        await self._users.set_roles(user.id, set(held))
        user.revoke_tokens()
        await self._users.save(user)
        await self._uow.commit()
        return sorted(held.values())
