"""PartialStorage on S3: an upload is one S3 multipart upload whose parts are sent as the bytes arrive.

A request's bytes need not line up with parts: what is left after its last whole part (less than one part) is
kept as a small object named by the offset it ends at, and read back by the next request. So at most one part is
buffered, never more. The multipart upload id and the parts' ETags live in the upload's record; the multipart
control calls (which obstore does not expose) go through boto3, in threads.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Callable
from typing import Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from medias_service.adapters.outbound.storage.s3 import S3Settings
from medias_service.domain.resumable import PartialData, ResumableUpload
from qhitz_shared.errors import DependencyUnavailableError

MIB = 1024 * 1024
T = TypeVar("T")


class StorageUnavailable(DependencyUnavailableError):
    code = "storage_unavailable"
    title = "The storage cannot be reached"


class S3PartialStorage:
    def __init__(self, client: Any, bucket: str, *, part_bytes: int = 8 * MIB) -> None:
        if part_bytes < 5 * MIB:
            raise ValueError("S3 parts other than the last have at least 5 MiB")
        self._client = client
        self._bucket = bucket
        self._part = part_bytes

    @classmethod
    def from_settings(cls, settings: S3Settings) -> S3PartialStorage:
        client = boto3.client(
            "s3",
            endpoint_url=settings.endpoint,
            region_name=settings.region,
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=settings.secret_access_key,
            config=Config(
                s3={"addressing_style": "virtual" if settings.virtual_hosted_style else "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
            ),
        )
        return cls(client, settings.bucket, part_bytes=settings.part_size_mb * MIB)

    async def _call(self, method: Callable[..., T], **kwargs: Any) -> T:
        try:
            return await asyncio.to_thread(method, Bucket=self._bucket, **kwargs)
        except BotoCoreError as exc:  # no answer: connection, timeout, endpoint
            raise StorageUnavailable("The object storage did not answer") from exc
        except ClientError as exc:
            if int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)) >= 500:
                raise StorageUnavailable("The object storage failed") from exc
            raise

    def _tail_key(self, upload: ResumableUpload, end: int) -> str:
        return f"uploads/{upload.id.hex}/tail-{end}"

    def _has_tail(self, upload: ResumableUpload) -> bool:
        """Bytes past the last whole part (the last part itself is sent only with the last byte)."""
        return upload.offset - len(upload.data.parts) * self._part > 0

    async def begin(self, upload: ResumableUpload) -> PartialData:
        created = await self._call(self._client.create_multipart_upload, Key=upload.storage_key)
        return PartialData(token=created["UploadId"])

    async def append(self, upload: ResumableUpload, chunks: AsyncIterable[bytes]) -> tuple[int, PartialData]:
        parts = list(upload.data.parts)
        buffer = bytearray()
        if self._has_tail(upload):
            tail = await self._call(self._client.get_object, Key=self._tail_key(upload, upload.offset))
            buffer += await asyncio.to_thread(tail["Body"].read)
        stored = 0
        async for chunk in chunks:
            buffer += chunk
            stored += len(chunk)
            while len(buffer) >= self._part:
                parts.append(await self._put_part(upload, len(parts) + 1, bytes(memoryview(buffer)[: self._part])))
                del buffer[: self._part]
        end = upload.offset + stored
        if buffer and stored:
            if end == upload.length:
                parts.append(await self._put_part(upload, len(parts) + 1, bytes(buffer)))
            else:
                await self._call(self._client.put_object, Key=self._tail_key(upload, end), Body=bytes(buffer))
        return stored, PartialData(upload.data.token, parts)

    async def _put_part(self, upload: ResumableUpload, number: int, data: bytes) -> str:
        answer = await self._call(
            self._client.upload_part, Key=upload.storage_key, UploadId=upload.data.token, PartNumber=number, Body=data
        )
        return str(answer["ETag"])

    async def recorded(self, upload: ResumableUpload, previous_offset: int) -> None:
        if previous_offset != upload.offset and previous_offset % self._part:
            await self._delete_tail(upload, previous_offset)

    async def _delete_tail(self, upload: ResumableUpload, end: int) -> None:
        await self._call(self._client.delete_object, Key=self._tail_key(upload, end))

    async def complete(self, upload: ResumableUpload) -> None:
        parts = [{"ETag": etag, "PartNumber": number} for number, etag in enumerate(upload.data.parts, start=1)]
        await self._call(
            self._client.complete_multipart_upload,
            Key=upload.storage_key,
            UploadId=upload.data.token,
            MultipartUpload={"Parts": parts},
        )

    async def discard(self, upload: ResumableUpload) -> None:
        try:
            await self._call(self._client.abort_multipart_upload, Key=upload.storage_key, UploadId=upload.data.token)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NoSuchUpload":
                raise
        if self._has_tail(upload):
            await self._delete_tail(upload, upload.offset)
