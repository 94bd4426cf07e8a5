"""Two chat_service processes behind the nginx gateway, on PostgreSQL and Redis, with real WebSocket clients."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.chat_service.e2e.cluster import Cluster, chat_cluster
from tests.chat_service.e2e.helpers import (
    add_member,
    closed_with,
    create_group,
    next_frame,
    open_socket,
    send,
    until_ready,
    ws_url,
)

SHARED_REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def cluster(chat_db_url: str, main_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with chat_cluster(chat_db_url, main_db_url, tmp_path_factory.mktemp("chat"), redis_url=SHARED_REDIS) as running:
        yield running


async def test_a_message_sent_on_one_replica_reaches_sockets_on_the_other_and_through_the_gateway(
    cluster: Cluster,
) -> None:
    alice, bob, carol = cluster.user(), cluster.user(), cluster.user()
    first, second = (replica.url for replica in cluster.replicas)
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        group = await create_group(http, alice)
        await add_member(http, group["id"], alice, bob)
        await add_member(http, group["id"], alice, carol)
    async with (
        open_socket(first, group["id"], alice) as on_first,
        open_socket(second, group["id"], bob) as on_second,
        connect(ws_url(cluster.url, group["id"], token=carol.token)) as via_gateway,
    ):
        for socket in (on_first, on_second, via_gateway):
            await until_ready(socket)
        await on_first.send(json.dumps({"type": "message", "text": "across", "client_msg_id": "m-1"}))
        for socket in (on_first, on_second, via_gateway):
            frame = await next_frame(socket, "message")
            assert (frame["message"]["text"], frame["message"]["author_id"]) == ("across", str(alice.id))


async def test_a_client_that_missed_100_messages_gets_each_once_in_order_then_live(cluster: Cluster) -> None:
    alice, bob = cluster.user(), cluster.user()
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        group = await create_group(http, alice)
        await add_member(http, group["id"], alice, bob)
        async with open_socket(cluster.url, group["id"], bob) as socket:
            _, ready = await until_ready(socket)
        seen = ready["last_seq"]
        for number in range(100):
            assert (await send(http, group["id"], alice, f"missed {number}")).status_code == 201
        async with open_socket(cluster.replicas[1].url, group["id"], bob, after_seq=seen) as socket:
            replayed, ready = await until_ready(socket)
            assert [frame["message"]["seq"] for frame in replayed] == list(range(seen + 1, seen + 101))
            assert [frame["message"]["text"] for frame in replayed] == [f"missed {n}" for n in range(100)]
            assert ready["last_seq"] == seen + 100
            assert (await send(http, group["id"], alice, "live")).status_code == 201
            frame = await next_frame(socket, "message")
            assert (frame["message"]["seq"], frame["message"]["text"]) == (seen + 101, "live")


async def test_a_retried_send_stores_one_message(cluster: Cluster) -> None:
    alice, bob = cluster.user(), cluster.user()
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        group = await create_group(http, alice)
        await add_member(http, group["id"], alice, bob)
        async with open_socket(cluster.replicas[1].url, group["id"], bob) as socket:
            await until_ready(socket)
            # the same client_msg_id at once through both replicas, and again later over a socket
            answers = await asyncio.gather(
                *(send(http, group["id"], alice, "once", "retry-1") for _ in range(4)),
                httpx.AsyncClient(base_url=cluster.replicas[0].url).post(
                    f"/api/v1/groups/{group['id']}/messages",
                    json={"text": "once", "client_msg_id": "retry-1"},
                    headers=alice.headers,
                ),
            )
            assert sorted(answer.status_code for answer in answers) == [200, 200, 200, 200, 201]
            assert len({answer.json()["id"] for answer in answers}) == 1
            async with open_socket(cluster.replicas[0].url, group["id"], alice) as mine:
                await until_ready(mine)
                await mine.send(json.dumps({"type": "message", "text": "once", "client_msg_id": "retry-1"}))
                await mine.send(json.dumps({"type": "message", "text": "after", "client_msg_id": "retry-2"}))
                assert (await next_frame(mine, "message"))["message"]["text"] == "after"
            texts = [(await next_frame(socket, "message"))["message"]["text"] for _ in range(2)]
            assert texts == ["once", "after"]
        history = await http.get(f"/api/v1/groups/{group['id']}/messages", headers=alice.headers)
        assert [m["text"] for m in history.json() if m["kind"] == "text"] == ["after", "once"]


async def test_a_removed_members_socket_closes_with_4403(cluster: Cluster) -> None:
    alice, bob = cluster.user(), cluster.user()
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        group = await create_group(http, alice)
        await add_member(http, group["id"], alice, bob)
        async with open_socket(cluster.replicas[1].url, group["id"], bob) as socket:
            await until_ready(socket)
            removed = await http.delete(f"/api/v1/groups/{group['id']}/members/{bob.id}", headers=alice.headers)
            assert removed.status_code == 204, removed.text
            frame = await next_frame(socket, "member_removed")
            assert frame["user_id"] == str(bob.id)
            assert await closed_with(socket) == 4403
        async with open_socket(cluster.url, group["id"], bob) as socket:
            assert await closed_with(socket) == 4404


async def test_an_expired_tokens_socket_closes_with_4408(cluster: Cluster) -> None:
    alice = cluster.user(ttl=2)
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        group = await create_group(http, alice)
    async with open_socket(cluster.url, group["id"], alice) as socket:
        await until_ready(socket)
        assert await closed_with(socket, timeout=6) == 4408


async def test_refusals_are_close_codes_after_the_handshake(cluster: Cluster) -> None:
    alice, stranger = cluster.user(), cluster.user()
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        group = await create_group(http, alice)
    async with connect(ws_url(cluster.url, group["id"])) as socket:
        assert await closed_with(socket) == 4401
    async with connect(ws_url(cluster.url, group["id"], token="not.a.token")) as socket:
        assert await closed_with(socket) == 4401
    async with open_socket(cluster.url, group["id"], stranger) as socket:
        assert await closed_with(socket) == 4404
    async with open_socket(cluster.url, str(uuid.uuid4()), alice) as socket:
        assert await closed_with(socket) == 4404
    async with open_socket(cluster.url, group["id"], alice) as socket:
        await until_ready(socket)
        await socket.send("{not json")
        assert await closed_with(socket) == 4400
    async with open_socket(cluster.url, group["id"], alice) as socket:
        await until_ready(socket)
        await socket.send(json.dumps({"type": "message", "text": "x" * 20_000, "client_msg_id": "big"}))
        assert await closed_with(socket) == 1009


async def test_the_gateway_answers_the_group_api_and_keeps_internal_routes_closed(cluster: Cluster) -> None:
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        assert (await http.get("/api/v1/groups")).status_code == 401
        assert (await http.get("/internal/v1/chat/users", params={"email": "a@b.c"})).status_code == 404


async def test_a_revoked_tokens_socket_closes_with_4401(cluster: Cluster) -> None:
    alice = cluster.user()
    async with httpx.AsyncClient(base_url=cluster.url) as http:
        group = await create_group(http, alice)
    async with open_socket(cluster.replicas[1].url, group["id"], alice) as socket:
        await until_ready(socket)
        revoked = httpx.post(  # logout everywhere: main_service bumps the token version and says so
            f"{cluster.platform.main_url}/internal/v1/users/{alice.id}/revoke-tokens",
            headers={"Authorization": f"Bearer {cluster.tokens.service('auth_service')}"},
        )
        assert revoked.status_code == 200, revoked.text
        assert await closed_with(socket, timeout=10) == 4401
