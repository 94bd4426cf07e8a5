"""REVOCATION_*: how revocation events travel and how long the deny state keeps them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import msgspec

from qhitz_shared.settings import from_env


class SharedBrokers(msgspec.Struct, frozen=True):
    """AMQP_URL / REDIS_URL: RabbitMQ (media jobs, revocations) and Redis (auth rate limits, else revocations)."""

    env_prefix: ClassVar[str] = ""

    amqp_url: str = ""
    redis_url: str = ""


class RevocationSettings(msgspec.Struct, frozen=True):
    """REVOCATION_*: how revocation events reach every token verifier, and how long their deny state lasts.

    transport ``auto`` takes RabbitMQ (a fanout exchange named ``exchange``) when AMQP_URL is set, else Redis
    pub/sub (``channel``) when REDIS_URL is set, else polls main_service's log every poll_seconds (make dev).
    main_url: where main_service's internal catch-up route is (auth_service and medias_service default to their
    own main URL setting). resync_seconds: how often a subscriber also asks main's log, covering an event
    published while it was not listening. retention_seconds must cover the longest access-token lifetime plus
    leeway (auth_service: AUTH_ACCESS_TTL_SECONDS + 60). load_timeout_seconds: how long a starting service waits
    for the state before serving anyway with /ready at 503. stale_seconds (main_service): with no successful read
    of its log for that long, main falls back to looking the token's user and session up per request.
    amqp_url / redis_url: unset, AMQP_URL / REDIS_URL."""

    transport: str = "auto"
    exchange: str = "qhitz.revocations"
    channel: str = "qhitz:revocations"
    main_url: str = "http://127.0.0.1:3000"
    poll_seconds: float = 1.0
    resync_seconds: float = 30.0
    retention_seconds: float = 960.0
    load_timeout_seconds: float = 10.0
    stale_seconds: float = 5.0
    amqp_url: str | None = None
    redis_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **defaults: object) -> RevocationSettings:
        brokers = from_env(SharedBrokers, "", environ)
        settings = from_env(cls, "REVOCATION_", environ, **defaults)
        settings = msgspec.structs.replace(
            settings,
            amqp_url=brokers.amqp_url if settings.amqp_url is None else settings.amqp_url,
            redis_url=brokers.redis_url if settings.redis_url is None else settings.redis_url,
        )
        if settings.kind not in ("amqp", "redis", "poll"):
            raise SystemExit("REVOCATION_TRANSPORT is auto, amqp, redis or poll")
        return settings

    @property
    def kind(self) -> str:
        if self.transport != "auto":
            return self.transport
        return "amqp" if self.amqp_url else "redis" if self.redis_url else "poll"

    @property
    def stream_name(self) -> str:
        """Where events travel, as main's catch-up route reports it and subscribers compare it."""
        return {"amqp": f"amqp:{self.exchange}", "redis": f"redis:{self.channel}"}.get(self.kind, "poll")
