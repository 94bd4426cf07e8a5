"""Benchmark (not a test): chat_service's fan-out, one replica's message rate, and watch-party start spread.

    uv run python bench/chat_fanout.py [--members 100] [--messages 30] [--burst 400] [--smoke]

Starts throw-away PostgreSQL databases (like the tests), main_service and auth_service, and two chat_service
processes sharing chatdb and the local Redis (REDIS_URL, default redis://127.0.0.1:6379/0). Figures:

1. fan-out: ``--members`` sockets in one group, alternately on the two replicas; after one warm-up message, one
   member sends ``--messages`` messages (HTTP, one at a time, 20 ms apart) and every socket's receipt time is taken
   against the send start: p50 / p99 / max in ms over all deliveries (goal: p99 under 100 ms);
2. rate: ``--burst`` messages sent by 16 concurrent clients to one replica (each one stored, sequenced and
   published): messages per second, and the time until one socket has received them all;
3. playback spread: 20 members with clocks off by up to ±5 s and 0-200 ms of random delay injected in each
   direction of every frame estimate their offset from 8 time_sync exchanges, report their round trip, then a play
   command is issued; each computes its start on its own clock. The spread of the true start instants (max - min)
   and how many frames arrived after their start (goal: spread under 100 ms, none late). Two estimates from the
   same exchanges: the README's (each exchange bounds the offset between server_send - t3 and server_receive - t0;
   the midpoint of all bounds' intersection) and, as the baseline, the exchange with the lowest round trip.

--smoke: 6 members, 5 messages, a burst of 40 and 6 playback members (tests/test_bench_scripts.py runs it).
Results go to bench/results/chat_fanout.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.chat_service.e2e.cluster import Cluster, chat_cluster  # noqa: E402
from tests.chat_service.e2e.helpers import add_member, create_group, next_frame, open_socket, until_ready  # noqa: E402
from tests.support import databases  # noqa: E402


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)

    return {"p50": round(statistics.median(ordered), 2), "p99": at(0.99), "max": round(ordered[-1], 2)}


async def group_of(cluster: Cluster, count: int) -> tuple[str, list]:
    users = [cluster.user(ttl=3600) for _ in range(count)]
    async with httpx.AsyncClient(base_url=cluster.replicas[0].url, timeout=30) as http:
        group = (await create_group(http, users[0]))["id"]
        for user in users[1:]:
            await add_member(http, group, users[0], user, role="admin")
    return group, users


async def fan_out(cluster: Cluster, members: int, messages: int) -> dict:
    group, users = await group_of(cluster, members)
    urls = [replica.url for replica in cluster.replicas]
    sockets = [await open_socket(urls[n % 2], group, user).__aenter__() for n, user in enumerate(users)]
    for socket in sockets:
        await until_ready(socket)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    posts: list[float] = []

    async def receive(socket) -> None:
        for _ in range(messages):
            frame = await next_frame(socket, "message", timeout=30)
            latencies.append((time.perf_counter() - sent_at[frame["message"]["client_msg_id"]]) * 1000)

    async with httpx.AsyncClient(base_url=urls[0], timeout=30) as http:
        # warm-up, not measured: the first message opens the pools and connections along the path
        key = uuid.uuid4().hex
        sent_at[key] = time.perf_counter()
        await http.post(
            f"/api/v1/groups/{group}/messages", json={"text": "warm-up", "client_msg_id": key}, headers=users[0].headers
        )
        await asyncio.gather(*(next_frame(socket, "message", timeout=30) for socket in sockets))
        receivers = [asyncio.create_task(receive(socket)) for socket in sockets]
        for number in range(messages):
            key = uuid.uuid4().hex
            sent_at[key] = time.perf_counter()
            response = await http.post(
                f"/api/v1/groups/{group}/messages",
                json={"text": f"fan-out {number}", "client_msg_id": key},
                headers=users[0].headers,
            )
            posts.append((time.perf_counter() - sent_at[key]) * 1000)
            assert response.status_code == 201, response.text
            await asyncio.sleep(0.02)
    await asyncio.gather(*receivers)
    for socket in sockets:
        await socket.close()
    # the send itself (HTTP answer, the message stored and published): a slow one delays its whole fan-out
    return {
        "members": members,
        "messages": messages,
        "deliveries": len(latencies),
        **percentiles(latencies),
        "send": percentiles(posts),
    }


async def rate(cluster: Cluster, burst: int) -> dict:
    group, users = await group_of(cluster, 2)
    url = cluster.replicas[0].url
    async with open_socket(cluster.replicas[1].url, group, users[1]) as socket:
        await until_ready(socket)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for number in range(burst):
            queue.put_nowait(number)
        started = time.perf_counter()

        async def sender() -> None:
            async with httpx.AsyncClient(base_url=url, timeout=30) as http:
                while not queue.empty():
                    number = queue.get_nowait()
                    response = await http.post(
                        f"/api/v1/groups/{group}/messages",
                        json={"text": f"burst {number}", "client_msg_id": uuid.uuid4().hex},
                        headers=users[0].headers,
                    )
                    assert response.status_code == 201, response.text

        await asyncio.gather(*(sender() for _ in range(16)))
        stored = time.perf_counter() - started
        for _ in range(burst):
            await next_frame(socket, "message", timeout=30)
        delivered = time.perf_counter() - started
    return {
        "burst": burst,
        "messages_per_second": round(burst / stored, 1),
        "all_delivered_seconds": round(delivered, 2),
    }


class JitteryClient:
    """A member whose clock is off by ``offset_ms`` and whose frames are each delayed 0-``jitter_ms``."""

    def __init__(self, socket, offset_ms: float, jitter_ms: float) -> None:
        self.socket, self.offset_ms, self.jitter_ms = socket, offset_ms, jitter_ms
        self.estimate_ms = 0.0  # the intersection of every exchange's bounds (README "Watch party")
        self.lowest_rtt_estimate_ms = 0.0  # the baseline: the exchange with the lowest round trip
        self.rtt_ms = 0.0

    def clock(self) -> float:
        return time.time() * 1000 + self.offset_ms

    async def delay(self) -> None:
        await asyncio.sleep(random.uniform(0, self.jitter_ms) / 1000)

    async def sync(self, rounds: int = 8) -> None:
        best = None
        lower, upper = -float("inf"), float("inf")
        for _ in range(rounds):
            t0 = self.clock()
            await self.delay()
            await self.socket.send(json.dumps({"type": "time_sync", "client_time_ms": t0, "rtt_ms": self.rtt_ms}))
            frame = await next_frame(self.socket, "time_sync")
            await self.delay()
            t3 = self.clock()
            rtt = (t3 - t0) - (frame["server_send_ms"] - frame["server_receive_ms"])
            offset = ((frame["server_receive_ms"] - t0) + (frame["server_send_ms"] - t3)) / 2
            # the server read the frame after t0 and answered before t3, so server - client lies in between
            lower, upper = max(lower, frame["server_send_ms"] - t3), min(upper, frame["server_receive_ms"] - t0)
            if best is None or rtt < best[0]:
                best = (rtt, offset)
        assert best is not None
        self.rtt_ms, self.lowest_rtt_estimate_ms = best
        self.estimate_ms = (lower + upper) / 2
        # the last report carries the measured round trip, for the server's schedule
        await self.socket.send(json.dumps({"type": "time_sync", "client_time_ms": self.clock(), "rtt_ms": rtt}))
        await next_frame(self.socket, "time_sync")

    async def start_instant(self) -> tuple[float, bool, float]:
        """The true time (server clock) at which this client starts playing, whether the frame came late, and the
        true start by the lowest-round-trip estimate."""
        frame = await next_frame(self.socket, "playback", timeout=30)
        while frame["state"]["paused"]:
            frame = await next_frame(self.socket, "playback", timeout=30)
        await self.delay()
        local_start = frame["state"]["at_ms"] - self.estimate_ms  # when its own clock shows this, it starts
        late = self.clock() > local_start
        baseline = frame["state"]["at_ms"] - self.lowest_rtt_estimate_ms - self.offset_ms
        return local_start - self.offset_ms, late, baseline


async def seed_item(db_url: str, group: str, owner: uuid.UUID) -> None:
    """A paused item, written straight into chatdb: no medias_service runs here to approve a set_item."""
    connection = await asyncpg.connect(db_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(
            "INSERT INTO chat_playback (id, group_id, item_kind, item_ref, position_ms, paused, rate, at_ms, set_by,"
            " version, created_at, updated_at) VALUES ($1, $2, 'share', 'bench', 0, true, 1.0, 0, $3, 1, now(), now())",
            uuid.uuid4(),
            uuid.UUID(group),
            owner,
        )
    finally:
        await connection.close()


async def playback_spread(cluster: Cluster, db_url: str, members: int, jitter_ms: float) -> dict:
    group, users = await group_of(cluster, members)
    await seed_item(db_url, group, users[0].id)
    urls = [replica.url for replica in cluster.replicas]
    clients = []
    for number, user in enumerate(users):
        socket = await open_socket(urls[number % 2], group, user).__aenter__()
        await until_ready(socket)
        clients.append(JitteryClient(socket, random.uniform(-5000, 5000), jitter_ms))
    await asyncio.gather(*(client.sync() for client in clients))
    await asyncio.sleep(0.6)  # the round-trip reports reach every replica
    await clients[0].socket.send(json.dumps({"type": "playback", "action": "play"}))
    starts = await asyncio.gather(*(client.start_instant() for client in clients))
    for client in clients:
        await client.socket.close()
    instants = [instant for instant, _, _ in starts]
    baseline = [instant for _, _, instant in starts]
    return {
        "members": members,
        "jitter_ms": jitter_ms,
        "spread_ms": round(max(instants) - min(instants), 1),
        "spread_lowest_rtt_ms": round(max(baseline) - min(baseline), 1),
        "late_frames": sum(late for _, late, _ in starts),
        "highest_rtt_ms": round(max(client.rtt_ms for client in clients), 1),
    }


async def run(cluster: Cluster, db_url: str, args: argparse.Namespace) -> dict:
    figures = {"fan_out": await fan_out(cluster, args.members, args.messages)}
    print("fan-out:", figures["fan_out"], flush=True)
    figures["rate"] = await rate(cluster, args.burst)
    print("rate:", figures["rate"], flush=True)
    figures["playback"] = await playback_spread(cluster, db_url, args.party, args.jitter)
    print("playback:", figures["playback"], flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100, help="sockets in the fan-out group (default 100)")
    parser.add_argument("--messages", type=int, default=30, help="messages sent to them (default 30)")
    parser.add_argument("--burst", type=int, default=400, help="messages of the rate run (default 400)")
    parser.add_argument("--party", type=int, default=20, help="members of the playback run (default 20)")
    parser.add_argument("--jitter", type=float, default=200.0, help="injected delay per frame, ms (default 200)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script, not the figures")
    args = parser.parse_args()
    if args.smoke:
        args.members, args.messages, args.burst, args.party = 6, 5, 40, 6
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    with (
        databases.migrated("chat", "benchchat") as chat_db,
        databases.migrated("main", "benchmain") as main_db,
        tempfile.TemporaryDirectory() as data,
        chat_cluster(chat_db, main_db, Path(data), redis_url=redis_url, gateway=False) as cluster,
    ):
        figures = asyncio.run(run(cluster, chat_db, args))
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "chat_fanout.json").write_text(json.dumps({"smoke": args.smoke, **figures}, indent=2))
    fan, party = figures["fan_out"], figures["playback"]
    print(f"fan-out p99 {fan['p99']} ms (goal < 100); spread {party['spread_ms']} ms (goal < 100)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
