"""chat_service fixtures: chatdb, the real main_service on loopback (the directory), users and the chat app served
over real HTTP and WebSocket (uvicorn), its fan-out on the real Redis.

Users' tokens come from the shared TokenFactory; chat_service's own service token is minted with the same signing
code auth_service uses (only the HTTP fetch is replaced)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import msgspec
import pytest

from chat_service.main.app import create_http_app
from chat_service.main.settings import ChatSettings
from main_service.main.app import create_http_app as create_main_app
from main_service.main.settings import MainSettings
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.service_tokens import ServiceTokens
from tests.support import databases
from tests.support.keys import SignedServiceTokens, TokenFactory, TokenSourceProvider
from tests.support.servers import serve_app

REDIS_URL = "redis://127.0.0.1:6379/0"


def chat_service_tokens(tokens: TokenFactory) -> TokenSourceProvider:
    """chat_service's own service token, signed with the test key."""
    source = SignedServiceTokens(tokens.signer, tokens.settings.internal_audience, "chat_service")
    return TokenSourceProvider(source, ServiceTokens)


@pytest.fixture(scope="session")
def chat_db_url() -> Iterator[str]:
    with databases.migrated("chat", "chat") as url:
        yield url


@pytest.fixture(scope="session")
def directory_server(main_db_url: str, jwt_settings: JwtSettings) -> Iterator[str]:
    """The real main_service: chat_service looks members up in its internal directory."""
    # REDIS_URL as chat_service's: main publishes revocation events where chat listens
    settings = MainSettings.from_env({"MAIN_DB_URL": main_db_url, "ARGON2_MEMORY_KIB": "1024", "REDIS_URL": REDIS_URL})
    with serve_app(create_main_app(msgspec.structs.replace(settings, jwt=jwt_settings))) as url:
        yield url


def chat_settings(db_url: str, main_url: str, jwt: JwtSettings, **env: str) -> ChatSettings:
    settings = ChatSettings.from_env(
        {
            "CHAT_DB_URL": db_url,
            "CHAT_MAIN_URL": main_url,
            "REDIS_URL": REDIS_URL,
            "CHAT_REALTIME_CHANNEL_PREFIX": f"qhitz-test-{uuid.uuid4().hex[:8]}:",
            **env,
        }
    )
    return msgspec.structs.replace(settings, jwt=jwt)


@pytest.fixture(scope="session")
def chat_server(
    chat_db_url: str, directory_server: str, jwt_settings: JwtSettings, tokens: TokenFactory
) -> Iterator[str]:
    settings = chat_settings(chat_db_url, directory_server, jwt_settings)
    app = create_http_app(settings, overrides=[chat_service_tokens(tokens)])
    with serve_app(app) as url:
        yield url


@dataclass
class User:
    id: uuid.UUID
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def directory_user(main_url: str, tokens: TokenFactory, ttl: int = 900) -> User:
    """A user registered in main_service's directory (as auth_service registers them), with an access token."""
    suffix = uuid.uuid4().hex[:10]
    email = f"c{suffix}@example.com"
    created = httpx.post(
        f"{main_url}/internal/v1/users/",
        json={"email": email, "username": f"c{suffix}", "password_hash": "$argon2id$unused"},
        headers={"Authorization": f"Bearer {tokens.service('auth_service')}"},
    )
    assert created.status_code == 201, created.text
    user_id = uuid.UUID(created.json()["id"])
    return User(user_id, email, tokens.user(user_id, roles=["user"], ttl=ttl))


@pytest.fixture(scope="session")
def make_user(directory_server: str, tokens: TokenFactory):
    """``make_user(ttl=900)``: a user of the directory main_service, with an access token."""
    return lambda ttl=900: directory_user(directory_server, tokens, ttl)


@pytest.fixture(scope="session")
def medias_server(
    directory_server: str, jwt_settings: JwtSettings, tokens: TokenFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real medias_service (local storage, jobs in-process): watch-party items are its media."""
    from medias_service.main.app import create_http_app as create_medias_app
    from medias_service.main.settings import MediasSettings
    from tests.medias_service.conftest import SignedTokensProvider as MediasTokensProvider

    with databases.migrated("medias", "chatmedias") as db_url:
        settings = MediasSettings.from_env(
            {
                "MEDIAS_DB_URL": db_url,
                "MEDIAS_MAIN_URL": directory_server,
                "MEDIAS_STORAGE_LOCAL_ROOT": str(tmp_path_factory.mktemp("media")),
                "MEDIAS_STORAGE_LOCAL_FSYNC": "false",
                "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0",
                "MEDIAS_PROCESSING_ENABLED": "false",
                "REDIS_URL": REDIS_URL,
            }
        )
        source = SignedServiceTokens(tokens.signer, jwt_settings.internal_audience)
        app = create_medias_app(
            msgspec.structs.replace(settings, jwt=jwt_settings), overrides=[MediasTokensProvider(source)]
        )
        with serve_app(app) as url:
            yield url


@pytest.fixture(scope="session")
def party_server(
    chat_db_url: str, directory_server: str, medias_server: str, jwt_settings: JwtSettings, tokens: TokenFactory
) -> Iterator[str]:
    """chat_service asking the real medias_service whether an item can be played."""
    settings = chat_settings(chat_db_url, directory_server, jwt_settings, CHAT_MEDIAS_URL=medias_server)
    app = create_http_app(settings, overrides=[chat_service_tokens(tokens)])
    with serve_app(app) as url:
        yield url
