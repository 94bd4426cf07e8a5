"""Account mail goes through maindb's outbox: a rolled-back request sends nothing, a committed one is sent once,
and an SMTP outage delays the mail without losing it (real PostgreSQL, real SMTP server)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from main_service.adapters.outbound.mail.account_mail import OutboxAccountMail
from main_service.adapters.outbound.persistence.models import outbox_event
from main_service.adapters.outbound.persistence.outbox import SqlaOutboxStore
from main_service.domain.users import User
from qhitz_shared.db import DatabaseSettings, SqlaUnitOfWork, create_engine
from qhitz_shared.mail.adapters import SmtpMailer
from qhitz_shared.mail.queue import in_process_mail_publisher
from qhitz_shared.mail.settings import MailSettings
from qhitz_shared.outbox.relay import OutboxRelay, PublishFailed
from tests.support.mailbox import link_in, smtp_server, token_of


async def test_a_rolled_back_mail_is_never_sent_and_a_committed_one_is_sent_once_after_an_outage(main_db_url):
    engine = create_engine(DatabaseSettings(url=main_db_url))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    suffix = uuid.uuid4().hex[:8]
    settings = MailSettings(public_base_url="https://app.example.test")
    rolled_back = User(id=uuid.uuid4(), email=f"gone{suffix}@example.com", username=f"g{suffix}", password_hash=None)
    committed = User(id=uuid.uuid4(), email=f"kept{suffix}@example.com", username=f"k{suffix}", password_hash=None)
    try:
        with smtp_server() as mailbox:
            async with sessions() as session:
                await OutboxAccountMail(session, settings).verification(rolled_back, "token-rolled-back")
                await session.rollback()
                await OutboxAccountMail(session, settings).password_reset(committed, "token-committed")
                await session.commit()
            smtp = MailSettings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_security="none")
            publisher = in_process_mail_publisher(SmtpMailer(smtp))

            async def relay_once() -> int:
                async with sessions() as session:
                    return await OutboxRelay(SqlaOutboxStore(session), publisher, SqlaUnitOfWork(session)).relay_batch()

            mailbox.refuse = True
            try:
                await relay_once()
                raise AssertionError("the SMTP server refused: the relay must report it")
            except PublishFailed:
                pass
            mailbox.refuse = False
            while await relay_once():
                pass
            assert await relay_once() == 0  # nothing left: marked sent once
            assert mailbox.to(rolled_back.email) == []
            [mail] = mailbox.to(committed.email)
            assert token_of(link_in(mail)) == "token-committed"
            async with sessions() as session:
                rows = (
                    await session.execute(
                        select(outbox_event.c.sent_at, outbox_event.c.attempts).where(
                            outbox_event.c.payload["to"].as_string().in_([rolled_back.email, committed.email])
                        )
                    )
                ).all()
            assert len(rows) == 1  # the rolled-back one was never written
            assert rows[0].sent_at is not None and rows[0].attempts == 1  # one failed attempt, then sent
    finally:
        await engine.dispose()
