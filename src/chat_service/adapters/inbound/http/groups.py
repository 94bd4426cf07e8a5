"""/api/v1/groups: create, list (with unread counts), read, edit, archive; and the members of a group."""

from __future__ import annotations

import uuid

import msgspec
from dishka import FromDishka
from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from chat_service.adapters.inbound.http.dto import (
    API,
    GroupCreate,
    GroupOut,
    GroupPatch,
    MemberAdd,
    MemberOut,
    RolePatch,
)
from chat_service.domain.groups import PlaybackControl, Role
from chat_service.services.groups import GroupService
from chat_service.services.members import MemberService
from qhitz_shared.http.openapi import problems
from qhitz_shared.http.security import Caller, require_user


def _given(value: object) -> object:
    return None if value is msgspec.UNSET else value


class GroupController(Controller):
    path = API
    tags = ["groups"]
    guards = [require_user]

    @post("/", summary="Create a group; the caller is its owner")
    async def create_group(
        self, data: JSONBody[GroupCreate], principal: Caller, groups: FromDishka[GroupService]
    ) -> Response[GroupOut]:
        group, owner = await groups.create(principal.user_id, data.name, data.description)
        return Response(GroupOut.of(group, owner), status_code=201, headers={"Location": f"{API}/{group.id}"})

    @get("/", summary="The caller's groups (not archived), most recent activity first, with unread counts")
    async def list_groups(self, principal: Caller, groups: FromDishka[GroupService]) -> list[GroupOut]:
        return [GroupOut.of_summary(summary) for summary in await groups.list_for(principal.user_id)]

    @get("/{group_id:uuid}", summary="One group (members only: others get 404)", responses=problems(404))
    async def get_group(
        self, group_id: FromPath[uuid.UUID], principal: Caller, groups: FromDishka[GroupService]
    ) -> GroupOut:
        return GroupOut.of(*await groups.get(group_id, principal.user_id))

    @patch("/{group_id:uuid}", summary="Edit (owners and admins)", responses=problems(403, 404, 409))
    async def update_group(
        self,
        group_id: FromPath[uuid.UUID],
        data: JSONBody[GroupPatch],
        principal: Caller,
        groups: FromDishka[GroupService],
    ) -> GroupOut:
        control = _given(data.playback_control)
        group, member = await groups.update(
            group_id,
            principal.user_id,
            name=_given(data.name),  # type: ignore[arg-type]
            description=_given(data.description),  # type: ignore[arg-type]
            playback_control=PlaybackControl(control) if control else None,
        )
        return GroupOut.of(group, member)

    @delete(
        "/{group_id:uuid}",
        summary="Archive (owners and admins): history stays readable, sockets close",
        responses=problems(403, 404),
    )
    async def archive_group(
        self, group_id: FromPath[uuid.UUID], principal: Caller, groups: FromDishka[GroupService]
    ) -> None:
        await groups.archive(group_id, principal.user_id)


class MembersController(Controller):
    path = f"{API}/{{group_id:uuid}}"
    tags = ["groups"]
    guards = [require_user]

    @get("/members", summary="The group's members and roles", responses=problems(404))
    async def list_members(
        self, group_id: FromPath[uuid.UUID], principal: Caller, members: FromDishka[MemberService]
    ) -> list[MemberOut]:
        return [MemberOut.of(member) for member in await members.list(group_id, principal.user_id)]

    @post(
        "/members",
        summary="Add a platform user by email (owners and admins); 404 user_not_found for an unknown email",
        responses=problems(403, 404, 409, 503),
    )
    async def add_member(
        self,
        group_id: FromPath[uuid.UUID],
        data: JSONBody[MemberAdd],
        principal: Caller,
        members: FromDishka[MemberService],
    ) -> Response[MemberOut]:
        member = await members.add(group_id, principal.user_id, data.email, Role(data.role))
        return Response(MemberOut.of(member), status_code=201)

    @patch(
        "/members/{user_id:uuid}",
        summary="Change a member's role; an owner hands the group over by making another member owner",
        responses=problems(403, 404, 409),
    )
    async def set_role(
        self,
        group_id: FromPath[uuid.UUID],
        user_id: FromPath[uuid.UUID],
        data: JSONBody[RolePatch],
        principal: Caller,
        members: FromDishka[MemberService],
    ) -> MemberOut:
        return MemberOut.of(await members.set_role(group_id, principal.user_id, user_id, Role(data.role)))

    @delete(
        "/members/{user_id:uuid}",
        summary="Remove a member (owners and admins; only owners remove owners); their sockets close",
        responses=problems(403, 404, 409),
    )
    async def remove_member(
        self,
        group_id: FromPath[uuid.UUID],
        user_id: FromPath[uuid.UUID],
        principal: Caller,
        members: FromDishka[MemberService],
    ) -> None:
        await members.remove(group_id, principal.user_id, user_id)

    @post(
        "/leave",
        status_code=204,
        summary="Leave the group (the last owner hands over first: 409 last_owner)",
        responses=problems(404, 409),
    )
    async def leave_group(
        self, group_id: FromPath[uuid.UUID], principal: Caller, members: FromDishka[MemberService]
    ) -> None:
        await members.leave(group_id, principal.user_id)
