"""Quota reservations on PostgreSQL and on the embedded SQLite default: uploads within the quota, one refused past
it, and a reservation a killed process left behind dropped by the leftover sweeper once expired."""

from __future__ import annotations

from datetime import timedelta

from medias_service.main.app import make_container
from medias_service.main.sweeper import LeftoverSweeper
from medias_service.services.quota import UploadQuota
from tests.medias_service.conftest import TINY_QUOTA_BYTES
from tests.medias_service.drive.test_folders import problem
from tests.medias_service.drive.test_shares import upload_file
from tests.medias_service.support import multipart_body, multipart_headers, pdf_bytes


async def stats(client, user) -> dict:
    return (await client.get("/api/v1/media/stats", headers=user.headers)).json()


async def test_uploads_reserve_and_settle_and_the_quota_holds(client, make_user):
    user = await make_user(domain="tiny.test")
    first = await upload_file(client, user, pdf_bytes(extra=60_000))
    second = await upload_file(client, user, pdf_bytes(extra=60_000))
    after = await stats(client, user)
    assert after["stored_bytes"] == first["size"] + second["size"]
    assert (after["reserved_bytes"], after["free_bytes"]) == (0, TINY_QUOTA_BYTES - after["stored_bytes"])
    body = multipart_body(("big.pdf", "application/pdf", pdf_bytes(extra=45_000)))
    answer = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
    problem(answer, 507, "quota_exceeded")
    assert (await stats(client, user))["stored_bytes"] == after["stored_bytes"]
    assert (await stats(client, user))["reserved_bytes"] == 0


async def test_the_sweeper_drops_expired_reservations(client, make_user, medias_settings):
    user = await make_user(domain="tiny.test")
    container = make_container(medias_settings)
    try:
        async with container() as request:
            quota = await request.get(UploadQuota)
            stale = await quota.reserve(user.id, 110_000, TINY_QUOTA_BYTES, ttl=timedelta(seconds=-1))
            live = await quota.reserve(user.id, 1_000, TINY_QUOTA_BYTES)
        assert stale is not None and live is not None
        assert (await stats(client, user))["reserved_bytes"] == 111_000
        body = multipart_body(("f.pdf", "application/pdf", pdf_bytes(extra=60_000)))
        refused = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
        problem(refused, 507, "quota_exceeded")  # the orphan holds the room
        sweeper = LeftoverSweeper(container, medias_settings.storage, medias_settings.processing, jobs=False)
        await sweeper.sweep_once()
        assert (await stats(client, user))["reserved_bytes"] == 1_000  # the live one stays
        accepted = await client.post("/api/v1/media", content=body, headers=multipart_headers(user.token))
        assert accepted.status_code == 201, accepted.text
    finally:
        await container.close()
