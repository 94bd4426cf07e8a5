"""dishka providers: keys, HTTP client to main_service, rate-limit storage (APP); use cases (REQUEST)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, alias, provide, provide_all
from limits.aio.storage import Storage

from auth_service.adapters.outbound.crypto.fernet import MfaSettings, load_secret_box
from auth_service.adapters.outbound.main_api.api_keys import HttpxApiKeyStore
from auth_service.adapters.outbound.main_api.client import MainApiClient
from auth_service.adapters.outbound.main_api.directory import HttpxSessionStore, HttpxUserDirectory
from auth_service.adapters.outbound.main_api.mfa import HttpxMfaStore
from auth_service.adapters.outbound.main_api.recovery import HttpxAccountRecovery
from auth_service.adapters.outbound.ratelimit.limits import (
    LimitsRateLimiter,
    RateLimitSettings,
    RedisSettings,
)
from auth_service.main.keys import load_key_ring
from auth_service.main.settings import AuthSettings
from auth_service.ports.api_keys import ApiKeyStore
from auth_service.ports.directory import SessionStore, UserDirectory
from auth_service.ports.mfa import MfaStore, SecretBox
from auth_service.ports.recovery import AccountRecovery
from auth_service.ports.security import PasswordHasher, RateLimiter
from auth_service.services.api_keys import ApiKeyService, ApiKeyTokens
from auth_service.services.challenges import MfaChallenges
from auth_service.services.introspection import IntrospectionService
from auth_service.services.login import LoginService
from auth_service.services.mfa import MfaService
from auth_service.services.passwords import PasswordService
from auth_service.services.recovery import RecoveryService
from auth_service.services.service_clients import OwnServiceToken, ServiceTokenService
from auth_service.services.sessions import ActiveAccountCheck, SessionService
from auth_service.services.tokens import KeyRing, TokenIssuer, TokenSettings
from qhitz_shared.http.observability import outgoing_client
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.passwords import Argon2PasswordHasher
from qhitz_shared.revocation.feed import RevocationFeed
from qhitz_shared.revocation.transports import ServiceTokens
from qhitz_shared.revocation.wiring import EventFedCheck
from qhitz_shared.service import Probes
from qhitz_shared.settings import AppSettings
from qhitz_shared.tokens import TokenVerifier


class AuthTokenCheck(EventFedCheck):
    """auth_service's PrincipalCheck: the event-fed deny state; until it is loaded (or while its stream is lost),
    ActiveAccountCheck's two calls to main_service per request."""

    fallback = ActiveAccountCheck


class AuthProvider(Provider):
    @provide(scope=Scope.APP)
    def key_ring(self, settings: AuthSettings, app: AppSettings) -> KeyRing:
        return load_key_ring(settings.signing_keys, app)

    @provide(scope=Scope.APP)
    def verifier(self, keys: KeyRing, settings: JwtSettings) -> TokenVerifier:
        """Used by the shared bearer middleware for auth_service's own endpoints: the local keys, no JWKS fetch."""
        return keys.verifier(settings.issuer, leeway_seconds=settings.leeway_seconds)

    @provide(scope=Scope.APP)
    def issuer(self, keys: KeyRing, jwt: JwtSettings, settings: TokenSettings, verifier: TokenVerifier) -> TokenIssuer:
        return TokenIssuer(
            keys.signer(jwt.issuer),
            verifier,
            settings,
            audience=jwt.audience,
            internal_audience=jwt.internal_audience,
        )

    @provide(scope=Scope.APP)
    def own_service_token(self, issuer: TokenIssuer, settings: AuthSettings) -> OwnServiceToken:
        return OwnServiceToken(issuer, settings.service_name)

    @provide(scope=Scope.APP)
    def service_tokens(self, issuer: TokenIssuer, settings: AuthSettings) -> ServiceTokenService:
        return ServiceTokenService(settings.clients(), issuer)

    @provide(scope=Scope.APP)
    async def main_http(self, settings: AuthSettings) -> AsyncIterator[httpx.AsyncClient]:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        async with outgoing_client(
            base_url=settings.main_url, timeout=settings.main_timeout_seconds, limits=limits
        ) as client:
            yield client

    @provide(scope=Scope.APP)
    def main_api(self, http: httpx.AsyncClient, token: OwnServiceToken) -> MainApiClient:
        return MainApiClient(http, token)

    @provide(scope=Scope.APP)
    def rate_limiter(self, storage: Storage, settings: RateLimitSettings) -> RateLimiter:
        return LimitsRateLimiter(storage, settings.rules(), key_prefix=settings.key_prefix)

    password_hasher = alias(source=Argon2PasswordHasher, provides=PasswordHasher)

    @provide(scope=Scope.APP)
    def probes(self, http: httpx.AsyncClient, storage: Storage, redis: RedisSettings) -> Probes:
        async def main_service() -> None:
            (await http.get("/health", timeout=2)).raise_for_status()

        async def rate_limits() -> None:
            if not await storage.check():
                raise ConnectionError("rate-limit storage does not answer")

        probes = Probes(main_service=main_service)
        if redis.url:
            probes["redis"] = rate_limits
        return probes

    revocation_tokens = alias(source=OwnServiceToken, provides=ServiceTokens)

    @provide(scope=Scope.APP)
    def directory(self, api: MainApiClient, revocations: RevocationFeed) -> UserDirectory:
        return HttpxUserDirectory(api, revocations)

    @provide(scope=Scope.APP)
    def sessions(self, api: MainApiClient, revocations: RevocationFeed) -> SessionStore:
        return HttpxSessionStore(api, revocations)

    @provide(scope=Scope.APP)
    def recovery(self, api: MainApiClient, revocations: RevocationFeed) -> AccountRecovery:
        return HttpxAccountRecovery(api, revocations)

    @provide(scope=Scope.APP)
    def mfa_store(self, api: MainApiClient) -> MfaStore:
        return HttpxMfaStore(api)

    @provide(scope=Scope.APP)
    def secret_box(self, settings: MfaSettings, app: AppSettings) -> SecretBox:
        return load_secret_box(settings.encryption_keys, app)

    @provide(scope=Scope.APP)
    def challenges(
        self, keys: KeyRing, jwt: JwtSettings, verifier: TokenVerifier, settings: MfaSettings
    ) -> MfaChallenges:
        return MfaChallenges(keys.signer(jwt.issuer), verifier, settings.challenge_ttl_seconds)

    @provide(scope=Scope.APP)
    def api_key_store(self, api: MainApiClient, revocations: RevocationFeed) -> ApiKeyStore:
        return HttpxApiKeyStore(api, revocations)

    @provide(scope=Scope.APP)
    def api_key_tokens(self, keys: KeyRing, jwt: JwtSettings, settings: TokenSettings) -> ApiKeyTokens:
        return ApiKeyTokens(keys.signer(jwt.issuer), jwt.audience, settings.access_ttl_seconds)

    use_cases = provide_all(
        LoginService,
        ApiKeyService,
        MfaService,
        RecoveryService,
        SessionService,
        PasswordService,
        IntrospectionService,
        ActiveAccountCheck,
        AuthTokenCheck,
        scope=Scope.REQUEST,
    )
