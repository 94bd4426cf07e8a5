"""The OpenAPI pages of main and medias log in through auth_service's token URL from another origin: auth answers
their browsers' CORS preflight and token requests for the configured origins (AUTH_HTTP_CORS_ORIGINS), no others."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.platform import Platform, register, run_platform

PAGE = "http://127.0.0.1:3000"


@pytest.fixture(scope="module")
def cors_platform(main_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    auth_env = {"AUTH_HTTP_CORS_ORIGINS": f"{PAGE},http://localhost:3000"}
    with run_platform(main_db_url, tmp_path_factory.mktemp("cors"), auth_env=auth_env) as running:
        yield running


async def test_the_token_url_answers_a_doc_page_of_another_origin(cors_platform: Platform) -> None:
    async with httpx.AsyncClient(base_url=cors_platform.auth_url, timeout=10) as auth:
        # what Swagger UI's Authorize button sends: a form post with X-Requested-With, so the browser asks first
        preflight = await auth.options(
            "/api/v1/auth/token",
            headers={
                "Origin": PAGE,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-requested-with",
            },
        )
        assert preflight.status_code in (200, 204), preflight.text
        assert preflight.headers["access-control-allow-origin"] == PAGE
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "x-requested-with" in preflight.headers["access-control-allow-headers"].lower()

        account = await register(auth)
        form = {"grant_type": "password", "username": account["username"], "password": account["password"]}
        token = await auth.post("/api/v1/auth/token", data=form, headers={"Origin": PAGE})
        assert token.status_code == 200, token.text
        assert token.headers["access-control-allow-origin"] == PAGE

        stranger = await auth.post("/api/v1/auth/token", data=form, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in stranger.headers
