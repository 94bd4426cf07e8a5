"""Mail through an outbox: a service records a MailMessage (event ``mail.send``) in its outbox table in the
request's transaction; its relay hands it to RabbitMQ (work queue ``<prefix>.mail`` of the shared topology,
consumed by ``MailQueueConsumer``) when AMQP_URL is set, or straight to the Mailer in the same process otherwise.
A rolled-back transaction sends nothing; a committed one is sent at least once (its Message-ID stays the same,
so a duplicate collapses in the reader's mailbox)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import msgspec
import structlog
from faststream import AckPolicy
from faststream.message import StreamMessage
from faststream.rabbit import RabbitBroker
from faststream.rabbit.annotations import RabbitMessage
from faststream.rabbit.schemas import Channel

from qhitz_shared.amqp.publisher import RabbitEventPublisher
from qhitz_shared.amqp.topology import Topology, declare
from qhitz_shared.background import BackgroundLoop
from qhitz_shared.mail.message import MAIL_EVENT, Mailer, MailMessage
from qhitz_shared.outbox.events import OutgoingEvent
from qhitz_shared.outbox.inprocess import InProcessEventPublisher

log = structlog.get_logger(__name__)

MAX_RETRY_SECONDS = 60.0


def mail_topology(prefix: str) -> Topology:
    """``<prefix>.events`` routes ``mail.send`` to the quorum queue ``<prefix>.mail``; a message delivered 20 times
    without being sent is dead-lettered to ``<prefix>.parking`` (kept for an operator, not dropped)."""
    return Topology(prefix, work="mail")


async def raw_body(message: StreamMessage[Any]) -> bytes:
    return message.body


def rabbit_mail_publisher(url: str, *, prefix: str, app_id: str, connect_timeout: float = 10.0) -> RabbitEventPublisher:
    """The shared confirming publisher, aimed at the mail topology (mail.send is mandatory: never unroutable)."""
    return RabbitEventPublisher(
        url, mail_topology(prefix), [MAIL_EVENT], app_id=app_id, connect_timeout=connect_timeout
    )


def in_process_mail_publisher(mailer: Mailer) -> InProcessEventPublisher:
    """Without a broker the relay sends each mail itself; it is marked sent once the Mailer accepted it."""

    async def deliver(event: OutgoingEvent) -> None:
        if event.name == MAIL_EVENT:
            await mailer.send(msgspec.json.decode(event.body, type=MailMessage))

    return InProcessEventPublisher(deliver)


class MailQueueConsumer(BackgroundLoop):
    """Sends what arrives on ``<prefix>.mail``: acked once the Mailer accepted it; when sending fails, requeued
    after a wait that grows with the deliveries (``retry_seconds`` doubling, at most a minute: an SMTP outage does
    not spin, and about a quarter of an hour passes before the broker parks it); an unreadable message is logged
    and acked. Connects in the background, retrying until the broker answers."""

    task_name = "mail-queue-consumer"

    def __init__(self, url: str, mailer: Mailer, *, prefix: str, retry_seconds: float = 5.0, prefetch: int = 4) -> None:
        self._url = url
        self._mailer = mailer
        self._topology = mail_topology(prefix)
        self._retry_seconds = retry_seconds
        self._prefetch = prefetch
        self._broker: RabbitBroker | None = None

    async def _run(self) -> None:
        wait = 0.5
        while True:
            broker = RabbitBroker(self._url, logger=logging.getLogger("qhitz.mail"), log_level=logging.DEBUG)
            subscriber = broker.subscriber(
                self._topology.processing,
                ack_policy=AckPolicy.MANUAL,
                decoder=raw_body,
                channel=Channel(prefetch_count=self._prefetch),
            )
            subscriber(self._handle)
            try:
                await broker.connect()
                await declare(broker, self._topology, [MAIL_EVENT])
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
            deliveries = int(message.raw_message.headers.get("x-delivery-count") or 0)
            wait = min(self._retry_seconds * 2**deliveries, MAX_RETRY_SECONDS)
            log.warning("mail_send_failed", message_id=mail.message_id, error=repr(exc), retry_in_seconds=wait)
            await asyncio.sleep(wait)
            await message.nack(requeue=True)
            return
        await message.ack()

    async def stop(self) -> None:
        await super().stop()
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.stop()
