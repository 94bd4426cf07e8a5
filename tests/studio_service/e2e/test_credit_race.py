"""The race on the last credit, on PostgreSQL through real HTTP: 100 job creations at once with credit for one;
the conditional UPDATE of the account row lets exactly one hold through, and the ledger stays equal to it."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
import pytest

from tests.studio_service.conftest import grant, new_project

# jobs stay queued (a broker is configured, no relay runs here): only the holds are under test; the 100 requests
# may wait longer than the default 3 s for one of the pool's 20 connections on a busy machine (that is capacity,
# not what this test is about)
ENV = {
    "STUDIO_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",
    "STUDIO_DB_POOL_TIMEOUT_SECONDS": "60",
    "STUDIO_DB_STATEMENT_TIMEOUT_SECONDS": "30",
}
pytestmark = pytest.mark.parametrize("studio_env", [ENV])


async def test_one_hundred_creations_with_credit_for_one_accept_exactly_one(
    studio_url, studio_db_url, make_user, admin
) -> None:
    user = make_user()
    with httpx.Client(base_url=studio_url) as http:
        grant(http, admin, user, 1)
        project = new_project(http, user)
    body = {"project_id": project, "type": "noop", "parameters": {}}
    async with httpx.AsyncClient(base_url=studio_url, timeout=60) as http:
        answers = await asyncio.gather(
            *(
                http.post("/api/v1/jobs/", json=body, headers={**user.headers, "Idempotency-Key": uuid.uuid4().hex})
                for _ in range(100)
            )
        )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201] + [402] * 99, [a.text for a in answers if a.status_code not in (201, 402)][:3]
        assert {a.json()["code"] for a in answers if a.status_code == 402} == {"insufficient_credits"}
        assert (await http.get("/api/v1/credits/balance", headers=user.headers)).json()["available"] == 0
        jobs = (await http.get("/api/v1/jobs/", headers=user.headers)).json()
        assert jobs["total"] == 1

    connection = await asyncpg.connect(studio_db_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        ledger = await connection.fetch("SELECT kind, amount FROM credit_ledger WHERE user_id = $1", user.id)
        account = await connection.fetchval("SELECT available FROM credit_accounts WHERE user_id = $1", user.id)
        assert sorted((row["kind"], row["amount"]) for row in ledger) == [("hold", -1), ("promotion", 1)]
        assert account == sum(row["amount"] for row in ledger) == 0
        with pytest.raises(asyncpg.PostgresError, match="append-only"):
            await connection.execute("UPDATE credit_ledger SET amount = 5 WHERE user_id = $1", user.id)
    finally:
        await connection.close()


def test_a_queued_job_is_canceled_at_once_and_its_hold_released(studio_url, make_user, admin) -> None:
    user = make_user()
    with httpx.Client(base_url=studio_url) as http:
        grant(http, admin, user, 5)
        project = new_project(http, user)
        body = {"project_id": project, "type": "storyboard", "parameters": {"text": "Opening shot"}}
        job = http.post("/api/v1/jobs/", json=body, headers={**user.headers, "Idempotency-Key": "k1"}).json()
        assert job["status"] == "queued"
        assert http.get("/api/v1/credits/balance", headers=user.headers).json() == {
            "user_id": str(user.id),
            "available": 0,
            "held": 5,
        }
        other = make_user()
        assert http.delete(f"/api/v1/jobs/{job['id']}", headers=other.headers).status_code == 404
        canceled = http.delete(f"/api/v1/jobs/{job['id']}", headers=user.headers)
        assert canceled.status_code == 202
        assert canceled.json()["status"] == "canceled"
        assert http.get("/api/v1/credits/balance", headers=user.headers).json()["available"] == 5
        again = http.delete(f"/api/v1/jobs/{job['id']}", headers=user.headers)
        assert again.status_code == 409
        kinds = [e["kind"] for e in http.get("/api/v1/credits/history", headers=user.headers).json()["items"]]
        assert kinds == ["release", "hold", "promotion"]
