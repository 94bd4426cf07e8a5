"""What the processing job needs: the tools that read media, and the record of each version's progress."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from medias_service.domain.events import Event
from medias_service.domain.media import MediaVersion
from medias_service.domain.processing import MediaInfo, Processed, SizeSpec


class MediaProcessor(Protocol):
    """Reads an original and renders sizes. Blocking work runs off the event loop."""

    async def process(self, content: AsyncIterator[bytes], content_type: str, sizes: Sequence[SizeSpec]) -> Processed:
        """Metadata of the original and a rendition for each of ``sizes`` that applies; raises UnprocessableMedia
        when the content cannot be processed (corrupt, unsupported, over the pixel limit)."""
        ...

    async def sweep_leftovers(self, older_than_seconds: float) -> int:
        """Remove working files that jobs of crashed processes left behind, untouched for ``older_than_seconds``
        (never those of a running job); returns how many."""
        ...


class ProcessingJournal(Protocol):
    """Versions' and sizes' processing status, and the outbox, in the current transaction. A ready version is never
    moved back by a late or duplicate job."""

    async def start(self, version_id: uuid.UUID) -> tuple[MediaVersion, uuid.UUID] | None:
        """The version (with its sizes) and its owner's id, now processing with its unfinished sizes; None when the
        version is gone or already ready."""
        ...

    async def finish(self, version: MediaVersion, info: MediaInfo) -> None:
        """The version and its sizes ready, ``info`` recorded on the version."""
        ...

    async def fail(self, version_id: uuid.UUID, reason: str) -> tuple[uuid.UUID, uuid.UUID] | None:
        """Unless ready: the version and its unfinished sizes failed with ``reason``. Returns (media id, owner id),
        or None when there was nothing to fail."""
        ...

    async def postpone(self, version_id: uuid.UUID) -> None:
        """Unless ready: the version and its unfinished sizes back to pending until the next attempt."""
        ...

    async def restart(self, version: MediaVersion) -> None:
        """The version and every size pending again (sizes keep their files until replaced)."""
        ...

    async def record(self, event: Event) -> None:
        """``event`` into the outbox, published after the commit."""
        ...
