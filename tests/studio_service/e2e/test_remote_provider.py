"""The remote-provider adapter against a local fake provider: the job is submitted over HTTP, the provider calls
back signed per Standard Webhooks (progress, then the result's URL), and the output lands in the library.
Unsigned or wrongly signed callbacks are 400 and change nothing."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from standardwebhooks import Webhook

from tests.medias_service.support import png_bytes
from tests.studio_service.conftest import create_job, grant, new_project, serve_studio, studio_settings, wait_for
from tests.support.servers import free_port

SECRET = "whsec_" + base64.b64encode(b"studio-remote-provider-test-secret").decode()
IMAGE = png_bytes(64, 48)


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    message_id = f"msg_{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    signature = Webhook(secret).sign(message_id, now, body.decode())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


class FakeProvider:
    """Accepts POST /jobs, then calls back twice (running 50, succeeded with the output's URL) from a thread."""

    def __init__(self) -> None:
        self.submitted: list[dict] = []
        self.url = ""

    def _call_back(self, job: dict) -> None:
        time.sleep(0.3)
        for word in (
            {"job_id": job["job_id"], "status": "running", "progress": 50},
            {"job_id": job["job_id"], "status": "succeeded", "progress": 100, "output_url": f"{self.url}/out.png"},
        ):
            body = json.dumps(word).encode()
            httpx.post(job["callback_url"], content=body, headers=signed(body), timeout=10).raise_for_status()
            time.sleep(0.3)

    def running(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                job = json.loads(self.rfile.read(int(self.headers["content-length"])))
                assert self.headers["authorization"] == "Bearer provider-key"
                provider.submitted.append(job)
                threading.Thread(target=provider._call_back, args=(job,), daemon=True).start()
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(IMAGE)))
                self.end_headers()
                self.wfile.write(IMAGE)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        return server


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    fake = FakeProvider()
    server = fake.running()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http(studio_db_url, medias_server, main_server, jwt_settings, tokens, provider) -> Iterator[httpx.Client]:
    port = free_port()
    settings = studio_settings(
        studio_db_url,
        medias_server,
        main_server,
        jwt_settings,
        STUDIO_REMOTE_URL=provider.url,
        STUDIO_REMOTE_API_KEY="provider-key",
        STUDIO_REMOTE_TYPES="ai_image:image",
        STUDIO_REMOTE_WEBHOOK_SECRET=SECRET,
        STUDIO_REMOTE_CALLBACK_URL=f"http://127.0.0.1:{port}/api/v1/jobs/callbacks",
        STUDIO_REMOTE_POLL_SECONDS="0.1",
        STUDIO_JOBS_PRICES="noop:1,storyboard:5,title_card:10,narration:3,ai_image:7",
    )
    with serve_studio(settings, tokens, port) as client:
        yield client


def test_a_remote_job_runs_through_signed_callbacks(http, provider, medias_server, make_user, admin) -> None:
    user = make_user()
    grant(http, admin, user, 10)
    project = new_project(http, user)
    created = create_job(http, user, project, "ai_image", text="A lighthouse in the style of a woodcut")
    assert created.status_code == 201, created.text
    job = wait_for(http, user, created.json()["id"], lambda j: j["status"] not in ("queued", "running"), 60)
    assert job["status"] == "succeeded", job
    assert provider.submitted[0]["parameters"]["text"] == "A lighthouse in the style of a woodcut"
    [output] = job["outputs"]
    content = httpx.get(f"{medias_server}/api/v1/media/{output['media_id']}/content", headers=user.headers)
    assert content.status_code == 200 and content.content == IMAGE
    assert http.get("/api/v1/credits/balance", headers=user.headers).json()["available"] == 3


def test_unsigned_or_wrongly_signed_callbacks_are_refused(http) -> None:
    body = json.dumps({"job_id": str(uuid.uuid4()), "status": "failed", "error": "forged"}).encode()
    assert http.post("/api/v1/jobs/callbacks", content=body).status_code == 400
    other = "whsec_" + base64.b64encode(b"someone-else-entirely-0123").decode()
    refused = http.post("/api/v1/jobs/callbacks", content=body, headers=signed(body, other))
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_signature"
    assert http.post("/api/v1/jobs/callbacks", content=body, headers=signed(body)).status_code == 204
