"""The watch party over real sockets, with the real medias_service deciding what may be played."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx

from tests.chat_service.conftest import User
from tests.chat_service.e2e.helpers import add_member, create_group, next_frame, open_socket, until_ready
from tests.support.keys import TokenFactory


def sharer(user: User, tokens: TokenFactory) -> User:
    """The same user with a token that may upload and read their own media."""
    return User(user.id, user.email, tokens.user(user.id, roles=["user"], perms=["media:read", "media:write"]))


async def command(socket, action: str, **fields) -> str:
    command_id = uuid.uuid4().hex[:12]
    await socket.send(json.dumps({"type": "playback", "action": action, "command_id": command_id, **fields}))
    return command_id


async def test_commands_are_scheduled_ahead_echoes_marked_and_permissions_kept(
    party_server: str, medias_server: str, make_user, tokens: TokenFactory
) -> None:
    alice, bob, carol = sharer(make_user(), tokens), make_user(), make_user()
    async with httpx.AsyncClient(base_url=medias_server) as medias:
        uploaded = await medias.post(
            "/api/v1/media/", files={"file": ("film.txt", b"pretend video\n")}, headers=alice.headers
        )
        assert uploaded.status_code == 201, uploaded.text
    media_id = uploaded.json()["id"]
    async with httpx.AsyncClient(base_url=party_server) as http:
        group = (await create_group(http, alice))["id"]
        await add_member(http, group, alice, bob)
        await add_member(http, group, alice, carol)
        async with open_socket(party_server, group, alice) as mine, open_socket(party_server, group, bob) as theirs:
            await until_ready(mine)
            await until_ready(theirs)

            sent = time.time() * 1000
            await theirs.send(json.dumps({"type": "time_sync", "client_time_ms": sent}))
            sync = await next_frame(theirs, "time_sync")
            assert sync["client_time_ms"] == sent
            assert sync["server_receive_ms"] <= sync["server_send_ms"]

            set_id = await command(mine, "set_item", item={"kind": "media", "ref": media_id})
            echoed, seen = await next_frame(mine, "playback"), await next_frame(theirs, "playback")
            assert (echoed["echo"], seen["echo"], echoed["command_id"], seen["command_id"]) == (
                True,
                False,
                set_id,
                set_id,
            )
            state = seen["state"]
            assert (state["item"], state["paused"], state["position_ms"]) == (
                {"kind": "media", "ref": media_id},
                True,
                0,
            )
            assert state["at_ms"] - seen["server_time_ms"] >= 500

            await command(theirs, "play")
            refused = await next_frame(theirs, "error")
            assert refused["code"] == "group_role_required"

            # bob reports a slow link: the next command waits twice his round trip
            await theirs.send(json.dumps({"type": "time_sync", "client_time_ms": time.time() * 1000, "rtt_ms": 0}))
            await next_frame(theirs, "time_sync")
            await command(mine, "play")
            played = await next_frame(theirs, "playback")
            assert (played["state"]["paused"], played["by"]) == (False, str(alice.id))
            assert played["state"]["at_ms"] - played["server_time_ms"] >= 500

            await command(mine, "set_item", item={"kind": "media", "ref": str(uuid.uuid4())})
            assert (await next_frame(mine, "error"))["code"] == "item_not_playable"
            await command(mine, "set_item", item={"kind": "share", "ref": "no-such-link"})
            assert (await next_frame(mine, "error"))["code"] == "item_not_playable"

            opened = await http.patch(
                f"/api/v1/groups/{group}", json={"playback_control": "everyone"}, headers=alice.headers
            )
            assert opened.status_code == 200
            await command(theirs, "seek", position_ms=90_000)
            sought = await next_frame(mine, "playback")
            assert (sought["state"]["position_ms"], sought["state"]["paused"], sought["echo"]) == (90_000, False, False)

        async with open_socket(party_server, group, carol) as late:
            joined = await next_frame(late, "playback")
            assert joined["state"]["position_ms"] == 90_000 and joined["state"]["item"]["ref"] == media_id
            await until_ready(late)
        current = (await http.get(f"/api/v1/groups/{group}/playback", headers=carol.headers)).json()
        assert current["state"]["version"] == 3


async def test_a_slow_members_round_trip_pushes_the_schedule_out(
    party_server: str, medias_server: str, make_user, tokens: TokenFactory
) -> None:
    alice, bob = sharer(make_user(), tokens), make_user()
    async with httpx.AsyncClient(base_url=medias_server) as medias:
        uploaded = await medias.post("/api/v1/media/", files={"file": ("a.txt", b"video\n")}, headers=alice.headers)
    async with httpx.AsyncClient(base_url=party_server) as http:
        group = (await create_group(http, alice))["id"]
        await add_member(http, group, alice, bob)
        async with open_socket(party_server, group, alice) as mine, open_socket(party_server, group, bob) as theirs:
            await until_ready(mine)
            await until_ready(theirs)
            await asyncio.sleep(0.5)  # round-trip reports are announced at most twice a second
            await theirs.send(json.dumps({"type": "time_sync", "client_time_ms": 1.0, "rtt_ms": 900}))
            presence = await next_frame(mine, "presence")
            while presence["rtt_ms"] != 900:
                presence = await next_frame(mine, "presence")
            await command(mine, "set_item", item={"kind": "media", "ref": uploaded.json()["id"]})
            frame = await next_frame(mine, "playback")
            assert frame["state"]["at_ms"] - frame["server_time_ms"] >= 1800


async def test_a_share_link_plays_for_members_without_access_of_their_own(
    party_server: str, medias_server: str, make_user, tokens: TokenFactory
) -> None:
    alice, bob = sharer(make_user(), tokens), make_user()
    async with httpx.AsyncClient(base_url=medias_server) as medias:
        uploaded = await medias.post("/api/v1/media/", files={"file": ("b.txt", b"video\n")}, headers=alice.headers)
        shared = await medias.post("/api/v1/shares/", json={"media_id": uploaded.json()["id"]}, headers=alice.headers)
        assert shared.status_code in (200, 201), shared.text
        link = shared.json()["token"]
        assert (await medias.get(f"/api/v1/media/{uploaded.json()['id']}", headers=bob.headers)).status_code == 404
    async with httpx.AsyncClient(base_url=party_server) as http:
        group = (await create_group(http, alice))["id"]
        await add_member(http, group, alice, bob)
        await http.patch(f"/api/v1/groups/{group}", json={"playback_control": "everyone"}, headers=alice.headers)
        async with open_socket(party_server, group, bob) as theirs:
            await until_ready(theirs)
            await command(theirs, "set_item", item={"kind": "share", "ref": link})
            frame = await next_frame(theirs, "playback")
            assert (frame["state"]["item"], frame["echo"]) == ({"kind": "share", "ref": link}, True)
            # bob's own media id would not do: he cannot read alice's media
            await command(theirs, "set_item", item={"kind": "media", "ref": uploaded.json()["id"]})
            assert (await next_frame(theirs, "error"))["code"] == "item_not_playable"
