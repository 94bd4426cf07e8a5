"""main_service app fixtures: the real app over ASGI on the test's own loop, and users with real roles."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx
import msgspec
import pytest

from main_service.main.app import create_http_app
from main_service.main.settings import MainSettings
from qhitz_shared.http.security import JwtSettings
from tests.support.asgi import asgi_client, running
from tests.support.keys import TokenFactory
from tests.support.platform import TEST_MAIL


@dataclass
class Account:
    id: uuid.UUID
    email: str
    username: str
    roles: list[str]
    permissions: list[str]
    token_version: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def main_settings(db_url: str, jwt: JwtSettings, **env: str) -> MainSettings:
    base = MainSettings.from_env(
        {"MAIN_DB_URL": db_url, "ARGON2_MEMORY_KIB": "1024", "ARGON2_TIME_COST": "1", **TEST_MAIL, **env}
    )
    return msgspec.structs.replace(base, jwt=jwt)


@pytest.fixture
async def main_app(main_db_url: str, jwt_settings: JwtSettings):
    async with running(create_http_app(main_settings(main_db_url, jwt_settings))) as app:
        yield app


@pytest.fixture
async def client(main_app) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(main_app, "http://main") as http:
        yield http


@pytest.fixture
def service_headers(tokens: TokenFactory) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.service('auth_service')}"}


AccountFactory = Callable[..., Awaitable[Account]]


def account_factory(main_app, client: httpx.AsyncClient, tokens: TokenFactory, service_headers: dict[str, str]):
    """Registers through the internal API, grants roles through the real role service, mints a matching token."""

    async def make(*roles: str) -> Account:
        suffix = uuid.uuid4().hex[:10]
        created = await client.post(
            "/internal/v1/users/",
            json={"email": f"u{suffix}@example.com", "username": f"u{suffix}", "password_hash": "$argon2id$x"},
            headers=service_headers,
        )
        assert created.status_code == 201, created.text
        user_id = uuid.UUID(created.json()["id"])
        from main_service.services.roles import RoleService

        async with main_app.state.dishka_container() as request_container:
            role_service = await request_container.get(RoleService)
            for role in roles:
                await role_service.grant(user_id, role)
        return await refresh(user_id)

    async def refresh(user_id: uuid.UUID) -> Account:
        doc = (await client.get(f"/internal/v1/users/{user_id}", headers=service_headers)).json()
        token = tokens.user(user_id, roles=doc["roles"], perms=doc["permissions"], ver=doc["token_version"])
        return Account(
            id=user_id,
            email=doc["email"],
            username=doc["username"],
            roles=doc["roles"],
            permissions=doc["permissions"],
            token_version=doc["token_version"],
            token=token,
        )

    make.refresh = refresh  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_account(client: httpx.AsyncClient, tokens: TokenFactory, service_headers: dict[str, str], main_app):
    return account_factory(main_app, client, tokens, service_headers)


@pytest.fixture
def make_account_for(tokens: TokenFactory, service_headers: dict[str, str]):
    """The same factory for an app the test started itself (e.g. with other settings)."""
    return lambda app, http: account_factory(app, http, tokens, service_headers)
