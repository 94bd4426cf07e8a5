"""Ports of resumable (tus) uploads: their recorded state, and the partial bytes in the storage backend."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterable
from datetime import datetime
from typing import Protocol

from medias_service.domain.resumable import PartialData, ResumableUpload


class ResumableUploads(Protocol):
    """Upload state in the service's database, shared by every replica.

    ``add``, ``get``, ``save``, ``delete`` and ``expired`` run in the caller's transaction (nothing there
    commits). The lease (``take``, ``lease``, ``release``) and ``record`` are each one statement committed on its
    own, whatever the caller's transaction holds: call them with nothing pending there."""

    async def add(self, upload: ResumableUpload) -> None: ...

    async def get(self, upload_id: uuid.UUID) -> ResumableUpload | None: ...

    async def save(self, upload: ResumableUpload) -> None:
        """Persist offset, content type, head, partial data, expiry and result."""
        ...

    async def record(self, upload: ResumableUpload, holder: uuid.UUID, *, release: bool) -> bool:
        """``save``, committed durably, if ``holder`` still has the lease (False, and nothing changed, if not);
        ``release`` also ends the lease."""
        ...

    async def delete(self, upload_id: uuid.UUID) -> None: ...

    async def lease(self, upload_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime) -> bool:
        """Take (or, for the same ``holder``, extend) the upload's lease when it is free or ran out; False when
        another holder has it. Need not be durable (a lease lost in a crash is one that ran out)."""
        ...

    async def take(
        self, upload_id: uuid.UUID, owner_id: uuid.UUID, holder: uuid.UUID, now: datetime, until: datetime
    ) -> ResumableUpload | None:
        """``lease`` and read in one statement: the upload, leased to ``holder``, when it is ``owner_id``'s, not
        expired at ``now`` and free; None otherwise (then nothing changed)."""
        ...

    async def release(self, upload_id: uuid.UUID, holder: uuid.UUID) -> None:
        """Ends ``holder``'s lease, if it still has it."""
        ...

    async def expired(self, now: datetime, limit: int) -> list[ResumableUpload]:
        """Uploads past their expiry whose lease (if any) ran out, oldest first."""
        ...


class PartialStorage(Protocol):
    """The bytes of uploads in progress, where the finished object will live (the local disk or S3).

    ``append`` stores ``chunks`` after ``upload.offset`` and returns how many bytes it stored with the new
    ``PartialData``; what it stored is durable when it returns, and counts only once the caller records the
    new state (a refused request leaves the recorded state valid). ``complete`` turns ``length`` stored bytes into
    the object ``upload.storage_key``; ``discard`` removes everything of the upload (missing parts are fine).
    """

    async def begin(self, upload: ResumableUpload) -> PartialData: ...

    async def append(self, upload: ResumableUpload, chunks: AsyncIterable[bytes]) -> tuple[int, PartialData]: ...

    async def recorded(self, upload: ResumableUpload, previous_offset: int) -> None:
        """The state at ``upload.offset`` is recorded: what only the state at ``previous_offset`` needed may go."""
        ...

    async def complete(self, upload: ResumableUpload) -> None: ...

    async def discard(self, upload: ResumableUpload) -> None: ...
