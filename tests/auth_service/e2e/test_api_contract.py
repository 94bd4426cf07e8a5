"""auth_service answers as its OpenAPI document says, anonymous, as a plain user and as an admin (the guard of
issue 9 §1 and §6: schemathesis with all its checks; any 5xx fails). main_service runs beside it, as in
production; tokens are auth_service's own, from real logins."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.support.contract import Identity, run_contract
from tests.support.platform import bearer

PASSWORD = "Velvet-Orbit-Canyon-42"


def test_auth_service_honours_its_openapi_document(platform):
    admin_email = f"contract-admin-{uuid.uuid4().hex[:8]}@example.com"
    asyncio.run(platform.make_admin(admin_email, PASSWORD))
    with httpx.Client(base_url=platform.auth_url, timeout=10) as http:
        suffix = uuid.uuid4().hex[:10]
        plain_email = f"contract{suffix}@example.com"
        registered = http.post(
            "/api/v1/auth/register",
            json={"email": plain_email, "username": f"contract{suffix}", "password": PASSWORD},
        )
        assert registered.status_code == 201, registered.text

        def login(email: str):
            def fresh() -> dict[str, str]:
                answer = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
                assert answer.status_code == 200, answer.text
                return bearer(answer.json()["access_token"])

            return fresh

        plain = login(plain_email)
        sessions = http.get("/api/v1/auth/sessions", headers=plain()).json()["items"]
        known = {"session_id": [session["id"] for session in sessions]}
        identities = [
            Identity("anonymous"),
            Identity("user", login=plain),
            Identity("admin", login=login(admin_email)),
        ]
        run = run_contract(platform.auth_url, identities, known)
    print(f"auth_service: {run.calls} calls in {run.seconds:.1f}s")
    assert not run.server_errors, run.report()
    assert not run.failures, run.report()
