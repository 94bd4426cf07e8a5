"""Roles, permissions and grants, and their effect on tokens."""

from __future__ import annotations

import uuid


async def test_role_lifecycle(make_account, client):
    admin = await make_account("admin")
    name = f"editor{uuid.uuid4().hex[:6]}"
    created = await client.post(
        "/api/v1/roles", json={"name": name, "permissions": ["media:read"]}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    role = created.json()
    assert (role["name"], role["permissions"], role["is_system"]) == (name, ["media:read"], False)

    duplicate = await client.post("/api/v1/roles", json={"name": name.upper()}, headers=admin.headers)
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "role_name_taken")
    unknown = await client.post(
        "/api/v1/roles", json={"name": "x" + name, "permissions": ["fly"]}, headers=admin.headers
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_permission")

    renamed = await client.patch(f"/api/v1/roles/{role['id']}", json={"name": name + "s"}, headers=admin.headers)
    assert renamed.json()["name"] == name + "s"
    perms = await client.put(
        f"/api/v1/roles/{role['id']}/permissions",
        json={"permissions": ["media:read", "media:write"]},
        headers=admin.headers,
    )
    assert perms.json()["permissions"] == ["media:read", "media:write"]

    listed = await client.get("/api/v1/roles", params={"per_page": 100}, headers=admin.headers)
    assert {"admin", "moderator", "user", name + "s"} <= {r["name"] for r in listed.json()["items"]}

    assert (await client.delete(f"/api/v1/roles/{role['id']}", headers=admin.headers)).status_code == 204
    gone = await client.get(f"/api/v1/roles/{role['id']}", headers=admin.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "role_not_found")


async def test_system_roles_are_protected(make_account, client):
    admin = await make_account("admin")
    roles = (await client.get("/api/v1/roles", headers=admin.headers)).json()["items"]
    system = {r["name"]: r for r in roles if r["is_system"]}
    assert set(system) == {"admin", "moderator", "user", "receptionist", "dentist"}

    delete = await client.delete(f"/api/v1/roles/{system['user']['id']}", headers=admin.headers)
    assert (delete.status_code, delete.json()["code"]) == (409, "system_role_protected")
    strip = await client.put(
        f"/api/v1/roles/{system['moderator']['id']}/permissions", json={"permissions": []}, headers=admin.headers
    )
    assert (strip.status_code, strip.json()["code"]) == (409, "system_role_protected")
    rename = await client.patch(f"/api/v1/roles/{system['admin']['id']}", json={"name": "root"}, headers=admin.headers)
    assert rename.status_code == 409
    # adding to a system role is allowed; its core stays
    extended = await client.put(
        f"/api/v1/roles/{system['user']['id']}/permissions",
        json={"permissions": [*system["user"]["permissions"], "users:read"]},
        headers=admin.headers,
    )
    assert "users:read" in extended.json()["permissions"]
    # the admin also holds "user": its permissions changed, so its token was revoked with everyone else's
    stale = await client.get("/api/v1/roles", headers=admin.headers)
    assert (stale.status_code, stale.json()["code"]) == (401, "token_revoked")
    admin = await make_account.refresh(admin.id)
    restored = await client.put(
        f"/api/v1/roles/{system['user']['id']}/permissions",
        json={"permissions": system["user"]["permissions"]},
        headers=admin.headers,
    )
    assert restored.json()["permissions"] == system["user"]["permissions"]


async def test_granting_a_role_revokes_old_tokens_and_grants_access(make_account, client):
    admin, user = await make_account("admin"), await make_account()
    assert (await client.get("/api/v1/users", headers=user.headers)).status_code == 403

    granted = await client.put(f"/api/v1/users/{user.id}/roles/moderator", headers=admin.headers)
    assert granted.json()["roles"] == ["moderator", "user"]
    stale = await client.get("/api/v1/users/me", headers=user.headers)
    assert (stale.status_code, stale.json()["code"]) == (401, "token_revoked")

    user = await make_account.refresh(user.id)
    assert "users:read" in user.permissions
    assert (await client.get("/api/v1/users", headers=user.headers)).status_code == 200

    same = await client.put(f"/api/v1/users/{user.id}/roles/moderator", headers=admin.headers)
    assert same.status_code == 200
    assert (await client.get("/api/v1/users/me", headers=user.headers)).status_code == 200  # idempotent: no revocation

    revoked = await client.delete(f"/api/v1/users/{user.id}/roles/moderator", headers=admin.headers)
    assert revoked.json()["roles"] == ["user"]
    missing_role = await client.put(f"/api/v1/users/{user.id}/roles/nosuchrole", headers=admin.headers)
    assert (missing_role.status_code, missing_role.json()["code"]) == (404, "role_not_found")
    missing_user = await client.put(f"/api/v1/users/{uuid.uuid4()}/roles/user", headers=admin.headers)
    assert missing_user.status_code == 404


async def test_permission_catalogue(make_account, client):
    user = await make_account()
    catalogue = (await client.get("/api/v1/permissions", headers=user.headers)).json()
    codes = {p["code"] for p in catalogue}
    assert {"users:read", "users:write", "roles:manage", "media:read:any", "admin:stats"} <= codes
    assert all(p["description"] for p in catalogue)


async def test_role_names_that_look_like_operational_paths_are_authenticated(make_account, client):
    admin, user = await make_account("admin"), await make_account()
    for name in ("healthcare", "schema_admins", "metrics-team", "ready"):
        created = await client.post("/api/v1/roles", json={"name": name}, headers=admin.headers)
        assert created.status_code in (201, 409), created.text
        granted = await client.put(f"/api/v1/users/{user.id}/roles/{name}", headers=admin.headers)
        assert granted.status_code == 200, (name, granted.text)
        anonymous = await client.put(f"/api/v1/users/{user.id}/roles/{name}")
        assert anonymous.status_code == 401
