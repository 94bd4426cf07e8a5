"""A Redis restart: every replica's listener reconnects and resubscribes, and sockets catch up by sequence on what
was published while Redis was away."""

from __future__ import annotations

import httpx

from tests.chat_service.e2e.cluster import chat_cluster
from tests.chat_service.e2e.helpers import add_member, create_group, next_frame, open_socket, send, until_ready
from tests.support.redis_server import private_redis


async def test_subscribers_recover_after_a_redis_restart_and_miss_nothing(
    chat_db_url: str, main_db_url: str, tmp_path
) -> None:
    with (
        private_redis() as redis,
        chat_cluster(chat_db_url, main_db_url, tmp_path, redis_url=redis.url, gateway=False) as cluster,
    ):
        alice, bob = cluster.user(), cluster.user()
        first, second = (replica.url for replica in cluster.replicas)
        async with httpx.AsyncClient(base_url=first) as http:
            group = await create_group(http, alice)
            await add_member(http, group["id"], alice, bob)
            async with open_socket(second, group["id"], bob) as socket:
                await until_ready(socket)
                assert (await send(http, group["id"], alice, "before")).status_code == 201
                assert (await next_frame(socket, "message"))["message"]["text"] == "before"

                redis.stop()
                # stored while no replica can hear of it: the database is the truth
                assert (await send(http, group["id"], alice, "during")).status_code == 201
                redis.start()

                frame = await next_frame(socket, "message", timeout=15)
                assert frame["message"]["text"] == "during"
                assert (await send(http, group["id"], alice, "after")).status_code == 201
                frame = await next_frame(socket, "message", timeout=10)
                assert frame["message"]["text"] == "after"
        assert "resubscribed" in cluster.replicas[1].logs()
