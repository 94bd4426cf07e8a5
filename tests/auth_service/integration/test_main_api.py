"""The HTTP adapters against a real main_service over HTTP: answers decoded, problem codes mapped to our errors."""

from __future__ import annotations

import uuid

import httpx
import msgspec
import pytest

from auth_service.adapters.outbound.main_api.client import MainApiClient
from auth_service.adapters.outbound.main_api.directory import HttpxSessionStore, HttpxUserDirectory
from auth_service.domain.accounts import AccountStatus, ClientInfo, RevokeReason
from auth_service.domain.errors import (
    AccountInactive,
    EmailTaken,
    InvalidUserData,
    RefreshTokenReused,
    SessionNotFound,
    UsernameTaken,
)
from auth_service.services.service_clients import OwnServiceToken
from auth_service.services.tokens import KeyRing, TokenIssuer, TokenSettings
from main_service.main.app import create_http_app
from main_service.main.settings import MainSettings
from qhitz_shared.errors import DependencyUnavailableError
from qhitz_shared.pagination import PageRequest
from tests.support.platform import CHEAP_ARGON2, TEST_MAIL
from tests.support.servers import serve_app


@pytest.fixture(scope="module")
def main_url(main_db_url, jwt_settings):
    settings = msgspec.structs.replace(
        MainSettings.from_env({"MAIN_DB_URL": main_db_url, **CHEAP_ARGON2, **TEST_MAIL}), jwt=jwt_settings
    )
    with serve_app(create_http_app(settings)) as url:
        yield url


def issuer_for(signing_key, jwt_settings) -> TokenIssuer:
    ring = KeyRing([signing_key])
    return TokenIssuer(
        ring.signer(jwt_settings.issuer),
        ring.verifier(jwt_settings.issuer, leeway_seconds=0),
        TokenSettings(),
        audience=jwt_settings.audience,
        internal_audience=jwt_settings.internal_audience,
    )


@pytest.fixture
async def adapters(main_url, signing_key, jwt_settings):
    async with httpx.AsyncClient(base_url=main_url, timeout=5) as http:
        api = MainApiClient(http, OwnServiceToken(issuer_for(signing_key, jwt_settings), "auth_service"))
        yield HttpxUserDirectory(api), HttpxSessionStore(api)


async def new_account(directory):
    suffix = uuid.uuid4().hex[:10]
    return await directory.create(
        email=f"i{suffix}@example.com",
        username=f"i{suffix}",
        password_hash="$argon2id$x",
        first_name=None,
        last_name=None,
    )


async def test_directory(adapters) -> None:
    directory, _ = adapters
    account = await new_account(directory)
    assert (account.status, account.roles, account.token_version) == (AccountStatus.ACTIVE, ["user"], 0)
    assert (await directory.find(account.email)).id == account.id
    assert (await directory.find(account.username)).id == account.id
    assert await directory.find("nobody-at-all") is None
    assert await directory.get(uuid.uuid4()) is None
    with pytest.raises(EmailTaken):
        await directory.create(
            email=account.email, username="fresh-name", password_hash="h", first_name=None, last_name=None
        )
    with pytest.raises(UsernameTaken):
        await directory.create(
            email="fresh@example.com", username=account.username, password_hash="h", first_name=None, last_name=None
        )
    with pytest.raises(InvalidUserData):
        await directory.create(email="nope", username="fine-name", password_hash="h", first_name=None, last_name=None)
    rehashed = await directory.set_password_hash(account.id, "$argon2id$y", revoke_tokens=False)
    assert (rehashed.password_hash, rehashed.token_version) == ("$argon2id$y", 0)
    assert (await directory.revoke_tokens(account.id)).token_version == 1


async def test_sessions(adapters) -> None:
    directory, sessions = adapters
    account = await new_account(directory)
    client = ClientInfo(ip_address="192.0.2.1", user_agent="integration")
    session = await sessions.start(account.id, client, ttl_seconds=600)
    assert (session.generation, session.ip_address, session.active) == (0, "192.0.2.1", True)
    rotated, owner = await sessions.rotate(
        session.id, family_id=session.family_id, generation=0, token_version=0, ttl_seconds=600, grace_seconds=0
    )
    assert (rotated.generation, owner.id) == (1, account.id)
    with pytest.raises(RefreshTokenReused):
        await sessions.rotate(
            session.id, family_id=session.family_id, generation=0, token_version=0, ttl_seconds=600, grace_seconds=0
        )
    assert (await sessions.get(session.id)).active is False
    assert await sessions.get(uuid.uuid4()) is None

    second = await sessions.start(account.id, client, ttl_seconds=600)
    third = await sessions.start(account.id, client, ttl_seconds=600)
    items, total = await sessions.list(account.id, PageRequest())
    assert (total, [s.id for s in items]) == (2, [third.id, second.id])
    other = await new_account(directory)
    with pytest.raises(SessionNotFound):
        await sessions.revoke(second.id, user_id=other.id, reason=RevokeReason.REVOKED)
    await sessions.revoke(second.id, user_id=account.id, reason=RevokeReason.LOGOUT)
    assert await sessions.revoke_all(account.id, reason=RevokeReason.LOGOUT_ALL) == 1

    await directory.revoke_tokens(account.id)
    fourth = await sessions.start(account.id, client, ttl_seconds=600)
    with pytest.raises(AccountInactive):  # the refresh token's ver no longer matches
        await sessions.rotate(
            fourth.id, family_id=fourth.family_id, generation=0, token_version=0, ttl_seconds=600, grace_seconds=0
        )


async def test_unreachable_main_service(signing_key, jwt_settings) -> None:
    async with httpx.AsyncClient(base_url="http://127.0.0.1:1", timeout=1) as http:
        directory = HttpxUserDirectory(MainApiClient(http, OwnServiceToken(issuer_for(signing_key, jwt_settings), "a")))
        with pytest.raises(DependencyUnavailableError):
            await directory.find("ada")


async def test_a_token_main_service_does_not_trust_is_a_dependency_failure(main_url, jwt_settings) -> None:
    from qhitz_shared.tokens import SigningKey

    async with httpx.AsyncClient(base_url=main_url, timeout=5) as http:
        stranger = OwnServiceToken(issuer_for(SigningKey.generate(), jwt_settings), "auth_service")
        with pytest.raises(DependencyUnavailableError):
            await HttpxUserDirectory(MainApiClient(http, stranger)).find("ada")
