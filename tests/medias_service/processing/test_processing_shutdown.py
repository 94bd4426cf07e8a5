"""The worker as a process that stops: SIGTERM lets the running job finish and hands back the ones not started;
SIGKILL mid-job leaves the message unacknowledged, the broker delivers it again, and the sizes exist once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from medias_service.domain.processing import SIZES
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.processing.support import eventually, image_bytes, worker_process


@pytest.fixture(scope="module")
def worker_env(processing_env: dict[str, str]) -> dict[str, str]:
    # one job at a time (libvips on one thread, the default): a 48-megapixel PNG takes a few seconds to process
    return {
        **processing_env,
        "MEDIAS_PROCESSING_CONCURRENCY": "1",
        "AMQP_PREFETCH": "4",
        "MEDIAS_PROCESSING_VIPS_THREADS": "1",
    }


@pytest.fixture(scope="module")
def big_pngs() -> list[bytes]:
    """80 megapixels each (under the default limit of 100): a job of a second or more."""
    return [image_bytes(10000, 8000, suffix=".png", seed=seed) for seed in range(2)]


async def status_of(rows, media_id: str) -> str:
    return (await rows.version(media_id))["status"]


async def sent(rows, media_id: str) -> bool:
    found = await rows.fetch(
        "SELECT sent_at FROM outbox_event WHERE name = 'media.version.created' AND payload->>'media_id' = $1", media_id
    )
    return bool(found) and found[0]["sent_at"] is not None


async def processed_once(rows, media_id: str) -> None:
    """Every size exactly once, each with its own stored blob, and one media.processed event."""
    sizes = await rows.sizes(media_id)
    assert Counter(size["name"] for size in sizes) == {spec.name: 1 for spec in SIZES}
    assert {size["status"] for size in sizes} == {"ready"}
    blobs = await rows.fetch(
        "SELECT id, refcount FROM blob WHERE id = ANY($1::uuid[])", [size["blob_id"] for size in sizes]
    )
    assert sorted(blob["refcount"] for blob in blobs) == [1] * len(SIZES)
    events = await rows.fetch(
        "SELECT count(*) FROM outbox_event WHERE name = 'media.processed' AND payload->>'media_id' = $1", media_id
    )
    assert events[0][0] == 1


async def test_sigterm_finishes_the_running_job_and_returns_the_others(
    client, make_user, worker_env, broker, rows, big_pngs, tmp_path: Path
):
    user = await make_user()
    with worker_process(worker_env, tmp_path / "worker.log") as worker:
        await worker.consuming(broker)
        running = await upload(client, user, big_pngs[0], filename="running.png")
        await eventually(lambda: status_of(rows, running["id"]), lambda status: status == "processing", every=0.02)
        waiting = await upload(client, user, big_pngs[1], filename="waiting.png")
        # relayed, and no longer ready in the queue: the worker holds it (prefetch 4) but has not started it
        await eventually(lambda: sent(rows, waiting["id"]), bool, every=0.02)
        await eventually(lambda: broker.queue(broker.topology.processing.name), lambda found: found[0] == 0, every=0.02)
        assert await status_of(rows, running["id"]) == "processing"
        assert await status_of(rows, waiting["id"]) == "pending"
        assert worker.stop(timeout=60) == 0, worker.output()
    assert await status_of(rows, running["id"]) == "ready"
    await processed_once(rows, running["id"])
    assert await status_of(rows, waiting["id"]) == "pending"
    assert (await broker.queue(broker.topology.processing.name))[0] == 1  # handed back, not lost

    with worker_process(worker_env, tmp_path / "worker-2.log"):
        await eventually(lambda: status_of(rows, waiting["id"]), lambda status: status == "ready", timeout=60)
    await processed_once(rows, waiting["id"])


async def test_a_worker_killed_mid_job_gets_its_message_back_and_sizes_exist_once(
    client, make_user, worker_env, broker, rows, big_pngs, tmp_path: Path
):
    user = await make_user()
    work_dir = tmp_path / "jobs"
    work_dir.mkdir()
    # the next worker sweeps the killed one's job folder once it is a second old (at start, or 0.2 s later)
    env = {
        **worker_env,
        "MEDIAS_PROCESSING_WORK_DIR": str(work_dir),
        "MEDIAS_PROCESSING_STALE_JOB_SECONDS": "1",
        "MEDIAS_STORAGE_SWEEP_INTERVAL_SECONDS": "0.2",
    }

    async def job_folders() -> list[Path]:
        return list(work_dir.iterdir())

    with worker_process(env, tmp_path / "killed.log") as worker:
        await worker.consuming(broker)
        media = await upload(client, user, big_pngs[0], filename="big.png")
        await eventually(job_folders, lambda found: any((folder / "original").exists() for folder in found), every=0.02)
        worker.kill()
    assert worker.process.returncode == -9
    [left_behind] = await job_folders()
    assert str(worker.process.pid) in left_behind.name
    # unacknowledged: the broker has it again, and nobody finished the job
    await eventually(lambda: broker.queue(broker.topology.processing.name), lambda found: found == (1, 0), timeout=30)
    assert await status_of(rows, media["id"]) == "processing"

    with worker_process(env, tmp_path / "second.log"):
        await eventually(lambda: status_of(rows, media["id"]), lambda status: status == "ready", timeout=60)
        await eventually(job_folders, lambda found: left_behind not in found, timeout=30)
    await processed_once(rows, media["id"])
    assert (await broker.queue(broker.topology.processing.name))[0] == 0
    assert (await broker.queue(broker.topology.parking.name))[0] == 0
