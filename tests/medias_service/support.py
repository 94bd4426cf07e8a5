"""Helpers for medias_service tests: multipart bodies built byte by byte, sample files, and probes that look at
the database and the storage directly to prove nothing was left behind."""

from __future__ import annotations

import os
import struct
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import boto3

BOUNDARY = "qhitz-test-boundary-7f3a"
USER_PERMISSIONS = ["media:read", "media:write", "media:delete"]
MODERATOR_PERMISSIONS = [*USER_PERMISSIONS, "media:read:any", "media:write:any", "media:delete:any"]


def png_bytes(width: int = 2, height: int = 2, extra: int = 0) -> bytes:
    """A valid PNG; ``extra`` bytes of random data in an ancillary chunk make it as large as needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    padding = chunk(b"teXt", os.urandom(extra)) if extra else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + padding
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def binary_bytes(size: int) -> bytes:
    """Bytes no sniffer takes for text or a known format, the same on every run (every byte value, scrambled;
    random bytes sniffed as JSON now and then when they happened to start with "{")."""
    return bytes((i * 73 + 41) % 256 for i in range(size))


def pdf_bytes(extra: int = 0) -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + os.urandom(extra) + b"\n%%EOF\n"


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">'
    b"<script>alert(1)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def multipart_body(
    file: tuple[str | None, str | None, bytes] | None,
    fields: Sequence[tuple[str, str]] = (),
    *,
    fields_after: Sequence[tuple[str, str]] = (),
    boundary: str = BOUNDARY,
    raw_filename: bytes | None = None,
    close: bool = True,
) -> bytes:
    """A multipart/form-data body; ``file`` is (filename, content type, bytes). ``raw_filename`` puts bytes in the
    filename parameter exactly as given (control characters included); ``close=False`` omits the final boundary."""
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode())
    if file is not None:
        filename, content_type, data = file
        disposition = b'Content-Disposition: form-data; name="file"'
        if raw_filename is not None:
            disposition += b'; filename="' + raw_filename + b'"'
        elif filename is not None:
            disposition += f'; filename="{filename}"'.encode()
        head = f"--{boundary}\r\n".encode() + disposition + b"\r\n"
        if content_type:
            head += f"Content-Type: {content_type}\r\n".encode()
        parts.append(head + b"\r\n" + data)
    for name, value in fields_after:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode())
    body = b"\r\n".join(parts) + b"\r\n"
    return body + (f"--{boundary}--\r\n".encode() if close else b"")


def multipart_headers(token: str | None = None, boundary: str = BOUNDARY) -> dict[str, str]:
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


@dataclass
class StorageProbe:
    """What a storage holds, looked at from outside the service."""

    backend: str
    root: Path | None = None
    endpoint: str | None = None
    bucket: str | None = None

    def _s3(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )

    def objects(self) -> list[str]:
        """Every object, partial or temporary ones included."""
        if self.backend == "local":
            assert self.root is not None
            return sorted(str(path.relative_to(self.root)) for path in self.root.rglob("*") if path.is_file())
        listing = self._s3().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def incomplete_uploads(self) -> list[str]:
        if self.backend == "local":
            assert self.root is not None
            return sorted(str(path) for path in (self.root / "tmp").glob("*"))
        uploads = self._s3().list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])
        return [upload["Key"] for upload in uploads]

    def read(self, key: str) -> bytes:
        if self.backend == "local":
            assert self.root is not None
            return (self.root / key).read_bytes()
        return self._s3().get_object(Bucket=self.bucket, Key=key)["Body"].read()


@dataclass
class DatabaseProbe:
    """Counts rows of one owner straight from PostgreSQL."""

    url: str

    async def counts(self, owner_id: uuid.UUID) -> dict[str, int]:
        connection = await asyncpg.connect(self.url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            queries = {
                "media": "SELECT count(*) FROM media WHERE owner_id = $1",
                "versions": "SELECT count(*) FROM media_version v JOIN media m ON m.id = v.media_id "
                "WHERE m.owner_id = $1",
                "blobs": "SELECT count(*) FROM blob WHERE owner_id = $1",
                "tags": "SELECT count(*) FROM media_tag WHERE owner_id = $1",
                "used_bytes": "SELECT coalesce(sum(bytes_used), 0) FROM storage_usage WHERE owner_id = $1",
                "reserved_bytes": "SELECT coalesce(sum(bytes_reserved), 0) FROM storage_usage WHERE owner_id = $1",
                "reservations": "SELECT count(*) FROM quota_reservation WHERE owner_id = $1",
            }
            # one snapshot: counts read across a commit would pair a reservation with usage from before it
            async with connection.transaction(isolation="repeatable_read", readonly=True):
                return {name: int(await connection.fetchval(query, owner_id)) for name, query in queries.items()}
        finally:
            await connection.close()

    async def fetch(self, query: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self.url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()
