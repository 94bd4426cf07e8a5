"""auth_service configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from auth_service.adapters.outbound.crypto.fernet import MfaSettings
from auth_service.adapters.outbound.ratelimit.limits import RateLimitSettings, RedisSettings
from auth_service.services.tokens import TokenSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.service import ServiceSettings
from qhitz_shared.settings import refuse_weak_secret


class AuthSettings(msgspec.Struct, frozen=True):
    """AUTH_*: keys, main_service, and the service clients allowed to obtain service tokens.

    signing_keys: PEM files of Ed25519 private keys, newest first (the first signs; all verify and are published).
    Empty in development: a key is generated under APP_DATA_DIR on first start. Production refuses to start.
    service_clients: "id:secret" pairs, comma-separated.
    """

    signing_keys: list[str] = msgspec.field(default_factory=list)
    main_url: str = "http://127.0.0.1:3000"
    main_timeout_seconds: float = 5.0
    service_clients: list[str] = msgspec.field(default_factory=list)
    service_name: str = "auth_service"

    def clients(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for entry in self.service_clients:
            client_id, sep, secret = entry.partition(":")
            if not sep or not client_id.strip() or not secret:
                raise SystemExit("AUTH_SERVICE_CLIENTS takes comma-separated id:secret pairs")
            pairs[client_id.strip()] = secret
        return pairs


class AuthServiceSettings(ServiceSettings, frozen=True):
    """AUTH_*, REDIS_*, ARGON2_* and the shared concerns (no database of its own)."""

    auth: AuthSettings
    tokens: TokenSettings
    rate_limits: RateLimitSettings
    redis: RedisSettings
    argon2: Argon2Settings
    mfa: MfaSettings

    env_prefix = "AUTH_"
    default_port = 3002
    concerns = {"auth": "AUTH_", "tokens": "AUTH_", "rate_limits": "AUTH_RATE_"}

    @classmethod
    def revocation_defaults(cls, fields: Mapping[str, Any]) -> dict[str, object]:
        # the deny state outlives every access token this service signs
        return {"main_url": fields["auth"].main_url, "retention_seconds": fields["tokens"].access_ttl_seconds + 60}

    def checked(self) -> AuthServiceSettings:
        for client_id, secret in self.auth.clients().items():
            refuse_weak_secret(self.app, f"the secret of service client {client_id} (AUTH_SERVICE_CLIENTS)", secret)
        try:
            self.rate_limits.rules()
        except ValueError as exc:
            raise SystemExit(f"invalid AUTH_RATE_* limit: {exc}") from exc
        return self
