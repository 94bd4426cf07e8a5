"""Wiring for a service that verifies user tokens: the deny state, its feed, the guard and the /ready probe.

A service adds ``RevocationSubscriberProvider()`` to its ServiceSpec's providers (with a ``ServiceTokens`` for
main's internal route); the shared builder (qhitz_shared.service) starts the feed, adds the ``revocations``
probe to /ready and uses ``DenyListCheck`` unless the spec names another principal check."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import ClassVar

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


class EventFedCheck:
    """A PrincipalCheck with a fallback: the deny state while it is current, else the service's own lookup
    (``fallback``, a REQUEST-scoped PrincipalCheck type resolved only when needed). Subclass and set ``fallback``;
    provide the subclass at REQUEST scope."""

    fallback: ClassVar[type]

    def __init__(self, state: DenyState, container: AsyncContainer) -> None:
        self._state = state
        self._container = container

    def current(self) -> bool:
        return not self._state.catching_up

    async def check(self, principal: Principal) -> None:
        if principal.is_service:
            return
        if self.current():
            self._state.check(principal)
            return
        await (await self._container.get(self.fallback)).check(principal)


def make_stream(settings: RevocationSettings, source: RevocationSource, state: DenyState) -> RevocationStream:
    if settings.kind == "amqp":
        return AmqpRevocationStream(settings.amqp_url or "", settings.exchange)
    if settings.kind == "redis":
        return RedisRevocationStream(settings.redis_url or "", settings.channel)
    return PollingStream(source, state, settings.poll_seconds)


def revocation_probe(state: DenyState) -> Callable[[], Awaitable[None]]:
    """For Readiness: unavailable ("catching up") until the state is loaded and while the stream is lost; a
    probe made while it is about to become live waits for it (within Readiness' timeout)."""

    async def probe() -> None:
        # Readiness bounds the wait (2 s): a service that has just started is ready as soon as it has loaded
        await state.wait_live()

    return probe


class RevocationSubscriberProvider(Provider):
    """APP scope: the deny state and the feed that keeps it current from main_service (started on first get).

    ``wait_for_url``: the feed's first call waits until that URL answers 200 and the start does not wait for the
    state (auth_service passes its own JWKS URL: main verifies auth's service token against those keys, so asking
    main before they are served would fail; meanwhile auth's check falls back to its lookup)."""

    settings = from_context(RevocationSettings, scope=Scope.APP)

    def __init__(self, *, wait_for_url: str | None = None) -> None:
        super().__init__()
        self._wait_for_url = wait_for_url

    @provide(scope=Scope.APP)
    def state(self, settings: RevocationSettings) -> DenyState:
        return DenyState(settings.retention_seconds)

    @provide(scope=Scope.APP)
    def source(self, settings: RevocationSettings, http: httpx.AsyncClient, tokens: ServiceTokens) -> RevocationSource:
        return HttpRevocationSource(http, settings.main_url, tokens)

    @provide(scope=Scope.APP)
    async def feed(
        self, settings: RevocationSettings, state: DenyState, source: RevocationSource, http: httpx.AsyncClient
    ) -> AsyncIterator[RevocationFeed]:
        url = self._wait_for_url
        gate = None if url is None else lambda: _answers(http, url)
        feed = RevocationFeed(
            state,
            source,
            make_stream(settings, source, state),
            resync_seconds=settings.resync_seconds,
            gate=gate,
        )
        await feed.start(0 if gate else settings.load_timeout_seconds)
        yield feed
        await feed.stop()

    check = provide(DenyListCheck, scope=Scope.APP)


async def _answers(http: httpx.AsyncClient, url: str, interval: float = 0.05) -> None:
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if (await http.get(url, timeout=2)).status_code == 200:
                return
        await asyncio.sleep(interval)
