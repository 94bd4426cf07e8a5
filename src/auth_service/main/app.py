"""Composition root: create_http_app() builds auth_service from settings (and test overrides)."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import AsyncContainer, Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar

from auth_service.adapters.inbound.http.auth import AuthController
from auth_service.adapters.inbound.http.services import JwksController, ServiceTokenController
from auth_service.adapters.inbound.http.sessions import SessionsController
from auth_service.adapters.outbound.ratelimit.limits import RateLimitSettings, RedisSettings
from auth_service.domain.errors import UnsupportedGrantType
from auth_service.main.providers import AuthProvider, AuthTokenCheck
from auth_service.main.settings import AuthServiceSettings, AuthSettings
from auth_service.services.tokens import KeyRing, TokenSettings
from qhitz_shared.http.app import build_http_app
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.passwords import Argon2Settings
from qhitz_shared.revocation.settings import RevocationSettings
from qhitz_shared.revocation.wiring import RevocationSubscriberProvider, start_revocation_feed
from qhitz_shared.settings import AppSettings, HttpSettings

CONTROLLERS = [AuthController, SessionsController, ServiceTokenController, JwksController]

ERROR_STATUSES = {UnsupportedGrantType: 400}


def make_container(settings: AuthServiceSettings, *overrides: Provider) -> AsyncContainer:
    return make_async_container(
        AuthProvider(),
        RevocationSubscriberProvider(wait_for_url=settings.jwt.jwks_url),
        LitestarProvider(),
        *overrides,
        context={
            AppSettings: settings.app,
            HttpSettings: settings.http,
            JwtSettings: settings.jwt,
            AuthSettings: settings.auth,
            TokenSettings: settings.tokens,
            RateLimitSettings: settings.rate_limits,
            RedisSettings: settings.redis,
            Argon2Settings: settings.argon2,
            RevocationSettings: settings.revocation,
        },
    )


def create_http_app(settings: AuthServiceSettings | None = None, overrides: Sequence[Provider] = ()) -> Litestar:
    settings = settings or AuthServiceSettings.from_env()
    container = make_container(settings, *overrides)

    async def load_keys() -> None:
        await container.get(KeyRing)  # a missing or unreadable key fails the start, not the first request

    return build_http_app(
        service="auth_service",
        title="Qhitz auth_service",
        description="Registration, login, EdDSA access and refresh tokens, sessions, service tokens, public keys.",
        container=container,
        route_handlers=CONTROLLERS,
        http=settings.http,
        jwt=settings.jwt,
        error_statuses=ERROR_STATUSES,
        principal_check=AuthTokenCheck,
        on_startup=[load_keys, start_revocation_feed(container)],
    )
