"""Every main_service endpoint with no token, with a token lacking the permission, and with one that has it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.main_service.conftest import Account


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {target} is another user's id, {role} a throw-away role's id
    permission: str | None  # None: any signed-in user
    body: Any = None
    ok: int = 200


ENDPOINTS = [
    Endpoint("GET", "/api/v1/users/me", None),
    Endpoint("PATCH", "/api/v1/users/me", None, {"first_name": "Ada"}),
    Endpoint(
        "PUT",
        "/api/v1/users/me",
        None,
        {"email": "{me_email}", "username": "{me_username}", "first_name": "A", "last_name": None},
    ),
    Endpoint("GET", "/api/v1/permissions", None),
    Endpoint("GET", "/api/v1/features", None),
    Endpoint("GET", "/api/v1/users", "users:read"),
    Endpoint("GET", "/api/v1/users/{target}", "users:read"),
    Endpoint("PATCH", "/api/v1/users/{target}", "users:write", {"last_name": "Lovelace"}),
    Endpoint("POST", "/api/v1/users/{target}/suspend", "users:write"),
    Endpoint(
        "POST", "/api/v1/users/{target}/reactivate", "users:write", ok=409
    ),  # active already: allowed, refused by state
    Endpoint("DELETE", "/api/v1/users/{target}", "users:write"),
    Endpoint("DELETE", "/api/v1/users/{target}/mfa", "users:write", ok=409),  # no TOTP: allowed, refused by state
    Endpoint("GET", "/api/v1/roles", "roles:manage"),
    Endpoint("POST", "/api/v1/roles", "roles:manage", {"name": "r{rand}", "permissions": ["media:read"]}, ok=201),
    Endpoint("GET", "/api/v1/roles/{role}", "roles:manage"),
    Endpoint("PATCH", "/api/v1/roles/{role}", "roles:manage", {"description": "changed"}),
    Endpoint("PUT", "/api/v1/roles/{role}/permissions", "roles:manage", {"permissions": ["media:read"]}),
    Endpoint("DELETE", "/api/v1/roles/{role}", "roles:manage", ok=204),
    Endpoint("PUT", "/api/v1/users/{target}/roles/moderator", "roles:manage"),
    Endpoint("DELETE", "/api/v1/users/{target}/roles/moderator", "roles:manage"),
    Endpoint("GET", "/api/v1/admin/stats", "admin:stats"),
]

IDS = [f"{e.method} {e.path}" for e in ENDPOINTS]


def fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    return value


@pytest.fixture
async def world(make_account, client, tokens):
    admin = await make_account("admin")
    plain = await make_account()
    target = await make_account()
    role = await client.post("/api/v1/roles", json={"name": f"tmp{uuid.uuid4().hex[:8]}"}, headers=admin.headers)
    assert role.status_code == 201, role.text
    admin = await make_account.refresh(admin.id)  # not needed for admin, but keeps ver exact
    plain = await make_account.refresh(plain.id)
    return {"admin": admin, "plain": plain, "target": target, "role": role.json()["id"]}


def request_for(endpoint: Endpoint, world: dict[str, Any], caller: Account | None) -> tuple[str, str, Any]:
    values = {
        "target": str(world["target"].id),
        "role": world["role"],
        "rand": uuid.uuid4().hex[:8],
        "me_email": caller.email if caller else "x@example.com",
        "me_username": caller.username if caller else "x",
    }
    return endpoint.method, fill(endpoint.path, values), fill(endpoint.body, values)


async def snapshot(client, world: dict[str, Any]) -> dict[str, Any]:
    """Everything a refused request could have changed, read back as the admin: the three users (with their
    roles and token versions), the throw-away role, and every user and role listed."""
    headers = world["admin"].headers
    paths = [f"/api/v1/users/{world[name].id}" for name in ("admin", "plain", "target")]
    paths += [f"/api/v1/roles/{world['role']}", "/api/v1/roles?limit=100", "/api/v1/users?limit=100"]
    state = {}
    for path in paths:
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        state[path] = response.json()
    return state


@pytest.fixture
async def unchanged(client, world):
    """Asserts, after the test, that nothing the refused requests could reach was written."""
    before = await snapshot(client, world)
    yield
    assert await snapshot(client, world) == before


def assert_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert "traceback" not in response.text.lower()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
@pytest.mark.usefixtures("unchanged")
async def test_without_a_token_is_401(endpoint, world, client):
    method, path, body = request_for(endpoint, world, None)
    response = await client.request(method, path, json=body)
    assert_problem(response, 401, "not_authenticated")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
@pytest.mark.usefixtures("unchanged")
async def test_a_service_token_is_not_a_user(endpoint, world, client, service_headers):
    method, path, body = request_for(endpoint, world, None)
    response = await client.request(method, path, json=body, headers=service_headers)
    assert_problem(response, 401, "invalid_token")


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if e.permission],
    ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.permission],
)
@pytest.mark.usefixtures("unchanged")
async def test_lacking_the_permission_is_403(endpoint, world, client):
    plain = world["plain"]
    assert endpoint.permission not in plain.permissions
    method, path, body = request_for(endpoint, world, plain)
    response = await client.request(method, path, json=body, headers=plain.headers)
    assert_problem(response, 403, "permission_denied")
    assert response.json()["required"] == [endpoint.permission]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
async def test_holding_the_permission_succeeds(endpoint, world, client):
    caller = world["admin"] if endpoint.permission else world["plain"]
    method, path, body = request_for(endpoint, world, caller)
    response = await client.request(method, path, json=body, headers=caller.headers)
    assert response.status_code == endpoint.ok, response.text


INTERNAL = [
    ("GET", "/internal/v1/users/lookup?login=nobody@example.com", None),
    ("GET", "/internal/v1/users/{target}", None),
    ("GET", "/internal/v1/users/{target}/limits", None),
    ("POST", "/internal/v1/users/", {"email": "i@example.com", "username": "iii", "password_hash": "h"}),
    ("PUT", "/internal/v1/users/{target}/password", {"password_hash": "h2"}),
    ("POST", "/internal/v1/users/{target}/revoke-tokens", None),
    ("POST", "/internal/v1/users/{target}/logins", None),
]


@pytest.mark.parametrize(("method", "path", "body"), INTERNAL, ids=[f"{m} {p}" for m, p, _ in INTERNAL])
@pytest.mark.usefixtures("unchanged")
async def test_internal_endpoints_want_a_service_token(method, path, body, world, client):
    path = path.format(target=world["target"].id)
    assert_problem(await client.request(method, path, json=body), 401, "not_authenticated")
    admin = world["admin"]  # even an admin's user token is refused
    assert_problem(await client.request(method, path, json=body, headers=admin.headers), 403, "permission_denied")


@pytest.mark.parametrize(("method", "path", "body"), INTERNAL, ids=[f"{m} {p}" for m, p, _ in INTERNAL])
@pytest.mark.usefixtures("unchanged")
async def test_internal_endpoints_are_scoped_by_service(method, path, body, world, client, tokens):
    """A medias_service token reads limits only; a service unknown to main_service gets nothing."""
    path = path.format(target=world["target"].id)
    medias = {"Authorization": f"Bearer {tokens.service('medias_service')}"}
    rogue = {"Authorization": f"Bearer {tokens.service('rogue_service')}"}
    response = await client.request(method, path, json=body, headers=medias)
    if path.endswith("/limits"):
        assert response.status_code == 200, response.text
    else:
        assert_problem(response, 403, "permission_denied")
    assert_problem(await client.request(method, path, json=body, headers=rogue), 403, "permission_denied")
