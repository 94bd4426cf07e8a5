from __future__ import annotations

import httpx

from tests.chat_service.e2e.helpers import add_member, create_group, next_frame, open_socket, send, until_ready


async def test_a_message_reaches_another_members_socket(chat_server: str, make_user) -> None:
    alice, bob = make_user(), make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = await create_group(http, alice)
        await add_member(http, group["id"], alice, bob)
        async with open_socket(chat_server, group["id"], bob, after_seq=0) as socket:
            replayed, ready = await until_ready(socket)
            assert [frame["message"]["event"] for frame in replayed] == ["member_added"]
            assert socket.subprotocol == "bearer"
            response = await send(http, group["id"], alice, "hello")
            assert response.status_code == 201, response.text
            frame = await next_frame(socket, "message")
            assert frame["message"]["text"] == "hello"
            assert frame["message"]["seq"] == ready["last_seq"] + 1
