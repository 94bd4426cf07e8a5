"""`make dlq` (python -m medias_service.main.dlq) against the real RabbitMQ: totals and a clean exit."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest

from medias_service.main.processing import topology_of
from medias_service.main.settings import MediasSettings
from tests.medias_service.processing.support import AMQP_URL
from tests.support.servers import ROOT

PARKED = 5


def dlq(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medias_service.main.dlq", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
async def parking(tmp_path) -> AsyncIterator[dict[str, str]]:
    """A parking queue under a prefix of its own, holding PARKED messages; deleted afterwards."""
    env = {"AMQP_URL": AMQP_URL, "AMQP_PREFIX": f"qhitz-test-{uuid.uuid4().hex[:10]}"}
    settings = MediasSettings.from_env(env)
    name = topology_of(settings.amqp, settings.processing).parking.name
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(name, durable=True)
        for number in range(PARKED):
            body = f'{{"version_id": "v{number}"}}'.encode()
            await channel.default_exchange.publish(aio_pika.Message(body, message_id=f"m{number}"), routing_key=name)
        yield env
        await queue.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()


def test_inspect_reports_the_whole_total_and_exits_without_a_traceback(parking) -> None:
    done = dlq(parking, "inspect", "--limit", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"{PARKED} message(s) parked; showing 2"
    assert done.stderr == ""  # "Event loop is closed" came with every run
    again = dlq(parking, "inspect")
    assert again.stdout.splitlines()[0] == f"{PARKED} message(s) parked; showing {PARKED}"  # nothing was consumed


def test_a_missing_parking_queue_is_said_plainly() -> None:
    done = dlq({"AMQP_URL": AMQP_URL, "AMQP_PREFIX": f"qhitz-test-{uuid.uuid4().hex[:10]}"}, "inspect")
    assert done.returncode == 1
    assert "no worker has declared the topology yet" in done.stderr and "Traceback" not in done.stderr
