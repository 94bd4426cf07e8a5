"""dishka providers: APP-scoped clients and fan-out, REQUEST-scoped repositories and use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, alias, provide

from chat_service.adapters.inbound.ws.pings import PingBook
from chat_service.adapters.inbound.ws.socket import SocketSettings
from chat_service.adapters.outbound.broadcast.events import BroadcastGroupEvents
from chat_service.adapters.outbound.broadcast.memory import MemoryBroadcaster
from chat_service.adapters.outbound.broadcast.redis import RedisBroadcaster
from chat_service.adapters.outbound.persistence.groups import SqlaGroupRepository, SqlaMemberRepository
from chat_service.adapters.outbound.persistence.messages import SqlaMessageRepository, SqlaPlaybackRepository
from chat_service.adapters.outbound.platform.directory import HttpUserDirectory
from chat_service.adapters.outbound.platform.medias import HttpMediaCatalog
from chat_service.main.settings import PlatformSettings, RealtimeSettings
from chat_service.ports.broadcast import Broadcaster
from chat_service.ports.events import GroupEvents
from chat_service.ports.platform import MediaCatalog, UserDirectory
from chat_service.ports.repositories import GroupRepository, MemberRepository, MessageRepository, PlaybackRepository
from chat_service.services.groups import GroupService
from chat_service.services.members import MemberService
from chat_service.services.messages import MessageService
from chat_service.services.playback import PlaybackService
from qhitz_shared.providers import request_scoped
from qhitz_shared.revocation.transports import ServiceTokens
from qhitz_shared.service import Probes
from qhitz_shared.service_tokens import ServiceClientSettings, ServiceTokenClient

FanOut = MemoryBroadcaster | RedisBroadcaster


class ChatProvider(Provider):
    @provide(scope=Scope.APP)
    def service_tokens(self, settings: ServiceClientSettings, client: httpx.AsyncClient) -> ServiceTokens:
        return ServiceTokenClient(settings, client)

    @provide(scope=Scope.APP)
    def directory(self, settings: PlatformSettings, client: httpx.AsyncClient, tokens: ServiceTokens) -> UserDirectory:
        return HttpUserDirectory(settings.main_url, client, tokens)

    @provide(scope=Scope.APP)
    def catalog(self, settings: PlatformSettings, client: httpx.AsyncClient) -> MediaCatalog:
        return HttpMediaCatalog(settings.medias_url, client)

    @provide(scope=Scope.APP)
    async def fan_out(self, settings: RealtimeSettings) -> AsyncIterator[FanOut]:
        """Redis pub/sub when a URL is set, else in-process; started here, stopped when the container closes."""
        broadcaster: FanOut = (
            RedisBroadcaster(settings.redis_url, prefix=settings.channel_prefix, backlog=settings.backlog)
            if settings.redis_url
            else MemoryBroadcaster(settings.backlog)
        )
        await broadcaster.start()
        yield broadcaster
        await broadcaster.stop()

    broadcaster = alias(source=FanOut, provides=Broadcaster)

    @provide(scope=Scope.APP)
    def events(self, broadcaster: Broadcaster) -> GroupEvents:
        return BroadcastGroupEvents(broadcaster)

    @provide(scope=Scope.APP)
    def pings(self, settings: SocketSettings) -> PingBook:
        return PingBook(settings.ping_window_seconds)

    @provide(scope=Scope.APP)
    def probes(self, fan_out: FanOut) -> Probes:
        return Probes(broadcast=fan_out.ping)


def chat_use_cases() -> Provider:
    """REQUEST scope: the repositories and chat_service's use cases."""
    return request_scoped(
        GroupService,
        MemberService,
        MessageService,
        PlaybackService,
        ports={
            GroupRepository: SqlaGroupRepository,
            MemberRepository: SqlaMemberRepository,
            MessageRepository: SqlaMessageRepository,
            PlaybackRepository: SqlaPlaybackRepository,
        },
    )
