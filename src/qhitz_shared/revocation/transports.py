"""Where revocation events travel: main_service's internal route (catch-up), RabbitMQ fanout, Redis pub/sub."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import aio_pika
import httpx
import msgspec
import redis.asyncio
import structlog

from qhitz_shared.errors import DependencyUnavailableError
from qhitz_shared.revocation.events import RevocationEvent, RevocationPage, decode, encode
from qhitz_shared.service_tokens import ServiceTokens, get_with_service_token

__all__ = ["ServiceTokens"]  # its home was here; importers keep working

log = structlog.get_logger(__name__)

CATCH_UP_PATH = "/internal/v1/revocations"


class HttpRevocationSource:
    """Asks main_service's ``GET /internal/v1/revocations`` with this service's service token."""

    def __init__(self, http: httpx.AsyncClient, main_url: str, tokens: ServiceTokens) -> None:
        self._http = http
        self._url = main_url.rstrip("/") + CATCH_UP_PATH
        self._tokens = tokens

    async def since(self, cursor: int, limit: int) -> RevocationPage:
        response = await get_with_service_token(
            self._http,
            self._url,
            self._tokens,
            what="main_service's revocation log",
            params={"since": cursor, "limit": limit},
        )
        if response.status_code != 200:
            raise DependencyUnavailableError(f"main_service's revocation log answered {response.status_code}")
        return msgspec.json.decode(response.content, type=RevocationPage)


class AmqpRevocationStream:
    """A fanout exchange; each subscriber has its own exclusive, auto-deleted queue (live events only: what it
    missed while away comes from the catch-up)."""

    def __init__(self, url: str, exchange: str, *, connect_timeout: float = 10.0) -> None:
        self._url = url
        self._exchange = exchange
        self._timeout = connect_timeout
        self.name = f"amqp:{exchange}"

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[RevocationEvent]]:
        inbox: asyncio.Queue[RevocationEvent | None] = asyncio.Queue()
        connection = await aio_pika.connect(self._url, timeout=self._timeout)
        connection.close_callbacks.add(lambda *_: inbox.put_nowait(None))
        try:
            channel = await connection.channel()
            exchange = await channel.declare_exchange(self._exchange, aio_pika.ExchangeType.FANOUT, durable=True)
            queue = await channel.declare_queue(exclusive=True, auto_delete=True)
            await queue.bind(exchange)

            async def receive(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                try:
                    inbox.put_nowait(decode(message.body))
                except msgspec.MsgspecError as exc:
                    log.warning("revocation_event_unreadable", error=repr(exc))

            await queue.consume(receive, no_ack=True)
            yield _drain(inbox)
        finally:
            with contextlib.suppress(Exception):
                await connection.close()


class RedisRevocationStream:
    """A Redis pub/sub channel (at most once, live only; the catch-up covers the rest)."""

    def __init__(self, url: str, channel: str) -> None:
        self._url = url
        self._channel = channel
        self.name = f"redis:{channel}"

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[RevocationEvent]]:
        client = redis.asyncio.Redis.from_url(self._url, socket_connect_timeout=5, health_check_interval=10)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self._channel)
            yield self._listen(pubsub)
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
            with contextlib.suppress(Exception):
                await client.aclose()

    @staticmethod
    async def _listen(pubsub: redis.asyncio.client.PubSub) -> AsyncIterator[RevocationEvent]:
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            try:
                yield decode(message["data"])
            except msgspec.MsgspecError as exc:
                log.warning("revocation_event_unreadable", error=repr(exc))


async def _drain(inbox: asyncio.Queue[RevocationEvent | None]) -> AsyncIterator[RevocationEvent]:
    while (event := await inbox.get()) is not None:
        yield event


class AmqpRevocationPublisher:
    """Publishes to the fanout exchange over one connection, opened on first use and again after a loss."""

    def __init__(self, url: str, exchange: str, *, connect_timeout: float = 10.0) -> None:
        self._url = url
        self._name = exchange
        self._timeout = connect_timeout
        self._connection: aio_pika.abc.AbstractConnection | None = None
        self._exchange: aio_pika.abc.AbstractExchange | None = None

    async def publish(self, events: Sequence[RevocationEvent]) -> None:
        if self._exchange is None or self._connection is None or self._connection.is_closed:
            self._connection = await aio_pika.connect(self._url, timeout=self._timeout)
            channel = await self._connection.channel()
            self._exchange = await channel.declare_exchange(self._name, aio_pika.ExchangeType.FANOUT, durable=True)
        try:
            for event in events:
                await self._exchange.publish(aio_pika.Message(encode(event), content_type="application/json"), "")
        except Exception:
            await self.close()
            raise

    async def close(self) -> None:
        connection, self._connection, self._exchange = self._connection, None, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()


class RedisRevocationPublisher:
    def __init__(self, url: str, channel: str) -> None:
        self._client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        self._channel = channel

    async def publish(self, events: Sequence[RevocationEvent]) -> None:
        for event in events:
            await self._client.publish(self._channel, encode(event))

    async def close(self) -> None:
        await self._client.aclose()
