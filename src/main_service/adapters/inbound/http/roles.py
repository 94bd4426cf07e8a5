"""/api/v1/roles, /api/v1/permissions and role grants on users."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from dishka import FromDishka
from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody

from main_service.adapters.inbound.http.dto import (
    PermissionOut,
    RoleCreate,
    RoleOut,
    RolePatch,
    RolePermissionsPut,
    UserRolesOut,
    unset_to_none,
)
from main_service.domain.roles import MAX_ROLE_NAME
from main_service.services.roles import RoleService
from qhitz_shared.http.inputs import text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import require_permission, require_user

manage_roles = require_permission("roles:manage")
RoleNamePath = Annotated[str, text_param(MAX_ROLE_NAME)]


class RolesController(Controller):
    path = "/api/v1/roles"
    tags = ["roles"]
    guards = [manage_roles]

    @get("/", summary="List roles")
    async def list_roles(self, roles: FromDishka[RoleService], page_request: Paging) -> Page[RoleOut]:
        items, total = await roles.list(page_request)
        return page_of([RoleOut.of(role) for role in items], total, page_request)

    @post("/", summary="Create a role", responses=problems(409))
    async def create_role(self, data: JSONBody[RoleCreate], roles: FromDishka[RoleService]) -> RoleOut:
        return RoleOut.of(await roles.create(data.name, data.description, set(data.permissions)))

    @get("/{role_id:uuid}", summary="One role")
    async def get_role(self, role_id: FromPath[uuid.UUID], roles: FromDishka[RoleService]) -> RoleOut:
        return RoleOut.of(await roles.get(role_id))

    @patch("/{role_id:uuid}", summary="Rename or describe a role", responses=problems(409))
    async def patch_role(
        self, role_id: FromPath[uuid.UUID], data: JSONBody[RolePatch], roles: FromDishka[RoleService]
    ) -> RoleOut:
        description = None if data.description is msgspec.UNSET else data.description
        return RoleOut.of(await roles.update(role_id, unset_to_none(data.name), description))  # type: ignore[arg-type]

    @delete("/{role_id:uuid}", summary="Delete a role (system roles cannot be deleted)", responses=problems(409))
    async def delete_role(self, role_id: FromPath[uuid.UUID], roles: FromDishka[RoleService]) -> None:
        await roles.delete(role_id)

    @put("/{role_id:uuid}/permissions", summary="Replace a role's permissions", responses=problems(409))
    async def put_permissions(
        self, role_id: FromPath[uuid.UUID], data: JSONBody[RolePermissionsPut], roles: FromDishka[RoleService]
    ) -> RoleOut:
        return RoleOut.of(await roles.set_permissions(role_id, set(data.permissions)))


class UserRolesController(Controller):
    path = "/api/v1/users/{user_id:uuid}/roles"
    tags = ["roles"]
    guards = [manage_roles]

    @put("/{role_name:str}", summary="Grant a role (idempotent)")
    async def grant(
        self, user_id: FromPath[uuid.UUID], role_name: RoleNamePath, roles: FromDishka[RoleService]
    ) -> UserRolesOut:
        return UserRolesOut(user_id=user_id, roles=await roles.grant(user_id, role_name))

    @delete("/{role_name:str}", status_code=200, summary="Revoke a role (idempotent)", responses=problems(409))
    async def revoke(
        self, user_id: FromPath[uuid.UUID], role_name: RoleNamePath, roles: FromDishka[RoleService]
    ) -> UserRolesOut:
        return UserRolesOut(user_id=user_id, roles=await roles.revoke(user_id, role_name))


class PermissionsController(Controller):
    path = "/api/v1/permissions"
    tags = ["roles"]
    guards = [require_user]

    @get("/", summary="The permission catalogue")
    async def list_permissions(self) -> list[PermissionOut]:
        return [PermissionOut(code=code, description=text) for code, text in RoleService.catalogue().items()]
