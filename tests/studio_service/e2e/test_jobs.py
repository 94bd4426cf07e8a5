"""Jobs through real HTTP, run by the HTTP process itself (no broker, as under make dev): idempotent creation, the
price held and captured, cancel of a queued and of a running job, deadlines, progress over Server-Sent Events."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.studio_service.conftest import create_job, grant, new_project, wait_for


def balance(http: httpx.Client, user) -> dict:
    return http.get("/api/v1/credits/balance", headers=user.headers).json()


@pytest.fixture
def http(studio_url):
    with httpx.Client(base_url=studio_url, timeout=30) as client:
        yield client


def test_a_job_holds_its_price_and_captures_it_on_success(http, make_user, admin) -> None:
    user = make_user()
    grant(http, admin, user, 3)
    project = new_project(http, user)
    created = create_job(http, user, project, "noop")
    assert created.status_code == 201, created.text
    assert created.json()["price"] == 1
    done = wait_for(http, user, created.json()["id"], lambda job: job["status"] == "succeeded")
    assert done["progress"] == 100 and done["error"] is None
    assert balance(http, user) == {"user_id": str(user.id), "available": 2, "held": 0}
    kinds = [entry["kind"] for entry in http.get("/api/v1/credits/history", headers=user.headers).json()["items"]]
    assert kinds == ["capture", "hold", "promotion"]


def test_insufficient_credits_is_402_and_nothing_is_written(http, make_user) -> None:
    user = make_user()
    project = new_project(http, user)
    refused = create_job(http, user, project, "storyboard", text="A lighthouse at dusk")
    assert refused.status_code == 402
    assert refused.json()["code"] == "insufficient_credits"
    assert http.get("/api/v1/jobs/", headers=user.headers).json()["total"] == 0


def test_the_same_idempotency_key_returns_the_first_answer_and_another_body_is_409(http, make_user, admin) -> None:
    user = make_user()
    grant(http, admin, user, 5)
    project = new_project(http, user)
    first = create_job(http, user, project, "noop", key="film-1", seconds=1)
    again = create_job(http, user, project, "noop", key="film-1", seconds=1)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = create_job(http, user, project, "noop", key="film-1", seconds=2)
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert http.get("/api/v1/jobs/", headers=user.headers).json()["total"] == 1
    held_once = balance(http, user)
    assert held_once["available"] + held_once["held"] == 5 and held_once["available"] == 4


def test_cancel_of_a_running_job_stops_it_at_its_next_step_and_releases(http, make_user, admin) -> None:
    user = make_user()
    grant(http, admin, user, 1)
    project = new_project(http, user)
    job_id = create_job(http, user, project, "noop", seconds=20).json()["id"]
    wait_for(http, user, job_id, lambda job: job["status"] == "running" and job["progress"] >= 10)
    answer = http.delete(f"/api/v1/jobs/{job_id}", headers=user.headers)
    assert answer.status_code == 202, answer.text
    assert answer.json()["cancel_requested"] is True
    ended = wait_for(http, user, job_id, lambda job: job["status"] != "running", timeout=10)
    assert ended["status"] == "canceled"
    assert balance(http, user)["available"] == 1
    finished = http.delete(f"/api/v1/jobs/{job_id}", headers=user.headers)
    assert finished.status_code == 409
    assert finished.json()["code"] == "job_finished"


def test_progress_streams_as_server_sent_events_until_the_job_ends(http, make_user, admin) -> None:
    user = make_user()
    grant(http, admin, user, 1)
    project = new_project(http, user)
    job_id = create_job(http, user, project, "noop", seconds=1).json()["id"]
    events = []
    with http.stream("GET", f"/api/v1/jobs/{job_id}/events", headers=user.headers) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert events[-1]["status"] == "succeeded"
    assert [e["progress"] for e in events] == sorted(e["progress"] for e in events)
    stranger = make_user()
    assert http.get(f"/api/v1/jobs/{job_id}/events", headers=stranger.headers).status_code == 404


@pytest.mark.parametrize("studio_env", [{"STUDIO_JOBS_DEADLINE_SECONDS": "1"}])
def test_a_job_past_its_deadline_fails_and_releases_its_hold(http, make_user, admin) -> None:
    user = make_user()
    grant(http, admin, user, 1)
    project = new_project(http, user)
    job_id = create_job(http, user, project, "noop", seconds=10).json()["id"]
    ended = wait_for(http, user, job_id, lambda job: job["status"] not in ("queued", "running"), timeout=15)
    assert ended["status"] == "failed" and ended["error"] == "deadline exceeded"
    assert balance(http, user) == {"user_id": str(user.id), "available": 1, "held": 0}
