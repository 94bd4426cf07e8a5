"""medias_service with mediasdb refusing connections, or accepting them and then saying nothing: 503
dependency_unavailable within seconds, /ready says so, and the same request succeeds again once it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import msgspec
import pytest

from medias_service.main.app import create_http_app
from medias_service.main.settings import MediasSettings
from qhitz_shared.db import DatabaseSettings
from qhitz_shared.settings import from_env
from tests.medias_service.conftest import SignedTokensProvider
from tests.support.asgi import asgi_client, running
from tests.support.databases import PG_SERVER
from tests.support.outages import DB_TIMEOUTS, pg_target, until_ok
from tests.support.proxy import TcpProxy


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    with TcpProxy(*pg_target(PG_SERVER)) as running_proxy:
        yield running_proxy


@pytest.mark.parametrize("outage", ["refused", "hanging"])
async def test_a_database_outage_answers_503_fast_and_recovers(
    outage: str, proxy: TcpProxy, medias_settings: MediasSettings, service_tokens, make_user
) -> None:
    env = {f"MEDIAS_{key}": value for key, value in DB_TIMEOUTS.items()}
    db = from_env(DatabaseSettings, "MEDIAS_DB_", env, url=proxy.url(medias_settings.db.url))
    app = create_http_app(
        msgspec.structs.replace(medias_settings, db=db), overrides=[SignedTokensProvider(service_tokens)]
    )
    user = await make_user()
    async with running(app), asgi_client(app, "http://medias") as http:
        assert (await http.get("/api/v1/media", headers=user.headers)).status_code == 200

        proxy.cut() if outage == "refused" else proxy.hang()
        started = time.monotonic()
        response = await http.get("/api/v1/media", headers=user.headers)
        assert time.monotonic() - started < 5
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "dependency_unavailable"
        ready = await http.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {"database": "unavailable", "storage": "ok", "revocations": "ok"}

        proxy.restore()
        await until_ok(lambda: http.get("/api/v1/media", headers=user.headers))
        assert (await http.get("/ready")).status_code == 200
