"""The permission matrix: who may read, change, cancel and adjust what. Someone else's project or job is 404 to a
plain user (existence does not leak), readable with studio:read:any, changeable with studio:write:any; credits
adjustments need credits:adjust; a token without studio:use owns nothing here."""

from __future__ import annotations

import httpx
import pytest

from tests.studio_service.conftest import ADMIN_PERMISSIONS, MODERATOR_PERMISSIONS, create_job, grant, new_project

IDENTITIES = ("anonymous", "owner", "other", "moderator", "admin", "powerless")


@pytest.fixture
def world(studio_url, make_user):
    users = {
        "owner": make_user(),
        "other": make_user(),
        "moderator": make_user([p for p in MODERATOR_PERMISSIONS if p != "studio:write:any"]),
        "admin": make_user(ADMIN_PERMISSIONS),
        "powerless": make_user(["media:read"]),
    }
    with httpx.Client(base_url=studio_url, timeout=30) as http:
        grant(http, users["admin"], users["owner"], 100)
        project = new_project(http, users["owner"])
        job = create_job(http, users["owner"], project, "noop", seconds=30).json()["id"]
        yield http, users, project, job


def headers(users, who: str) -> dict[str, str]:
    return {} if who == "anonymous" else users[who].headers


# (method, path template, body) -> expected status per identity, in IDENTITIES order
MATRIX = [
    (("GET", "/api/v1/projects/{project}", None), (401, 200, 404, 200, 200, 404)),
    (("PATCH", "/api/v1/projects/{project}", {"description": "x"}), (401, 200, 404, 403, 200, 404)),
    (("GET", "/api/v1/projects/{project}/assets", None), (401, 200, 404, 200, 200, 404)),
    (("GET", "/api/v1/jobs/{job}", None), (401, 200, 404, 200, 200, 404)),
    (("GET", "/api/v1/credits/balance", None), (401, 200, 200, 200, 200, 403)),
    (("GET", "/api/v1/credits/balance?user_id={owner}", None), (401, 200, 403, 200, 200, 403)),
    (("POST", "/api/v1/projects/", {"name": "Mine"}), (401, 201, 201, 201, 201, 403)),
    (("POST", "/api/v1/credits/adjustments", {"user_id": "{owner}", "amount": 1}), (401, 403, 403, 403, 201, 403)),
    (("GET", "/api/v1/subscriptions/current", None), (401, 200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize(("request_", "expected"), MATRIX, ids=[f"{m} {p}" for (m, p, _), _ in MATRIX])
def test_the_permission_matrix(world, request_, expected) -> None:
    http, users, project, job = world
    method, template, body = request_
    path = template.format(project=project, job=job, owner=users["owner"].id)
    if isinstance(body, dict):
        body = {k: (v.format(owner=users["owner"].id) if isinstance(v, str) else v) for k, v in body.items()}
    got = tuple(http.request(method, path, json=body, headers=headers(users, who)).status_code for who in IDENTITIES)
    assert dict(zip(IDENTITIES, got, strict=True)) == dict(zip(IDENTITIES, expected, strict=True))


def test_cancel_by_others_and_by_a_writer_of_anyones(world, make_user) -> None:
    http, users, project, job = world
    assert http.delete(f"/api/v1/jobs/{job}", headers=users["other"].headers).status_code == 404
    assert http.delete(f"/api/v1/jobs/{job}", headers=users["moderator"].headers).status_code == 403
    writer = make_user([*MODERATOR_PERMISSIONS])
    assert http.delete(f"/api/v1/jobs/{job}", headers=writer.headers).status_code == 202
    assert (
        http.post(
            "/api/v1/jobs/",
            json={"project_id": project, "type": "noop"},
            headers={**users["admin"].headers, "Idempotency-Key": "a"},
        ).status_code
        == 403
    )  # jobs run on your own projects
