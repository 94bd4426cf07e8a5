"""Composition of accounts: the Mailer, the outbox relay's publisher, the account recovery and TOTP use cases, and
the background tasks (the relay; the mail queue's consumer when AMQP_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from dishka import AsyncContainer, Provider, Scope, alias, provide, provide_all

from main_service.adapters.outbound.mail.account_mail import OutboxAccountMail
from main_service.adapters.outbound.persistence.account_tokens import SqlaAccountTokenRepository
from main_service.adapters.outbound.persistence.mfa import SqlaMfaRepository
from main_service.adapters.outbound.persistence.outbox import SqlaOutboxStore
from main_service.main.settings import MainSettings
from main_service.ports.accounts import AccountMail, AccountTokenRepository, EmailVerification
from main_service.ports.mfa import MfaRepository
from main_service.services.accounts import AccountService
from main_service.services.mfa import MfaService
from qhitz_shared.mail.adapters import open_mailer
from qhitz_shared.mail.message import Mailer
from qhitz_shared.mail.queue import MailQueueConsumer, in_process_mail_publisher, rabbit_mail_publisher
from qhitz_shared.mail.settings import MailSettings
from qhitz_shared.outbox.ports import EventPublisher, OutboxStore
from qhitz_shared.outbox.relay import OutboxRelay
from qhitz_shared.outbox.runner import RelayRunner
from qhitz_shared.revocation.settings import SharedBrokers
from qhitz_shared.service import Background
from qhitz_shared.settings import AppSettings


class AccountsProvider(Provider):
    @provide(scope=Scope.APP)
    def mailer(self, settings: MailSettings, app: AppSettings) -> Mailer:
        return open_mailer(settings, app.data_dir)

    @provide(scope=Scope.APP)
    async def publisher(
        self, brokers: SharedBrokers, settings: MailSettings, mailer: Mailer
    ) -> AsyncIterator[EventPublisher]:
        """RabbitMQ's mail queue when AMQP_URL is set; otherwise the relay sends each mail itself."""
        if not brokers.amqp_url:
            yield in_process_mail_publisher(mailer)
            return
        rabbit = rabbit_mail_publisher(brokers.amqp_url, queue=settings.queue, app_id="main_service")
        yield rabbit
        await rabbit.close()

    outbox = provide(SqlaOutboxStore, scope=Scope.REQUEST, provides=OutboxStore)
    tokens = provide(SqlaAccountTokenRepository, scope=Scope.REQUEST, provides=AccountTokenRepository)
    account_mail = provide(OutboxAccountMail, scope=Scope.REQUEST, provides=AccountMail)
    mfa = provide(SqlaMfaRepository, scope=Scope.REQUEST, provides=MfaRepository)
    use_cases = provide_all(OutboxRelay, AccountService, MfaService, scope=Scope.REQUEST)
    verification = alias(source=AccountService, provides=EmailVerification)


def mail_background(container: AsyncContainer, settings: MainSettings) -> Sequence[Background]:
    """Every replica relays (they share the rows); with a broker each also consumes the mail queue."""
    tasks: list[Background] = [RelayRunner(container, poll_seconds=settings.mail.relay_poll_seconds)]
    if settings.brokers.amqp_url:
        tasks.append(_Consumer(container, settings.brokers.amqp_url, settings.mail.queue))
    return tasks


class _Consumer:
    """The queue consumer needs the APP-scoped Mailer, resolved when the app starts."""

    def __init__(self, container: AsyncContainer, url: str, queue: str) -> None:
        self._container = container
        self._url = url
        self._queue = queue
        self._consumer: MailQueueConsumer | None = None

    async def start(self) -> None:
        self._consumer = MailQueueConsumer(self._url, await self._container.get(Mailer), queue=self._queue)
        await self._consumer.start()

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
