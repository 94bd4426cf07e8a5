"""HEAD on every GET route answers as GET does, without content (RFC 9110 §9.3.2)."""

from __future__ import annotations

from auth_service.main.app import create_http_app
from tests.support.head import assert_head_mirrors_get
from tests.support.platform import bearer, register


async def test_head_answers_every_get_route_with_gets_status_and_headers(platform, auth):
    account = await register(auth)
    routes = create_http_app(platform.auth_settings)  # the same routes as the served app, listed, never run
    samples = {"file_path": "swagger-ui.css", "path": "openapi.yaml"}
    seen = await assert_head_mirrors_get(
        auth, routes, samples, bearer(account["access_token"]), volatile={"/metrics": {"content-length"}}
    )
    assert ("/.well-known/jwks.json", 200) in seen and ("/api/v1/auth/sessions", 200) in seen
