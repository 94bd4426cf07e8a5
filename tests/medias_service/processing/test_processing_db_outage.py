"""Issue 9 §2's done-when: a medias database outage longer than the whole retry schedule, during processing,
ends with every version ready or failed without anyone running a command.

In production the schedule is 10+20+40+80 = 150 s and the outage 3 minutes (1.2 x the schedule). Here the
schedule is scaled down (MEDIAS_PROCESSING_RETRY_BASE_SECONDS=0.1: 0.1+0.2+0.4+0.8 = 1.5 s over 5 attempts) and
the outage lasts at least twice that, and until the worker has tried more often than its attempts allow, so
every job would have spent all its attempts on the outage if outages counted."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import msgspec
import pytest

from medias_service.main.settings import MediasSettings
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.processing.support import eventually, image_bytes
from tests.support.databases import PG_SERVER
from tests.support.outages import DB_TIMEOUTS, pg_target
from tests.support.proxy import TcpProxy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    with TcpProxy(*pg_target(PG_SERVER)) as running:
        yield running


@pytest.fixture(scope="module")
def worker_env(processing_env: dict[str, str], proxy: TcpProxy) -> dict[str, str]:
    """The worker (its jobs and its relay) reaches mediasdb only through the proxy; the HTTP app directly."""
    timeouts = {f"MEDIAS_{key}": value for key, value in DB_TIMEOUTS.items()}
    return {**processing_env, **timeouts, "MEDIAS_DB_URL": proxy.url(processing_env["MEDIAS_DB_URL"])}


async def test_a_database_outage_longer_than_the_retry_schedule_ends_with_every_version_settled(
    client, make_user, worker, worker_env, broker, rows, proxy: TcpProxy
):
    policy = MediasSettings.from_env(worker_env).processing.retry
    schedule = sum(policy.delay(attempt) for attempt in range(1, policy.max_attempts))
    user = await make_user()

    proxy.reset()  # the worker's database is gone
    before, cut_at = proxy.accepted, time.monotonic()
    media = [await upload(client, user, image_bytes(320, 240, seed=n), filename=f"{n}.jpg") for n in range(4)]
    # the relay had published these just before the outage: sent in the outbox, in the queue
    ids = []
    for item in media:
        version = await rows.version(item["id"])
        await rows.fetch(
            "UPDATE outbox_event SET sent_at = now() WHERE sent_at IS NULL AND payload->>'version_id' = $1",
            str(version["id"]),
        )
        ids.append(f"outage-{uuid.uuid4().hex}")
        body = msgspec.json.encode({"media_id": item["id"], "version_id": str(version["id"])})
        await broker.publish(
            body,
            "media.version.created",
            message_id=ids[-1],
            content_type="application/json",
            type="media.version.created",
        )

    async def outage_state() -> tuple[float, int]:
        return time.monotonic() - cut_at, proxy.accepted - before

    # long enough that attempts spent on the outage would all be gone: beyond the schedule, more tries than attempts
    await eventually(
        outage_state,
        lambda state: state[0] > 2 * schedule and state[1] > len(media) * policy.max_attempts,
        timeout=120,
    )
    proxy.restore()

    async def statuses() -> dict[str, str]:
        return await rows.statuses([item["id"] for item in media])

    settled = await eventually(statuses, lambda found: set(found.values()) <= {"ready", "failed"}, timeout=90)
    assert set(settled.values()) == {"ready"}, settled
    assert not [message for message in await broker.parked() if message["message_id"] in ids]
