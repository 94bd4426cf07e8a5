"""Session-wide test infrastructure: PostgreSQL databases, a JWKS server and a token factory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qhitz_shared.http.security import JwtSettings
from qhitz_shared.tokens import SigningKey
from tests.support import databases
from tests.support.keys import JWKS_PATH, StaticHttpServer, TokenFactory, jwks_server_documents


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def jwks_server(signing_key: SigningKey) -> Iterator[StaticHttpServer]:
    with StaticHttpServer(jwks_server_documents(signing_key)).running() as server:
        yield server


@pytest.fixture(scope="session")
def jwt_settings(jwks_server: StaticHttpServer) -> JwtSettings:
    return JwtSettings(jwks_url=f"{jwks_server.url}{JWKS_PATH}", leeway_seconds=0)


@pytest.fixture(scope="session")
def tokens(signing_key: SigningKey, jwt_settings: JwtSettings) -> TokenFactory:
    return TokenFactory(signing_key, jwt_settings)


@pytest.fixture(scope="session")
def main_db_url() -> Iterator[str]:
    name = databases.create_database("main")
    try:
        url = databases.async_url(name)
        databases.migrate("main", url)
        yield url
    finally:
        databases.drop_database(name)
