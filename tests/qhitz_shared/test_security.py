"""The shared bearer middleware and guards, through a small app built by the shared app builder (no database):
what an anonymous caller, a user, a service and a forger each get back."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from dishka import Provider, Scope, make_async_container, provide
from litestar import get

from qhitz_shared.errors import TokenRevokedError
from qhitz_shared.http.api_keys import ApiKeyExchange
from qhitz_shared.http.app import build_http_app
from qhitz_shared.http.security import (
    Caller,
    JwtSettings,
    MaybeCaller,
    require_login,
    require_permission,
    require_service,
    require_service_named,
    require_user,
)
from qhitz_shared.principal import Principal
from qhitz_shared.settings import HttpSettings
from qhitz_shared.tokens import SigningKey, StaticKeySource, TokenVerifier
from tests.support.asgi import asgi_client, running
from tests.support.attacks import ATTACKS, Attack, AttackContext, assert_baseline, assert_refused

KEY = SigningKey.generate()
SETTINGS = JwtSettings(leeway_seconds=0, token_url="https://auth.example/api/v1/auth/token")
REVOKED_USER = str(uuid.uuid4())
USER_PATH, INTERNAL_PATH = "/api/v1/me", "/internal/v1/whoami"
LOGIN_PATH = "/api/v1/me/email"  # a route that changes how the account signs in


class RevokedSubjects:
    """The service's extra say (main_service asks its database): one subject's tokens are revoked."""

    async def check(self, principal: Principal) -> None:
        if principal.subject == REVOKED_USER:
            raise TokenRevokedError("The token has been revoked")


class FakeExchange:
    """ApiKeyExchange's role: hands out the next prepared access token of a key, and counts forgets."""

    def __init__(self) -> None:
        self.tokens: dict[str, list[str]] = {}
        self.exchanged: list[str] = []
        self.forgotten: list[str] = []
        self.client_ips: dict[str, str | None] = {}

    async def access_token(self, key: str, client_ip: str | None = None) -> str:
        self.exchanged.append(key)
        self.client_ips[key] = client_ip
        queue = self.tokens[key]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def forget(self, key: str) -> None:
        self.forgotten.append(key)


EXCHANGE = FakeExchange()


class Keys(Provider):
    @provide(scope=Scope.APP)
    def settings(self) -> JwtSettings:
        return SETTINGS

    @provide(scope=Scope.APP)
    def verifier(self, settings: JwtSettings) -> TokenVerifier:
        return TokenVerifier(StaticKeySource([KEY]), settings.issuer, leeway_seconds=settings.leeway_seconds)

    revoked = provide(RevokedSubjects, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def exchange(self) -> ApiKeyExchange:
        return EXCHANGE  # type: ignore[return-value]


def who(principal: Principal | None) -> dict[str, Any]:
    if principal is None:
        return {"subject": None}
    return {"subject": principal.subject, "service": principal.service, "permissions": sorted(principal.permissions)}


def route_handlers() -> list[Any]:
    """Built per test, not at import: the guard factories then run inside the test (as under a mutation run)."""

    @get(USER_PATH, guards=[require_user])
    async def me(principal: Caller) -> dict[str, Any]:
        return who(principal)

    @get("/api/v1/reports", guards=[require_permission("reports:read", "reports:export")])
    async def reports(principal: Caller) -> dict[str, Any]:
        return who(principal)

    @get("/api/v1/healthcare", guards=[require_user])
    async def healthcare(principal: Caller) -> dict[str, Any]:
        return who(principal)

    @get("/api/v1/maybe")
    async def maybe(maybe_principal: MaybeCaller) -> dict[str, Any]:
        return who(maybe_principal)

    @get("/api/v1/unguarded")
    async def unguarded(principal: Caller) -> dict[str, Any]:
        """No guard: the principal dependency itself must refuse an anonymous caller."""
        return who(principal)

    @get(LOGIN_PATH, guards=[require_login])
    async def account(principal: Caller) -> dict[str, Any]:
        return who(principal)

    @get(INTERNAL_PATH, guards=[require_service])
    async def internal(principal: Caller) -> dict[str, Any]:
        return who(principal)

    @get("/internal/v1/media-only", guards=[require_service_named("medias_service", "auth_service")])
    async def media_only(principal: Caller) -> dict[str, Any]:
        return who(principal)

    return [me, account, reports, healthcare, maybe, unguarded, internal, media_only]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = build_http_app(
        service="guarded",
        title="Guarded",
        description="The shared security, alone",
        container=make_async_container(Keys()),
        route_handlers=route_handlers(),
        http=HttpSettings(),
        jwt=SETTINGS,
        principal_check=RevokedSubjects,
    )
    async with running(app), asgi_client(app, "http://guarded") as http:
        yield http


def context(*perms: str, user_id: str | None = None) -> AttackContext:
    return AttackContext(key=KEY, settings=SETTINGS, user_id=user_id or str(uuid.uuid4()), perms=list(perms))


def bearer(token: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}


async def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    return body


async def test_untampered_tokens_are_accepted(client) -> None:
    await assert_baseline(client, context(), user_path=USER_PATH, internal_path=INTERNAL_PATH)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
async def test_attack_is_refused(client, attack: Attack) -> None:
    await assert_refused(client, attack, context(), user_path=USER_PATH, internal_path=INTERNAL_PATH)


async def test_a_user_token_shows_the_user(client) -> None:
    ctx = context("reports:read")
    response = await client.get(USER_PATH, headers=bearer(ctx.user_token()))
    assert response.json() == {"subject": ctx.user_id, "service": None, "permissions": ["reports:read"]}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        (USER_PATH, "A bearer token is required"),
        ("/api/v1/reports", "A bearer token is required"),
        (INTERNAL_PATH, "A service token is required"),
        ("/internal/v1/media-only", "A service token is required"),
    ],
)
async def test_no_token_is_not_authenticated(client, path: str, detail: str) -> None:
    body = await problem(await client.get(path), 401, "not_authenticated")
    assert body["detail"] == detail


async def test_the_principal_dependency_refuses_an_anonymous_caller_even_without_a_guard(client) -> None:
    body = await problem(await client.get("/api/v1/unguarded"), 401, "not_authenticated")
    assert body["detail"] == "A bearer token is required"
    ctx = context()
    assert (await client.get("/api/v1/unguarded", headers=bearer(ctx.user_token()))).json()["subject"] == ctx.user_id


async def test_an_optional_principal_is_none_without_a_token_and_the_caller_with_one(client) -> None:
    assert (await client.get("/api/v1/maybe")).json() == {"subject": None}
    ctx = context()
    assert (await client.get("/api/v1/maybe", headers=bearer(ctx.user_token()))).json()["subject"] == ctx.user_id
    await problem(await client.get("/api/v1/maybe", headers=bearer("garbage")), 401, "invalid_token")


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token abc", "bearertoken"],
)
async def test_an_authorization_header_of_another_form_is_refused(client, header: str) -> None:
    body = await problem(await client.get(USER_PATH, headers={"Authorization": header}), 401, "invalid_token")
    assert body["detail"] == "Expected an Authorization header of the form 'Bearer <token>'"


async def test_the_scheme_is_case_insensitive_and_spaces_around_the_token_are_ignored(client) -> None:
    ctx = context()
    for header in (f"bearer {ctx.user_token()}", f"BEARER {ctx.user_token()}", f"Bearer  {ctx.user_token()}  "):
        response = await client.get(USER_PATH, headers={"Authorization": header})
        assert response.status_code == 200, (header, response.text)


async def test_a_service_token_with_a_user_audience_is_refused(client) -> None:
    ctx = context()
    forged = ctx.sign(ctx.user_claims(svc="medias_service"))  # svc claim, but the user audience
    for path in (USER_PATH, INTERNAL_PATH):
        body = await problem(await client.get(path, headers=bearer(forged)), 401, "invalid_token")
        assert body["detail"] == "The token audience does not match its kind"


async def test_a_refresh_token_is_refused_as_such(client) -> None:
    ctx = context()
    body = await problem(
        await client.get(USER_PATH, headers=bearer(ctx.sign(ctx.user_claims(typ="refresh")))), 401, "invalid_token"
    )
    assert body["detail"] == "Only access tokens are accepted here"


async def test_the_services_own_check_runs_on_every_token(client) -> None:
    ctx = context(user_id=REVOKED_USER)
    await problem(await client.get(USER_PATH, headers=bearer(ctx.user_token())), 401, "token_revoked")
    await problem(await client.get("/api/v1/maybe", headers=bearer(ctx.user_token())), 401, "token_revoked")


async def test_every_listed_permission_is_required(client) -> None:
    for perms, missing in [((), ["reports:read", "reports:export"]), (("reports:read",), ["reports:export"])]:
        response = await client.get("/api/v1/reports", headers=bearer(context(*perms).user_token()))
        body = await problem(response, 403, "permission_denied")
        assert body["required"] == missing
        assert body["detail"] == f"Requires the permission {', '.join(missing)}"
    allowed = context("reports:read", "reports:export", "other")
    response = await client.get("/api/v1/reports", headers=bearer(allowed.user_token()))
    assert response.status_code == 200, response.text
    assert response.json()["subject"] == allowed.user_id


async def test_a_service_token_never_opens_a_user_endpoint(client) -> None:
    ctx = context()
    for path in (USER_PATH, "/api/v1/reports"):
        body = await problem(await client.get(path, headers=bearer(ctx.service_token())), 401, "invalid_token")
        assert body["detail"] == "A user token is required; service tokens are for internal endpoints"


async def test_internal_endpoints_take_service_tokens_only(client) -> None:
    ctx = context("reports:read")
    response = await client.get(INTERNAL_PATH, headers=bearer(ctx.service_token("medias_service")))
    assert response.json() == {"subject": "service:medias_service", "service": "medias_service", "permissions": []}
    body = await problem(await client.get(INTERNAL_PATH, headers=bearer(ctx.user_token())), 403, "permission_denied")
    assert body["detail"] == "Internal endpoints accept service tokens only"


async def test_a_named_internal_endpoint_takes_only_the_named_services(client) -> None:
    ctx = context()
    for name in ("medias_service", "auth_service"):
        response = await client.get("/internal/v1/media-only", headers=bearer(ctx.service_token(name)))
        assert response.json()["service"] == name
    response = await client.get("/internal/v1/media-only", headers=bearer(ctx.service_token("main_service")))
    body = await problem(response, 403, "permission_denied")
    assert body["detail"] == "The service 'main_service' may not call this endpoint"
    response = await client.get("/internal/v1/media-only", headers=bearer(ctx.user_token()))
    await problem(response, 403, "permission_denied")


async def test_open_paths_skip_authentication_but_lookalikes_do_not(client) -> None:
    assert (await client.get("/health", headers=bearer("garbage"))).status_code == 200
    await problem(await client.get("/api/v1/healthcare", headers=bearer("garbage")), 401, "invalid_token")
    await problem(await client.get("/api/v1/healthcare"), 401, "not_authenticated")


async def test_the_openapi_document_offers_bearer_tokens_and_the_password_flow(client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["OAuth2Password"]["type"] == "oauth2"
    # the OpenAPI OAuth Flow object requires scopes, even empty: without it the interactive page's login breaks
    assert schemes["OAuth2Password"]["flows"] == {"password": {"tokenUrl": SETTINGS.token_url, "scopes": {}}}
    assert {"BearerToken": []} in schema["security"] and {"OAuth2Password": []} in schema["security"]


async def test_the_openapi_document_lists_what_each_guard_refuses_with(client) -> None:
    """A client reads from the schema which problems an operation may answer (a user guard 401, a permission or
    service guard 401 and 403, nothing it never sends) and whether a token is required or optional ({})."""
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    statuses = {path: set(paths[path]["get"]["responses"]) - {"200", "503"} for path in paths}
    assert statuses[USER_PATH] == {"401"}
    assert statuses[LOGIN_PATH] == {"401", "403"}
    assert statuses["/api/v1/reports"] == {"401", "403"}
    assert statuses[INTERNAL_PATH] == {"401", "403"}
    assert statuses["/internal/v1/media-only"] == {"401", "403"}
    for path in (USER_PATH, "/api/v1/reports", INTERNAL_PATH, "/internal/v1/media-only"):
        assert {} not in paths[path]["get"].get("security", []), path
    assert {} in paths["/api/v1/maybe"]["get"]["security"]


async def test_an_api_key_is_exchanged_and_its_token_verified_like_any_other(client) -> None:
    user = context("reports:read")
    key = f"qhz_{uuid.uuid4().hex}"
    EXCHANGE.tokens[key] = [user.user_token()]
    answer = await client.get(USER_PATH, headers=bearer(key))
    assert answer.status_code == 200, answer.text
    assert answer.json()["subject"] == user.user_id
    assert EXCHANGE.exchanged.count(key) == 1 and key not in EXCHANGE.forgotten
    assert EXCHANGE.client_ips[key] == "127.0.0.1"  # the request's own address: what the exchange limit counts
    await problem(await client.get("/api/v1/reports", headers=bearer(key)), 403, "permission_denied")
    plain = user.user_token()
    assert (await client.get(USER_PATH, headers=bearer(plain))).status_code == 200
    assert plain not in EXCHANGE.exchanged  # a token that is no key never reaches the exchange


async def test_a_cached_token_refused_as_revoked_is_exchanged_again_once(client) -> None:
    revoked, fresh = context(user_id=REVOKED_USER), context()
    key = f"qhz_{uuid.uuid4().hex}"
    EXCHANGE.tokens[key] = [revoked.user_token(), fresh.user_token()]
    answer = await client.get(USER_PATH, headers=bearer(key))
    assert answer.status_code == 200, answer.text
    assert answer.json()["subject"] == fresh.user_id
    assert (EXCHANGE.exchanged.count(key), EXCHANGE.forgotten.count(key)) == (2, 1)

    stuck = f"qhz_{uuid.uuid4().hex}"
    EXCHANGE.tokens[stuck] = [revoked.user_token()]
    await problem(await client.get(USER_PATH, headers=bearer(stuck)), 401, "token_revoked")
    assert (EXCHANGE.exchanged.count(stuck), EXCHANGE.forgotten.count(stuck)) == (2, 1)  # once, not in a loop


async def test_a_login_route_refuses_an_api_keys_token_and_takes_a_logins(client) -> None:
    """require_login: a login's token passes; a token exchanged for an API key (amr api_key) is 403 whatever its
    scopes, though it opens a plain user route; anonymous callers and service tokens are refused as by
    require_user."""
    user = context("reports:read")
    assert (await client.get(LOGIN_PATH, headers=bearer(user.user_token()))).json()["subject"] == user.user_id
    other_method = user.sign({**user.user_claims(), "amr": ["pwd", "otp"]})
    assert (await client.get(LOGIN_PATH, headers=bearer(other_method))).status_code == 200
    key = f"qhz_{uuid.uuid4().hex}"
    EXCHANGE.tokens[key] = [user.sign({**user.user_claims(), "amr": ["api_key"]})]
    assert (await client.get(USER_PATH, headers=bearer(key))).status_code == 200
    refused = await problem(await client.get(LOGIN_PATH, headers=bearer(key)), 403, "api_key_not_allowed")
    assert refused["detail"] == "Sign in with the password for this; an API key cannot do it"
    await problem(await client.get(LOGIN_PATH), 401, "not_authenticated")
    service = bearer(user.service_token())
    assert (await client.get(LOGIN_PATH, headers=service)).status_code == 401
