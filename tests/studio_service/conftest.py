"""studio_service fixtures: studiodb, the real main_service (users, medias' limits) and medias_service on loopback,
and studio_service itself served over real HTTP.

Tokens come from the shared TokenFactory; studio_service's own service token (for uploads on the owner's behalf)
is signed with the same key by ``StudioTokens``, which replaces only the fetch from auth_service."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import msgspec
import pytest

from medias_service.main.app import create_http_app as create_medias_app
from medias_service.main.settings import MediasSettings
from qhitz_shared.amqp.settings import AmqpSettings
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.tokens import TokenSigner
from studio_service.main.app import create_http_app
from studio_service.main.settings import StudioSettings
from tests.medias_service.conftest import SignedServiceTokens, SignedTokensProvider, main_server, medias_db_url
from tests.support import databases
from tests.support.keys import TokenFactory
from tests.support.servers import serve_app

__all__ = ["main_server", "medias_db_url"]

USER_PERMISSIONS = ["studio:use", "media:read", "media:write", "media:delete"]
MODERATOR_PERMISSIONS = [*USER_PERMISSIONS, "studio:read:any", "studio:write:any", "media:read:any"]
ADMIN_PERMISSIONS = [*MODERATOR_PERMISSIONS, "credits:adjust"]
WEBHOOK_SECRET = "whsec_test_0123456789abcdefghij"


class StudioTokens(SignedServiceTokens):
    """studio_service's service token, signed with the test key."""

    async def token(self) -> str:
        return self._signer.sign(
            subject="service:studio_service", audience=self._audience, ttl_seconds=300, svc="studio_service"
        )


@pytest.fixture(scope="session")
def studio_db_url() -> Iterator[str]:
    with databases.migrated("studio", "studio") as url:
        yield url


@pytest.fixture(scope="session")
def signer(tokens: TokenFactory) -> TokenSigner:
    return tokens.signer


@pytest.fixture(scope="session")
def medias_server(
    medias_db_url: str, main_server: str, jwt_settings: JwtSettings, tokens: TokenFactory, tmp_path_factory
) -> Iterator[str]:
    """medias_service with local storage and no broker (it processes uploads itself)."""
    root = tmp_path_factory.mktemp("studio-media")
    settings = MediasSettings.from_env(
        {
            "MEDIAS_DB_URL": medias_db_url,
            "MEDIAS_MAIN_URL": main_server,
            "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0",
            "MEDIAS_STORAGE_LOCAL_ROOT": str(root),
            "MEDIAS_STORAGE_LOCAL_FSYNC": "false",
        }
    )
    settings = msgspec.structs.replace(settings, jwt=jwt_settings, amqp=AmqpSettings(url=""))
    medias_tokens = SignedServiceTokens(tokens.signer, jwt_settings.internal_audience)
    with serve_app(create_medias_app(settings, overrides=[SignedTokensProvider(medias_tokens)])) as url:
        yield url


def studio_settings(
    studio_db_url: str, medias_server: str, main_server: str, jwt_settings: JwtSettings, **env: str
) -> StudioSettings:
    settings = StudioSettings.from_env(
        {
            "STUDIO_DB_URL": studio_db_url,
            "STUDIO_MEDIAS_URL": medias_server,
            "STUDIO_MAIN_URL": main_server,
            "STUDIO_JOBS_TYPES": "storyboard,title_card,narration,noop",
            "STUDIO_JOBS_SWEEP_INTERVAL_SECONDS": "0.5",
            "STUDIO_EVENTS_POLL_SECONDS": "0.05",
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "STRIPE_PACKS": "starter:price_pack_starter:100,big:price_pack_big:1000",
            "STRIPE_PLANS": "pro:price_plan_pro:500",
            "REVOCATION_TRANSPORT": "poll",
            **env,
        }
    )
    return msgspec.structs.replace(settings, jwt=jwt_settings)


@contextmanager
def serve_studio(settings: StudioSettings, tokens: TokenFactory, port: int | None = None) -> Iterator[httpx.Client]:
    """studio_service served on loopback with ``settings``, its service token signed with the test key; yields an
    HTTP client on it."""
    own = StudioTokens(tokens.signer, settings.jwt.internal_audience)
    app = create_http_app(settings, overrides=[SignedTokensProvider(own)])
    with serve_app(app, port) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.fixture
def studio_env() -> dict[str, str]:
    """Extra environment of the studio app a test runs (override in a module)."""
    return {}


@pytest.fixture
def studio_url(
    studio_db_url: str,
    medias_server: str,
    main_server: str,
    jwt_settings: JwtSettings,
    tokens: TokenFactory,
    studio_env: dict[str, str],
) -> Iterator[str]:
    settings = studio_settings(studio_db_url, medias_server, main_server, jwt_settings, **studio_env)
    own = StudioTokens(tokens.signer, jwt_settings.internal_audience)
    with serve_app(create_http_app(settings, overrides=[SignedTokensProvider(own)])) as url:
        yield url


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
    """A user registered in main_service (medias_service resolves their limits), with a token of ``permissions``."""

    def make(permissions: list[str] | None = None) -> User:
        suffix = uuid.uuid4().hex[:10]
        email = f"s{suffix}@example.com"
        created = httpx.post(
            f"{main_server}/internal/v1/users/",
            json={"email": email, "username": f"s{suffix}", "password_hash": "$argon2id$unused"},
            headers={"Authorization": f"Bearer {tokens.service('auth_service')}"},
        )
        assert created.status_code == 201, created.text
        user_id = uuid.UUID(created.json()["id"])
        perms = USER_PERMISSIONS if permissions is None else permissions
        return User(user_id, email, tokens.user(user_id, roles=["user"], perms=perms))

    return make


@pytest.fixture
def admin(make_user) -> User:
    return make_user(ADMIN_PERMISSIONS)


def grant(http: httpx.Client, admin: User, user: User, amount: int) -> None:
    answer = http.post(
        "/api/v1/credits/adjustments",
        json={"user_id": str(user.id), "amount": amount, "kind": "promotion", "note": "test"},
        headers=admin.headers,
    )
    assert answer.status_code == 201, answer.text


def new_project(http: httpx.Client, user: User, name: str = "Film") -> str:
    answer = http.post("/api/v1/projects/", json={"name": name}, headers=user.headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def create_job(
    http: httpx.Client, user: User, project_id: str, job_type: str = "noop", key: str | None = None, **parameters
) -> httpx.Response:
    return http.post(
        "/api/v1/jobs/",
        json={"project_id": project_id, "type": job_type, "parameters": parameters},
        headers={**user.headers, "Idempotency-Key": key or uuid.uuid4().hex},
    )


def wait_for(http: httpx.Client, user: User, job_id: str, until: Callable[[dict], bool], timeout: float = 60) -> dict:
    """Poll the job until ``until`` holds for it; its last state is in the failure message."""
    deadline = time.monotonic() + timeout
    while True:
        job = http.get(f"/api/v1/jobs/{job_id}", headers=user.headers).json()
        if until(job):
            return job
        assert time.monotonic() < deadline, f"gave up waiting; last: {job}"
        time.sleep(0.05)
