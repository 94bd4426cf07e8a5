"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that read their mail."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import aio_pika
from aiosmtpd.controller import Controller

from qhitz_shared.mail.queue import mail_topology
from tests.support.servers import free_port

LINK = re.compile(r"https?://\S+")
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False  # answer 451 (try again later) to every DATA while set
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.refuse:
            return "451 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[attr-defined]
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def env(self) -> dict[str, str]:
        """main_service's MAIL_* for this server (no TLS on loopback)."""
        return {"MAIL_SMTP_HOST": self.host, "MAIL_SMTP_PORT": str(self.port), "MAIL_SMTP_SECURITY": "none"}

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 15.0) -> list[EmailMessage]:
        """The first ``count`` messages to ``address``, waiting for them (the outbox relay sends asynchronously)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise TimeoutError(f"{count} mail(s) to {address} did not arrive in {timeout} s; got {len(self.to(address))}")


def body(message: EmailMessage, kind: str = "plain") -> str:
    part = message.get_body((kind,))
    assert part is not None, f"no {kind} part"
    return part.get_content()


def link_in(message: EmailMessage) -> str:
    """The one link of the plain-text part."""
    links = LINK.findall(body(message))
    assert len(links) == 1, links
    return links[0]


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """aiosmtpd runs its own loop in a thread; port=0 does not work with its readiness check: pick a free one."""
    mailbox = Mailbox("127.0.0.1", free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


async def delete_mail_topology(prefix: str) -> None:
    """A test's mail queues and exchanges (MAIL_AMQP_PREFIX) go when it ends: the broker is shared."""
    topology = mail_topology(prefix)
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        for name in topology.queue_names():
            await channel.queue_delete(name)
        for name in topology.exchange_names():
            await channel.exchange_delete(name)
