"""medias_service fixtures: mediasdb, the real main_service on loopback (limits), moto's S3, and the app.

Tokens: users' tokens come from the shared TokenFactory; medias_service's own service token is minted by
``SignedServiceTokens`` with the same signing code auth_service uses (it replaces only the HTTP fetch)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import httpx
import msgspec
import pytest
from moto.server import ThreadedMotoServer

from main_service.main.app import create_http_app as create_main_app
from main_service.main.settings import MainSettings
from medias_service.main.app import create_http_app
from medias_service.main.settings import MediasSettings
from medias_service.ports.directory import ServiceTokenSource
from qhitz_shared.http.security import JwtSettings
from tests.medias_service.support import USER_PERMISSIONS, DatabaseProbe, StorageProbe
from tests.support import databases
from tests.support.asgi import asgi_client, running
from tests.support.keys import SignedServiceTokens, TokenFactory, TokenSourceProvider
from tests.support.platform import TEST_MAIL
from tests.support.servers import serve_app

# Owners whose email ends in @tiny.test get 64 KiB uploads and a 160 KiB quota (GrowthBook rules in main_service);
# those in @big.test 1 GiB uploads and a 4 GiB quota (the resumable upload tests).
TINY_UPLOAD_BYTES = 64 * 1024
TINY_QUOTA_BYTES = 160 * 1024
FEATURES = {
    "features": {
        "user-registration": {"defaultValue": True},
        "media-max-upload-mb": {
            "defaultValue": 100,
            "rules": [
                {"condition": {"email": {"$regex": "@tiny\\.test$"}}, "force": 0.0625},
                {"condition": {"email": {"$regex": "@big\\.test$"}}, "force": 1024},
            ],
        },
        "media-storage-quota-mb": {
            "defaultValue": 1024,
            "rules": [
                {"condition": {"email": {"$regex": "@tiny\\.test$"}}, "force": 0.15625},
                {"condition": {"email": {"$regex": "@big\\.test$"}}, "force": 4096},
            ],
        },
        # owners at @unverified.test must verify their address before uploading
        "require-verified-email": {
            "defaultValue": False,
            "rules": [{"condition": {"email": {"$regex": "@unverified\\.test$"}}, "force": True}],
        },
    }
}


class SignedTokensProvider(TokenSourceProvider):
    def __init__(self, source: SignedServiceTokens) -> None:
        super().__init__(source, ServiceTokenSource)


@pytest.fixture(scope="session")
def medias_db_url() -> Iterator[str]:
    name = databases.create_database("medias")
    try:
        url = databases.async_url(name)
        databases.migrate("medias", url)
        yield url
    finally:
        databases.drop_database(name)


@pytest.fixture(scope="session")
def main_server(main_db_url: str, jwt_settings: JwtSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real main_service (maindb, GrowthBook rules above) served on loopback: the limits come from it."""
    features = tmp_path_factory.mktemp("features") / "features.json"
    features.write_text(json.dumps(FEATURES))
    settings = MainSettings.from_env(
        {
            "MAIN_DB_URL": main_db_url,
            **TEST_MAIL,
            "GROWTHBOOK_FEATURES_FILE": str(features),
            "ARGON2_MEMORY_KIB": "1024",
            "AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",  # where medias_service listens for revocations
        }
    )
    with serve_app(create_main_app(msgspec.structs.replace(settings, jwt=jwt_settings))) as url:
        yield url


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(params=["local", "s3"])
def storage_backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def backend() -> str:
    """Tests where storage does not matter run on the default (local) adapter only."""
    return "local"


@pytest.fixture
def storage_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    backend = request.getfixturevalue("storage_backend" if "storage_backend" in request.fixturenames else "backend")
    env = {"MEDIAS_STORAGE_LOCAL_ROOT": str(tmp_path / "media"), "MEDIAS_STORAGE_LOCAL_FSYNC": "false"}
    if backend == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = f"qhitz-{uuid.uuid4().hex[:12]}"
        s3 = boto3.client(
            "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
        )
        s3.create_bucket(Bucket=bucket)
        env |= {
            "MEDIAS_STORAGE_BACKEND": "s3",
            "MEDIAS_S3_BUCKET": bucket,
            "MEDIAS_S3_ENDPOINT": endpoint,
            "MEDIAS_S3_ACCESS_KEY_ID": "test",
            "MEDIAS_S3_SECRET_ACCESS_KEY": "test",
            "MEDIAS_S3_ALLOW_HTTP": "true",
            "MEDIAS_S3_PART_SIZE_MB": "5",
        }
    return env


@pytest.fixture
def storage_probe(storage_env: dict[str, str]) -> StorageProbe:
    if storage_env.get("MEDIAS_STORAGE_BACKEND") == "s3":
        return StorageProbe("s3", endpoint=storage_env["MEDIAS_S3_ENDPOINT"], bucket=storage_env["MEDIAS_S3_BUCKET"])
    return StorageProbe("local", root=Path(storage_env["MEDIAS_STORAGE_LOCAL_ROOT"]))


@pytest.fixture
def db_probe(medias_db_url: str) -> DatabaseProbe:
    return DatabaseProbe(medias_db_url)


def settings_on(
    database: str, main_server: str, jwt_settings: JwtSettings, storage_env: dict[str, str], **env: str
) -> MediasSettings:
    """medias_service's settings on ``database`` beside the real main_service, the test storage and signing keys
    (the trash purge off), with ``env`` on top."""
    base = {"MEDIAS_DB_URL": database, "MEDIAS_MAIN_URL": main_server, "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0"}
    settings = MediasSettings.from_env(base | storage_env | env)
    return msgspec.structs.replace(settings, jwt=jwt_settings)


@pytest.fixture(params=["postgresql", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """For tests that run on PostgreSQL and on the embedded SQLite default (``make dev``), each migrated with the
    real Alembic environment: ask for it and override ``medias_settings`` with ``settings_on(database, ...)``."""
    if request.param == "postgresql":
        return request.getfixturevalue("medias_db_url")
    url = f"sqlite+aiosqlite:///{tmp_path / 'medias.db'}"
    databases.migrate("medias", url)
    return url


@pytest.fixture
def medias_settings(
    medias_db_url: str, main_server: str, jwt_settings: JwtSettings, storage_env: dict[str, str]
) -> MediasSettings:
    # a broker as everywhere but `make dev`: versions are recorded in the outbox, and with no worker or relay
    # running here they stay pending
    return settings_on(
        medias_db_url, main_server, jwt_settings, storage_env, AMQP_URL="amqp://guest:guest@127.0.0.1:5672/"
    )


@pytest.fixture
def service_tokens(tokens: TokenFactory, jwt_settings: JwtSettings) -> SignedServiceTokens:
    return SignedServiceTokens(tokens.signer, jwt_settings.internal_audience)


@pytest.fixture
async def medias_app(medias_settings: MediasSettings, service_tokens: SignedServiceTokens):
    app = create_http_app(medias_settings, overrides=[SignedTokensProvider(service_tokens)])
    async with running(app):
        yield app


@pytest.fixture
async def client(medias_app) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(medias_app, "http://medias") as http:
        yield http


@dataclass
class User:
    id: uuid.UUID
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_user(main_server: str, tokens: TokenFactory):
    """A user registered in main_service (so limits resolve), with a token carrying ``permissions``."""

    async def make(permissions: list[str] | None = None, *, domain: str = "example.com") -> User:
        suffix = uuid.uuid4().hex[:10]
        email = f"m{suffix}@{domain}"
        async with httpx.AsyncClient(base_url=main_server) as http:
            created = await http.post(
                "/internal/v1/users/",
                json={"email": email, "username": f"m{suffix}", "password_hash": "$argon2id$unused"},
                headers={"Authorization": f"Bearer {tokens.service('auth_service')}"},
            )
        assert created.status_code == 201, created.text
        user_id = uuid.UUID(created.json()["id"])
        perms = USER_PERMISSIONS if permissions is None else permissions
        return User(user_id, email, tokens.user(user_id, roles=["user"], perms=perms))

    return make
