"""Every change that makes a token worthless reaches main_service's deny state before the response returns, and
checking a token against it costs no SQL statement (issue 10: none when events keep the state current)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from main_service.main.app import create_http_app
from main_service.main.revocation import EventFedTokenCheck
from qhitz_shared.errors import TokenRevokedError
from qhitz_shared.principal import Principal
from qhitz_shared.revocation.state import DenyState
from tests.main_service.conftest import main_settings
from tests.support import databases
from tests.support.asgi import asgi_client, running


async def deny_state(app) -> DenyState:
    return await app.state.dishka_container.get(DenyState)


def refuses(state: DenyState, principal: Principal) -> bool:
    try:
        state.check(principal)
    except TokenRevokedError:
        return True
    return False


async def start_session(client, service_headers, user_id) -> str:
    response = await client.post(
        "/internal/v1/sessions/", json={"user_id": str(user_id), "ttl_seconds": 600}, headers=service_headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_user_changes_reach_the_deny_state_before_the_answer(
    main_app, client, make_account, service_headers
) -> None:
    admin = await make_account("admin")
    state = await deny_state(main_app)

    async def changes_version(path_method: tuple[str, str], body: object = None) -> None:
        target = await make_account("user")
        method, path = path_method
        old = Principal(subject=str(target.id), token_version=target.token_version)
        assert not refuses(state, old)
        response = await client.request(
            method,
            path.format(id=target.id),
            json=body,
            headers=service_headers if path.startswith("/internal") else admin.headers,
        )
        assert response.status_code in (200, 204), (path, response.text)
        assert refuses(state, old), path

    await changes_version(("POST", "/api/v1/users/{id}/suspend"))
    await changes_version(("DELETE", "/api/v1/users/{id}"))
    await changes_version(("PUT", "/api/v1/users/{id}/roles/moderator"))
    await changes_version(("DELETE", "/api/v1/users/{id}/roles/user"))
    await changes_version(("POST", "/internal/v1/users/{id}/revoke-tokens"))
    await changes_version(("PUT", "/internal/v1/users/{id}/password"), {"password_hash": "$argon2id$new"})


async def test_role_changes_and_ended_sessions_reach_the_deny_state(
    main_app, client, make_account, service_headers
) -> None:
    admin = await make_account("admin")
    state = await deny_state(main_app)
    role = await client.post(
        "/api/v1/roles/",
        json={"name": f"r{uuid.uuid4().hex[:8]}", "permissions": ["users:read"]},
        headers=admin.headers,
    )
    assert role.status_code == 201, role.text
    holder = await make_account(role.json()["name"])
    old = Principal(subject=str(holder.id), token_version=holder.token_version)
    changed = await client.put(
        f"/api/v1/roles/{role.json()['id']}/permissions", json={"permissions": []}, headers=admin.headers
    )
    assert changed.status_code == 200
    assert refuses(state, old)

    user = await make_account("user")
    for revoke in (
        lambda s: client.post(f"/internal/v1/sessions/{s['id']}/revoke", json={}, headers=service_headers),
        lambda s: client.post(f"/internal/v1/users/{user.id}/sessions/revoke", json={}, headers=service_headers),
        lambda s: client.post(  # a replayed refresh token ends the whole family
            f"/internal/v1/sessions/{s['id']}/rotate",
            json={"family_id": s["family_id"], "generation": 7, "token_version": 0, "ttl_seconds": 60},
            headers=service_headers,
        ),
    ):
        session = await start_session(client, service_headers, user.id)
        in_session = Principal(subject=str(user.id), token_version=user.token_version, session_id=session["id"])
        assert not refuses(state, in_session)
        await revoke(session)
        assert refuses(state, in_session)


async def test_checking_a_token_costs_no_statement_while_the_state_is_current_and_one_when_stale(
    main_app, client, make_account, service_headers
) -> None:
    account = await make_account("user")
    session = await start_session(client, service_headers, account.id)
    principal = Principal(subject=str(account.id), token_version=account.token_version, session_id=session["id"])
    engine = await main_app.state.dishka_container.get(AsyncEngine)
    state = await deny_state(main_app)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    async def check() -> None:
        async with main_app.state.dishka_container() as request:
            await (await request.get(EventFedTokenCheck)).check(principal)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await check()
        assert statements == []
        state.synced_at = 0.0  # as if the log had not been read for a while: the documented fallback
        await check()
        assert len(statements) == 1  # version, status and session in one statement
        await client.post(f"/internal/v1/sessions/{session['id']}/revoke", json={}, headers=service_headers)
        state.synced_at = 0.0
        with pytest.raises(TokenRevokedError) as refused:
            await check()
        assert refused.value.code == "session_revoked"
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path}/main.db"
    databases.migrate("main", url)
    return url


async def test_the_triggers_write_the_log_on_sqlite_too(sqlite_url, jwt_settings, tokens) -> None:
    """make dev runs on SQLite: the same triggers, the same events."""
    from tests.main_service.conftest import account_factory

    service_headers = {"Authorization": f"Bearer {tokens.service('auth_service')}"}
    app = create_http_app(main_settings(sqlite_url, jwt_settings))
    async with running(app), asgi_client(app, "http://main") as http:
        make = account_factory(app, http, tokens, service_headers)
        admin, user = await make("admin"), await make("user")
        state = await deny_state(app)
        old = Principal(subject=str(user.id), token_version=user.token_version)
        suspended = await http.post(f"/api/v1/users/{user.id}/suspend", headers=admin.headers)
        assert suspended.status_code == 200, suspended.text
        assert refuses(state, old)
        session = await start_session(http, service_headers, admin.id)
        await http.post(f"/internal/v1/sessions/{session['id']}/revoke", json={}, headers=service_headers)
        assert refuses(state, Principal(subject=str(admin.id), token_version=1, session_id=session["id"]))
        stranger = {"Authorization": f"Bearer {tokens.service('reports_service')}"}
        page = await http.get("/internal/v1/revocations", params={"since": 0}, headers=stranger)
        assert page.status_code == 403  # the catch-up serves the services that verify user tokens only
        medias = {"Authorization": f"Bearer {tokens.service('medias_service')}"}
        page = await http.get("/internal/v1/revocations", params={"since": 0}, headers=medias)
        assert page.status_code == 200, page.text
        kinds = {(e["user_id"], "session_id" in e, e.get("active")) for e in page.json()["events"]}
        assert (str(user.id), False, False) in kinds
        assert (str(admin.id), True, None) in kinds


async def test_a_change_through_one_replica_reaches_the_other_by_notification(
    main_db_url, jwt_settings, tokens
) -> None:
    """Two main_service replicas on one PostgreSQL database; the second never polls (an hour), so only the
    triggers' NOTIFY can tell it, and it does, on arrival."""
    from tests.main_service.conftest import account_factory
    from tests.support.waiting import eventually

    service_headers = {"Authorization": f"Bearer {tokens.service('auth_service')}"}
    slow = {"REVOCATION_POLL_SECONDS": "3600", "REVOCATION_RESYNC_SECONDS": "3600"}
    first = create_http_app(main_settings(main_db_url, jwt_settings))
    second = create_http_app(main_settings(main_db_url, jwt_settings, **slow))
    async with running(first), running(second), asgi_client(first, "http://main-1") as http:
        make = account_factory(first, http, tokens, service_headers)
        admin, user = await make("admin"), await make("user")
        other = await deny_state(second)
        old = Principal(subject=str(user.id), token_version=user.token_version)
        assert not refuses(other, old)
        assert (await http.post(f"/api/v1/users/{user.id}/suspend", headers=admin.headers)).status_code == 200

        async def refused() -> bool:
            return refuses(other, old)

        await eventually(refused, bool, timeout=2, every=0.05)
