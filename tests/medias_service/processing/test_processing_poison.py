"""Messages the worker cannot read in full (a valid body with a malformed header or property) are parked once
with the reason, and do not hold the prefetch: an upload made after more of them than the prefetch still gets
processed."""

from __future__ import annotations

import uuid

import msgspec

from tests.medias_service.e2e.helpers import upload
from tests.medias_service.processing.support import eventually, image_bytes

POISON = [
    {"headers": {"x-qhitz-attempt": "abc"}},
    {"headers": {"x-qhitz-attempt": -3}},
    {"headers": {"x-qhitz-attempt": 1.5}},
    {"headers": {"x-delivery-count": "twice"}},
    {"content_type": "text/plain"},
    {"type": "media.something_else"},
]


async def test_unreadable_headers_are_parked_once_and_processing_goes_on(client, make_user, worker, broker, rows):
    user = await make_user()
    media = await upload(client, user, image_bytes(64, 48), filename="first.jpg")
    version = await rows.version(media["id"])
    body = msgspec.json.encode({"media_id": media["id"], "version_id": str(version["id"])})
    ids = [f"poison-{uuid.uuid4().hex}" for _ in range(2 * len(POISON))]  # more than AMQP_PREFETCH (4)
    for message_id, properties in zip(ids, POISON * 2, strict=True):
        await broker.publish(
            body, "media.version.created", message_id=message_id, **{"content_type": "application/json", **properties}
        )

    good = await upload(client, user, image_bytes(640, 480, seed=3), filename="after.jpg")

    async def status() -> str:
        return (await client.get(f"/api/v1/media/{good['id']}", headers=user.headers)).json()["status"]

    assert await eventually(status, lambda value: value in ("ready", "failed"), timeout=60) == "ready"

    async def ours() -> list[dict]:
        return [message for message in await broker.parked() if message["message_id"] in ids]

    found = await eventually(ours, lambda messages: len(messages) >= len(ids), timeout=30)
    assert sorted(message["message_id"] for message in found) == sorted(ids)  # each parked exactly once
    assert all(message["error"].startswith("Unreadable message") for message in found), found
    assert worker.process.poll() is None
    await broker.purge_parked()  # the modules after this one expect an empty parking queue
