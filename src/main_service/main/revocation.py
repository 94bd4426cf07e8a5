"""main_service's side of revocation: its deny state fed from its own log, the broker publisher, the token check.

Triggers write the log in the same transaction as every change (migration 0003). This process reads the log
right after each of its own commits and every REVOCATION_POLL_SECONDS (changes made by other replicas or by hand),
applies it to its deny state and publishes the new events (RabbitMQ or Redis when configured; each replica
publishes what it reads, and subscribers apply duplicates harmlessly). On PostgreSQL it also LISTENs: the
triggers NOTIFY each event at commit, so a change made through another replica is applied here before that
replica has answered."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence

import structlog
from dishka import AsyncContainer, Provider, Scope, from_context, provide, provide_all
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from main_service.adapters.outbound.persistence.revocations import PgNotifyStream, SqlaRevocationLog, SqlaTokenStates
from main_service.ports.revocations import RevocationLog, TokenStates
from main_service.services.token_check import LookupTokenCheck
from qhitz_shared.db import DatabaseSettings, SqlaUnitOfWork
from qhitz_shared.ports import UnitOfWork
from qhitz_shared.revocation.events import RevocationEvent
from qhitz_shared.revocation.feed import PollingStream, RevocationFeed, RevocationStream
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.revocation.state import DenyState
from qhitz_shared.revocation.transports import AmqpRevocationPublisher, RedisRevocationPublisher
from qhitz_shared.revocation.wiring import EventFedCheck

log = structlog.get_logger(__name__)


class CommitThenCatchUp(SqlaUnitOfWork):
    """After a commit, read the log before answering: a change this request made (suspension, logout …) already
    refuses the token on the very next request here, and is on its way to the broker."""

    def __init__(self, session: AsyncSession, feed: RevocationFeed) -> None:
        super().__init__(session)
        self._feed = feed

    async def commit(self) -> None:
        await super().commit()
        committed = time.monotonic()
        try:
            await self._feed.catch_up(after=committed)
        except Exception as exc:  # committed is committed; the poll picks the events up
            log.warning("revocation_catch_up_after_commit_failed", error=repr(exc))


class EventFedTokenCheck(EventFedCheck):
    """main_service's PrincipalCheck: the deny state, no database round trip; while the state is stale (no read
    of the log for REVOCATION_STALE_SECONDS), LookupTokenCheck instead (status, version, session: one statement)."""

    fallback = LookupTokenCheck

    def __init__(self, state: DenyState, settings: RevocationSettings, container: AsyncContainer) -> None:
        super().__init__(state, container)
        self._stale = settings.stale_seconds

    def current(self) -> bool:
        return super().current() and time.monotonic() - self._state.synced_at <= self._stale


class MainRevocationProvider(Provider):
    settings = from_context(RevocationSettings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def state(self, settings: RevocationSettings) -> DenyState:
        return DenyState(settings.retention_seconds)

    @provide(scope=Scope.APP)
    def revocation_log(
        self, sessionmaker: async_sessionmaker[AsyncSession], settings: RevocationSettings
    ) -> RevocationLog:
        return SqlaRevocationLog(sessionmaker, settings.retention_seconds, settings.stream_name)

    @provide(scope=Scope.APP)
    async def feed(
        self, settings: RevocationSettings, database: DatabaseSettings, state: DenyState, source: RevocationLog
    ) -> AsyncIterator[RevocationFeed]:
        publisher: AmqpRevocationPublisher | RedisRevocationPublisher | None = None
        if settings.kind == "amqp":
            publisher = AmqpRevocationPublisher(settings.amqp_url or "", settings.exchange)
        elif settings.kind == "redis":
            publisher = RedisRevocationPublisher(settings.redis_url or "", settings.channel)

        async def publish(events: Sequence[RevocationEvent]) -> None:
            if publisher is not None:
                await publisher.publish(events)

        # On PostgreSQL, replicas hear each other's changes at commit (LISTEN/NOTIFY); each also reads the log
        # every poll_seconds (on SQLite that is the only way), which publishes what it finds.
        stream: RevocationStream = PollingStream(source, state, settings.poll_seconds)
        resync = settings.resync_seconds
        if make_url(database.url).get_backend_name() == "postgresql":
            stream, resync = PgNotifyStream(database.url, state), settings.poll_seconds
        feed = RevocationFeed(state, source, stream, resync_seconds=resync, listeners=[publish])
        await feed.start(settings.load_timeout_seconds)
        yield feed
        await feed.stop()
        if publisher is not None:
            await publisher.close()

    @provide(scope=Scope.REQUEST, provides=UnitOfWork)
    def unit_of_work(self, session: AsyncSession, feed: RevocationFeed) -> SqlaUnitOfWork:
        return CommitThenCatchUp(session, feed)

    token_states = provide(SqlaTokenStates, scope=Scope.REQUEST, provides=TokenStates)
    token_checks = provide_all(EventFedTokenCheck, LookupTokenCheck, scope=Scope.REQUEST)
