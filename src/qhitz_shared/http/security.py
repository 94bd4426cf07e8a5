"""Bearer-token authentication (local JWKS verification) and permission guards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityRequirement, SecurityScheme

from qhitz_shared.api_keys import API_KEY_PREFIX
from qhitz_shared.errors import (
    ApiKeyNotAllowed,
    AuthenticationError,
    InvalidTokenError,
    PermissionDeniedError,
    TokenRevokedError,
)
from qhitz_shared.http.api_keys import ApiKeyExchange
from qhitz_shared.http.openapi import answers
from qhitz_shared.principal import Principal
from qhitz_shared.tokens import TokenVerifier

# Guards are coroutines: Litestar runs a plain function guard in a worker thread (a thread hop per guard per
# request, about a fifth of a hot read's CPU), and these only read the scope.
Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


class JwtSettings(msgspec.Struct, frozen=True):
    """JWT_*: who issues tokens, for whom, and where the public keys are published.

    verify_cache_entries: how many verified tokens main_service and medias_service remember (each until its exp),
    so a token seen again costs no signature check; 0 turns the cache off. api_key_exchange_url: where a service
    exchanges an API key (Bearer qhz_…) for an access token (qhitz_shared.http.api_keys)."""

    issuer: str = "qhitz-auth"
    audience: str = "qhitz-api"
    internal_audience: str = "main-internal"
    jwks_url: str = "http://127.0.0.1:3002/.well-known/jwks.json"
    token_url: str = "http://127.0.0.1:3002/api/v1/auth/token"
    jwks_cache_seconds: int = 300
    jwks_cooldown_seconds: int = 30
    leeway_seconds: int = 5
    verify_cache_entries: int = 10_000
    api_key_exchange_url: str = "http://127.0.0.1:3002/api/v1/auth/api-keys/exchange"


class PrincipalCheck(Protocol):
    """A service's extra say on a verified principal (main_service compares token_version and status)."""

    async def check(self, principal: Principal) -> None: ...


# Handler parameter types: the name of the parameter picks the dependency ("principal" / "maybe_principal").
Caller = NamedDependency[Principal]
MaybeCaller = NamedDependency[Principal | None]

# Anchored: Litestar searches these patterns anywhere in the path, so "/health" alone would also skip
# authentication for /api/v1/users/{id}/roles/healthcare.
UNAUTHENTICATED_PATHS = [r"^/health$", r"^/ready$", r"^/metrics$", r"^/schema(?:/|$)", r"^/\.well-known/"]


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """Verifies ``Authorization: Bearer`` locally. No header leaves the caller anonymous; guards decide."""

    _app_scoped: tuple[TokenVerifier, JwtSettings] | None = None

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization")
        if not header:
            return AuthenticationResult(user=None, auth=None)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidTokenError("Expected an Authorization header of the form 'Bearer <token>'")
        # the request's own container (set by setup_dishka), so a check can use request-scoped repositories
        container = connection.state.dishka_container
        if self._app_scoped is None:  # APP-scoped, the same for every request: resolved once, not per request
            self._app_scoped = (await container.get(TokenVerifier), await container.get(JwtSettings))
        token = token.strip()
        if not token.startswith(API_KEY_PREFIX):
            return await self._authenticate(connection, container, token)
        # an API key: the access token it was exchanged for (once, at auth_service), cached; a cached one made
        # before a revocation (logout everywhere, a new password, the key revoked) is exchanged again, once
        exchange = await container.get(ApiKeyExchange)
        client_ip = connection.client.host if connection.client else None  # counted by the exchange's rate limit
        try:
            return await self._authenticate(connection, container, await exchange.access_token(token, client_ip))
        except TokenRevokedError:
            exchange.forget(token)
            return await self._authenticate(connection, container, await exchange.access_token(token, client_ip))

    async def _authenticate(
        self, connection: ASGIConnection[Any, Any, Any, Any], container: Any, token: str
    ) -> AuthenticationResult:
        assert self._app_scoped is not None
        verifier, settings = self._app_scoped
        claims = await verifier.verify(token, [settings.audience, settings.internal_audience])
        if claims.typ != "access":
            raise InvalidTokenError("Only access tokens are accepted here")
        principal = Principal.from_claims(claims)
        if principal.is_service != (settings.internal_audience in claims.audiences):
            raise InvalidTokenError("The token audience does not match its kind")
        check = connection.app.state.get("principal_check")
        if check is not None:
            await (await container.get(check)).check(principal)
        return AuthenticationResult(user=principal, auth=claims)


def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    return connection.scope.get("user")


async def require_user(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    principal = current_principal(connection)
    if principal is None:
        raise AuthenticationError("A bearer token is required")
    if principal.is_service:
        raise InvalidTokenError("A user token is required; service tokens are for internal endpoints")


async def require_login(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """A user signed in by a login: what changes how the account signs in (email, password, second factor,
    sessions, API keys) refuses a token exchanged for an API key, whatever its scopes (403 api_key_not_allowed)."""
    await require_user(connection, handler)
    principal = current_principal(connection)
    if principal is not None and principal.via_api_key:
        raise ApiKeyNotAllowed("Sign in with the password for this; an API key cannot do it")


# The guards are marked by a call, not by decorator syntax: mutmut leaves decorated functions alone, and these
# are the code `make mutation` exists for.
answers(401)(require_user)
answers(401, 403)(require_login)


def require_permission(*permissions: str) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        await require_user(connection, handler)
        principal = current_principal(connection)
        assert principal is not None
        missing = [name for name in permissions if not principal.has(name)]
        if missing:
            raise PermissionDeniedError(f"Requires the permission {', '.join(missing)}", required=missing)

    return answers(401, 403)(guard)


async def require_service(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    principal = current_principal(connection)
    if principal is None:
        raise AuthenticationError("A service token is required")
    if not principal.is_service:
        raise PermissionDeniedError("Internal endpoints accept service tokens only")


answers(401, 403)(require_service)


def require_service_named(*names: str) -> Guard:
    """A service token from one of ``names`` (its ``svc`` claim, the client id at auth_service); others get 403."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        await require_service(connection, handler)
        principal = current_principal(connection)
        assert principal is not None
        if principal.service not in names:
            raise PermissionDeniedError(f"The service {principal.service!r} may not call this endpoint")

    return answers(401, 403)(guard)


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal = current_principal(request)
    if principal is None:  # guards run first; this is a wiring mistake, not a client error
        raise AuthenticationError("A bearer token is required")
    return principal


async def provide_optional_principal(request: Request[Any, Any, Any]) -> Principal | None:
    return current_principal(request)


def openapi_security(settings: JwtSettings) -> tuple[Components, list[SecurityRequirement]]:
    """Bearer tokens, plus the OAuth2 password flow so the interactive page's Authorize button logs in."""
    components = Components(
        security_schemes={
            "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
            "OAuth2Password": SecurityScheme(
                type="oauth2", flows=OAuthFlows(password=OAuthFlow(token_url=settings.token_url, scopes={}))
            ),
        }
    )
    return components, [{"BearerToken": []}, {"OAuth2Password": []}]
