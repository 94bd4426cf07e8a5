"""medias_service answers as its OpenAPI document says, anonymous, as a plain user and as a moderator (the guard
of issue 9 §1 and §6: schemathesis with all its checks; any 5xx fails). Seeded media — private, public, with
several versions, in the trash — give the path ids real rows to name."""

from __future__ import annotations

import asyncio
import time

import httpx
import msgspec

from medias_service.main.app import create_http_app
from medias_service.main.pipeline_settings import AmqpSettings
from tests.medias_service.conftest import SignedTokensProvider
from tests.medias_service.support import MODERATOR_PERMISSIONS, png_bytes
from tests.support.contract import Identity, run_contract
from tests.support.servers import serve_app


def wait_until_processed(http: httpx.Client, headers: dict[str, str], ids: list[str], timeout: float = 60) -> None:
    """Until every media's current version has left pending/processing (the jobs run in the app's own loop)."""
    deadline = time.monotonic() + timeout
    while ids:
        assert time.monotonic() < deadline, f"still processing: {ids}"
        states = {media: http.get(f"/api/v1/media/{media}", headers=headers).json()["status"] for media in ids}
        ids = [media for media, state in states.items() if state in ("pending", "processing")]
        time.sleep(0.05)


def test_medias_service_honours_its_openapi_document(medias_settings, service_tokens, make_user):
    user = asyncio.run(make_user())
    moderator = asyncio.run(make_user(MODERATOR_PERMISSIONS))
    # no broker: the HTTP process runs the jobs itself (as under make dev), so seeded images get their sizes
    settings = msgspec.structs.replace(medias_settings, amqp=AmqpSettings(url=""))
    app = create_http_app(settings, overrides=[SignedTokensProvider(service_tokens)])
    with serve_app(app) as url, httpx.Client(base_url=url, timeout=10) as http:

        def upload(data: bytes, name: str, **fields: str) -> dict:
            answer = http.post("/api/v1/media/", files={"file": (name, data)}, data=fields, headers=user.headers)
            assert answer.status_code == 201, answer.text
            return answer.json()

        private = upload(png_bytes(3, 2), "private.png", tags="contract")
        public = upload(b"plain words for everyone\n", "public.txt", is_public="true")
        versioned = upload(png_bytes(2, 2), "v1.png")
        added = http.post(
            f"/api/v1/media/{versioned['id']}/versions",
            files={"file": ("v2.png", png_bytes(4, 4))},
            headers=user.headers,
        )
        assert added.status_code == 201, added.text
        trashed = upload(png_bytes(5, 5), "trashed.png")
        assert http.delete(f"/api/v1/media/{trashed['id']}", headers=user.headers).status_code == 204
        wait_until_processed(http, user.headers, [private["id"], public["id"], versioned["id"]])
        known = {
            "media_id": [private["id"], public["id"], versioned["id"], trashed["id"]],
            "number": [1, 2],
            "name": ["thumb", "small", "poster"],
        }
        identities = [Identity("anonymous"), Identity("user", user.headers), Identity("moderator", moderator.headers)]
        run = run_contract(url, identities, known)
    print(f"medias_service: {run.calls} calls in {run.seconds:.1f}s")
    assert not run.server_errors, run.report()
    assert not run.failures, run.report()
