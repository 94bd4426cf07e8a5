"""main_service's input is bounded at the boundary (400/422 naming the field) and compared in NFC (issue 9 §1, §4)."""

from __future__ import annotations

import unicodedata
import uuid

from tests.main_service.e2e.test_sessions_api import rotation


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


async def test_the_nfd_spelling_of_a_taken_email_is_409_and_finds_the_account(client, service_headers):
    suffix = uuid.uuid4().hex[:8]
    email = f"j\u00fcrgen{suffix}@example.com"
    first = await client.post(
        "/internal/v1/users/",
        json={"email": email, "username": f"j{suffix}", "password_hash": "$argon2id$x"},
        headers=service_headers,
    )
    assert first.status_code == 201, first.text
    second = await client.post(
        "/internal/v1/users/",
        json={"email": nfd(email), "username": f"k{suffix}", "password_hash": "$argon2id$x"},
        headers=service_headers,
    )
    assert (second.status_code, second.json()["code"]) == (409, "email_taken")
    found = await client.get("/internal/v1/users/lookup", params={"login": nfd(email)}, headers=service_headers)
    assert (found.status_code, found.json()["id"]) == (200, first.json()["id"])


async def test_names_and_search_are_nfc(make_account, client):
    admin = await make_account("admin")
    me = await make_account()
    patched = await client.patch(
        "/api/v1/users/me", json={"first_name": nfd("Zo\u00eb"), "last_name": "  Br\u00f6nte "}, headers=me.headers
    )
    assert (patched.json()["first_name"], patched.json()["last_name"]) == ("Zo\u00eb", "Br\u00f6nte")
    email = f"z\u00f6e{uuid.uuid4().hex[:8]}@example.com"
    moved = await client.patch("/api/v1/users/me", json={"email": nfd(email)}, headers=me.headers)
    assert (moved.status_code, moved.json()["email"]) == (200, email)
    found = await client.get("/api/v1/users", params={"q": nfd(email)}, headers=admin.headers)
    assert [user["id"] for user in found.json()["items"]] == [str(me.id)]


async def test_control_characters_are_refused_naming_the_field(make_account, client, service_headers):
    me = await make_account()
    admin = await make_account("admin")
    for body, field in [({"first_name": "a\u0000b"}, "first_name"), ({"email": "a\u0000b@example.com"}, "email")]:
        response = await client.patch("/api/v1/users/me", json=body, headers=me.headers)
        assert (response.status_code, response.json()["errors"][0]["key"]) == (400, field)
    search = await client.get("/api/v1/users?q=%00", headers=admin.headers)
    assert (search.status_code, search.json()["errors"][0]["key"]) == (400, "q")
    role = await client.post("/api/v1/roles", json={"name": "r\u0000x"}, headers=admin.headers)
    assert (role.status_code, role.json()["errors"][0]["key"]) == (400, "name")
    description = await client.post(
        "/api/v1/roles", json={"name": f"r{uuid.uuid4().hex[:8]}", "description": "a\u0001b"}, headers=admin.headers
    )
    assert (description.status_code, description.json()["errors"][0]["key"]) == (400, "description")
    grant = await client.put(f"/api/v1/users/{me.id}/roles/{'x' * 300}", headers=admin.headers)
    assert (grant.status_code, grant.json()["errors"][0]["key"]) == (400, "role_name")
    lookup = await client.get("/internal/v1/users/lookup?login=a%00b", headers=service_headers)
    assert (lookup.status_code, lookup.json()["errors"][0]["key"]) == (400, "login")


async def test_integers_past_their_column_are_400(make_account, client, service_headers):
    me = await make_account()
    started = await client.post(
        "/internal/v1/sessions/", json={"user_id": str(me.id), "ttl_seconds": 60}, headers=service_headers
    )
    session = started.json()
    for field in ("generation", "token_version"):
        body = {**rotation(session, 0), field: 2**31}
        response = await client.post(
            f"/internal/v1/sessions/{session['id']}/rotate", json=body, headers=service_headers
        )
        assert (response.status_code, response.json()["errors"][0]["key"]) == (400, field)
    agent = await client.post(
        "/internal/v1/sessions/",
        json={"user_id": str(me.id), "ttl_seconds": 60, "user_agent": "x" * 513},
        headers=service_headers,
    )
    assert (agent.status_code, agent.json()["errors"][0]["key"]) == (400, "user_agent")
