"""The whole story across real HTTP: auth_service and main_service, real service tokens, PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import uuid

import jwt

from tests.support.platform import bearer, register


async def test_register_login_use_refresh_reuse_logout_password_suspend(platform, auth, main) -> None:
    # register → tokens; the access token works at main_service (verified locally with the published JWKS)
    account = await register(auth, first_name="Ada")
    me = await main.get("/api/v1/users/me", headers=bearer(account["access_token"]))
    assert me.status_code == 200, me.text
    assert (me.json()["username"], me.json()["first_name"], me.json()["roles"]) == (
        account["username"],
        "Ada",
        ["user"],
    )

    # login by email and by username
    by_email = await auth.post("/api/v1/auth/login", json={"email": account["email"], "password": account["password"]})
    assert by_email.status_code == 200, by_email.text
    pair = by_email.json()
    assert (pair["token_type"], pair["expires_in"], pair["refresh_expires_in"]) == ("Bearer", 900, 7 * 24 * 3600)
    by_username = await auth.post(
        "/api/v1/auth/login", json={"username": account["username"], "password": account["password"]}
    )
    assert by_username.status_code == 200
    claims = jwt.decode(pair["access_token"], options={"verify_signature": False})
    assert {"iss", "aud", "sub", "exp", "iat", "jti", "roles", "perms", "ver", "sid"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 900
    assert (await main.get("/api/v1/users/me", headers=bearer(pair["access_token"]))).status_code == 200

    # refresh → a new pair of the same session; the old refresh token replayed → the family is revoked
    refreshed = await auth.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    new_pair = refreshed.json()
    assert jwt.decode(new_pair["access_token"], options={"verify_signature": False})["sid"] == claims["sid"]
    concurrent = await auth.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert concurrent.status_code == 200  # within the grace interval (1 s here): a concurrent refresh is forgiven
    concurrent_claims = jwt.decode(concurrent.json()["refresh_token"], options={"verify_signature": False})
    assert concurrent_claims["gen"] == 1  # ... and answered with the winner's generation, not a new one
    await asyncio.sleep(1.2)
    replay = await auth.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert replay.status_code == 401
    assert replay.json()["code"] == "refresh_token_reused"
    after_reuse = await auth.post("/api/v1/auth/refresh", json={"refresh_token": new_pair["refresh_token"]})
    assert after_reuse.status_code == 401  # the legitimate holder's newer token died with the family
    assert after_reuse.json()["code"] == "session_revoked"

    # sessions: the register, the username login and the email login (now revoked) → two active
    session_list = await auth.get("/api/v1/auth/sessions", headers=bearer(by_username.json()["access_token"]))
    assert session_list.status_code == 200, session_list.text
    listed = session_list.json()
    assert listed["total"] == 2
    assert [s["current"] for s in listed["items"]] == [True, False]
    assert listed["items"][0]["ip_address"] == "127.0.0.1"
    assert listed["items"][0]["user_agent"].startswith("python-httpx")

    # logout ends the current session: its refresh token no longer works
    current = by_username.json()
    assert (await auth.post("/api/v1/auth/logout", headers=bearer(current["access_token"]))).status_code == 204
    dead = await auth.post("/api/v1/auth/refresh", json={"refresh_token": current["refresh_token"]})
    assert dead.status_code == 401
    # ...and main_service refuses its access token at once, not when it expires
    after_logout = await main.get("/api/v1/users/me", headers=bearer(current["access_token"]))
    assert (after_logout.status_code, after_logout.json()["code"]) == (401, "session_revoked")
    own = await auth.get("/api/v1/auth/sessions", headers=bearer(current["access_token"]))
    assert (own.status_code, own.json()["code"]) == (401, "session_revoked")  # auth_service refuses it too

    # DELETE /sessions/{id}: revoke another session (the one from registration) from a new login
    fresh = (
        await auth.post("/api/v1/auth/login", json={"email": account["email"], "password": account["password"]})
    ).json()
    other = [
        s for s in (await auth.get("/api/v1/auth/sessions", headers=bearer(fresh["access_token"]))).json()["items"]
    ]
    registration_session = next(s for s in other if not s["current"])
    deleted = await auth.delete(
        f"/api/v1/auth/sessions/{registration_session['id']}", headers=bearer(fresh["access_token"])
    )
    assert deleted.status_code == 204
    gone = await auth.post("/api/v1/auth/refresh", json={"refresh_token": account["refresh_token"]})
    assert gone.status_code == 401
    unknown = await auth.delete(f"/api/v1/auth/sessions/{uuid.uuid4()}", headers=bearer(fresh["access_token"]))
    assert unknown.status_code == 404

    # change password → other sessions end, a fresh pair works, the old password does not
    second_device = (
        await auth.post("/api/v1/auth/login", json={"email": account["email"], "password": account["password"]})
    ).json()
    changed = await auth.post(
        "/api/v1/auth/change-password",
        json={"current_password": account["password"], "new_password": "Quartz-Lantern-Meadow-77"},
        headers=bearer(fresh["access_token"]),
    )
    assert changed.status_code == 200, changed.text
    changed_pair = changed.json()
    assert (await main.get("/api/v1/users/me", headers=bearer(changed_pair["access_token"]))).status_code == 200
    assert (await main.get("/api/v1/users/me", headers=bearer(second_device["access_token"]))).status_code == 401
    ended = await auth.post("/api/v1/auth/refresh", json={"refresh_token": second_device["refresh_token"]})
    assert ended.status_code == 401
    active = (await auth.get("/api/v1/auth/sessions", headers=bearer(changed_pair["access_token"]))).json()
    assert active["total"] == 1
    old_password = await auth.post(
        "/api/v1/auth/login", json={"email": account["email"], "password": account["password"]}
    )
    assert old_password.status_code == 401
    assert old_password.json()["code"] == "invalid_credentials"

    # a suspended user cannot refresh (nor log in)
    admin_email, admin_password = f"admin-{uuid.uuid4().hex[:8]}@example.com", "Admin-Kestrel-Harbor-9"
    await platform.make_admin(admin_email, admin_password)
    admin = (await auth.post("/api/v1/auth/login", json={"email": admin_email, "password": admin_password})).json()
    suspended = await main.post(f"/api/v1/users/{claims['sub']}/suspend", headers=bearer(admin["access_token"]))
    assert suspended.status_code == 200, suspended.text
    refused = await auth.post("/api/v1/auth/refresh", json={"refresh_token": changed_pair["refresh_token"]})
    assert refused.status_code == 401
    assert refused.json()["code"] == "account_inactive"
    login = await auth.post(
        "/api/v1/auth/login", json={"email": account["email"], "password": "Quartz-Lantern-Meadow-77"}
    )
    assert login.status_code == 403
    assert login.json()["code"] == "account_disabled"
