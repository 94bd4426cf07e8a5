"""What dental_service inherits from the platform, shown through real HTTP: a role taken away stops working on
dental_service within seconds (the revocation feed), and a database outage answers 503 dependency_unavailable
fast and recovers by itself."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from tests.dental_service.support import PASSWORD, serve_dental
from tests.support import databases
from tests.support.databases import PG_SERVER
from tests.support.outages import DB_TIMEOUTS, pg_target, until_ok
from tests.support.platform import bearer
from tests.support.proxy import TcpProxy
from tests.support.waiting import eventually


def test_a_revoked_role_stops_working_within_seconds(dental, platform):
    suffix = uuid.uuid4().hex[:8]
    email = f"desk-{suffix}@example.com"
    with httpx.Client(timeout=10) as http:
        assert (
            http.post(
                f"{platform.auth_url}/api/v1/auth/register",
                json={"email": email, "username": f"desk{suffix}", "password": PASSWORD},
            ).status_code
            == 201
        )
        admin = dental.staff.headers("admin")
        user_id = http.get(f"{platform.main_url}/api/v1/users", params={"q": email}, headers=admin).json()["items"][0][
            "id"
        ]
        role_url = f"{platform.main_url}/api/v1/users/{user_id}/roles/receptionist"
        assert http.put(role_url, headers=admin).status_code == 200
        token = http.post(f"{platform.auth_url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
        patients = f"{dental.url}/api/v1/dental/patients"
        assert http.get(patients, headers=bearer(token["access_token"])).status_code == 200
        assert http.delete(role_url, headers=admin).status_code == 200

    async def probe() -> int:
        async with httpx.AsyncClient(timeout=10) as client:
            return (await client.get(patients, headers=bearer(token["access_token"]))).status_code

    assert asyncio.run(eventually(probe, lambda status: status == 401, timeout=10)) == 401


@pytest.mark.parametrize("outage", ["refused", "hanging"])
def test_a_database_outage_answers_503_fast_and_recovers(outage, platform, staff, dental_client_secret):
    with databases.migrated("dental", "dental_outage") as db_url, TcpProxy(*pg_target(PG_SERVER)) as proxy:
        timeouts = {f"DENTAL_{key}": value for key, value in DB_TIMEOUTS.items()}
        with serve_dental(platform, proxy.url(db_url), dental_client_secret, **timeouts) as url:
            headers = staff.headers("receptionist")

            async def scenario() -> None:
                async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
                    assert (await http.get("/api/v1/dental/patients")).status_code == 200
                    proxy.cut() if outage == "refused" else proxy.hang()
                    started = time.monotonic()
                    answer = await http.get("/api/v1/dental/patients")
                    assert time.monotonic() - started < 5
                    assert answer.status_code == 503 and answer.json()["code"] == "dependency_unavailable"
                    assert "Traceback" not in answer.text
                    assert (await http.get("/ready")).json()["checks"]["database"] == "unavailable"
                    proxy.restore()
                    await until_ok(lambda: http.get("/api/v1/dental/patients"))

            asyncio.run(scenario())
