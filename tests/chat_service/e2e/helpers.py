"""Talking to chat_service as a client does: httpx for the API, the websockets library for sockets."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.chat_service.conftest import User


async def create_group(http: httpx.AsyncClient, owner: User, name: str = "Movie night") -> dict[str, Any]:
    response = await http.post("/api/v1/groups", json={"name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def add_member(http: httpx.AsyncClient, group_id: str, actor: User, member: User, role: str = "member") -> None:
    response = await http.post(
        f"/api/v1/groups/{group_id}/members", json={"email": member.email, "role": role}, headers=actor.headers
    )
    assert response.status_code == 201, response.text


async def send(http: httpx.AsyncClient, group_id: str, user: User, text: str, client_msg_id: str | None = None):
    return await http.post(
        f"/api/v1/groups/{group_id}/messages",
        json={"text": text, "client_msg_id": client_msg_id or uuid.uuid4().hex},
        headers=user.headers,
    )


def ws_url(base: str, group_id: str, after_seq: int | None = None, token: str | None = None) -> str:
    url = f"{base.replace('http', 'ws', 1)}/api/v1/groups/{group_id}/ws"
    query = [f"after_seq={after_seq}"] if after_seq is not None else []
    if token:
        query.append(f"token={token}")
    return url + ("?" + "&".join(query) if query else "")


def open_socket(base: str, group_id: str, user: User, after_seq: int | None = None) -> Any:
    """The browser way: the token in Sec-WebSocket-Protocol ("bearer, <token>")."""
    return connect(ws_url(base, group_id, after_seq), subprotocols=["bearer", user.token], open_timeout=10)  # type: ignore[list-item]


async def next_frame(socket: ClientConnection, *types: str, timeout: float = 5.0) -> dict[str, Any]:
    """The next frame of one of ``types`` (any type when none given), skipping the others."""
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if not types or frame["type"] in types:
                return frame


async def until_ready(socket: ClientConnection) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The replayed message frames and the ready frame that ends the replay."""
    replayed = []
    while True:
        frame = await next_frame(socket)
        if frame["type"] == "ready":
            return replayed, frame
        if frame["type"] == "message":
            replayed.append(frame)


async def closed_with(socket: ClientConnection, timeout: float = 10.0) -> int:
    """Reads until the server closes the socket; its close code."""
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(_drain(socket), timeout)
    assert closed.value.rcvd is not None, "closed without a close frame"
    return closed.value.rcvd.code


async def _drain(socket: ClientConnection) -> None:
    while True:
        await socket.recv()
