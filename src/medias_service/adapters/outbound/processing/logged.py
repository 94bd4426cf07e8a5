"""LoggedProcessingRequests: processing is turned off (MEDIAS_PROCESSING_ENABLED=false): new versions are only
logged, and stay pending."""

from __future__ import annotations

import structlog

from medias_service.domain.media import Media, MediaVersion

log = structlog.get_logger(__name__)


class LoggedProcessingRequests:
    async def version_created(self, media: Media, version: MediaVersion) -> None:
        log.info(
            "version_awaiting_processing",
            media_id=str(media.id),
            version=version.number,
            content_type=version.content_type,
        )
