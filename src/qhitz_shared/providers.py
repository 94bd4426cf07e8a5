"""dishka providers that every service verifying tokens through the issuer's JWKS shares."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, provide

from qhitz_shared.http.observability import outgoing_client
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.jwks import JwksKeySource
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
