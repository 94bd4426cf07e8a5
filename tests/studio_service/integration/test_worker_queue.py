"""Jobs through the outbox and RabbitMQ to the worker as a real process: a job runs once even when its message
is delivered again (while it runs, and after it finished), because the worker claims it queued → running."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest
from faststream.rabbit import RabbitBroker

from qhitz_shared.amqp.topology import Topology
from studio_service.domain.jobs import JOB_QUEUED
from tests.studio_service.conftest import create_job, grant, new_project, serve_studio, studio_settings, wait_for
from tests.support.brokers import delete_topology

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def prefix() -> str:
    return f"qhitz-test-studio-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def worker(studio_db_url: str, prefix: str, tmp_path_factory) -> Iterator[Path]:
    log = tmp_path_factory.mktemp("studio-worker") / "worker.log"
    env = {
        "STUDIO_DB_URL": studio_db_url,
        "STUDIO_AMQP_URL": AMQP_URL,
        "STUDIO_AMQP_PREFIX": prefix,
        "STUDIO_JOBS_TYPES": "noop",
        "STUDIO_JOBS_RELAY_POLL_SECONDS": "0.05",
        "APP_LOG_JSON": "false",
        "PYTHONPATH": str(ROOT / "src"),
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "studio_service.main.worker"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)
        asyncio.run(delete_topology(AMQP_URL, Topology(prefix, work="jobs")))


@pytest.fixture
def http(studio_db_url, medias_server, main_server, jwt_settings, tokens, prefix, worker) -> Iterator[httpx.Client]:
    settings = studio_settings(
        studio_db_url,
        medias_server,
        main_server,
        jwt_settings,
        STUDIO_AMQP_URL=AMQP_URL,
        STUDIO_AMQP_PREFIX=prefix,
    )
    with serve_studio(settings, tokens) as client:
        yield client


async def publish_again(prefix: str, job_id: str) -> None:
    """The message the relay sent, delivered once more (as after a lost ack)."""
    async with RabbitBroker(AMQP_URL) as broker:
        await broker.publish(
            msgspec.json.encode({"job_id": job_id, "name": JOB_QUEUED}),
            exchange=Topology(prefix, work="jobs").events,
            routing_key=JOB_QUEUED,
            persist=True,
        )


async def test_a_redelivered_message_never_runs_a_job_twice(http, make_user, admin, prefix, worker) -> None:
    user = make_user()
    grant(http, admin, user, 2)
    project = new_project(http, user)
    job_id = create_job(http, user, project, "noop", seconds=2).json()["id"]
    running = wait_for(http, user, job_id, lambda job: job["status"] == "running")
    await publish_again(prefix, job_id)  # while it runs
    done = wait_for(http, user, job_id, lambda job: job["status"] == "succeeded")
    await publish_again(prefix, job_id)  # after it finished
    deadline = time.monotonic() + 20
    while worker.read_text().count("job_not_claimed") < 2:
        assert time.monotonic() < deadline, worker.read_text()[-3000:]
        time.sleep(0.1)
    after = http.get(f"/api/v1/jobs/{job_id}", headers=user.headers).json()
    assert after["started_at"] == running["started_at"] == done["started_at"]
    assert after["status"] == "succeeded"
    history = http.get("/api/v1/credits/history", headers=user.headers).json()["items"]
    assert [entry["kind"] for entry in history] == ["capture", "hold", "promotion"]
    assert http.get("/api/v1/credits/balance", headers=user.headers).json()["available"] == 1


async def test_an_unreadable_message_is_parked_and_the_operator_sees_it(prefix, worker, studio_db_url) -> None:
    async with RabbitBroker(AMQP_URL) as broker:
        await broker.publish(
            b"not a job", exchange=Topology(prefix, work="jobs").events, routing_key=JOB_QUEUED, message_id="bad-1"
        )
    env = {**os.environ, "STUDIO_DB_URL": studio_db_url, "STUDIO_AMQP_URL": AMQP_URL, "STUDIO_AMQP_PREFIX": prefix}
    deadline = time.monotonic() + 20
    while True:
        shown = subprocess.run(
            [sys.executable, "-m", "studio_service.main.dlq", "inspect", "--json"],
            cwd=ROOT,
            env={**env, "PYTHONPATH": str(ROOT / "src")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert shown.returncode == 0, shown.stderr
        parked = [message for message in json.loads(shown.stdout) if message["message_id"] == "bad-1"]
        if parked:
            break
        assert time.monotonic() < deadline, shown.stdout
        await asyncio.sleep(0.2)
    assert parked[0]["body"] == "not a job"
    assert "rejected" in (parked[0]["error"] or "")
