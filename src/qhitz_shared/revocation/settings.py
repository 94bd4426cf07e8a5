"""REVOCATION_*: how revocation events travel and how long the deny state keeps them."""

from __future__ import annotations

import os
from collections.abc import Mapping

import msgspec

from qhitz_shared.settings import from_env


class RevocationSettings(msgspec.Struct, frozen=True):
    """REVOCATION_*. transport ``auto`` picks RabbitMQ when amqp_url is set (default: AMQP_URL), else Redis when
    redis_url is set (default: REDIS_URL), else polling main_service's log every poll_seconds (make dev).
    exchange (RabbitMQ fanout) and channel (Redis) name the stream. resync_seconds: how often a subscriber also asks
    main's log, to cover an event published while it was not listening. retention_seconds must cover the longest
    access-token lifetime plus leeway (AUTH_ACCESS_TTL_SECONDS, 900, + 60). load_timeout_seconds: how long a
    starting service waits for the state before serving with /ready at 503. stale_seconds (main_service only):
    with no successful read of the log for that long, main falls back to one lookup per request."""

    transport: str = "auto"
    amqp_url: str = ""
    redis_url: str = ""
    exchange: str = "qhitz.revocations"
    channel: str = "qhitz:revocations"
    main_url: str = "http://127.0.0.1:3000"
    poll_seconds: float = 1.0
    resync_seconds: float = 30.0
    retention_seconds: float = 960.0
    load_timeout_seconds: float = 10.0
    stale_seconds: float = 5.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **defaults: object) -> RevocationSettings:
        env = os.environ if environ is None else environ
        shared = {"amqp_url": env.get("AMQP_URL", ""), "redis_url": env.get("REDIS_URL", "")}
        settings = from_env(cls, "REVOCATION_", env, **{**shared, **defaults})
        if settings.kind not in ("amqp", "redis", "poll"):
            raise SystemExit("REVOCATION_TRANSPORT is auto, amqp, redis or poll")
        return settings

    @property
    def kind(self) -> str:
        if self.transport != "auto":
            return self.transport
        return "amqp" if self.amqp_url else "redis" if self.redis_url else "poll"
