"""studio_service answers as its OpenAPI document says, anonymous, as a plain user and as an admin (schemathesis
with all its checks; any 5xx fails). Seeded rows give the path ids real projects, assets and finished jobs.
The Stripe webhook is left out: its body must be signed, which no generated case can be (test_billing.py covers
it); Checkout runs against the local fake of the Stripe API."""

from __future__ import annotations

import time

import httpx

from tests.studio_service.conftest import ADMIN_PERMISSIONS, create_job, grant, serve_studio, studio_settings
from tests.studio_service.stripe_fake import FakeStripe
from tests.support.contract import Identity, run_contract


def test_studio_service_honours_its_openapi_document(
    studio_db_url, medias_server, main_server, jwt_settings, tokens, make_user
) -> None:
    user, admin = make_user(), make_user(ADMIN_PERMISSIONS)
    with FakeStripe().running() as fake:
        settings = studio_settings(
            studio_db_url,
            medias_server,
            main_server,
            jwt_settings,
            STRIPE_SECRET_KEY="sk_test_0123456789abcdefghij",
            STRIPE_API_BASE=fake.url,
        )
        with serve_studio(settings, tokens) as http:
            url = str(http.base_url).rstrip("/")
            grant(http, admin, user, 1_000_000)
            grant(http, admin, admin, 1_000_000)
            project = http.post("/api/v1/projects/", json={"name": "Contract"}, headers=user.headers).json()["id"]
            media = httpx.post(
                f"{medias_server}/api/v1/media/", files={"file": ("s.txt", b"FADE IN.\n")}, headers=user.headers
            ).json()["id"]
            asset = http.post(
                f"/api/v1/projects/{project}/assets", json={"media_id": media}, headers=user.headers
            ).json()["id"]
            job = create_job(http, user, project, "noop").json()["id"]
            deadline = time.monotonic() + 30
            while http.get(f"/api/v1/jobs/{job}", headers=user.headers).json()["status"] != "succeeded":
                assert time.monotonic() < deadline
                time.sleep(0.05)
            known = {"project_id": [project], "asset_id": [asset], "job_id": [job]}
            identities = [Identity("anonymous"), Identity("user", user.headers), Identity("admin", admin.headers)]
            run = run_contract(url, identities, known, skip=["POST /api/v1/subscriptions/webhook"])
    print(f"studio_service: {run.calls} calls in {run.seconds:.1f}s")
    assert not run.server_errors, run.report()
    assert not run.failures, run.report()
