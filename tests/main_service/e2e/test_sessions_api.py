"""/internal/v1 sessions over the real app: service tokens only, rotation, reuse detection, revocation."""

from __future__ import annotations

import pytest

TTL = 3600


async def start(client, service_headers, user_id, **extra):
    response = await client.post(
        "/internal/v1/sessions/",
        json={
            "user_id": str(user_id),
            "ttl_seconds": TTL,
            "user_agent": "pytest",
            "ip_address": "198.51.100.7",
            **extra,
        },
        headers=service_headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def rotation(session, generation, version=0, grace=0):
    return {
        "family_id": session["family_id"],
        "generation": generation,
        "token_version": version,
        "ttl_seconds": TTL,
        "grace_seconds": grace,
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/internal/v1/sessions/"),
        ("get", "/internal/v1/sessions/01890000-0000-7000-8000-000000000000"),
        ("get", "/internal/v1/users/01890000-0000-7000-8000-000000000000/sessions"),
    ],
)
async def test_user_tokens_get_403_and_anonymous_401(client, make_account, method, path) -> None:
    account = await make_account("admin")
    assert (await client.request(method, path, headers=account.headers, json={})).status_code == 403
    assert (await client.request(method, path, json={})).status_code == 401


async def test_session_lifecycle(client, make_account, service_headers) -> None:
    account = await make_account("user")
    session = await start(client, service_headers, account.id)
    assert (session["generation"], session["active"], session["user_agent"]) == (0, True, "pytest")
    me = await client.get(f"/internal/v1/users/{account.id}", headers=service_headers)
    assert me.json()["id"] == str(account.id)

    rotated = await client.post(
        f"/internal/v1/sessions/{session['id']}/rotate", json=rotation(session, 0), headers=service_headers
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["session"]["generation"] == 1
    assert rotated.json()["user"]["roles"] == ["user"]

    replay = await client.post(
        f"/internal/v1/sessions/{session['id']}/rotate", json=rotation(session, 0), headers=service_headers
    )
    assert replay.status_code == 401
    assert replay.json()["code"] == "refresh_token_reused"
    after = (await client.get(f"/internal/v1/sessions/{session['id']}", headers=service_headers)).json()
    assert (after["active"], after["revoked_reason"]) == (False, "reuse_detected")


async def test_grace_interval_answers_the_current_generation(client, make_account, service_headers) -> None:
    account = await make_account("user")
    session = await start(client, service_headers, account.id)
    url = f"/internal/v1/sessions/{session['id']}/rotate"
    first = await client.post(url, json=rotation(session, 0, grace=30), headers=service_headers)
    again = await client.post(url, json=rotation(session, 0, grace=30), headers=service_headers)
    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert first.json()["session"]["generation"] == again.json()["session"]["generation"] == 1


async def test_token_version_mismatch_and_suspension_fail_rotation(client, make_account, service_headers) -> None:
    account = await make_account("user")
    session = await start(client, service_headers, account.id)
    stale = await client.post(
        f"/internal/v1/sessions/{session['id']}/rotate", json=rotation(session, 0, version=7), headers=service_headers
    )
    assert stale.status_code == 401
    assert stale.json()["code"] == "account_inactive"


async def test_list_revoke_one_revoke_all_and_touch(client, make_account, service_headers) -> None:
    account = await make_account("user")
    other = await make_account("user")
    a = await start(client, service_headers, account.id)
    b = await start(client, service_headers, account.id)
    c = await start(client, service_headers, account.id)
    url = f"/internal/v1/users/{account.id}/sessions"

    listed = (await client.get(url, headers=service_headers)).json()
    assert listed["total"] == 3
    assert [s["id"] for s in listed["items"]] == [c["id"], b["id"], a["id"]]

    assert (await client.post(f"/internal/v1/sessions/{a['id']}/touch", headers=service_headers)).status_code == 204

    foreign = await client.post(
        f"/internal/v1/sessions/{a['id']}/revoke", json={"user_id": str(other.id)}, headers=service_headers
    )
    assert foreign.status_code == 404
    one = await client.post(
        f"/internal/v1/sessions/{a['id']}/revoke",
        json={"user_id": str(account.id), "reason": "logout"},
        headers=service_headers,
    )
    assert one.status_code == 200
    assert one.json()["revoked_reason"] == "logout"

    rest = await client.post(f"{url}/revoke", json={"except_session_id": c["id"]}, headers=service_headers)
    assert rest.json() == {"revoked": 1}
    active = (await client.get(url, headers=service_headers)).json()
    assert [s["id"] for s in active["items"]] == [c["id"]]
    everything = (await client.get(url, params={"active_only": "false"}, headers=service_headers)).json()
    assert everything["total"] == 3

    family = await client.post(
        f"/internal/v1/sessions/families/{c['family_id']}/revoke", json={}, headers=service_headers
    )
    assert family.json() == {"revoked": 1}
    assert (await client.get(url, headers=service_headers)).json()["total"] == 0


async def test_suspended_users_cannot_start_sessions(client, make_account, service_headers) -> None:
    admin = await make_account("admin")
    account = await make_account("user")
    suspended = await client.post(f"/api/v1/users/{account.id}/suspend", headers=admin.headers)
    assert suspended.status_code == 200, suspended.text
    response = await client.post(
        "/internal/v1/sessions/", json={"user_id": str(account.id), "ttl_seconds": TTL}, headers=service_headers
    )
    assert response.status_code == 401
    assert response.json()["code"] == "account_inactive"


async def test_speculative_session_confirm_and_discard(client, make_account, service_headers) -> None:
    account = await make_account("user")
    session = await start(client, service_headers, account.id, record_login=False)
    profile = (await client.get("/api/v1/users/me", headers=account.headers)).json()
    assert profile["last_login_at"] is None  # opened, but not a login yet
    confirmed = await client.post(f"/internal/v1/sessions/{session['id']}/login", headers=service_headers)
    assert confirmed.status_code == 204
    assert (await client.get("/api/v1/users/me", headers=account.headers)).json()["last_login_at"] is not None

    other = await start(client, service_headers, account.id, record_login=False)
    assert (await client.delete(f"/internal/v1/sessions/{other['id']}", headers=service_headers)).status_code == 204
    assert (await client.get(f"/internal/v1/sessions/{other['id']}", headers=service_headers)).status_code == 404
    assert (await client.delete(f"/internal/v1/sessions/{other['id']}", headers=service_headers)).status_code == 404
