"""Who may do what in a group: owner, admin, member, and a stranger (404 for everything: membership is not
disclosed), route by route."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.chat_service.conftest import User
from tests.chat_service.e2e.helpers import add_member, create_group, send

Roles = dict[str, User]
Action = Callable[[httpx.AsyncClient, str, Roles, User], Awaitable[httpx.Response]]


async def _read(http, group, _roles, caller):
    return await http.get(f"/api/v1/groups/{group}", headers=caller.headers)


async def _edit(http, group, _roles, caller):
    return await http.patch(f"/api/v1/groups/{group}", json={"name": "Renamed"}, headers=caller.headers)


async def _archive(http, group, _roles, caller):
    return await http.delete(f"/api/v1/groups/{group}", headers=caller.headers)


async def _members(http, group, _roles, caller):
    return await http.get(f"/api/v1/groups/{group}/members", headers=caller.headers)


async def _add(http, group, roles, caller):
    return await http.post(
        f"/api/v1/groups/{group}/members", json={"email": roles["newcomer"].email}, headers=caller.headers
    )


async def _add_owner(http, group, roles, caller):
    return await http.post(
        f"/api/v1/groups/{group}/members",
        json={"email": roles["newcomer"].email, "role": "owner"},
        headers=caller.headers,
    )


async def _remove_member(http, group, roles, caller):
    return await http.delete(f"/api/v1/groups/{group}/members/{roles['member'].id}", headers=caller.headers)


async def _remove_owner(http, group, roles, caller):
    return await http.delete(f"/api/v1/groups/{group}/members/{roles['owner'].id}", headers=caller.headers)


async def _promote(http, group, roles, caller):
    return await http.patch(
        f"/api/v1/groups/{group}/members/{roles['member'].id}", json={"role": "admin"}, headers=caller.headers
    )


async def _send(http, group, _roles, caller):
    return await send(http, group, caller, "hi")


async def _history(http, group, _roles, caller):
    return await http.get(f"/api/v1/groups/{group}/messages", headers=caller.headers)


async def _edit_others(http, group, roles, caller):
    return await http.patch(
        f"/api/v1/groups/{group}/messages/{MEMBERS_MESSAGE}", json={"text": "x"}, headers=caller.headers
    )


async def _delete_others(http, group, roles, caller):
    return await http.delete(f"/api/v1/groups/{group}/messages/{MEMBERS_MESSAGE}", headers=caller.headers)


async def _read_marker(http, group, _roles, caller):
    return await http.put(f"/api/v1/groups/{group}/read", json={"seq": 1}, headers=caller.headers)


async def _playback(http, group, _roles, caller):
    return await http.get(f"/api/v1/groups/{group}/playback", headers=caller.headers)


async def _leave(http, group, _roles, caller):
    return await http.post(f"/api/v1/groups/{group}/leave", headers=caller.headers)


MEMBERS_MESSAGE = 3  # after the two member_added entries

#                     owner admin member stranger   (the message is the member's)
MATRIX: dict[str, tuple[Action, tuple[int, int, int, int]]] = {
    "read group": (_read, (200, 200, 200, 404)),
    "edit group": (_edit, (200, 200, 403, 404)),
    "archive group": (_archive, (204, 204, 403, 404)),
    "list members": (_members, (200, 200, 200, 404)),
    "add member": (_add, (201, 201, 403, 404)),
    "add an owner": (_add_owner, (201, 403, 403, 404)),
    "remove a member": (_remove_member, (204, 204, 204, 404)),  # the member removing themselves: leaving
    "remove the owner": (_remove_owner, (409, 403, 403, 404)),  # the last owner
    "make a member admin": (_promote, (200, 200, 403, 404)),
    "send": (_send, (201, 201, 201, 404)),
    "read history": (_history, (200, 200, 200, 404)),
    "edit another's message": (_edit_others, (403, 403, 200, 404)),
    "delete another's message": (_delete_others, (200, 200, 200, 404)),
    "move the read marker": (_read_marker, (200, 200, 200, 404)),
    "read playback": (_playback, (200, 200, 200, 404)),
    "leave": (_leave, (409, 204, 204, 404)),
}


@pytest.mark.parametrize("name", list(MATRIX))
async def test_permission_matrix(name: str, chat_server: str, make_user) -> None:
    action, expected = MATRIX[name]
    roles = {role: make_user() for role in ("owner", "admin", "member", "stranger", "newcomer")}
    answers = []
    async with httpx.AsyncClient(base_url=chat_server) as http:
        for caller, status in zip(("owner", "admin", "member", "stranger"), expected, strict=True):
            group = (await create_group(http, roles["owner"]))["id"]
            await add_member(http, group, roles["owner"], roles["admin"], role="admin")
            await add_member(http, group, roles["owner"], roles["member"])
            first = await send(http, group, roles["member"], "the member's message", uuid.uuid4().hex)
            assert first.json()["seq"] == MEMBERS_MESSAGE
            answers.append((caller, (await action(http, group, roles, roles[caller])).status_code, status))
    assert [(caller, got) for caller, got, _ in answers] == [(caller, want) for caller, _, want in answers]
