"""dishka providers shared by services: token verification through the issuer's JWKS, passwords."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

import httpx
from dishka import Has, Provider, Scope, provide
from limits.aio.storage import Storage

from qhitz_shared.http.api_keys import ApiKeyExchange
from qhitz_shared.http.observability import outgoing_client
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.jwks import JwksKeySource
from qhitz_shared.password_policy import PasswordPolicy
from qhitz_shared.passwords import Argon2PasswordHasher, Argon2Settings
from qhitz_shared.ratelimit import RedisSettings, open_storage
from qhitz_shared.service_tokens import ServiceTokens
from qhitz_shared.tokens import CachingTokenVerifier, PublicKeySource, TokenVerifier


class JwksVerificationProvider(Provider):
    """APP scope: one outgoing HTTP client (request ids passed on), the cached JWKS and the token verifier."""

    @provide(scope=Scope.APP)
    async def http_client(self) -> AsyncIterator[httpx.AsyncClient]:
        async with outgoing_client(timeout=10) as client:
            yield client

    @provide(scope=Scope.APP)
    def public_keys(self, settings: JwtSettings, client: httpx.AsyncClient) -> PublicKeySource:
        return JwksKeySource(
            settings.jwks_url,
            client,
            cache_seconds=settings.jwks_cache_seconds,
            cooldown_seconds=settings.jwks_cooldown_seconds,
        )

    @provide(scope=Scope.APP)
    def verifier(self, settings: JwtSettings, keys: PublicKeySource) -> TokenVerifier:
        return CachingTokenVerifier(
            keys, settings.issuer, leeway_seconds=settings.leeway_seconds, max_entries=settings.verify_cache_entries
        )


class PasswordProvider(Provider):
    """APP scope: the argon2id hasher (ARGON2_*) and the password policy; a service aliases its own
    PasswordHasher port to ``Argon2PasswordHasher``."""

    @provide(scope=Scope.APP)
    def hasher(self, settings: Argon2Settings) -> Argon2PasswordHasher:
        return Argon2PasswordHasher(settings)

    @provide(scope=Scope.APP)
    def policy(self) -> PasswordPolicy:
        return PasswordPolicy()


def request_scoped(*use_cases: type, ports: Mapping[type, type] | None = None) -> Provider:
    """REQUEST scope: each port (a Protocol) bound to its adapter class, and the use cases, all built from their
    constructors' type hints (``request_scoped(PatientService, ports={PatientRepository: SqlaPatientRepository})``)."""
    provider = Provider(scope=Scope.REQUEST)
    for port, adapter in (ports or {}).items():
        provider.provide(adapter, provides=port)
    if use_cases:
        provider.provide_all(*use_cases)
    return provider


class ApiKeyExchangeProvider(Provider):
    """APP scope, in every service: API keys exchanged at JWT_API_KEY_EXCHANGE_URL, with a client of their own,
    and the service's ``ServiceTokens`` when it has them (so auth_service counts the service's clients, each by
    its address, not the service's one address; main_service has none)."""

    @provide(scope=Scope.APP)
    async def exchange(self, settings: JwtSettings) -> AsyncIterator[ApiKeyExchange]:
        async with outgoing_client(timeout=5) as client:
            yield ApiKeyExchange(client, settings.api_key_exchange_url, max_entries=settings.verify_cache_entries)

    @provide(scope=Scope.APP, when=Has(ServiceTokens))
    async def exchange_as_service(self, settings: JwtSettings, tokens: ServiceTokens) -> AsyncIterator[ApiKeyExchange]:
        async with outgoing_client(timeout=5) as client:
            yield ApiKeyExchange(
                client, settings.api_key_exchange_url, max_entries=settings.verify_cache_entries, tokens=tokens
            )


class RateStorageProvider(Provider):
    """APP scope: the storage attempt limits count in (the ``limits`` library): Redis at REDIS_URL, else memory
    (one process); closed with the container."""

    @provide(scope=Scope.APP)
    async def rate_storage(self, settings: RedisSettings) -> AsyncIterator[Storage]:
        async with open_storage(settings.url) as storage:
            yield storage
