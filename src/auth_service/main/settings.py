"""auth_service configuration, read once from the environment."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from auth_service.adapters.outbound.crypto.fernet import MfaSettings, load_secret_box
from auth_service.adapters.outbound.ratelimit.limits import RateLimitSettings, RedisSettings
from auth_service.services.tokens import TokenSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.service import ServiceSettings, app_settings, common_settings
from qhitz_shared.settings import from_env, refuse_weak_secret

DEFAULT_PORT = 3002


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
    auth: AuthSettings
    tokens: TokenSettings
    rate_limits: RateLimitSettings
    redis: RedisSettings
    argon2: Argon2Settings
    mfa: MfaSettings

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AuthServiceSettings:
        app = app_settings(environ)
        common = common_settings(app, environ, http_prefix="AUTH_HTTP_", port=DEFAULT_PORT)
        auth = from_env(AuthSettings, "AUTH_", environ)
        tokens = from_env(TokenSettings, "AUTH_", environ)
        retention = tokens.access_ttl_seconds + 60  # the deny state outlives every access token this service signs
        settings = cls(
            **common,
            auth=auth,
            tokens=tokens,
            rate_limits=from_env(RateLimitSettings, "AUTH_RATE_", environ),
            redis=from_env(RedisSettings, "REDIS_", environ),
            argon2=from_env(Argon2Settings, "ARGON2_", environ),
            mfa=from_env(MfaSettings, "AUTH_MFA_", environ),
            revocation=RevocationSettings.from_env(environ, main_url=auth.main_url, retention_seconds=retention),
        )
        for client_id, secret in settings.auth.clients().items():
            refuse_weak_secret(app, f"the secret of service client {client_id} (AUTH_SERVICE_CLIENTS)", secret)
        if settings.mfa.encryption_keys or app.env != "development":
            load_secret_box(settings.mfa.encryption_keys, app)  # a missing or weak key stops the start here
        try:
            settings.rate_limits.rules()
        except ValueError as exc:
            raise SystemExit(f"invalid AUTH_RATE_* limit: {exc}") from exc
        return settings
