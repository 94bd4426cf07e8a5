"""The internal user directory, as auth_service and medias_service use it."""

from __future__ import annotations

import uuid


async def test_register_lookup_and_password(client, service_headers, tokens):
    suffix = uuid.uuid4().hex[:8]
    body = {
        "email": f"Dir{suffix}@Example.com",
        "username": f"Dir{suffix}",
        "password_hash": "$argon2id$v1",
        "first_name": "D",
    }
    created = await client.post("/internal/v1/users/", json=body, headers=service_headers)
    assert created.status_code == 201, created.text
    user = created.json()
    assert created.headers["location"].endswith(user["id"])
    assert (user["email"], user["username"], user["roles"]) == (f"dir{suffix}@example.com", f"dir{suffix}", ["user"])
    assert user["password_hash"] == "$argon2id$v1"

    for login in (f"DIR{suffix}@example.com", f"dir{suffix}", f" Dir{suffix} "):
        found = await client.get("/internal/v1/users/lookup", params={"login": login}, headers=service_headers)
        assert found.status_code == 200, (login, found.text)
        assert found.json()["id"] == user["id"]
    missing = await client.get("/internal/v1/users/lookup", params={"login": "nobody"}, headers=service_headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "user_not_found")

    duplicate = await client.post(
        "/internal/v1/users/", json=body | {"username": f"x{suffix}"}, headers=service_headers
    )
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "email_taken")
    duplicate_name = await client.post(
        "/internal/v1/users/", json=body | {"email": f"x{suffix}@example.com"}, headers=service_headers
    )
    assert (duplicate_name.status_code, duplicate_name.json()["code"]) == (409, "username_taken")

    changed = await client.put(
        f"/internal/v1/users/{user['id']}/password", json={"password_hash": "$argon2id$v2"}, headers=service_headers
    )
    assert (changed.json()["password_hash"], changed.json()["token_version"]) == (
        "$argon2id$v2",
        user["token_version"] + 1,
    )
    kept = await client.put(
        f"/internal/v1/users/{user['id']}/password",
        json={"password_hash": "$argon2id$v3", "revoke_tokens": False},
        headers=service_headers,
    )
    assert kept.json()["token_version"] == changed.json()["token_version"]

    bumped = await client.post(f"/internal/v1/users/{user['id']}/revoke-tokens", headers=service_headers)
    assert bumped.json()["token_version"] == kept.json()["token_version"] + 1

    assert (await client.post(f"/internal/v1/users/{user['id']}/logins", headers=service_headers)).status_code == 204
    admin_token = tokens.user(uuid.uuid4(), roles=["admin"], perms=["users:read"])
    assert (
        await client.get(f"/internal/v1/users/{user['id']}", headers={"Authorization": f"Bearer {admin_token}"})
    ).status_code in (401, 403)
    fetched = await client.get(f"/internal/v1/users/{user['id']}", headers=service_headers)
    assert fetched.json()["status"] == "active"


async def test_limits_default_and_admin_override(make_account, client, service_headers):
    user, admin = await make_account(), await make_account("admin")
    plain = (await client.get(f"/internal/v1/users/{user.id}/limits", headers=service_headers)).json()
    assert plain == {
        "user_id": str(user.id),
        "max_upload_bytes": 100 * 1024**2,
        "storage_quota_bytes": 1024 * 1024**2,
        "must_verify_email": False,  # require-verified-email is off by default
    }
    boosted = (await client.get(f"/internal/v1/users/{admin.id}/limits", headers=service_headers)).json()
    assert boosted["max_upload_bytes"] == 2048 * 1024**2  # config/features.json targets the admin role


async def test_invalid_registration_data_is_422(client, service_headers):
    response = await client.post(
        "/internal/v1/users/",
        json={"email": "nope", "username": "ok_name", "password_hash": "h"},
        headers=service_headers,
    )
    assert (response.status_code, response.json()["code"]) == (422, "invalid_user_data")
