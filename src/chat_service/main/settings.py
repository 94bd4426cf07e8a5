"""chat_service configuration, read once from the environment."""

from __future__ import annotations

import msgspec

from chat_service.adapters.inbound.ws.socket import SocketSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.revocation.settings import SharedBrokers
from qhitz_shared.service import ServiceSettings
from qhitz_shared.service_tokens import ServiceClientSettings


class PlatformSettings(msgspec.Struct, frozen=True):
    """CHAT_*: where main_service (the user directory, asked with a service token) and medias_service (whether an
    item may be played) are."""

    main_url: str = "http://127.0.0.1:3000"
    medias_url: str = "http://127.0.0.1:3001"


class RealtimeSettings(msgspec.Struct, frozen=True):
    """CHAT_REALTIME_*: fan-out between replicas. redis_url: Redis pub/sub shared by the replicas (unset:
    REDIS_URL; empty: in-process, one replica only, as in make dev). channel_prefix: Redis channel names start
    with it. backlog: frames a slow socket may fall behind before it resyncs from the database."""

    redis_url: str | None = None
    channel_prefix: str = "qhitz:chat:"
    backlog: int = 1_000


class ChatSettings(ServiceSettings, frozen=True):
    """CHAT_*, SERVICE_* (its service client), REDIS_URL and the shared concerns."""

    db: DatabaseSettings
    service: ServiceClientSettings
    platform: PlatformSettings
    realtime: RealtimeSettings
    socket: SocketSettings
    brokers: SharedBrokers

    env_prefix = "CHAT_"
    default_port = 3004
    concerns = {"platform": "CHAT_"}

    def checked(self) -> ChatSettings:
        if self.realtime.redis_url is None:
            realtime = msgspec.structs.replace(self.realtime, redis_url=self.brokers.redis_url)
            return msgspec.structs.replace(self, realtime=realtime)
        return self
