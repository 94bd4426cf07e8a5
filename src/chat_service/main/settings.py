"""chat_service configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from chat_service.adapters.inbound.ws.socket import SocketSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.revocation.settings import RevocationSettings, SharedBrokers
from qhitz_shared.service import ServiceSettings, app_settings, common_settings
from qhitz_shared.service_tokens import ServiceClientSettings
from qhitz_shared.settings import from_env, refuse_weak_secret

DEFAULT_PORT = 3004


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
    db: DatabaseSettings
    service: ServiceClientSettings
    platform: PlatformSettings
    realtime: RealtimeSettings
    socket: SocketSettings

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ChatSettings:
        app = app_settings(environ)
        platform = from_env(PlatformSettings, "CHAT_", environ)
        revocation = RevocationSettings.from_env(environ, main_url=platform.main_url)
        realtime = from_env(RealtimeSettings, "CHAT_REALTIME_", environ)
        if realtime.redis_url is None:
            realtime = msgspec.structs.replace(realtime, redis_url=from_env(SharedBrokers, "", environ).redis_url)
        settings = cls(
            **common_settings(
                app, environ, http_prefix="CHAT_HTTP_", port=DEFAULT_PORT, db_prefix="CHAT_DB_", sqlite_file="chat.db"
            ),
            service=from_env(ServiceClientSettings, "SERVICE_", environ, client_id="chat_service"),
            platform=platform,
            realtime=realtime,
            socket=from_env(SocketSettings, "CHAT_SOCKET_", environ),
            revocation=revocation,
        )
        refuse_weak_secret(app, "SERVICE_CLIENT_SECRET", settings.service.client_secret)
        return settings
