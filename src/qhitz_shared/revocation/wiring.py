"""Wiring for a service that verifies user tokens: the deny state, its feed, the guard and the /ready probe.

A new service adds ``RevocationSubscriberProvider()`` to its container (with RevocationSettings in the context
and a ``ServiceTokens`` for main's internal route), passes ``principal_check=DenyListCheck`` and
``on_startup=[start_revocation_feed(container)]`` to build_http_app, and adds ``revocation_probe(state)`` to its
Readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
from dishka import AsyncContainer, Provider, Scope, from_context, provide

from qhitz_shared.principal import Principal
from qhitz_shared.revocation.feed import PollingStream, RevocationFeed, RevocationSource, RevocationStream
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.revocation.state import DenyState
from qhitz_shared.revocation.transports import (
    AmqpRevocationStream,
    HttpRevocationSource,
    RedisRevocationStream,
    ServiceTokens,
)


class DenyListCheck:
    """The PrincipalCheck of a service without the user database: the event-fed deny state, no I/O."""

    def __init__(self, state: DenyState) -> None:
        self._state = state

    async def check(self, principal: Principal) -> None:
        self._state.check(principal)


def make_stream(settings: RevocationSettings, source: RevocationSource, state: DenyState) -> RevocationStream:
    if settings.kind == "amqp":
        return AmqpRevocationStream(settings.amqp_url, settings.exchange)
    if settings.kind == "redis":
        return RedisRevocationStream(settings.redis_url, settings.channel)
    return PollingStream(source, state, settings.poll_seconds)


def revocation_probe(state: DenyState) -> Callable[[], Awaitable[None]]:
    """For Readiness: unavailable ("catching up") until the state is loaded and while the stream is lost."""

    async def probe() -> None:
        if state.catching_up:
            raise RuntimeError("catching up on revocation events")

    return probe


def start_revocation_feed(container: AsyncContainer) -> Callable[[], Awaitable[None]]:
    async def start() -> None:
        await container.get(RevocationFeed)

    return start


class RevocationSubscriberProvider(Provider):
    """APP scope: the deny state and the feed that keeps it current from main_service (started on first get)."""

    settings = from_context(RevocationSettings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def state(self, settings: RevocationSettings) -> DenyState:
        return DenyState(settings.retention_seconds)

    @provide(scope=Scope.APP)
    def source(self, settings: RevocationSettings, http: httpx.AsyncClient, tokens: ServiceTokens) -> RevocationSource:
        return HttpRevocationSource(http, settings.main_url, tokens)

    @provide(scope=Scope.APP)
    async def feed(
        self, settings: RevocationSettings, state: DenyState, source: RevocationSource
    ) -> AsyncIterator[RevocationFeed]:
        feed = RevocationFeed(
            state, source, make_stream(settings, source, state), resync_seconds=settings.resync_seconds
        )
        await feed.start(settings.load_timeout_seconds)
        yield feed
        await feed.stop()

    check = provide(DenyListCheck, scope=Scope.APP)
