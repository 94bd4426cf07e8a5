"""Profiles, user administration, and what status changes do to tokens."""

from __future__ import annotations

import uuid


async def test_profile_patch_and_put(make_account, client):
    me = await make_account()
    patched = await client.patch("/api/v1/users/me", json={"first_name": "  Ada  "}, headers=me.headers)
    assert patched.status_code == 200, patched.text
    assert patched.json()["first_name"] == "Ada"
    assert "password_hash" not in patched.json()

    new_email = f"NEW{uuid.uuid4().hex[:6]}@Example.com"
    put = await client.put(
        "/api/v1/users/me",
        json={"email": new_email, "username": me.username, "first_name": None, "last_name": "King"},
        headers=me.headers,
    )
    assert put.status_code == 200, put.text
    assert put.json()["email"] == new_email.lower()
    assert (put.json()["first_name"], put.json()["last_name"]) == (None, "King")

    partial_put = await client.put("/api/v1/users/me", json={"email": new_email}, headers=me.headers)
    assert partial_put.status_code == 400
    assert partial_put.json()["code"] == "validation_failed"


async def test_taken_email_or_username_is_409(make_account, client):
    me, other = await make_account(), await make_account()
    taken_email = await client.patch("/api/v1/users/me", json={"email": other.email.upper()}, headers=me.headers)
    assert (taken_email.status_code, taken_email.json()["code"]) == (409, "email_taken")
    taken_name = await client.patch("/api/v1/users/me", json={"username": other.username}, headers=me.headers)
    assert (taken_name.status_code, taken_name.json()["code"]) == (409, "username_taken")
    bad = await client.patch("/api/v1/users/me", json={"email": "not-an-email"}, headers=me.headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_user_data")
    unknown = await client.patch("/api/v1/users/me", json={"password_hash": "x"}, headers=me.headers)
    assert unknown.status_code == 400


async def test_list_search_filter_and_paginate(make_account, client):
    admin = await make_account("admin")
    moderator = await make_account("moderator")
    found = await client.get("/api/v1/users", params={"q": moderator.username.upper()}, headers=admin.headers)
    assert found.status_code == 200
    assert [u["id"] for u in found.json()["items"]] == [str(moderator.id)]

    by_role = await client.get("/api/v1/users", params={"role": "moderator", "per_page": 100}, headers=admin.headers)
    assert str(moderator.id) in {u["id"] for u in by_role.json()["items"]}
    assert all("moderator" in u["roles"] for u in by_role.json()["items"])

    page = await client.get("/api/v1/users", params={"page": 1, "per_page": 1}, headers=admin.headers)
    body = page.json()
    assert (body["page"], body["per_page"], len(body["items"])) == (1, 1, 1)
    assert body["total"] >= 2
    second = await client.get("/api/v1/users", params={"page": 2, "per_page": 1}, headers=admin.headers)
    assert second.json()["items"][0]["id"] != body["items"][0]["id"]

    beyond = await client.get("/api/v1/users", params={"page": 10**17, "per_page": 100}, headers=admin.headers)
    assert (beyond.status_code, beyond.json()["code"]) == (400, "validation_failed")
    far = await client.get("/api/v1/users", params={"page": 1_000_000}, headers=admin.headers)
    assert (far.status_code, far.json()["items"]) == (200, [])
    too_many = await client.get("/api/v1/users", params={"per_page": 101}, headers=admin.headers)
    assert (too_many.status_code, too_many.json()["code"]) == (400, "validation_failed")
    bad_status = await client.get("/api/v1/users", params={"status": "zombie"}, headers=admin.headers)
    assert bad_status.status_code == 400

    suspended = await client.get("/api/v1/users", params={"status": "suspended"}, headers=admin.headers)
    assert all(u["status"] == "suspended" for u in suspended.json()["items"])


async def test_missing_user_is_404(make_account, client):
    admin = await make_account("admin")
    response = await client.get(f"/api/v1/users/{uuid.uuid4()}", headers=admin.headers)
    assert (response.status_code, response.json()["code"]) == (404, "user_not_found")


async def test_suspend_revokes_tokens_at_once_and_reactivate_restores(make_account, client):
    admin, victim = await make_account("admin"), await make_account()
    assert (await client.get("/api/v1/users/me", headers=victim.headers)).status_code == 200

    suspended = await client.post(f"/api/v1/users/{victim.id}/suspend", headers=admin.headers)
    assert suspended.json()["status"] == "suspended"
    refused = await client.get("/api/v1/users/me", headers=victim.headers)
    assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")
    again = await client.post(f"/api/v1/users/{victim.id}/suspend", headers=admin.headers)
    assert (again.status_code, again.json()["code"]) == (409, "invalid_status_transition")

    await client.post(f"/api/v1/users/{victim.id}/reactivate", headers=admin.headers)
    victim = await make_account.refresh(victim.id)
    assert (await client.get("/api/v1/users/me", headers=victim.headers)).status_code == 200

    deactivated = await client.delete(f"/api/v1/users/{victim.id}", headers=admin.headers)
    assert deactivated.json()["status"] == "deactivated"
    victim = await make_account.refresh(victim.id)
    assert (await client.get("/api/v1/users/me", headers=victim.headers)).status_code == 401

    self_suspend = await client.post(f"/api/v1/users/{admin.id}/suspend", headers=admin.headers)
    assert (self_suspend.status_code, self_suspend.json()["code"]) == (409, "cannot_change_self")


async def test_admin_edits_another_user(make_account, client):
    admin, user = await make_account("admin"), await make_account()
    response = await client.patch(f"/api/v1/users/{user.id}", json={"last_name": "Hopper"}, headers=admin.headers)
    assert response.json()["last_name"] == "Hopper"
    fetched = await client.get(f"/api/v1/users/{user.id}", headers=admin.headers)
    assert fetched.json()["last_name"] == "Hopper"


async def test_admin_stats(make_account, client):
    admin = await make_account("admin")
    await make_account("moderator")
    stats = (await client.get("/api/v1/admin/stats", headers=admin.headers)).json()
    assert set(stats["by_status"]) == {"active", "suspended", "deactivated"}
    assert stats["by_role"]["admin"] >= 1 and stats["by_role"]["moderator"] >= 1
    assert len(stats["signups_per_day"]) == 30
    assert stats["signups_per_day"][-1]["count"] >= 2
    assert stats["total"] == sum(stats["by_status"].values())
