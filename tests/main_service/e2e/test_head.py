"""HEAD on every GET route answers as GET does, without content (RFC 9110 §9.3.2)."""

from __future__ import annotations

from tests.support.head import assert_head_mirrors_get


async def test_head_answers_every_get_route_with_gets_status_and_headers(
    client, main_app, make_account, service_headers
):
    admin = await make_account("admin")
    roles = (await client.get("/api/v1/roles", headers=admin.headers)).json()["items"]
    samples = {
        "user_id": str(admin.id),
        "role_id": roles[0]["id"],
        "session_id": "0190a4c2-7c51-7000-8000-000000000000",
        "file_path": "swagger-ui.css",
        "path": "openapi.yaml",
    }
    volatile = {"/metrics": {"content-length"}}
    seen = await assert_head_mirrors_get(client, main_app, samples, admin.headers, volatile=volatile)
    seen += await assert_head_mirrors_get(client, main_app, samples, service_headers, volatile=volatile)
    assert ("/api/v1/users/me", 200) in seen and (f"/internal/v1/users/{admin.id}", 200) in seen
