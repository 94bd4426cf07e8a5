"""Fan-out across replicas over Redis pub/sub, surviving Redis restarts.

Why not Litestar's ChannelsPlugin: its one subscriber task dies on the first connection error and is never
restarted (STACK_NOTES_NEXT §1, verified with a Redis restart), so a replica would stop delivering for good. Here
one pattern subscription per replica (``<prefix>*``) is read by a loop that reconnects with backoff and
resubscribes; after every reconnection each local subscriber gets RESYNC and catches up from the database, which
is the truth. Publishing is best effort for the same reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from chat_service.adapters.outbound.broadcast.memory import LocalFanout

log = logging.getLogger("chat_service.broadcast")


class RedisBroadcaster:
    def __init__(
        self, url: str, *, prefix: str = "qhitz:chat:", backlog: int = 1_000, max_backoff_seconds: float = 2.0
    ) -> None:
        self._redis = Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=2.0, socket_keepalive=True)
        # no silent retries on the listener: redis-py would reconnect and resubscribe inside listen(), and the
        # frames published meanwhile would be lost without anyone knowing to resync
        self._listener = Redis.from_url(
            url, socket_connect_timeout=1.0, socket_keepalive=True, retry=Retry(NoBackoff(), 0)
        )
        self._prefix = prefix
        self._local = LocalFanout(backlog)
        self._max_backoff = max_backoff_seconds
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        self.reconnects = 0
        self.publish_failures = 0

    async def publish(self, channel: str, payload: bytes) -> None:
        try:
            await self._redis.publish(self._prefix + channel, payload)
        except (RedisError, OSError) as exc:
            self.publish_failures += 1
            log.warning("publish to redis failed; subscribers catch up after the reconnection", exc_info=exc)

    def subscribe(self, channel: str):
        return self._local.subscription(channel)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="chat-broadcast-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._redis.aclose()
        await self._listener.aclose()

    async def ping(self) -> None:
        """The readiness probe: Redis answers, and the listener holds its subscription."""
        await self._redis.ping()
        if not self.connected.is_set():
            raise ConnectionError("the pub/sub listener is reconnecting")

    async def _listen(self) -> None:
        backoff = 0.05
        first = True
        while True:
            try:
                async with self._listener.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{self._prefix}*")
                    self.connected.set()
                    if not first:
                        self.reconnects += 1
                        log.info("redis pub/sub resubscribed; subscribers resync from the database")
                        self._local.resync_all()
                    first, backoff = False, 0.05
                    await self._pump(pubsub)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                if self.connected.is_set():
                    log.warning("redis pub/sub connection lost; reconnecting", exc_info=exc)
                self.connected.clear()
                first = False
                await asyncio.sleep(backoff)
                backoff = min(self._max_backoff, backoff * 2)

    async def _pump(self, pubsub: AsyncIterator) -> None:  # type: ignore[type-arg]
        cut = len(self._prefix)
        async for message in pubsub.listen():  # type: ignore[attr-defined]
            if message.get("type") != "pmessage":
                continue
            channel = message["channel"]
            name = channel.decode()[cut:] if isinstance(channel, bytes) else str(channel)[cut:]
            self._local.deliver(name, message["data"])
