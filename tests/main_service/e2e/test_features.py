"""Feature flags: a GrowthBook payload served over real HTTP, targeted by role."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from main_service.main.app import create_http_app
from tests.main_service.conftest import main_settings
from tests.support.asgi import asgi_client, running
from tests.support.keys import StaticHttpServer

CLIENT_KEY = "sdk-test"
PAYLOAD_PATH = f"/api/features/{CLIENT_KEY}"


def payload(moderator_upload_mb: int) -> dict:
    by_role = {"roles": {"$elemMatch": {"$eq": "moderator"}}}
    return {
        "features": {
            "beta-editor": {"defaultValue": False, "rules": [{"condition": by_role, "force": True}]},
            "media-max-upload-mb": {
                "defaultValue": 10,
                "rules": [{"condition": by_role, "force": moderator_upload_mb}],
            },
            "user-registration": {"defaultValue": True},
        }
    }


@pytest.fixture
def growthbook():
    with StaticHttpServer({PAYLOAD_PATH: payload(500)}).running() as server:
        yield server


@pytest.fixture
async def flagged(main_db_url, jwt_settings, growthbook):
    settings = main_settings(
        main_db_url,
        jwt_settings,
        GROWTHBOOK_API_HOST=growthbook.url,
        GROWTHBOOK_CLIENT_KEY=CLIENT_KEY,
        GROWTHBOOK_REFRESH_SECONDS="0.2",
    )
    async with running(create_http_app(settings)) as app, asgi_client(app, "http://main") as http:
        yield app, http


async def test_a_role_rule_changes_the_features_answer(flagged, make_account_for, service_headers):
    app, http = flagged
    make = make_account_for(app, http)
    user = await make()
    plain = (await http.get("/api/v1/features", headers=user.headers)).json()
    assert plain["beta-editor"] is False
    assert plain["media-max-upload-mb"] == 10

    admin = await make("admin")
    await http.put(f"/api/v1/users/{user.id}/roles/moderator", headers=admin.headers)
    user = await make.refresh(user.id)
    promoted = (await http.get("/api/v1/features", headers=user.headers)).json()
    assert promoted["beta-editor"] is True
    assert promoted["media-max-upload-mb"] == 500

    limits = await http.get(f"/internal/v1/users/{user.id}/limits", headers=service_headers)
    assert limits.json()["max_upload_bytes"] == 500 * 1024 * 1024


async def test_refreshes_in_background_and_keeps_the_last_good_payload(flagged, growthbook, make_account_for):
    app, http = flagged
    make = make_account_for(app, http)
    moderator = await make("moderator")
    assert (await http.get("/api/v1/features", headers=moderator.headers)).json()["media-max-upload-mb"] == 500

    growthbook.documents[PAYLOAD_PATH] = payload(700)
    for _ in range(50):
        await asyncio.sleep(0.1)
        if (await http.get("/api/v1/features", headers=moderator.headers)).json()["media-max-upload-mb"] == 700:
            break
    else:
        pytest.fail("the new payload was never picked up")

    del growthbook.documents[PAYLOAD_PATH]  # the server now answers 404
    hits = growthbook.hits.get(PAYLOAD_PATH, 0)
    for _ in range(100):  # it keeps trying: wait for its next attempt rather than for a fixed time
        if growthbook.hits[PAYLOAD_PATH] > hits:
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail("no attempt after the server started answering 404")
    assert (await http.get("/api/v1/features", headers=moderator.headers)).json()["media-max-upload-mb"] == 700


async def test_registration_switched_off_by_flag(main_db_url, jwt_settings, tmp_path, service_headers):
    features = tmp_path / "features.json"
    features.write_bytes(msgspec.json.encode({"features": {"user-registration": {"defaultValue": False}}}))
    settings = main_settings(main_db_url, jwt_settings, GROWTHBOOK_FEATURES_FILE=str(features))
    async with running(create_http_app(settings)) as app, asgi_client(app, "http://main") as http:
        response = await http.post(
            "/internal/v1/users/",
            json={"email": "closed@example.com", "username": "closed", "password_hash": "h"},
            headers=service_headers,
        )
    assert (response.status_code, response.json()["code"]) == (403, "registration_disabled")
