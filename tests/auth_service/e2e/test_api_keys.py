"""API keys end to end over real HTTP: created with some of the owner's permissions, used as Bearer qhz_… at
main_service (exchanged once at auth_service, then verified locally), refused where a scope is missing, unable to
manage keys, and refused everywhere once revoked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt

from tests.support.platform import bearer, register

ADMIN_PASSWORD = "Admin-Kestrel-Harbor-9"


async def admin_tokens(platform, auth) -> dict:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    await platform.make_admin(email, ADMIN_PASSWORD)
    return (await auth.post("/api/v1/auth/login", json={"email": email, "password": ADMIN_PASSWORD})).json()


async def test_a_narrow_api_key_acts_as_its_owner_within_its_scopes_until_revoked(platform, auth, main) -> None:
    admin = await admin_tokens(platform, auth)
    created = await auth.post(
        "/api/v1/auth/api-keys",
        json={"name": "reporting", "scopes": ["users:read"]},
        headers=bearer(admin["access_token"]),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    key = body["key"]
    assert key.startswith("qhz_") and len(key) > 40
    assert (body["prefix"], body["scopes"], body["expires_at"]) == (key[:12], ["users:read"], None)

    listed = await auth.get("/api/v1/auth/api-keys", headers=bearer(admin["access_token"]))
    assert [k["prefix"] for k in listed.json()] == [key[:12]]
    assert "key" not in listed.json()[0]

    # the key works at main_service for what its scope allows, and for any signed-in user's route
    assert (await main.get("/api/v1/users", headers=bearer(key))).status_code == 200
    me = await main.get("/api/v1/users/me", headers=bearer(key))
    assert me.status_code == 200
    admin_id = jwt.decode(admin["access_token"], options={"verify_signature": False})["sub"]
    assert me.json()["id"] == admin_id
    # ... and is refused where the admin could go but the key's scope does not reach
    stats = await main.get("/api/v1/admin/stats", headers=bearer(key))
    assert (stats.status_code, stats.json()["code"]) == (403, "permission_denied")
    assert (await main.get("/api/v1/admin/stats", headers=bearer(admin["access_token"]))).status_code == 200
    patched = await main.patch(f"/api/v1/users/{admin_id}", json={"last_name": "X"}, headers=bearer(key))
    assert patched.status_code == 403
    listed_after = await auth.get("/api/v1/auth/api-keys", headers=bearer(admin["access_token"]))
    assert listed_after.json()[0]["last_used_at"] is not None

    # a key cannot make or see keys
    nested = await auth.post("/api/v1/auth/api-keys", json={"name": "n", "scopes": []}, headers=bearer(key))
    assert (nested.status_code, nested.json()["code"]) == (403, "api_key_not_allowed")

    # revoked: refused at once, though main_service still holds the exchanged token in its cache
    key_id = body["id"]
    revoked = await auth.delete(f"/api/v1/auth/api-keys/{key_id}", headers=bearer(admin["access_token"]))
    assert revoked.status_code == 204
    after = await main.get("/api/v1/users/me", headers=bearer(key))
    assert after.status_code == 401, after.text
    exchange = await auth.post("/api/v1/auth/api-keys/exchange", json={"api_key": key})
    assert (exchange.status_code, exchange.json()["code"]) == (401, "invalid_api_key")
    again = await auth.delete(f"/api/v1/auth/api-keys/{key_id}", headers=bearer(admin["access_token"]))
    assert (again.status_code, again.json()["code"]) == (404, "api_key_not_found")


async def test_scopes_are_bounded_by_the_owners_permissions_and_expiry_by_now(platform, auth, main) -> None:
    account = await register(auth)
    headers = bearer(account["access_token"])
    beyond = await auth.post("/api/v1/auth/api-keys", json={"name": "x", "scopes": ["users:read"]}, headers=headers)
    assert (beyond.status_code, beyond.json()["code"]) == (422, "invalid_scopes")
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    expired = await auth.post(
        "/api/v1/auth/api-keys", json={"name": "x", "scopes": [], "expires_at": past}, headers=headers
    )
    assert expired.status_code == 422
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    made = await auth.post(
        "/api/v1/auth/api-keys", json={"name": "media", "scopes": ["media:read"], "expires_at": soon}, headers=headers
    )
    assert made.status_code == 201, made.text
    exchanged = await auth.post("/api/v1/auth/api-keys/exchange", json={"api_key": made.json()["key"]})
    assert exchanged.status_code == 200
    claims = jwt.decode(exchanged.json()["access_token"], options={"verify_signature": False})
    assert (claims["perms"], claims["roles"], claims["sid"]) == (["media:read"], [], made.json()["id"])
    assert exchanged.json()["expires_in"] <= 900
    unknown = await main.get("/api/v1/users/me", headers=bearer("qhz_" + "x" * 43))
    assert (unknown.status_code, unknown.json()["code"]) == (401, "invalid_api_key")
    # a key is no session: after logout everywhere (token_version bumped) main's cached token is refused, and the
    # key is exchanged again, with the new version
    key = made.json()["key"]
    assert (await main.get("/api/v1/users/me", headers=bearer(key))).status_code == 200  # cached at main now
    assert (await auth.post("/api/v1/auth/logout-all", headers=headers)).status_code == 204
    assert (await main.get("/api/v1/users/me", headers=bearer(account["access_token"]))).status_code == 401
    assert (await main.get("/api/v1/users/me", headers=bearer(key))).status_code == 200


async def test_an_api_key_cannot_change_how_its_owner_signs_in(platform, auth, main) -> None:
    """A key with no scope at all must not take the account over: no email change (then a password reset to the
    new address), no TOTP setup (locking the owner out), no ending every session; each is 403 api_key_not_allowed,
    while the owner's login session may."""
    account = await register(auth)
    headers = bearer(account["access_token"])
    made = await auth.post("/api/v1/auth/api-keys", json={"name": "script", "scopes": []}, headers=headers)
    assert made.status_code == 201, made.text
    key = bearer(made.json()["key"])
    assert (await main.get("/api/v1/users/me", headers=key)).status_code == 200
    attempts = [
        main.patch("/api/v1/users/me", json={"email": f"taken-{account['email']}"}, headers=key),
        main.put(
            "/api/v1/users/me",
            json={"email": f"taken-{account['email']}", "username": "taken", "first_name": None, "last_name": None},
            headers=key,
        ),
        auth.post("/api/v1/auth/mfa/totp/setup", headers=key),
        auth.post("/api/v1/auth/logout-all", headers=key),
        auth.get("/api/v1/auth/sessions", headers=key),
    ]
    for attempt in attempts:
        answer = await attempt
        assert (answer.status_code, answer.json().get("code")) == (403, "api_key_not_allowed"), answer.text
    me = await main.get("/api/v1/users/me", headers=headers)
    assert me.json()["email"] == account["email"] and me.json()["mfa_enabled"] is False
    assert (await auth.post("/api/v1/auth/mfa/totp/setup", headers=headers)).status_code == 200
