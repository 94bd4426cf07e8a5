"""Per-IP and per-account limits trigger (429 with Retry-After) and release, with their state in real Redis.

Tiny windows through settings; client addresses vary through X-Forwarded-For (the test servers trust loopback
as a proxy, as production trusts its own proxies through FORWARDED_ALLOW_IPS).
"""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pyotp
import pytest

from qhitz_shared.errors import RateLimitedError
from qhitz_shared.http.api_keys import ApiKeyExchange, InvalidApiKey
from qhitz_shared.service_tokens import ServiceClientSettings, ServiceTokenClient
from tests.support.platform import bearer, run_platform

STRICT = {
    "AUTH_RATE_LOGIN_IP": "3 per 2 seconds",
    "AUTH_RATE_LOGIN_ACCOUNT_IP": "2 per 2 seconds",
    "AUTH_RATE_LOGIN_ACCOUNT": "4 per 2 seconds",
    "AUTH_RATE_REGISTER_IP": "2 per 2 seconds",
    "AUTH_RATE_REGISTER_ACCOUNT": "100/minute",
    "AUTH_RATE_REFRESH_IP": "100/minute",
    "AUTH_RATE_REFRESH_ACCOUNT": "2 per 2 seconds",
    "AUTH_RATE_PASSWORD_IP": "100/minute",
    "AUTH_RATE_PASSWORD_ACCOUNT": "1 per 2 seconds",
    "AUTH_RATE_RESET_ADDRESS": "2 per 2 seconds",
    "AUTH_RATE_MFA_ACCOUNT": "3 per 2 seconds",
    "AUTH_RATE_API_KEY_EXCHANGE_IP": "3/minute",
}


@pytest.fixture(scope="module")
def strict_platform(main_db_url, tmp_path_factory):
    with run_platform(main_db_url, tmp_path_factory.mktemp("strict"), auth_env=STRICT) as running:
        yield running


@pytest.fixture
async def auth(strict_platform):
    async with httpx.AsyncClient(base_url=strict_platform.auth_url, timeout=10) as client:
        yield client


def unique_ip() -> dict[str, str]:
    return {"X-Forwarded-For": f"2001:db8::{uuid.uuid4().hex[:4]}"}


async def wait_for(response: httpx.Response) -> None:
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 2
    await asyncio.sleep(retry_after + 0.1)


async def test_login_per_ip_triggers_and_releases(auth) -> None:
    ip = unique_ip()
    answers = [
        await auth.post(
            "/api/v1/auth/login", json={"email": f"{uuid.uuid4().hex}@example.com", "password": "x" * 8}, headers=ip
        )
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    limited = answers[-1]
    assert limited.json()["code"] == "rate_limited"
    assert limited.headers["content-type"].startswith("application/problem+json")
    other_ip = await auth.post(
        "/api/v1/auth/login",
        json={"email": f"{uuid.uuid4().hex}@example.com", "password": "x" * 8},
        headers=unique_ip(),
    )
    assert other_ip.status_code == 401  # the limit is per address
    await wait_for(limited)
    released = await auth.post(
        "/api/v1/auth/login", json={"email": f"{uuid.uuid4().hex}@example.com", "password": "x" * 8}, headers=ip
    )
    assert released.status_code == 401


async def register_account(auth) -> tuple[dict[str, str], str, str]:
    suffix = uuid.uuid4().hex[:10]
    password = "Velvet-Orbit-Canyon-42"
    created = await auth.post(
        "/api/v1/auth/register",
        json={"email": f"r{suffix}@example.com", "username": f"r{suffix}", "password": password},
        headers=unique_ip(),
    )
    assert created.status_code == 201, created.text
    return {"username": f"r{suffix}"}, f"r{suffix}@example.com", password


async def test_a_guesser_elsewhere_cannot_lock_the_owner_out(auth) -> None:
    """Five wrong passwords from anywhere locked the owner out for a minute (429 even with the right password)."""
    login, _, password = await register_account(auth)
    guesser, owner = unique_ip(), unique_ip()
    guesses = [
        await auth.post("/api/v1/auth/login", json={**login, "password": "wrong-password"}, headers=guesser)
        for _ in range(6)
    ]
    assert [g.status_code for g in guesses] == [401, 401, 429, 429, 429, 429]  # per account and address
    ok = await auth.post("/api/v1/auth/login", json={**login, "password": password}, headers=owner)
    assert ok.status_code == 200, ok.text  # the refused guesses never spent the account's ceiling


async def test_login_per_account_counts_attempts_from_every_address_then_releases(auth) -> None:
    login, email, password = await register_account(auth)
    ok = await auth.post("/api/v1/auth/login", json={**login, "password": password}, headers=unique_ip())
    assert ok.status_code == 200  # every attempt counts, before the password is checked
    for _ in range(3):
        fail = await auth.post(
            "/api/v1/auth/login", json={"email": email, "password": "wrong-password"}, headers=unique_ip()
        )
        assert fail.status_code == 401  # by email: the same account's budget
    locked = await auth.post("/api/v1/auth/login", json={**login, "password": password}, headers=unique_ip())
    assert locked.status_code == 429  # guesses from many addresses: even the right password waits
    await wait_for(locked)
    again = await auth.post("/api/v1/auth/login", json={**login, "password": password}, headers=unique_ip())
    assert again.status_code == 200


async def test_register_per_ip(auth) -> None:
    ip = unique_ip()

    async def attempt() -> httpx.Response:
        suffix = uuid.uuid4().hex[:10]
        body = {"email": f"g{suffix}@example.com", "username": f"g{suffix}", "password": "Velvet-Orbit-Canyon-42"}
        return await auth.post("/api/v1/auth/register", json=body, headers=ip)

    answers = [await attempt() for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    await wait_for(answers[-1])
    assert (await attempt()).status_code == 201


async def test_refresh_and_change_password_per_account(auth) -> None:
    suffix = uuid.uuid4().hex[:10]
    password = "Velvet-Orbit-Canyon-42"
    created = await auth.post(
        "/api/v1/auth/register",
        json={"email": f"f{suffix}@example.com", "username": f"f{suffix}", "password": password},
        headers=unique_ip(),
    )
    pair = created.json()
    statuses = []
    for _ in range(3):
        response = await auth.post(
            "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}, headers=unique_ip()
        )
        statuses.append(response.status_code)
        if response.status_code == 200:
            pair = response.json()
    assert statuses == [200, 200, 429]
    await wait_for(response)
    assert (
        await auth.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}, headers=unique_ip())
    ).status_code == 200

    wrong = {"current_password": "not-the-password", "new_password": "Quartz-Lantern-Meadow-77"}
    first = await auth.post(
        "/api/v1/auth/change-password", json=wrong, headers={**bearer(pair["access_token"]), **unique_ip()}
    )
    second = await auth.post(
        "/api/v1/auth/change-password", json=wrong, headers={**bearer(pair["access_token"]), **unique_ip()}
    )
    assert (first.status_code, second.status_code) == (422, 429)
    assert json.loads(second.text)["code"] == "rate_limited"


async def test_registration_switched_off_answers_403(main_db_url, tmp_path) -> None:
    features = tmp_path / "features.json"
    features.write_text(json.dumps({"features": {"user-registration": {"defaultValue": False}}}))
    with run_platform(main_db_url, tmp_path / "data", main_env={"GROWTHBOOK_FEATURES_FILE": str(features)}) as platform:
        async with httpx.AsyncClient(base_url=platform.auth_url) as auth:
            suffix = uuid.uuid4().hex[:10]
            response = await auth.post(
                "/api/v1/auth/register",
                json={
                    "email": f"o{suffix}@example.com",
                    "username": f"o{suffix}",
                    "password": "Velvet-Orbit-Canyon-42",
                },
            )
    assert response.status_code == 403
    assert response.json()["code"] == "registration_disabled"


async def test_password_reset_requests_are_limited_per_address_alike_for_unknown_ones(auth) -> None:
    account = await register_with(auth)
    for address in (account["email"], f"nobody-{uuid.uuid4().hex[:8]}@example.com"):
        answers = [
            await auth.post("/api/v1/auth/password-reset", json={"email": address}, headers=unique_ip())
            for _ in range(3)
        ]
        assert [a.status_code for a in answers] == [202, 202, 429]  # the limit says nothing about the account
        await wait_for(answers[-1])
        assert (await auth.post("/api/v1/auth/password-reset", json={"email": address})).status_code == 202


async def test_second_factor_attempts_are_limited_per_account(auth) -> None:
    account = await register_with(auth)
    setup = await auth.post("/api/v1/auth/mfa/totp/setup", headers=bearer(account["access_token"]))
    totp = pyotp.TOTP(setup.json()["secret"])
    confirmed = await auth.post(
        "/api/v1/auth/mfa/totp/confirm", json={"code": totp.now()}, headers=bearer(account["access_token"])
    )
    assert confirmed.status_code == 200  # one attempt of the account's three
    login = await auth.post("/api/v1/auth/login", json={"email": account["email"], "password": account["password"]})
    challenge = login.json()["challenge"]
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    answers = [
        await auth.post("/api/v1/auth/mfa/verify", json={"challenge": challenge, "code": wrong}, headers=unique_ip())
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [422, 422, 429]  # from any address: the budget is the account's
    await wait_for(answers[-1])


async def register_with(auth) -> dict:
    suffix = uuid.uuid4().hex[:10]
    body = {"email": f"m{suffix}@example.com", "username": f"m{suffix}", "password": "Velvet-Orbit-Canyon-42"}
    created = await auth.post("/api/v1/auth/register", json=body, headers=unique_ip())
    assert created.status_code == 201, created.text
    return {**body, **created.json()}


def unknown_key() -> str:
    return f"qhz_{uuid.uuid4().hex}{uuid.uuid4().hex[:11]}"


async def api_key_of(auth) -> str:
    account = await register_with(auth)
    made = await auth.post(
        "/api/v1/auth/api-keys", json={"name": "script", "scopes": []}, headers=bearer(account["access_token"])
    )
    assert made.status_code == 201, made.text
    return made.json()["key"]


def exchange_as_medias(platform, http: httpx.AsyncClient) -> ApiKeyExchange:
    """What medias_service's middleware uses: the exchange with its own service token."""
    client_id, secret = platform.service_client
    settings = ServiceClientSettings(auth_url=platform.auth_url, client_id=client_id, client_secret=secret)
    return ApiKeyExchange(http, platform.jwt.api_key_exchange_url, tokens=ServiceTokenClient(settings, http))


async def test_a_client_spraying_unknown_keys_through_a_service_spends_its_own_allowance(strict_platform, auth) -> None:
    """One end client's spray through medias_service is counted against that client's address, not the
    service's: it is held back (429) while another client of the same service still exchanges its key."""
    key = await api_key_of(auth)
    sprayer, other = (f"2001:db8:a::{uuid.uuid4().hex[:4]}" for _ in range(2))
    async with httpx.AsyncClient(timeout=10) as http:
        medias = exchange_as_medias(strict_platform, http)
        for _ in range(3):
            with pytest.raises(InvalidApiKey):
                await medias.access_token(unknown_key(), sprayer)
        with pytest.raises(RateLimitedError):
            await medias.access_token(unknown_key(), sprayer)
        token = await medias.access_token(key, other)
    assert token.count(".") == 2  # a JWT: the other client's key was exchanged


async def test_only_a_service_token_makes_the_forwarded_address_count(strict_platform, auth) -> None:
    """A direct caller naming a client_ip, with no token, a user's token or a forged one, is counted by its own
    address, and the address it named keeps its whole allowance. client_ip must be an IP literal (422)."""
    account = await register_with(auth)
    caller, victim = unique_ip(), f"2001:db8:b::{uuid.uuid4().hex[:4]}"
    disguises = [{}, bearer(account["access_token"]), bearer("eyJhbGciOiJFZERTQSJ9.e30.c2ln")]

    async def direct(client_ip: str, authorization: dict[str, str]) -> int:
        body = {"api_key": unknown_key(), "client_ip": client_ip}
        return (
            await auth.post("/api/v1/auth/api-keys/exchange", json=body, headers={**caller, **authorization})
        ).status_code

    assert [await direct(victim, disguise) for disguise in disguises] == [401, 401, 401]
    assert await direct(f"2001:db8:c::{uuid.uuid4().hex[:4]}", {}) == 429  # another address named: still the caller's

    key = await api_key_of(auth)
    async with httpx.AsyncClient(timeout=10) as http:
        medias = exchange_as_medias(strict_platform, http)
        for _ in range(2):
            with pytest.raises(InvalidApiKey):
                await medias.access_token(unknown_key(), victim)
        assert await medias.access_token(key, victim)  # the third of the victim's three: none was spent before

    for bad in ("not-an-address", "203.0.113.7:80", "2001:db8::/64", "localhost"):
        answer = await auth.post(
            "/api/v1/auth/api-keys/exchange", json={"api_key": unknown_key(), "client_ip": bad}, headers=unique_ip()
        )
        assert (answer.status_code, answer.json()["code"]) == (422, "invalid_client_ip"), bad
        assert answer.headers["content-type"].startswith("application/problem+json")
