"""main_service answers as its OpenAPI document says: anonymous, as a plain user, an admin and auth_service (the
guard of issue 9 §1 and §6: schemathesis with all its checks; any 5xx fails)."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from main_service.main.app import create_http_app, make_container
from main_service.services.bootstrap import AdminBootstrap
from tests.main_service.conftest import main_settings
from tests.support.contract import Identity, run_contract
from tests.support.keys import TokenFactory
from tests.support.servers import serve_app


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _make_admin(settings, email: str) -> None:
    async def make() -> None:
        container = make_container(settings)
        try:
            async with container() as request:
                await (await request.get(AdminBootstrap)).ensure_admin(email, None, "Velvet-Orbit-Canyon-42")
        finally:
            await container.close()

    asyncio.run(make())


def test_main_service_honours_its_openapi_document(main_db_url, jwt_settings, tokens: TokenFactory):
    settings = main_settings(main_db_url, jwt_settings)
    admin_email = f"contract-admin-{uuid.uuid4().hex[:8]}@example.com"
    _make_admin(settings, admin_email)
    service = bearer(tokens.service("auth_service"))
    with serve_app(create_http_app(settings)) as url, httpx.Client(base_url=url, timeout=10) as http:

        def token_for(doc: dict) -> dict[str, str]:
            return bearer(
                tokens.user(doc["id"], roles=doc["roles"], perms=doc["permissions"], ver=doc["token_version"])
            )

        def new_user() -> dict:
            suffix = uuid.uuid4().hex[:10]
            body = {"email": f"c{suffix}@example.com", "username": f"c{suffix}", "password_hash": "$argon2id$x"}
            created = http.post("/internal/v1/users/", json=body, headers=service)
            assert created.status_code == 201, created.text
            return created.json()

        admin_doc = http.get("/internal/v1/users/lookup", params={"login": admin_email}, headers=service).json()
        admin, plain = token_for(admin_doc), token_for(new_user())
        victims = [new_user()["id"] for _ in range(3)]
        roles = []
        for index in range(2):
            created = http.post(
                "/api/v1/roles/",
                json={"name": f"contract{uuid.uuid4().hex[:6]}{index}", "permissions": ["users:read"]},
                headers=admin,
            )
            assert created.status_code == 201, created.text
            roles.append(created.json())
        sessions = []
        for victim in victims:
            opened = http.post("/internal/v1/sessions/", json={"user_id": victim, "ttl_seconds": 3600}, headers=service)
            assert opened.status_code == 201, opened.text
            sessions.append(opened.json())
        known = {
            "user_id": victims,
            "role_id": [role["id"] for role in roles],
            "role_name": ["user", "admin", *(role["name"] for role in roles)],
            "session_id": [session["id"] for session in sessions],
            "family_id": [session["family_id"] for session in sessions],
        }
        identities = [
            Identity("anonymous"),
            Identity("user", plain),
            Identity("admin", admin),
            Identity("auth_service", service),
        ]
        run = run_contract(url, identities, known)
    print(f"main_service: {run.calls} calls in {run.seconds:.1f}s")
    assert not run.server_errors, run.report()
    assert not run.failures, run.report()
