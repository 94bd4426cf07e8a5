"""Counting, hashing and sniffing an upload while it streams, refusing as soon as a limit is certain to break."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass

from medias_service.domain.content import SNIFF_BYTES, ContentPolicy, sniff
from medias_service.domain.errors import EmptyFile, FileTooLarge, QuotaExceeded
from medias_service.domain.library import Limits, StorageUsage

# Room left in a request's announced length for the form around the file (fields are capped well below it).
FORM_OVERHEAD_ALLOWANCE = 64 * 1024
MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SizeGate:
    """The owner's upload limit and quota applied to a number of bytes.

    The quota is exact only at the end (a duplicate of stored bytes costs nothing), so here a size is refused only
    once it is larger than the room left *and* larger than any blob the owner has: it cannot be a duplicate.
    """

    max_bytes: int
    room: int | None
    largest_blob: int = 0

    @classmethod
    def of(cls, limits: Limits, usage: StorageUsage | None) -> SizeGate:
        if usage is None:
            return cls(limits.max_upload_bytes, None)
        room = limits.storage_quota_bytes - usage.used_bytes - usage.reserved_bytes
        return cls(limits.max_upload_bytes, room, usage.largest_blob_bytes)

    def check(self, size: int) -> None:
        if size > self.max_bytes:
            raise FileTooLarge(
                f"The file is larger than your upload limit of {self.max_bytes / MIB:.1f} MiB",
                max_upload_bytes=self.max_bytes,
            )
        if self.room is not None and size > self.room and size > self.largest_blob:
            raise QuotaExceeded(
                f"The file does not fit in the {max(self.room, 0)} bytes left in your storage quota",
                available_bytes=max(self.room, 0),
            )

    def check_announced(self, body_length: int | None) -> None:
        """Before reading anything: a body announced too long for any acceptable file is refused at once."""
        if body_length is not None:
            self.check(body_length - FORM_OVERHEAD_ALLOWANCE)


class UploadMeter:
    """Pipes the file's chunks through unchanged, keeping sha256 and size, checking the gate at every chunk, and
    deciding the content type from the first ``SNIFF_BYTES`` before anything is passed on (so refused content is
    never written)."""

    def __init__(self, gate: SizeGate, policy: ContentPolicy, declared_type: str | None) -> None:
        self._gate = gate
        self._policy = policy
        self._declared = declared_type
        self._sha = hashlib.sha256()
        self.size = 0
        self.content_type: str | None = None

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    async def pipe(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
        head = bytearray()
        async for chunk in chunks:
            if not chunk:
                continue
            self.size += len(chunk)
            self._gate.check(self.size)
            self._sha.update(chunk)
            if self.content_type is not None:
                yield chunk
                continue
            head += chunk
            if len(head) >= SNIFF_BYTES:
                self._decide(bytes(head[:SNIFF_BYTES]))
                yield bytes(head)
                head = bytearray()
        if self.content_type is None:
            if not head:
                raise EmptyFile("The file is empty")
            self._decide(bytes(head))
            yield bytes(head)

    def _decide(self, head: bytes) -> None:
        self.content_type = self._policy.accept(sniff(head), self._declared)
