"""ApiKeyExchange's cache with a stand-in for auth_service's exchange endpoint (unit: the e2e tests in
tests/auth_service/e2e/test_api_keys.py run it against the real one)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from dishka import Provider, Scope, make_async_container

from qhitz_shared.errors import DependencyUnavailableError
from qhitz_shared.http.api_keys import ApiKeyExchange, InvalidApiKey
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.providers import ApiKeyExchangeProvider
from qhitz_shared.service_tokens import ServiceTokens

URL = "http://auth.test/api/v1/auth/api-keys/exchange"


class Auth:
    def __init__(self, status: int = 200, expires_in: int = 900) -> None:
        self.calls: list[str] = []
        self.bodies: list[dict] = []
        self.authorizations: list[str | None] = []
        self.status = status
        self.expires_in = expires_in

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        key = body["api_key"]
        self.calls.append(key)
        self.bodies.append(body)
        self.authorizations.append(request.headers.get("authorization"))
        await asyncio.sleep(0.01)
        if self.status != 200:
            return httpx.Response(self.status, json={"code": "invalid_api_key", "detail": "revoked"})
        return httpx.Response(200, json={"access_token": f"token-{len(self.calls)}", "expires_in": self.expires_in})


def exchange_with(auth: Auth, **options) -> ApiKeyExchange:
    return ApiKeyExchange(httpx.AsyncClient(transport=httpx.MockTransport(auth)), URL, **options)


async def test_one_exchange_per_key_while_its_token_lives_even_for_concurrent_requests() -> None:
    auth = Auth()
    exchange = exchange_with(auth)
    tokens = await asyncio.gather(*(exchange.access_token("qhz_a") for _ in range(20)))
    assert set(tokens) == {"token-1"} and auth.calls == ["qhz_a"]
    assert await exchange.access_token("qhz_b") == "token-2"
    exchange.forget("qhz_a")
    assert await exchange.access_token("qhz_a") == "token-3"


async def test_a_token_about_to_expire_is_replaced_and_the_cache_is_bounded() -> None:
    auth = Auth(expires_in=5)  # under the 10 s margin: never reused
    exchange = exchange_with(auth, max_entries=2)
    assert [await exchange.access_token("qhz_a") for _ in range(2)] == ["token-1", "token-2"]
    auth.expires_in = 900
    for key in ("qhz_a", "qhz_b", "qhz_c"):
        await exchange.access_token(key)
    await exchange.access_token("qhz_a")  # pushed out by b and c
    assert auth.calls == ["qhz_a", "qhz_a", "qhz_a", "qhz_b", "qhz_c", "qhz_a"]


async def test_a_refused_key_is_401_and_an_unreachable_auth_service_503() -> None:
    with pytest.raises(InvalidApiKey):
        await exchange_with(Auth(status=401)).access_token("qhz_gone")

    async def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    unreachable = ApiKeyExchange(httpx.AsyncClient(transport=httpx.MockTransport(down)), URL)
    with pytest.raises(DependencyUnavailableError):
        await unreachable.access_token("qhz_a")
    with pytest.raises(DependencyUnavailableError):
        await exchange_with(Auth(status=500)).access_token("qhz_a")


class Tokens:
    """ServiceTokens: a fixed token (sync, like auth_service's own) or none to be had (auth_service down)."""

    def __init__(self, token: str | None) -> None:
        self._token = token

    def token(self) -> str:
        if self._token is None:
            raise DependencyUnavailableError("Could not obtain a service token from auth_service")
        return self._token

    def forget(self) -> None:
        pass


async def test_a_service_with_a_token_sends_it_and_the_clients_address() -> None:
    """The address goes only with the service token (auth_service ignores it otherwise), and only an IP literal
    (a test client's "testclient" host would be a 422 for every key)."""
    auth = Auth()
    exchange = exchange_with(auth, tokens=Tokens("svc-token"))
    await exchange.access_token("qhz_a", "203.0.113.7")
    await exchange.access_token("qhz_b", "testclient")
    await exchange.access_token("qhz_c")
    assert auth.bodies == [{"api_key": "qhz_a", "client_ip": "203.0.113.7"}, {"api_key": "qhz_b"}, {"api_key": "qhz_c"}]
    assert auth.authorizations == ["Bearer svc-token"] * 3

    plain = Auth()
    await exchange_with(plain).access_token("qhz_a", "203.0.113.7")
    assert (plain.bodies, plain.authorizations) == ([{"api_key": "qhz_a"}], [None])


async def test_without_a_service_token_now_the_key_is_still_exchanged_as_anyone() -> None:
    auth = Auth()
    assert await exchange_with(auth, tokens=Tokens(None)).access_token("qhz_a", "203.0.113.7") == "token-1"
    assert (auth.bodies, auth.authorizations) == ([{"api_key": "qhz_a"}], [None])


async def test_every_service_with_service_tokens_exchanges_with_them_and_one_without_does_not() -> None:
    """The shared provider picks the service's ServiceTokens when its container has them (main_service has none)."""
    tokens = Tokens("svc-token")
    settings = Provider(scope=Scope.APP)
    settings.provide(lambda: JwtSettings(), provides=JwtSettings)
    own = Provider(scope=Scope.APP)
    own.provide(lambda: tokens, provides=ServiceTokens)
    for providers, expected in (([settings], None), ([settings, own], tokens)):
        container = make_async_container(ApiKeyExchangeProvider(), *providers)
        try:
            assert (await container.get(ApiKeyExchange))._tokens is expected
        finally:
            await container.close()
