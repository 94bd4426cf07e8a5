"""The hand-off to asynchronous processing (thumbnails, probing...)."""

from __future__ import annotations

from typing import Protocol

from medias_service.domain.media import Media, MediaVersion


class ProcessingRequests(Protocol):
    """Told about every version that needs processing, inside the unit of work and before its commit, so an
    outbox adapter can write its row in the same transaction as the version."""

    async def version_created(self, media: Media, version: MediaVersion) -> None: ...
