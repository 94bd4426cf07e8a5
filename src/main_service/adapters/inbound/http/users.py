"""/api/v1/users: the caller's profile and user administration."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from dishka import FromDishka
from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from main_service.adapters.inbound.http.dto import UserOut, UserPatch, UserPut, unset_to_none
from main_service.adapters.outbound.persistence.views import SqlaUserViews
from main_service.domain.errors import UserNotFound
from main_service.domain.roles import MAX_ROLE_NAME
from main_service.domain.users import MAX_EMAIL, UserChanges, UserFilter, UserStatus
from main_service.services.users import UserService
from qhitz_shared.http.inputs import query_text, text_param
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.pagination import Page, Paging, page_of
from qhitz_shared.http.security import Caller, require_login, require_permission, require_user


def _patch_changes(data: JSONBody[UserPatch]) -> UserChanges:
    def name(value: str | msgspec.UnsetType | None) -> str | None:
        return None if value is msgspec.UNSET else (value or "")  # null or "" clears the name

    return UserChanges(
        email=unset_to_none(data.email),  # type: ignore[arg-type]
        username=unset_to_none(data.username),  # type: ignore[arg-type]
        first_name=name(data.first_name),
        last_name=name(data.last_name),
    )


class ProfileController(Controller):
    path = "/api/v1/users/me"
    tags = ["users"]
    guards = [require_user]

    @get("/", summary="The caller's profile")
    async def me(self, principal: Caller, views: FromDishka[SqlaUserViews]) -> UserOut:
        # a hot read: one select straight into the answer, no use case or ORM needed (STYLE: reads are not writes)
        profile = await views.profile(principal.user_id)
        if profile is None:
            raise UserNotFound(f"No user with id {principal.user_id}")
        return profile

    @patch("/", guards=[require_login], summary="Change some profile fields", responses=problems(409))
    async def patch_me(self, principal: Caller, data: JSONBody[UserPatch], users: FromDishka[UserService]) -> UserOut:
        return UserOut.of(await users.update(principal.user_id, _patch_changes(data)))

    @put("/", guards=[require_login], summary="Replace every editable profile field", responses=problems(409))
    async def put_me(self, principal: Caller, data: JSONBody[UserPut], users: FromDishka[UserService]) -> UserOut:
        changes = UserChanges(
            email=data.email, username=data.username, first_name=data.first_name or "", last_name=data.last_name or ""
        )
        return UserOut.of(await users.update(principal.user_id, changes))


class UsersController(Controller):
    path = "/api/v1/users"
    tags = ["users"]

    @get("/", guards=[require_permission("users:read")], summary="Search and list users")
    async def list_users(
        self,
        users: FromDishka[UserService],
        page_request: Paging,
        q: Annotated[str | None, text_param(MAX_EMAIL, description="matches email or username")] = None,
        role: Annotated[str | None, text_param(MAX_ROLE_NAME)] = None,
        status: FromQuery[UserStatus | None] = None,
    ) -> Page[UserOut]:
        filters = UserFilter(q=query_text(q), role=query_text(role), status=status)
        items, total = await users.list(filters, page_request)
        return page_of([UserOut.of(user) for user in items], total, page_request)

    @get("/{user_id:uuid}", guards=[require_permission("users:read")], summary="One user")
    async def get_user(self, user_id: FromPath[uuid.UUID], users: FromDishka[UserService]) -> UserOut:
        return UserOut.of(await users.get(user_id))

    @patch(
        "/{user_id:uuid}",
        guards=[require_permission("users:write")],
        summary="Change some fields of a user",
        responses=problems(409),
    )
    async def patch_user(
        self, user_id: FromPath[uuid.UUID], data: JSONBody[UserPatch], users: FromDishka[UserService]
    ) -> UserOut:
        return UserOut.of(await users.update(user_id, _patch_changes(data)))

    @delete(
        "/{user_id:uuid}",
        guards=[require_permission("users:write")],
        status_code=200,
        summary="Deactivate a user",
        responses=problems(409),
    )
    async def deactivate_user(
        self, user_id: FromPath[uuid.UUID], principal: Caller, users: FromDishka[UserService]
    ) -> UserOut:
        return UserOut.of(await users.set_status(principal, user_id, UserStatus.DEACTIVATED))

    @post(
        "/{user_id:uuid}/suspend",
        guards=[require_permission("users:write")],
        status_code=200,
        summary="Suspend",
        responses=problems(409),
    )
    async def suspend_user(
        self, user_id: FromPath[uuid.UUID], principal: Caller, users: FromDishka[UserService]
    ) -> UserOut:
        return UserOut.of(await users.set_status(principal, user_id, UserStatus.SUSPENDED))

    @post(
        "/{user_id:uuid}/reactivate",
        guards=[require_permission("users:write")],
        status_code=200,
        summary="Reactivate",
        responses=problems(409),
    )
    async def reactivate_user(
        self, user_id: FromPath[uuid.UUID], principal: Caller, users: FromDishka[UserService]
    ) -> UserOut:
        return UserOut.of(await users.set_status(principal, user_id, UserStatus.ACTIVE))
