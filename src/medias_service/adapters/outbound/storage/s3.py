"""MediaStorage on S3-compatible object storage through obstore: multipart uploads, ranged GETs."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Sequence

import msgspec
import obstore
from obstore.store import S3Store

MIB = 1024 * 1024


class S3Settings(msgspec.Struct, frozen=True):
    """MEDIAS_S3_*: bucket, endpoint and credentials; part size and concurrency bound upload memory
    (about part_size x (max_concurrency + 1))."""

    bucket: str = ""
    endpoint: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: str | None = None
    allow_http: bool = False
    virtual_hosted_style: bool = False
    part_size_mb: int = 8
    max_concurrency: int = 2


def make_store(settings: S3Settings) -> S3Store:
    return S3Store(
        settings.bucket,
        endpoint=settings.endpoint,
        region=settings.region,
        access_key_id=settings.access_key_id,
        secret_access_key=settings.secret_access_key,
        virtual_hosted_style_request=settings.virtual_hosted_style,
        client_options={"allow_http": settings.allow_http},
    )


class S3MediaStorage:
    """An upload is one multipart upload, aborted by obstore when the chunk source raises (so a refused or
    truncated upload leaves no object). Bucket lifecycle rules should still expire incomplete multipart uploads
    left by a crashed process."""

    def __init__(self, store: S3Store, *, part_bytes: int = 8 * MIB, max_concurrency: int = 2, block_bytes: int = MIB):
        self._store = store
        self._part = part_bytes
        self._concurrency = max_concurrency
        self._block = block_bytes

    @classmethod
    def from_settings(cls, settings: S3Settings) -> S3MediaStorage:
        return cls(
            make_store(settings), part_bytes=settings.part_size_mb * MIB, max_concurrency=settings.max_concurrency
        )

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> None:
        await obstore.put_async(
            self._store, key, chunks, chunk_size=self._part, max_concurrency=self._concurrency, use_multipart=True
        )

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        if end is not None and end <= start:
            return
        options = {"range": (start, end)} if end is not None else {"range": {"offset": start}} if start else {}
        result = await obstore.get_async(self._store, key, options=options)  # type: ignore[arg-type]
        async for chunk in result.stream(min_chunk_size=self._block):
            yield bytes(chunk)

    async def delete(self, keys: Sequence[str]) -> None:
        if keys:
            await obstore.delete_async(self._store, list(keys))

    async def ping(self) -> None:
        try:
            await obstore.head_async(self._store, "readiness-probe")
        except FileNotFoundError:
            return  # the bucket answered

    async def sweep_incomplete(self, older_than_seconds: float = 86400) -> int:
        return 0  # incomplete multipart uploads are the bucket lifecycle's job
