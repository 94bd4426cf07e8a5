"""Mail through an outbox: a service records a ``MAIL_EVENT`` (a MailMessage) in its outbox table in the request's
transaction; its relay hands it to RabbitMQ (queue ``qhitz.mail``, consumed by ``MailQueueConsumer``) when
AMQP_URL is set, or straight to the Mailer in the same process otherwise. A rolled-back transaction sends
nothing; a committed one is sent at least once (the Message-ID stays the same, so a duplicate collapses)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import msgspec
import structlog
from faststream import AckPolicy
from faststream.message import StreamMessage
from faststream.rabbit import RabbitBroker, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.schemas import Channel

from qhitz_shared.background import BackgroundLoop
from qhitz_shared.mail.message import Mailer, MailMessage
from qhitz_shared.outbox.inprocess import InProcessEventPublisher
from qhitz_shared.outbox.ports import OutgoingEvent
from qhitz_shared.outbox.rabbit import RabbitEventPublisher

log = structlog.get_logger(__name__)

MAIL_EVENT = "qhitz.mail"


def mail_queue(name: str) -> RabbitQueue:
    """Durable; the default exchange routes to it by its name."""
    return RabbitQueue(name, durable=True)


async def raw_body(message: StreamMessage[Any]) -> bytes:
    return message.body


def rabbit_mail_publisher(
    url: str, *, queue: str = MAIL_EVENT, app_id: str, connect_timeout: float = 10.0
) -> RabbitEventPublisher:
    """Publishes mail events to ``queue`` (declared on connect), persistent, confirmed and mandatory."""

    async def declare(broker: RabbitBroker) -> None:
        await broker.declare_queue(mail_queue(queue))

    return RabbitEventPublisher(
        url,
        declare,
        mandatory={MAIL_EVENT},
        routes={MAIL_EVENT: queue},
        app_id=app_id,
        connect_timeout=connect_timeout,
    )


def in_process_mail_publisher(mailer: Mailer) -> InProcessEventPublisher:
    """Without a broker the relay sends each mail itself; it is marked sent once the Mailer accepted it."""

    async def deliver(event: OutgoingEvent) -> None:
        if event.name == MAIL_EVENT:
            await mailer.send(msgspec.json.decode(event.body, type=MailMessage))

    return InProcessEventPublisher(deliver)


class MailQueueConsumer(BackgroundLoop):
    """Sends what arrives on the mail queue: acked once the Mailer accepted it; when sending fails, requeued after
    ``retry_seconds`` (the wait keeps a server outage from spinning), so a mail is never dropped; an unreadable
    message is logged and acked. Connects in the background, retrying until the broker answers."""

    task_name = "mail-queue-consumer"

    def __init__(
        self, url: str, mailer: Mailer, *, queue: str = MAIL_EVENT, retry_seconds: float = 5.0, prefetch: int = 4
    ) -> None:
        self._url = url
        self._queue = mail_queue(queue)
        self._mailer = mailer
        self._retry_seconds = retry_seconds
        self._prefetch = prefetch
        self._broker: RabbitBroker | None = None

    async def _run(self) -> None:
        wait = 0.5
        while True:
            broker = RabbitBroker(self._url, logger=logging.getLogger("qhitz.mail"), log_level=logging.DEBUG)
            subscriber = broker.subscriber(
                self._queue,
                ack_policy=AckPolicy.MANUAL,
                decoder=raw_body,
                channel=Channel(prefetch_count=self._prefetch),
            )
            subscriber(self._handle)
            try:
                await broker.start()
            except Exception as exc:
                log.warning("mail_queue_unreachable", error=repr(exc), retry_in_seconds=wait)
                await broker.stop()
                await asyncio.sleep(wait)
                wait = min(wait * 2, 30.0)
                continue
            self._broker = broker
            await asyncio.Event().wait()  # aio-pika reconnects by itself from here on

    async def _handle(self, body: bytes, message: RabbitMessage) -> None:
        try:
            mail = msgspec.json.decode(body, type=MailMessage)
        except msgspec.DecodeError as exc:
            log.error("mail_unreadable", error=str(exc))
            await message.ack()
            return
        try:
            await self._mailer.send(mail)
        except Exception as exc:
            log.warning("mail_send_failed", message_id=mail.message_id, error=repr(exc))
            await asyncio.sleep(self._retry_seconds)
            await message.nack(requeue=True)
            return
        await message.ack()

    async def stop(self) -> None:
        await super().stop()
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.stop()
