"""What every service exposes: problems for every failure, request ids, health, readiness, metrics, OpenAPI."""

from __future__ import annotations

import re

from main_service.main.app import create_http_app
from tests.main_service.conftest import main_settings
from tests.support.asgi import asgi_client, running


async def test_router_404_and_405_are_problems_with_a_request_id(client):
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"
    assert missing.json()["request_id"] == missing.headers["x-request-id"]

    wrong_method = await client.post("/health")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")


async def test_request_id_is_taken_from_the_caller_or_made(client):
    given = await client.get("/health", headers={"X-Request-ID": "trace-abc.123"})
    assert given.headers["x-request-id"] == "trace-abc.123"
    hostile = await client.get("/health", headers={"X-Request-ID": "bad id\twith spaces" * 20})
    assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["x-request-id"])


async def test_malformed_json_and_bad_tokens_are_problems(make_account, client):
    user = await make_account()
    broken = await client.patch(
        "/api/v1/users/me", content=b"{not json", headers=user.headers | {"content-type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in broken.text

    for header in ("Basic abc", "Bearer", "Bearer not.a.jwt"):
        response = await client.get("/api/v1/users/me", headers={"Authorization": header})
        assert (response.status_code, response.json()["code"]) == (401, "invalid_token"), header


async def test_health_ready_and_metrics(client):
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "revocations": "ok"}}
    await client.get("/api/v1/users/me")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "main_service_requests_total" in metrics.text


async def test_ready_is_503_when_the_database_is_unreachable(jwt_settings):
    settings = main_settings("postgresql+asyncpg://postgres@127.0.0.1:1/none", jwt_settings)
    async with running(create_http_app(settings)) as app, asgi_client(app, "http://main") as http:
        ready = await http.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "unavailable"
        assert (await http.get("/health")).status_code == 200


async def test_openapi_document_and_an_offline_interactive_page(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/users/me" in schema["paths"]
    assert "BearerToken" in schema["components"]["securitySchemes"]
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    links = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)  # either quote: the favicon uses '
    assert [link for link in links if not link.startswith("/schema/assets/")] == []  # offline: no CDN, no favicon
    assert any(link.endswith("favicon-32x32.png") for link in links)
    assert len(links) == 4
    for asset in links:
        assert (await client.get(asset)).status_code == 200, asset
    # the bundled Swagger UI must render the document's OpenAPI version (4.x refuses 3.1: a page with no API)
    assert schema["openapi"].startswith("3.1.")
    bundle = await client.get(next(link for link in links if link.endswith("swagger-ui-bundle.js")))
    assert "isOAS31" in bundle.text


async def test_liveness_answers_like_its_documented_route_with_a_request_id(client):
    alive = await client.get("/health", headers={"x-request-id": "probe-1"})
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert alive.headers["content-type"].startswith("application/json")
    assert alive.headers["x-request-id"] == "probe-1"
    schema = (await client.get("/schema/openapi.json")).json()
    assert "get" in schema["paths"]["/health"]
