"""Failures: a job that fails every attempt is parked with its error and its media shows failed; a garbage
message is parked without stopping the worker; reprocessing (the API) and requeueing (the DLQ command) recover
once the cause is fixed. The cause here: the worker's work folder is missing, so every job fails."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from medias_service.domain.processing import SIZES
from qhitz_shared.amqp.parking import ParkingLot
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.processing.support import AMQP_URL, BrokerProbe, eventually, image_bytes
from tests.medias_service.support import MODERATOR_PERMISSIONS
from tests.support.servers import ROOT


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("work") / "not-there-yet"


@pytest.fixture(scope="module")
def worker_env(processing_env: dict[str, str], work_dir: Path) -> dict[str, str]:
    return {**processing_env, "MEDIAS_PROCESSING_WORK_DIR": str(work_dir)}


def dlq(env: dict[str, str], *args: str) -> str:
    """The operator's command, as a process."""
    done = subprocess.run(
        [sys.executable, "-m", "medias_service.main.dlq", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def parked(broker: BrokerProbe) -> list[dict]:
    async with ParkingLot(AMQP_URL, broker.topology) as lot:
        return [dataclasses.asdict(message) for message in await lot.inspect(500)]


async def failed(client, user, media_id: str) -> dict:
    async def get() -> dict:
        return (await client.get(f"/api/v1/media/{media_id}", headers=user.headers)).json()

    return await eventually(get, lambda media: media["status"] == "failed", timeout=60)


async def test_a_job_failing_every_attempt_is_parked_and_its_media_shows_failed(
    client, make_user, worker, broker, rows
):
    user = await make_user()
    media = await upload(client, user, image_bytes(640, 480), filename="photo.jpg")
    media = await failed(client, user, media["id"])
    error = media["current_version"]["error"]
    assert error.startswith("Processing failed after 5 attempts: FileNotFoundError"), error
    assert {size["status"] for size in media["sizes"]} == {"failed"}
    version = await rows.version(media["id"])
    ours = [message for message in await parked(broker) if message["subject"] == str(version["id"])]
    assert len(ours) == 1, ours
    assert ours[0]["attempts"] == 5
    assert ours[0]["event"] == "media.version.created"
    assert ours[0]["error"].startswith("FileNotFoundError")
    events = await rows.fetch("SELECT name, payload FROM outbox_event WHERE payload->>'media_id' = $1", media["id"])
    failures = [json.loads(event["payload"]) for event in events if event["name"] == "media.failed"]
    assert [failure["error"] for failure in failures] == [error]


async def test_a_garbage_message_is_parked_and_the_worker_keeps_consuming(worker, worker_env, broker):
    message_id = f"garbage-{uuid.uuid4().hex}"
    await broker.publish(b"\x00 not json {", "media.version.created", message_id=message_id)

    async def garbage() -> list[dict]:
        return [message for message in await parked(broker) if message["message_id"] == message_id]

    found = await eventually(garbage, bool, timeout=30)
    assert found[0]["error"].startswith("Unreadable message")
    # the operator's command shows it too
    listed = json.loads(dlq(worker_env, "inspect", "--json", "--limit", "500"))
    assert message_id in [message["message_id"] for message in listed]
    assert worker.process.poll() is None
    assert (await broker.queue(broker.topology.processing.name))[1] == 1  # still consuming


async def test_reprocess_and_requeue_recover_once_the_cause_is_fixed(
    client, make_user, tokens, worker, worker_env, broker, work_dir: Path, rows
):
    owner = await make_user()
    first = await upload(client, owner, image_bytes(800, 600, seed=1), filename="one.jpg")
    second = await upload(client, owner, image_bytes(800, 600, seed=2), filename="two.jpg")
    await failed(client, owner, first["id"])
    await failed(client, owner, second["id"])
    work_dir.mkdir()

    # the API: someone else cannot even see it, the owner needs media:write, a moderator may
    stranger = await make_user()
    read_only_owner = {"Authorization": f"Bearer {tokens.user(owner.id, roles=['user'], perms=['media:read'])}"}
    url = f"/api/v1/media/{first['id']}/reprocess"
    assert (await client.post(url, headers=stranger.headers)).status_code == 404
    denied = await client.post(url, headers=read_only_owner)
    assert denied.status_code == 403 and denied.json()["required"] == ["media:write"]
    moderator = await make_user(MODERATOR_PERMISSIONS)
    accepted = await client.post(url, headers=moderator.headers)
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "pending"
    assert accepted.json()["current_version"]["error"] is None

    async def media(media_id: str) -> dict:
        return (await client.get(f"/api/v1/media/{media_id}", headers=owner.headers)).json()

    ready = await eventually(lambda: media(first["id"]), lambda found: found["status"] == "ready", timeout=60)
    assert sorted(size["name"] for size in ready["sizes"]) == sorted(spec.name for spec in SIZES)

    # the DLQ command: the parked job of the second media goes back to processing
    version = await rows.version(second["id"])
    message = next(message for message in await parked(broker) if message["subject"] == str(version["id"]))
    assert "requeued 1 message" in dlq(worker_env, "requeue", "--id", message["message_id"])
    await eventually(lambda: media(second["id"]), lambda found: found["status"] == "ready", timeout=60)
    assert all(entry["subject"] != str(version["id"]) for entry in await parked(broker))

    assert "purged" in dlq(worker_env, "purge")
    assert await parked(broker) == []
