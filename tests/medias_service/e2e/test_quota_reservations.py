"""Quota reservations on PostgreSQL over real HTTP: an upload reserves its Content-Length before its body is read,
so concurrent uploads can never leave the owner's usage above the quota; failures give the room back; an upload
without a length is metered against what remains."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from medias_service.main.app import create_http_app
from tests.medias_service.conftest import TINY_QUOTA_BYTES, SignedTokensProvider
from tests.medias_service.support import multipart_body, multipart_headers, pdf_bytes
from tests.support.servers import serve_app
from tests.support.waiting import eventually

FILE_BYTES = 15 * 1024  # ten of these (with their form) fit in the 160 KiB quota of @tiny.test, eleven do not


@pytest.fixture
def medias_url(medias_settings, service_tokens) -> Iterator[str]:
    with serve_app(create_http_app(medias_settings, overrides=[SignedTokensProvider(service_tokens)])) as url:
        yield url


def body_of(data: bytes) -> bytes:
    return multipart_body(("f.pdf", "application/pdf", data))


async def test_fifty_concurrent_uploads_never_pass_the_quota(medias_url, make_user, db_probe, storage_probe):
    user = await make_user(domain="tiny.test")
    bodies = [body_of(pdf_bytes(extra=FILE_BYTES)) for _ in range(50)]
    assert 10 * len(bodies[0]) < TINY_QUOTA_BYTES < 11 * len(bodies[0])

    async with httpx.AsyncClient(base_url=medias_url, timeout=60) as http:

        async def post(body: bytes) -> httpx.Response:
            return await http.post("/api/v1/media", content=body, headers=multipart_headers(user.token))

        answers = await asyncio.gather(*(post(body) for body in bodies))
    statuses = Counter(answer.status_code for answer in answers)
    assert set(statuses) <= {201, 507}, [answer.text for answer in answers if answer.status_code not in (201, 507)]
    assert {answer.json()["code"] for answer in answers if answer.status_code == 507} == {"quota_exceeded"}
    assert 1 <= statuses[201] <= 10
    counts = await db_probe.counts(user.id)
    assert counts["used_bytes"] <= TINY_QUOTA_BYTES
    assert counts["media"] == counts["blobs"] == statuses[201]
    assert (counts["reserved_bytes"], counts["reservations"]) == (0, 0)  # every reservation settled or released
    assert len(storage_probe.objects()) == statuses[201]


async def test_a_reservation_is_held_while_the_body_streams_then_settled(medias_url, make_user, db_probe) -> None:
    user = await make_user(domain="tiny.test")
    data = pdf_bytes(extra=FILE_BYTES)
    body = body_of(data)
    gate = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield body[:1024]
        await gate.wait()
        yield body[1024:]

    async with httpx.AsyncClient(base_url=medias_url, timeout=60) as http:
        headers = {**multipart_headers(user.token), "Content-Length": str(len(body))}
        sending = asyncio.create_task(http.post("/api/v1/media", content=slow(), headers=headers))
        held = await eventually(lambda: db_probe.counts(user.id), lambda c: c["reservations"] == 1, timeout=20)
        assert held["reserved_bytes"] == len(body)
        stats = (await http.get("/api/v1/media/stats", headers=user.headers)).json()
        assert stats["reserved_bytes"] == len(body)
        assert stats["free_bytes"] == TINY_QUOTA_BYTES - len(body)
        gate.set()
        answer = await sending
    assert answer.status_code == 201, answer.text
    counts = await db_probe.counts(user.id)
    assert (counts["used_bytes"], counts["reserved_bytes"], counts["reservations"]) == (len(data), 0, 0)


async def test_an_upload_without_a_length_is_metered_against_what_remains(medias_url, make_user, db_probe):
    user = await make_user(domain="tiny.test")
    async with httpx.AsyncClient(base_url=medias_url, timeout=60) as http:

        async def chunked(data: bytes) -> httpx.Response:
            async def stream() -> AsyncIterator[bytes]:
                body = body_of(data)
                for start in range(0, len(body), 8192):
                    yield body[start : start + 8192]

            return await http.post("/api/v1/media", content=stream(), headers=multipart_headers(user.token))

        first = await chunked(pdf_bytes(extra=60_000))
        assert first.status_code == 201, first.text
        assert "content-length" not in first.request.headers
        second = await chunked(pdf_bytes(extra=60_000))
        assert second.status_code == 201, second.text
        third = await chunked(pdf_bytes(extra=63_000))  # larger than any stored file and than the room left
        assert third.status_code == 507, third.text
        assert third.json()["code"] == "quota_exceeded"
    counts = await db_probe.counts(user.id)
    assert counts["media"] == 2
    assert counts["used_bytes"] <= TINY_QUOTA_BYTES
    assert (counts["reserved_bytes"], counts["reservations"]) == (0, 0)
