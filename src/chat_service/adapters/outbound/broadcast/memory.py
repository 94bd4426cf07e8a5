"""In-process fan-out: the whole Broadcaster for one process (make dev), and the local half of the Redis one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from chat_service.ports.broadcast import RESYNC


class LocalFanout:
    """Channel -> the queues of this process's subscribers. A subscriber that falls ``backlog`` payloads behind
    loses them and gets RESYNC instead (it catches up from the database): one slow socket never holds up the
    others or grows memory without bound."""

    def __init__(self, backlog: int = 1_000) -> None:
        self._backlog = backlog
        self._queues: dict[str, set[asyncio.Queue[bytes]]] = {}

    def deliver(self, channel: str, payload: bytes) -> None:
        for queue in self._queues.get(channel, ()):
            _offer(queue, payload)

    def resync_all(self) -> None:
        for queues in self._queues.values():
            for queue in queues:
                _offer(queue, RESYNC)

    @property
    def channels(self) -> list[str]:
        return list(self._queues)

    @asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        queue: asyncio.Queue[bytes] = asyncio.Queue(self._backlog)
        self._queues.setdefault(channel, set()).add(queue)
        try:
            yield _drain(queue)
        finally:
            queues = self._queues.get(channel)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    del self._queues[channel]


def _offer(queue: asyncio.Queue[bytes], payload: bytes) -> None:
    if queue.full():
        while not queue.empty():
            queue.get_nowait()
        payload = RESYNC
    queue.put_nowait(payload)


async def _drain(queue: asyncio.Queue[bytes]) -> AsyncIterator[bytes]:
    while True:
        yield await queue.get()


class MemoryBroadcaster:
    """Broadcaster for a single process (make dev without REDIS_URL): publishing delivers locally."""

    def __init__(self, backlog: int = 1_000) -> None:
        self._local = LocalFanout(backlog)

    async def publish(self, channel: str, payload: bytes) -> None:
        self._local.deliver(channel, payload)

    def subscribe(self, channel: str):
        return self._local.subscription(channel)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def ping(self) -> None:
        return None
