"""Revocation reaches medias_service within 2 s, with no call per request (issue 9 §7).

main_service runs on loopback and publishes its revocation log over a real RabbitMQ fanout or Redis channel (one
per test); medias_service subscribes, and catches up from main's internal route when it (re)connects."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import aio_pika
import httpx
import msgspec
import pytest

from main_service.main.app import create_http_app as create_main_app
from main_service.main.settings import MainSettings
from medias_service.main.app import create_http_app
from medias_service.main.settings import MediasSettings
from qhitz_shared.http.security import JwtSettings
from qhitz_shared.principal import Principal
from qhitz_shared.revocation.state import DenyState
from tests.medias_service.conftest import FEATURES, SignedServiceTokens, SignedTokensProvider
from tests.medias_service.support import USER_PERMISSIONS, multipart_body, multipart_headers, png_bytes
from tests.support.asgi import asgi_client, running
from tests.support.keys import TokenFactory
from tests.support.platform import TEST_MAIL
from tests.support.proxy import TcpProxy
from tests.support.servers import serve_app
from tests.support.waiting import eventually

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
REDIS_URL = "redis://127.0.0.1:6379/0"
REVOKED_WITHIN = 2.0  # seconds: the bound


def stream_env(transport: str, name: str, *, redis_url: str = REDIS_URL) -> dict[str, str]:
    if transport == "amqp":
        return {"AMQP_URL": AMQP_URL, "REVOCATION_EXCHANGE": name}
    return {"REDIS_URL": redis_url, "REVOCATION_TRANSPORT": "redis", "REVOCATION_CHANNEL": name}


@pytest.fixture(params=["amqp", "redis"])
def transport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def stream_name() -> AsyncIterator[str]:
    name = f"qhitz-test-revocations-{uuid.uuid4().hex[:10]}"
    yield name
    connection = await aio_pika.connect(AMQP_URL)  # the exchange is durable: remove this test's own
    async with connection:
        channel = await connection.channel()
        await channel.exchange_delete(name)


@pytest.fixture
def publishing_main(
    transport: str, stream_name: str, main_db_url: str, jwt_settings: JwtSettings, tmp_path: Path
) -> Iterator[str]:
    """main_service publishing its revocation log on the test's own exchange or channel."""
    features = tmp_path / "features.json"
    features.write_text(json.dumps(FEATURES))
    env = {
        "MAIN_DB_URL": main_db_url,
        "GROWTHBOOK_FEATURES_FILE": str(features),
        "ARGON2_MEMORY_KIB": "1024",
        **TEST_MAIL,
    }
    settings = MainSettings.from_env({**env, **stream_env(transport, stream_name)})
    with serve_app(create_main_app(msgspec.structs.replace(settings, jwt=jwt_settings))) as url:
        yield url


@asynccontextmanager
async def medias(
    main_url: str, env: dict[str, str], jwt: JwtSettings, tokens: SignedServiceTokens, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    settings = MediasSettings.from_env(
        {
            "MEDIAS_DB_URL": env.pop("MEDIAS_DB_URL"),
            "MEDIAS_MAIN_URL": main_url,
            "MEDIAS_TRASH_PURGE_INTERVAL_SECONDS": "0",
            "MEDIAS_STORAGE_LOCAL_ROOT": str(tmp_path / "media"),
            "MEDIAS_STORAGE_LOCAL_FSYNC": "false",
            "MEDIAS_PROCESSING_ENABLED": "false",
            **env,
        }
    )
    app = create_http_app(msgspec.structs.replace(settings, jwt=jwt), overrides=[SignedTokensProvider(tokens)])
    async with running(app), asgi_client(app, "http://medias") as client:
        client.state = await app.state.dishka_container.get(DenyState)  # type: ignore[attr-defined]
        yield client


class World:
    """A plain user and an admin registered in main_service, and what the tests do with them."""

    def __init__(self, main_url: str, tokens: TokenFactory) -> None:
        self.main_url = main_url
        self.tokens = tokens

    async def register(self) -> uuid.UUID:
        suffix = uuid.uuid4().hex[:10]
        async with httpx.AsyncClient(base_url=self.main_url) as http:
            created = await http.post(
                "/internal/v1/users/",
                json={"email": f"r{suffix}@example.com", "username": f"r{suffix}", "password_hash": "$argon2id$x"},
                headers=self.service_headers,
            )
        assert created.status_code == 201, created.text
        return uuid.UUID(created.json()["id"])

    @property
    def service_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens.service('auth_service')}"}

    async def admin_headers(self) -> dict[str, str]:
        admin = await self.register()
        perms = ["users:write", "users:read", "roles:manage"]
        return {"Authorization": f"Bearer {self.tokens.user(admin, roles=['admin'], perms=perms)}"}

    async def main(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.main_url) as http:
            return await http.request(method, path, **kwargs)  # type: ignore[arg-type]


async def upload(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/api/v1/media",
        content=multipart_body(("r.png", None, png_bytes())),
        headers={**multipart_headers(), "Authorization": f"Bearer {token}"},
    )


async def refused_within(client: httpx.AsyncClient, principal: Principal, started: float) -> None:
    """Wait on medias_service's deny state (not on a clock) and check it turned within the bound."""
    state: DenyState = client.state  # type: ignore[attr-defined]

    async def refuses() -> bool:
        try:
            state.check(principal)
        except Exception:
            return True
        return False

    await eventually(refuses, bool, timeout=REVOKED_WITHIN + 1, every=0.05)
    assert time.monotonic() - started <= REVOKED_WITHIN


@pytest.fixture
def medias_env(transport: str, stream_name: str, medias_db_url: str) -> dict[str, str]:
    return {"MEDIAS_DB_URL": medias_db_url, **stream_env(transport, stream_name)}


async def test_a_suspended_users_next_upload_is_401_token_revoked(
    publishing_main, medias_env, jwt_settings, service_tokens, tokens, tmp_path
) -> None:
    world = World(publishing_main, tokens)
    user = await world.register()
    token = tokens.user(user, roles=["user"], perms=USER_PERMISSIONS)
    async with medias(publishing_main, medias_env, jwt_settings, service_tokens, tmp_path) as client:
        assert (await upload(client, token)).status_code == 201
        started = time.monotonic()
        suspended = await world.main("POST", f"/api/v1/users/{user}/suspend", headers=await world.admin_headers())
        assert suspended.status_code == 200, suspended.text
        await refused_within(client, Principal(subject=str(user)), started)
        refused = await upload(client, token)
        assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")


async def test_logout_and_a_role_change_reach_medias(
    publishing_main, medias_env, jwt_settings, service_tokens, tokens, tmp_path
) -> None:
    world = World(publishing_main, tokens)
    user = await world.register()
    session = await world.main(
        "POST",
        "/internal/v1/sessions/",
        json={"user_id": str(user), "ttl_seconds": 600},
        headers=world.service_headers,
    )
    assert session.status_code == 201, session.text
    sid = session.json()["id"]
    in_session = tokens.user(user, roles=["user"], perms=USER_PERMISSIONS, sid=sid)
    other = tokens.user(user, roles=["user"], perms=USER_PERMISSIONS)
    async with medias(publishing_main, medias_env, jwt_settings, service_tokens, tmp_path) as client:
        assert (await client.get("/api/v1/media", headers={"Authorization": f"Bearer {in_session}"})).status_code == 200

        started = time.monotonic()  # logout: the session ends
        ended = await world.main(
            "POST", f"/internal/v1/sessions/{sid}/revoke", json={"reason": "logout"}, headers=world.service_headers
        )
        assert ended.status_code == 200, ended.text
        await refused_within(client, Principal(subject=str(user), session_id=sid), started)
        refused = await client.get("/api/v1/media", headers={"Authorization": f"Bearer {in_session}"})
        assert (refused.status_code, refused.json()["code"]) == (401, "session_revoked")
        assert (await client.get("/api/v1/media", headers={"Authorization": f"Bearer {other}"})).status_code == 200

        started = time.monotonic()  # a role granted: token_version bumped, every older token refused
        granted = await world.main("PUT", f"/api/v1/users/{user}/roles/moderator", headers=await world.admin_headers())
        assert granted.status_code in (200, 204), granted.text
        await refused_within(client, Principal(subject=str(user), token_version=0), started)
        stale = await client.get("/api/v1/media", headers={"Authorization": f"Bearer {other}"})
        assert (stale.status_code, stale.json()["code"]) == (401, "token_revoked")
        fresh = tokens.user(user, roles=["user", "moderator"], perms=USER_PERMISSIONS, ver=1)
        assert (await client.get("/api/v1/media", headers={"Authorization": f"Bearer {fresh}"})).status_code == 200


@pytest.mark.parametrize("transport", ["redis"])
async def test_a_subscriber_cut_off_reports_catching_up_and_catches_up(
    publishing_main, stream_name, medias_db_url, jwt_settings, service_tokens, tokens, tmp_path
) -> None:
    with TcpProxy("127.0.0.1", 6379) as proxy:
        env = {
            "MEDIAS_DB_URL": medias_db_url,
            **stream_env("redis", stream_name, redis_url=f"redis://127.0.0.1:{proxy.port}/0"),
        }
        world = World(publishing_main, tokens)
        user = await world.register()
        token = tokens.user(user, roles=["user"], perms=USER_PERMISSIONS)
        async with medias(publishing_main, env, jwt_settings, service_tokens, tmp_path) as client:
            await eventually(lambda: client.get("/ready"), lambda r: r.status_code == 200, timeout=10, every=0.05)
            proxy.cut()  # the subscriber loses Redis: it misses what main publishes meanwhile
            lost = await eventually(
                lambda: client.get("/ready"), lambda r: r.status_code == 503, timeout=10, every=0.05
            )
            assert lost.json()["checks"]["revocations"] == "unavailable"
            assert (await upload(client, token)).status_code == 201

            started = time.monotonic()
            suspended = await world.main("POST", f"/api/v1/users/{user}/suspend", headers=await world.admin_headers())
            assert suspended.status_code == 200
            # main's log still answers: the state catches up from it while the stream is down
            await refused_within(client, Principal(subject=str(user)), started)
            assert (await client.get("/ready")).status_code == 503

            proxy.restore()  # reconnect: subscribe, catch up, live again
            back = await eventually(
                lambda: client.get("/ready"), lambda r: r.status_code == 200, timeout=10, every=0.05
            )
            assert back.json()["checks"]["revocations"] == "ok"
            refused = await upload(client, token)
            assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")


@pytest.mark.parametrize("transport", ["amqp"])
async def test_a_service_started_after_the_change_loads_it_before_serving(
    publishing_main, medias_env, jwt_settings, service_tokens, tokens, tmp_path
) -> None:
    world = World(publishing_main, tokens)
    user = await world.register()
    token = tokens.user(user, roles=["user"], perms=USER_PERMISSIONS)
    suspended = await world.main("POST", f"/api/v1/users/{user}/suspend", headers=await world.admin_headers())
    assert suspended.status_code == 200
    async with medias(publishing_main, medias_env, jwt_settings, service_tokens, tmp_path) as client:
        refused = await upload(client, token)  # the very first request: no wait
        assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")
        assert (await client.get("/ready")).json()["checks"]["revocations"] == "ok"


@pytest.mark.parametrize("transport", ["amqp"])
async def test_listening_where_main_does_not_publish_is_reported_and_still_safe(
    publishing_main, medias_db_url, jwt_settings, service_tokens, tokens, tmp_path
) -> None:
    """A medias_service whose broker settings differ from main's hears nothing live: /ready says so, and it
    keeps asking main's log every second, so revocation still arrives within the bound."""
    env = {"MEDIAS_DB_URL": medias_db_url, **stream_env("amqp", "qhitz-test-revocations-nobody-publishes-here")}
    world = World(publishing_main, tokens)
    user = await world.register()
    try:
        async with medias(publishing_main, env, jwt_settings, service_tokens, tmp_path) as client:
            ready = await client.get("/ready")
            assert (ready.status_code, ready.json()["checks"]["revocations"]) == (503, "unavailable")
            started = time.monotonic()
            suspended = await world.main("POST", f"/api/v1/users/{user}/suspend", headers=await world.admin_headers())
            assert suspended.status_code == 200
            await refused_within(client, Principal(subject=str(user)), started)
    finally:
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            await (await connection.channel()).exchange_delete("qhitz-test-revocations-nobody-publishes-here")
