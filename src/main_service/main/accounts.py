"""Composition of accounts: the Mailer, the outbox relay's publisher, the account recovery and TOTP use cases, and
the background tasks (recorded mail requests; the relay; the mail queue's consumer when AMQP_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from dishka import AsyncContainer, Provider, Scope, alias, provide

from main_service.adapters.outbound.mail.account_mail import OutboxAccountMail
from main_service.adapters.outbound.persistence.account_tokens import SqlaAccountTokenRepository
from main_service.adapters.outbound.persistence.api_keys import SqlaApiKeyRepository
from main_service.adapters.outbound.persistence.mail_requests import SqlaMailRequestQueue
from main_service.adapters.outbound.persistence.mfa import SqlaMfaRepository
from main_service.adapters.outbound.persistence.outbox import SqlaOutboxStore
from main_service.main.settings import MainSettings
from main_service.ports.accounts import AccountMail, AccountTokenRepository, EmailVerification, MailRequestQueue
from main_service.ports.api_keys import ApiKeyRepository
from main_service.ports.mfa import MfaRepository
from main_service.services.accounts import AccountService
from main_service.services.api_keys import ApiKeyService
from main_service.services.mfa import MfaService
from qhitz_shared.background import BatchLoop
from qhitz_shared.mail.adapters import open_mailer
from qhitz_shared.mail.message import Mailer
from qhitz_shared.mail.queue import MailQueueConsumer, in_process_mail_publisher, rabbit_mail_publisher
from qhitz_shared.mail.settings import MailSettings
from qhitz_shared.outbox.events import EventPublisher, OutboxStore
from qhitz_shared.outbox.relay import OutboxRelay, RelayRunner
from qhitz_shared.providers import request_scoped
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
        rabbit = rabbit_mail_publisher(brokers.amqp_url, prefix=settings.amqp_prefix, app_id="main_service")
        yield rabbit
        await rabbit.close()

    verification = alias(source=AccountService, provides=EmailVerification)


def accounts_use_cases() -> Provider:
    """REQUEST scope: account recovery, TOTP state, API keys, and the outbox relay."""
    return request_scoped(
        AccountService,
        MfaService,
        ApiKeyService,
        OutboxRelay,
        ports={
            OutboxStore: SqlaOutboxStore,
            AccountTokenRepository: SqlaAccountTokenRepository,
            AccountMail: OutboxAccountMail,
            MailRequestQueue: SqlaMailRequestQueue,
            MfaRepository: SqlaMfaRepository,
            ApiKeyRepository: SqlaApiKeyRepository,
        },
    )


def mail_background(container: AsyncContainer, settings: MainSettings) -> Sequence[Background]:
    """Every replica handles recorded mail requests and relays (they share the rows); with a broker each also
    consumes the mail queue."""
    poll = settings.mail.relay_poll_seconds
    tasks: list[Background] = [
        MailRequestRunner(container, poll_seconds=poll),
        RelayRunner(container, poll_seconds=poll),
    ]
    if settings.brokers.amqp_url:
        tasks.append(_Consumer(container, settings.brokers.amqp_url, settings.mail.amqp_prefix))
    return tasks


class MailRequestRunner(BatchLoop):
    """Turns recorded requests for links (password reset, verification resend) into tokens and outbox mails."""

    task_name = "mail-requests"

    async def _batch(self, request: AsyncContainer, limit: int) -> int:
        return await (await request.get(AccountService)).handle_mail_requests(limit)


class _Consumer:
    """The queue consumer needs the APP-scoped Mailer, resolved when the app starts."""

    def __init__(self, container: AsyncContainer, url: str, prefix: str) -> None:
        self._container = container
        self._url = url
        self._prefix = prefix
        self._consumer: MailQueueConsumer | None = None

    async def start(self) -> None:
        self._consumer = MailQueueConsumer(self._url, await self._container.get(Mailer), prefix=self._prefix)
        await self._consumer.start()

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
