"""The mail adapters and the mail queue against real servers: aiosmtpd on loopback, RabbitMQ on 5672."""

from __future__ import annotations

import asyncio
import email
import email.policy
import uuid
from pathlib import Path

import msgspec
import pytest

from qhitz_shared.mail.adapters import EmlFileMailer, SmtpMailer, open_mailer
from qhitz_shared.mail.message import MAIL_EVENT, MailMessage
from qhitz_shared.mail.queue import MailQueueConsumer, in_process_mail_publisher, rabbit_mail_publisher
from qhitz_shared.mail.settings import MailSettings
from qhitz_shared.outbox.events import OutgoingEvent
from qhitz_shared.settings import AppSettings
from tests.support.mailbox import AMQP_URL, body, delete_mail_topology, smtp_server
from tests.support.waiting import eventually


def message(to: str = "ada@example.com") -> MailMessage:
    return MailMessage(
        to=to,
        subject="Vérifiez votre adresse",  # a non-ASCII subject round-trips
        text="Open https://app.example.test/x?token=abc",
        html="<p><a href='https://app.example.test/x?token=abc'>Open</a></p>",
        message_id=f"{uuid.uuid4().hex}@qhitz.local",
    )


def smtp_settings(port: int) -> MailSettings:
    return MailSettings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", sender="Qhitz <no@qhitz.test>")


async def test_the_smtp_mailer_delivers_plain_text_and_html_to_a_real_server() -> None:
    with smtp_server() as mailbox:
        sent = message()
        await SmtpMailer(smtp_settings(mailbox.port)).send(sent)
        [received] = mailbox.to("ada@example.com")
    assert (received["From"], received["Subject"]) == ("Qhitz <no@qhitz.test>", "Vérifiez votre adresse")
    assert received["Message-ID"] == f"<{sent.message_id}>"
    assert body(received).strip() == sent.text
    assert "token=abc" in body(received, "html")


async def test_the_file_mailer_writes_one_readable_eml_per_message(tmp_path: Path) -> None:
    mailer = open_mailer(MailSettings(), str(tmp_path))
    assert isinstance(mailer, EmlFileMailer)
    await mailer.send(message())
    [path] = (tmp_path / "mail").glob("*.eml")
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert (parsed["To"], parsed["Subject"]) == ("ada@example.com", "Vérifiez votre adresse")
    assert not list((tmp_path / "mail").glob("*.part"))


def test_production_refuses_to_start_without_an_smtp_server() -> None:
    with pytest.raises(SystemExit, match="MAIL_SMTP_HOST"):
        MailSettings().check(AppSettings(env="production"))
    MailSettings(smtp_host="smtp.example.com").check(AppSettings(env="production"))


def event(sent: MailMessage) -> OutgoingEvent:
    return OutgoingEvent(id=uuid.uuid4(), name=MAIL_EVENT, body=msgspec.json.encode(sent))


async def test_without_a_broker_the_relay_hands_the_mail_to_the_mailer_and_fails_while_smtp_refuses() -> None:
    with smtp_server() as mailbox:
        publisher = in_process_mail_publisher(SmtpMailer(smtp_settings(mailbox.port)))
        mailbox.refuse = True
        with pytest.raises(Exception, match="451"):
            await publisher.publish(event(message()))  # the relay keeps the row and tries again later
        mailbox.refuse = False
        await publisher.publish(event(message()))
        assert len(mailbox.to("ada@example.com")) == 1


async def test_through_rabbitmq_a_mail_is_sent_once_and_waits_out_an_smtp_outage() -> None:
    prefix = f"qhitz-test-{uuid.uuid4().hex[:8]}"
    with smtp_server() as mailbox:
        mailbox.refuse = True  # the server answers 451 at first: the consumer requeues, nothing is lost
        consumer = MailQueueConsumer(
            AMQP_URL, SmtpMailer(smtp_settings(mailbox.port)), prefix=prefix, retry_seconds=0.1
        )
        publisher = rabbit_mail_publisher(AMQP_URL, prefix=prefix, app_id="test")
        try:
            await consumer.start()
            sent = message(f"{prefix}@example.com")
            await publisher.publish(event(sent))
            await asyncio.sleep(0.6)
            assert mailbox.to(sent.to) == []
            mailbox.refuse = False

            async def received_count() -> int:
                return len(mailbox.to(sent.to))

            await eventually(received_count, lambda count: count >= 1, timeout=10)
            await asyncio.sleep(0.5)
            [received] = mailbox.to(sent.to)
            assert received["Message-ID"] == f"<{sent.message_id}>"
        finally:
            await publisher.close()
            await consumer.stop()
            await delete_mail_topology(prefix)
