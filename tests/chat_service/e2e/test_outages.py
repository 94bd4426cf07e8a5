"""A dependency that does not answer is a fast 503 dependency_unavailable, and nothing is half written."""

from __future__ import annotations

import asyncio
import time

import httpx

from chat_service.main.app import create_http_app
from tests.chat_service.conftest import chat_service_tokens, chat_settings
from tests.chat_service.e2e.helpers import create_group
from tests.support.servers import free_port, serve_app


def test_adding_a_member_while_main_service_is_down_answers_503_and_records_nothing(
    chat_db_url, directory_server, jwt_settings, tokens, make_user
) -> None:
    alice = make_user()
    dead = f"http://127.0.0.1:{free_port()}"
    settings = chat_settings(chat_db_url, dead, jwt_settings, REVOCATION_MAIN_URL=directory_server)
    app = create_http_app(settings, overrides=[chat_service_tokens(tokens)])
    with serve_app(app) as url:

        async def scenario() -> None:
            async with httpx.AsyncClient(base_url=url) as http:
                group = (await create_group(http, alice))["id"]
                started = time.monotonic()
                answer = await http.post(
                    f"/api/v1/groups/{group}/members", json={"email": "someone@example.com"}, headers=alice.headers
                )
                assert (answer.status_code, answer.json()["code"]) == (503, "dependency_unavailable")
                assert time.monotonic() - started < 2
                history = await http.get(f"/api/v1/groups/{group}/messages", headers=alice.headers)
                assert history.json() == []

        asyncio.run(scenario())
