"""make dev's embedded default: studio_service on SQLite with jobs run in its own process (no broker): the ledger's
conditional updates, savepoints and upserts work there too. And an outage of medias_service answers 503 fast."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import msgspec
import pytest

from studio_service.main.settings import StudioSettings
from tests.studio_service.conftest import create_job, grant, new_project, serve_studio, wait_for
from tests.support import databases
from tests.support.servers import free_port


@pytest.fixture
def http(tmp_path, main_server, jwt_settings, tokens) -> Iterator[httpx.Client]:
    url = f"sqlite+aiosqlite:///{tmp_path}/studio.db"
    databases.migrate("studio", url)
    settings = StudioSettings.from_env(
        {
            "APP_DATA_DIR": str(tmp_path),
            "STUDIO_DB_URL": url,
            "STUDIO_MAIN_URL": main_server,
            "STUDIO_MEDIAS_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens: medias_service is down
            "STUDIO_JOBS_TYPES": "noop",
            "REVOCATION_TRANSPORT": "poll",
        }
    )
    settings = msgspec.structs.replace(settings, jwt=jwt_settings)
    with serve_studio(settings, tokens) as client:
        yield client


def test_jobs_and_credits_on_sqlite_without_a_broker(http, make_user, admin) -> None:
    user = make_user()
    grant(http, admin, user, 2)
    project = new_project(http, user)
    first = create_job(http, user, project, "noop", key="one")
    assert first.status_code == 201, first.text
    assert create_job(http, user, project, "noop", key="one").json()["id"] == first.json()["id"]
    done = wait_for(http, user, first.json()["id"], lambda job: job["status"] == "succeeded", 30)
    assert done["progress"] == 100
    running = create_job(http, user, project, "noop", seconds=20).json()["id"]
    wait_for(http, user, running, lambda job: job["status"] == "running")
    assert http.delete(f"/api/v1/jobs/{running}", headers=user.headers).status_code == 202
    wait_for(http, user, running, lambda job: job["status"] == "canceled", 10)
    assert create_job(http, user, project, "noop").status_code == 201
    assert create_job(http, user, project, "noop").status_code == 402
    kinds = [e["kind"] for e in http.get("/api/v1/credits/history", headers=user.headers).json()["items"]]
    assert sorted(kinds) == sorted(["promotion", "hold", "capture", "hold", "release", "hold"])


def test_an_outage_of_medias_service_is_503_fast(http, make_user) -> None:
    user = make_user()
    project = new_project(http, user)
    started = time.monotonic()
    answer = http.post(
        f"/api/v1/projects/{project}/assets",
        json={"media_id": "01a22b3f-2208-72de-9b2d-ca5ba376f6b4"},
        headers=user.headers,
    )
    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "dependency_unavailable"
    assert time.monotonic() - started < 3
