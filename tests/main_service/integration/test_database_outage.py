"""main_service with its database refusing connections, or accepting them and then saying nothing: 503
dependency_unavailable within seconds (the configured timeouts), /ready says so, and the same request succeeds
again once the database is back, without a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from main_service.main.app import create_http_app
from qhitz_shared.http.security import JwtSettings
from tests.main_service.conftest import main_settings
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
    outage: str, proxy: TcpProxy, main_db_url: str, jwt_settings: JwtSettings, make_account_for
) -> None:
    settings = main_settings(proxy.url(main_db_url), jwt_settings, **{f"MAIN_{k}": v for k, v in DB_TIMEOUTS.items()})
    async with running(create_http_app(settings)) as app, asgi_client(app, "http://main") as http:
        account = await make_account_for(app, http)("user")
        assert (await http.get("/api/v1/users/me", headers=account.headers)).status_code == 200

        proxy.cut() if outage == "refused" else proxy.hang()
        started = time.monotonic()
        response = await http.get("/api/v1/users/me", headers=account.headers)
        assert time.monotonic() - started < 5
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "dependency_unavailable"
        assert "Traceback" not in response.text
        ready = await http.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "unavailable"

        proxy.restore()
        await until_ok(lambda: http.get("/api/v1/users/me", headers=account.headers))
        assert (await http.get("/ready")).status_code == 200
