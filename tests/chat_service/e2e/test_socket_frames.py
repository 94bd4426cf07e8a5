"""Frames a socket sees besides new messages: edits, tombstones, typing, presence, errors for refused frames."""

from __future__ import annotations

import json

import httpx

from tests.chat_service.e2e.helpers import add_member, create_group, next_frame, open_socket, send, until_ready


async def test_edits_deletes_typing_and_presence_reach_the_other_members(chat_server: str, make_user) -> None:
    alice, bob = make_user(), make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = (await create_group(http, alice))["id"]
        await add_member(http, group, alice, bob)
        async with open_socket(chat_server, group, bob) as theirs:
            await until_ready(theirs)
            async with open_socket(chat_server, group, alice) as mine:
                await until_ready(mine)
                online = await next_frame(theirs, "presence")
                while online["user_id"] != str(alice.id):
                    online = await next_frame(theirs, "presence")
                assert online["online"] is True
                seq = (await send(http, group, alice, "first draft")).json()["seq"]
                await next_frame(theirs, "message")
                await http.patch(
                    f"/api/v1/groups/{group}/messages/{seq}", json={"text": "final"}, headers=alice.headers
                )
                edited = await next_frame(theirs, "edit")
                assert (edited["message"]["seq"], edited["message"]["text"]) == (seq, "final")
                await http.delete(f"/api/v1/groups/{group}/messages/{seq}", headers=alice.headers)
                deleted = await next_frame(theirs, "delete")
                assert (deleted["message"]["seq"], deleted["message"]["deleted"]) == (seq, True)
                await mine.send(json.dumps({"type": "typing"}))
                await mine.send(json.dumps({"type": "typing"}))  # within the interval: not repeated
                assert (await next_frame(theirs, "typing"))["user_id"] == str(alice.id)
                await mine.send(json.dumps({"type": "message", "text": " ", "client_msg_id": "blank"}))
                refused = await next_frame(mine, "error")
                assert (refused["code"], refused["client_msg_id"]) == ("invalid_chat_input", "blank")
            offline = await next_frame(theirs, "presence", "typing")
            while offline["type"] != "presence" or offline["online"]:
                assert offline["type"] != "typing", "a second typing frame within the interval"
                offline = await next_frame(theirs, "presence", "typing")
            assert offline["user_id"] == str(alice.id)
