"""UploadMeter: hashing, counting, sniffing before the first byte leaves, limits while streaming."""

from __future__ import annotations

import hashlib

import pytest

from medias_service.domain.content import ContentPolicy
from medias_service.domain.errors import EmptyFile, FileTooLarge, QuotaExceeded, UnsupportedMediaType
from medias_service.domain.library import Limits, StorageUsage
from medias_service.services.metering import FORM_OVERHEAD_ALLOWANCE, SizeGate, UploadMeter
from tests.medias_service.support import HTML, pdf_bytes

POLICY = ContentPolicy(["application/pdf", "image/*"])


def meter(max_bytes: int = 10**9, quota: int = 10**9, used: int = 0, largest: int = 0) -> UploadMeter:
    return UploadMeter(SizeGate.of(Limits(max_bytes, quota), StorageUsage(used, largest)), POLICY, None)


async def feed(m: UploadMeter, data: bytes, size: int = 1000) -> tuple[bytes, int]:
    async def source():
        for start in range(0, len(data), size):
            yield data[start : start + size]

    out = bytearray()
    passed = 0
    async for chunk in m.pipe(source()):
        out += chunk
        passed += 1
    return bytes(out), passed


async def test_bytes_pass_through_unchanged_with_hash_and_size():
    data = pdf_bytes(extra=50_000)
    m = meter()
    out, _ = await feed(m, data)
    assert out == data
    assert (m.size, m.sha256, m.content_type) == (len(data), hashlib.sha256(data).hexdigest(), "application/pdf")


async def test_refused_content_never_reaches_storage():
    m = meter()
    yielded: list[bytes] = []

    async def source():
        yield HTML + b" " * 10_000

    async def drain() -> None:
        async for chunk in m.pipe(source()):
            yielded.append(chunk)

    with pytest.raises(UnsupportedMediaType):
        await drain()
    assert yielded == []


async def test_too_large_is_refused_mid_stream():
    m = meter(max_bytes=5000)
    with pytest.raises(FileTooLarge):
        await feed(m, pdf_bytes(extra=20_000))
    assert m.size == 6000  # stopped at the first chunk over the limit


async def test_quota_while_streaming_allows_for_a_possible_duplicate():
    m = meter(quota=10_000, used=8_000, largest=5_000)
    out, _ = await feed(m, pdf_bytes(extra=4_000))  # over the room, but could be a duplicate of the 5000-byte blob
    assert len(out) > 2_000
    with pytest.raises(QuotaExceeded):
        await feed(meter(quota=10_000, used=8_000, largest=5_000), pdf_bytes(extra=6_000))


def test_precheck_on_the_announced_length():
    empty = SizeGate.of(Limits(1000, 10_000), StorageUsage())
    nearly_full = SizeGate.of(Limits(1000, 10_000), StorageUsage(9_500, 200))
    empty.check_announced(1000 + FORM_OVERHEAD_ALLOWANCE)
    nearly_full.check_announced(None)
    nearly_full.check_announced(500 + FORM_OVERHEAD_ALLOWANCE)
    with pytest.raises(FileTooLarge):
        empty.check_announced(1001 + FORM_OVERHEAD_ALLOWANCE)
    with pytest.raises(QuotaExceeded):
        nearly_full.check_announced(501 + FORM_OVERHEAD_ALLOWANCE)


async def test_empty_files_are_refused():
    with pytest.raises(EmptyFile):
        await feed(meter(), b"")
