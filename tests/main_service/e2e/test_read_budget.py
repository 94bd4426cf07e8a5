"""Round-trip budget of main_service's hot read: GET /api/v1/users/me is one statement after authentication."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.statements import recorded_statements

# What authentication may cost per request while the revocation log keeps the deny state current: nothing
# (qhitz_shared.revocation; the one-statement fallback for a stale state is tested in test_revocation_events.py).
AUTH_STATE_STATEMENTS = 0


async def test_users_me_reads_profile_roles_and_permissions_in_one_statement(make_account, client, main_app):
    account = await make_account("admin", "moderator")
    engine = await main_app.state.dishka_container.get(AsyncEngine)
    with recorded_statements(engine) as statements:
        response = await client.get("/api/v1/users/me", headers=account.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["roles"] == sorted(account.roles) and body["permissions"] == sorted(account.permissions)
    profile_reads = [sql for sql in statements if "user_roles" in sql]
    assert len(profile_reads) == 1, statements
    assert len(statements) <= 1 + AUTH_STATE_STATEMENTS, statements


async def test_users_me_of_a_user_without_roles(make_account, client, main_app):
    from main_service.services.roles import RoleService

    account = await make_account()
    async with main_app.state.dishka_container() as request_container:
        for role in account.roles:
            await (await request_container.get(RoleService)).revoke(account.id, role)
    account = await make_account.refresh(account.id)  # a role change revokes the old token
    response = await client.get("/api/v1/users/me", headers=account.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["email"], body["roles"], body["permissions"]) == (str(account.id), account.email, [], [])


async def test_users_me_never_waits_for_a_second_pooled_connection(make_account_for, main_db_url, jwt_settings):
    """One pooled connection and many concurrent requests: a request that held one connection (the auth-state
    check) and asked the pool for another would wait on itself until the pool timeout, failing every request."""
    import asyncio

    from main_service.main.app import create_http_app
    from tests.main_service.conftest import main_settings
    from tests.support.asgi import asgi_client, running

    settings = main_settings(main_db_url, jwt_settings, MAIN_DB_POOL_SIZE="1", MAIN_DB_MAX_OVERFLOW="0")
    async with running(create_http_app(settings)) as app, asgi_client(app, "http://main") as http:
        account = await make_account_for(app, http)()
        answers = await asyncio.gather(*(http.get("/api/v1/users/me", headers=account.headers) for _ in range(8)))
    assert [answer.status_code for answer in answers] == [200] * 8
